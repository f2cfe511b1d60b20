"""Widgets of the reader."""

from paperreader.ui.widgets.filter_pane import FilterPane
from paperreader.ui.widgets.paper_detail import PaperDetail
from paperreader.ui.widgets.paper_list import PaperList
from paperreader.ui.widgets.status_line import StatusLine

__all__ = ["FilterPane", "PaperDetail", "PaperList", "StatusLine"]
