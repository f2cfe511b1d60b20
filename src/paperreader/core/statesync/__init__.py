"""State that travels between machines: per-machine journals, merging, and importing lists.

Headless: plain data and callbacks in, plain data out; nothing here knows the store or the UI.
"""
