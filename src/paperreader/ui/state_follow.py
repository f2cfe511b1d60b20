"""State that follows the reader: merging the other machines' journals while it runs.

When ``settings.state_dir`` is set, :class:`StateFollower` runs
:func:`paperreader.core.statesync.service.merge_all` when the reader starts, after every
sync, and whenever :func:`~paperreader.core.statesync.service.folder_signature` changes
(polled every :data:`POLL_SECONDS`; a poll that finds nothing new sends out this
machine's queued marks). Both the poll and the merge run in thread workers on
their own store connections: a stat per journal file, a share that hangs or a write lock
held by a sync never reaches the UI thread. What came in is reported on the status line
(``merged 3 change(s) from 1 machine(s)``) and the screen refreshes; an unusable folder
is one calm status line, never an error dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from textual.app import App
from textual.dom import DOMNode

from paperreader.core import text
from paperreader.core.store import Store, StoreError

if TYPE_CHECKING:
    from paperreader.core.statesync import service

#: Seconds between looks at the state folder for journals another machine changed.
POLL_SECONDS = 30.0

Signature = tuple[tuple[str, int, int], ...]


class Host(Protocol):
    """What the follower needs of its screen."""

    @property
    def app(self) -> App[object]:
        """The running app."""

    def set_state_note(self, note: str) -> None:
        """Say ``note`` on the status line."""

    def state_merged(self) -> None:
        """Changes came in: refresh the list, the detail and the counts."""


def merged_note(report: service.MergeReport) -> str:
    """``merged 3 change(s) from 2 machine(s)`` (plus problems); "" when nothing happened."""
    parts = []
    if report.applied:
        machines = len({change.stamp.machine for change in report.applied})
        parts.append(f"merged {len(report.applied)} change(s) from {machines} machine(s)")
    if report.problems:
        first = text.one_line(report.problems[0], max_len=80)
        parts.append(f"state: {len(report.problems)} problem(s), e.g. {first}")
    return " · ".join(parts)


class StateFollower:
    """Merges the state folder's journals into the store for one screen."""

    def __init__(
        self,
        node: DOMNode,
        host: Host,
        store_path: Path,
        state_dir: Path | None,
        *,
        interval: float | None = None,
    ) -> None:
        self.node = node
        """Runs the workers and the timer (the screen)."""
        self.host = host
        self.store_path = store_path
        self.state_dir = state_dir
        self.interval = POLL_SECONDS if interval is None else interval
        self.signature: Signature | None = None
        """The folder as of the last merge (None: not merged yet)."""
        self._busy = False
        self._again = False
        self.merges = 0
        """Merges finished (tests wait on it)."""

    @property
    def enabled(self) -> bool:
        """Whether a state folder is configured."""
        return self.state_dir is not None

    def start(self) -> None:
        """Merge now and look at the folder every ``interval`` seconds from now on."""
        if not self.enabled:
            return
        self.merge()
        self.node.set_interval(self.interval, self.poll, name="state-poll")

    def merge(self) -> None:
        """Merge in a worker (once more afterwards if one is running already)."""
        if not self.enabled:
            return
        if self._busy:
            self._again = True
            return
        self._busy = True
        self._run(self._merge_work)

    def poll(self) -> None:
        """Look at the folder in a worker; merge when a journal changed since the last merge."""
        if self.enabled and not self._busy:
            self._busy = True
            self._run(self._poll_work)

    # -- in the worker ---------------------------------------------------------------------

    def _run(self, work: Callable[[], None]) -> None:
        self.node.run_worker(
            work, thread=True, group="state-merge", exit_on_error=False, description="state"
        )

    def _poll_work(self) -> None:
        from paperreader.core.statesync import service  # only with a state folder

        if service.folder_signature(self.state_dir) != self.signature:
            self._merge_work()
            return
        # Nothing came in: send out what this machine marked meanwhile (the reader's read
        # marks and stars are stamped on the UI thread and journaled here).
        try:
            with Store(self.store_path, migrate=False) as store:
                sent = service.flush(store, self.state_dir)
        except (service.StateDirError, StoreError, OSError):
            sent = 0  # the next merge says what is wrong
        self._report(None, "", service.folder_signature(self.state_dir) if sent else None)

    def _merge_work(self) -> None:
        from paperreader.core.statesync import service

        try:
            with Store(self.store_path, migrate=False) as store:
                report = service.merge_all(store, self.state_dir)
        except service.StateDirError as exc:
            # Remember the unusable folder's (empty) signature: the poll stays quiet until
            # the folder appears, instead of repeating the same line every interval.
            self._report(None, f"state: {exc}", ())
            return
        except (StoreError, OSError) as exc:
            self._report(None, f"state not merged: {text.one_line(str(exc), max_len=120)}", None)
            return
        self._report(report, merged_note(report), service.folder_signature(self.state_dir))

    def _report(
        self, report: service.MergeReport | None, note: str, signature: Signature | None
    ) -> None:
        try:
            self.host.app.call_from_thread(self._done, report, note, signature)
        except RuntimeError:  # the app closed meanwhile
            pass

    # -- back on the UI thread -------------------------------------------------------------

    def _done(
        self, report: service.MergeReport | None, note: str, signature: Signature | None
    ) -> None:
        self._busy = False
        if signature is not None:
            self.signature = signature
        if report is not None:
            self.merges += 1
            if report.applied:
                self.host.state_merged()
        if note:
            self.host.set_state_note(note)
        if self._again:
            self._again = False
            self.merge()


def flush_on_exit(store: Store, state_dir: Path | None) -> None:
    """Send out marks made since the last poll, as the reader closes (best effort: a
    missing folder or a busy store leaves them queued for the next start)."""
    if state_dir is None:
        return
    from paperreader.core.statesync import service

    try:
        service.flush(store, state_dir)
    except (service.StateDirError, StoreError, OSError):
        pass
