"""The views and sort orders a reader can choose, with the names both front ends show.

The one home of these lists: the filter pane, the key bindings, the status line and the
command line's ``--sort`` all read them from here.
"""

from __future__ import annotations

from typing import Literal

View = Literal["all", "unread", "favourites", "today", "week", "foryou", "new"]
Sort = Literal["newest", "upvotes", "rising", "relevance", "trending"]

VIEWS: tuple[View, ...] = ("all", "unread", "favourites", "today", "week", "foryou", "new")
"""In menu order; the reader's v / V keys cycle through them in this order."""
SORTS: tuple[Sort, ...] = ("newest", "upvotes", "rising", "trending", "relevance")
"""``trending`` lists only the papers of HF's last stored trending ranking, by rank."""

VIEW_LABELS: dict[View, str] = {
    "all": "All",
    "unread": "Unread",
    "favourites": "Favourites",
    "today": "Today",
    "week": "This week",
    "foryou": "For you",
    "new": "New since last time",
}
SORT_LABELS: dict[Sort, str] = {
    "newest": "Newest",
    "upvotes": "Most upvoted",
    "rising": "Rising",
    "relevance": "Best match (search)",
    "trending": "Trending",
}


def default_sort(search: str) -> Sort:
    """The order used until the reader picks one: best match while searching, else newest."""
    return "relevance" if search.strip() else "newest"
