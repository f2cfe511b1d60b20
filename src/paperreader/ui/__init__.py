"""The Textual reader: the app, its screens and widgets. Built on the headless core."""
