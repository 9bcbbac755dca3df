"""A progress bar on a terminal, for the import command: no dependency, stderr only.

On a terminal the bar is drawn again in place (a carriage return), at most ``EVERY`` seconds
apart and once at the end: ``[#########...........]  45%  22,500/50,000 rows  1,830 rows/s``.
Elsewhere (a log file, cron) it writes a plain line at each tenth, and at the end.
"""

import sys
import time

WIDTH = 30
EVERY = 0.1


class ProgressBar:
    def __init__(self, total: int, *, stream=None, label: str = "rows"):
        self.total = max(total, 0)
        self.stream = stream or sys.stderr
        self.label = label
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.tenth = -1
        self.terminal = hasattr(self.stream, "isatty") and self.stream.isatty()

    def line(self, done: int) -> str:
        share = done / self.total if self.total else 1.0
        filled = round(WIDTH * share)
        elapsed = max(time.monotonic() - self.started, 1e-6)
        return (
            f"[{'#' * filled}{'.' * (WIDTH - filled)}] {share:4.0%}  "
            f"{done:,}/{self.total:,} {self.label}  {done / elapsed:,.0f} {self.label}/s"
        )

    def update(self, done: int, total: int | None = None) -> None:
        if total is not None:
            self.total = total
        finished = done >= self.total
        if self.terminal:
            now = time.monotonic()
            if finished or now - self.drawn_at >= EVERY:
                self.drawn_at = now
                self.stream.write("\r" + self.line(done))
                self.stream.flush()
            return
        tenth = int(10 * done / self.total) if self.total else 10
        if tenth > self.tenth:
            self.tenth = tenth
            self.stream.write(self.line(done) + "\n")
            self.stream.flush()

    def close(self) -> None:
        if self.terminal:
            self.stream.write("\n")
            self.stream.flush()
