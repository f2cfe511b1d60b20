"""Screens of the reader."""

from paperreader.screens.help import HelpScreen
from paperreader.screens.main import MainScreen

__all__ = ["HelpScreen", "MainScreen"]
