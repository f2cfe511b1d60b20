"""One start-up measurement, run as a fresh process by ``run.py``.

    python benchmarks/probe_start.py bare|app [DB]

Prints JSON: seconds from process start (``PROBE_T0`` in the environment, taken by the
parent just before it spawned us) to the first compositor frame (for the reader: the
first frame carrying list rows read from the store), to Textual's Ready event, and
peak RSS after the deferred start-up work and a jump to the end of the list.
``bare`` is a minimal Textual app (one label) used as the baseline in the same run.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from typing import Any


def peak_rss_mb() -> float:
    """VmHWM: this process's own peak (ru_maxrss can carry the parent's from before exec)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    t0 = float(os.environ["PROBE_T0"])
    kind = sys.argv[1]
    result: dict[str, float] = {}

    if kind == "bare":
        from textual.app import App, ComposeResult
        from textual.widgets import Footer, Label

        class Bare(App[None]):
            def compose(self) -> ComposeResult:
                yield Label("hello")
                yield Footer()

            def _display(self, screen: Any, renderable: Any) -> None:
                if renderable is not None and "start_s" not in result:
                    result["start_s"] = time.time() - t0  # the first frame on screen
                super()._display(screen, renderable)

            def on_ready(self) -> None:
                result["ready_s"] = time.time() - t0
                self.set_timer(0.3, self.exit)

        Bare().run(headless=True, size=(120, 40))
    else:
        import gc
        from pathlib import Path

        gc.disable()  # as `paperreader` does before importing the reader (cli._open_reader)

        from paperreader.core.config import load_settings
        from paperreader.core.store import Store
        from paperreader.ui.app import PaperReaderApp

        db = Path(sys.argv[2])
        settings = load_settings(db_path=db, offline=True)

        class Probe(PaperReaderApp):
            def _display(self, screen: Any, renderable: Any) -> None:
                # The first frame that carries list rows drawn from the store.
                if (
                    renderable is not None
                    and "start_s" not in result
                    and (self.main_screen.paper_list.has_rows_drawn)
                ):
                    result["start_s"] = time.time() - t0
                super()._display(screen, renderable)

            def on_ready(self) -> None:
                # Not super().on_ready(): Textual calls every class's on_ready in the MRO,
                # so the reader's own start-up work runs after this one anyway (calling it
                # here too ran it twice, and counted its memory twice).
                result["ready_s"] = time.time() - t0
                self.set_timer(0.3, self._touch_end)

            def _touch_end(self) -> None:
                result["rows"] = float(self.main_screen.paper_list.count)
                # Touch the far end of the store so peak RSS covers scrolling too.
                self.main_screen.paper_list.action_last()
                self.set_timer(0.3, self.exit)

        store = Store(db)
        Probe(settings, store).run(headless=True, size=(120, 40))
        store.close()
    result["rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
