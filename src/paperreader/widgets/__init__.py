"""Widgets of the reader."""

from paperreader.widgets.filter_pane import FilterPane
from paperreader.widgets.paper_detail import PaperDetail
from paperreader.widgets.paper_list import PaperList
from paperreader.widgets.status_line import StatusLine

__all__ = ["FilterPane", "PaperDetail", "PaperList", "StatusLine"]
