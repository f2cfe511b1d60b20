"""The command line: ``paperreader`` and its sub-commands. Headless: the reader is imported
only when it is opened."""

from paperreader.cli.run import main

__all__ = ["main"]
