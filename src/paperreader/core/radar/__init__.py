"""The radar: "for you" ranking, watches, digests and the Atom feed (headless, plain data)."""
