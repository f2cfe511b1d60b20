"""Key (or any action) to next paint, timed inside a Textual app: shared by the benchmarks.

Pilot's ``press()`` waits ~80 ms by itself and cannot time this. Instead an app mixing in
:class:`PaintTimed` notes the first compositor update after a marked moment at which a
condition holds; :func:`until_painted` marks the moment, runs the action and waits.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from typing import Any

from textual import events


class PaintTimed:
    """Mix into an ``App`` subclass (first base): notes when ``ready()`` first holds at a paint."""

    ready: Callable[[], bool] | None = None
    painted: float | None = None
    painted_cpu: float | None = None

    def _display(self, screen: Any, renderable: Any) -> None:
        ready = self.ready
        if renderable is not None and ready is not None and self.painted is None and ready():
            self.painted = time.perf_counter()
            self.painted_cpu = time.process_time()
        super()._display(screen, renderable)  # type: ignore[misc]


#: CPU milliseconds (all threads of this process) of the last :func:`until_painted`: less
#: sensitive than wall time to other jobs on a shared machine.
last_cpu: list[float] = [0.0]


async def until_painted(
    app: Any,
    action: Callable[[], object],
    limit: float = 5.0,
    ready: Callable[[], bool] | None = None,
) -> float:
    """Milliseconds from ``action()`` to the first paint at which ``ready()`` holds
    (any paint when ``ready`` is None); ``limit`` seconds at most."""
    app.painted = None
    app.ready = ready or (lambda: True)
    t0, c0 = time.perf_counter(), time.process_time()
    action()
    while app.painted is None and time.perf_counter() - t0 < limit:
        await asyncio.sleep(0.0005)
    app.ready = None
    last_cpu[0] = ((app.painted_cpu or time.process_time()) - c0) * 1000
    return ((app.painted or time.perf_counter()) - t0) * 1000


def send_key(app: Any, key: str, character: str | None = None) -> Callable[[], None]:
    """An action handing a key event to the driver, as a terminal would."""

    def go() -> None:
        event = events.Key(key, character)
        event.set_sender(app)
        app._driver.send_message(event)

    return go


def pct(values: list[float], q: float) -> float:
    """The ``q`` quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]
