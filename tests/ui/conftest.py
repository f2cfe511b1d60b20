"""Fixtures shared by the Pilot tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from paperreader.core.corpus import Corpus
from paperreader.core.store import Store
from tests.conftest import papers_from
from tests.support.app import LATEST


@pytest.fixture
def filled(tmp_path: Path, corpus: Corpus) -> Store:
    """A store holding the corpus's newest weekday (one day: quick to fill)."""
    store = Store(tmp_path / "papers.db")
    with store.write():
        store.upsert_papers(papers_from(corpus.day(LATEST)))
    return store
