"""The local SQLite store: every read and write of papers, user state and sync bookkeeping.

``Store`` is the only way in; see ``store.py`` for how the package is laid out.
"""

from paperreader.core.store.bookkeeping import PeriodRow
from paperreader.core.store.errors import StoreBusy, StoreError
from paperreader.core.store.papers import Prepared
from paperreader.core.store.store import Store
from paperreader.core.store.user_state import Mark

__all__ = ["Mark", "PeriodRow", "Prepared", "Store", "StoreBusy", "StoreError"]
