"""A progress line on the terminal for runs longer than about a second.

Nothing is written unless the CLI enables it (standard error is a terminal
and --quiet is not given), and nothing before the first second: short runs
stay silent, long ones show that they are alive.
"""

from __future__ import annotations

import time
from typing import TextIO


class Progress:
    def __init__(self, stream: TextIO | None = None, enabled: bool = False, delay: float = 1.0) -> None:
        self.stream = stream
        self.enabled = enabled and stream is not None
        self.start = time.monotonic()
        self.delay = delay
        self._last = 0.0
        self._width = 0

    def update(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.start < self.delay or (now - self._last < 0.1 and done < total):
            return
        self._last = now
        filled = int(20 * done / total) if total else 20
        line = f"{stage}: [{'#' * filled}{'.' * (20 - filled)}] {done}/{total}"
        assert self.stream is not None
        self.stream.write("\r" + line.ljust(self._width))
        self.stream.flush()
        self._width = max(self._width, len(line))

    def close(self) -> None:
        """Erase the line, so the report starts on a clean line."""
        if self.enabled and self._width and self.stream is not None:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()


SILENT = Progress()
