"""Screens of the reader (imported from their modules: the help screen loads on ``?``)."""
