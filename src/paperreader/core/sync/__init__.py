"""Keeping the store in step with Hugging Face, in as few requests as the API allows.

``periods`` decides what to fetch (months, weeks, days; what is final); ``run`` fetches
it with bounded concurrency and stores each page. :func:`sync` is the one entry point
the command line and the reader use.
"""

from paperreader.core.sync.periods import (
    SETTLED_DAYS,
    Period,
    default_plan,
    merge_retries,
    plan,
    settled_periods,
)
from paperreader.core.sync.run import MAX_PAGES, PAGE_SIZE, Syncer, is_partial, sync

__all__ = [
    "MAX_PAGES",
    "PAGE_SIZE",
    "SETTLED_DAYS",
    "Period",
    "Syncer",
    "default_plan",
    "is_partial",
    "merge_retries",
    "plan",
    "settled_periods",
    "sync",
]
