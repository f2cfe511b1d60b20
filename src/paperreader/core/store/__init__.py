"""The local SQLite store: every read and write of papers, user state and sync bookkeeping."""

from paperreader.core.store.store import Store, StoreError, utcnow

__all__ = ["Store", "StoreError", "utcnow"]
