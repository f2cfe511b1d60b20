"""Screens of the reader."""

from paperreader.ui.screens.help import HelpScreen
from paperreader.ui.screens.main import MainScreen

__all__ = ["HelpScreen", "MainScreen"]
