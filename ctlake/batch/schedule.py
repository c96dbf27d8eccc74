"""`ctlake schedule`: run the batch on an interval in the foreground, or print the crontab
line / systemd units that do it.

The loop reloads ctlake.toml before each run (a fixed config takes effect without a
restart), logs one line per run to stderr, and keeps going when a run fails or finds the
lake busy: a scheduler that dies on the first bad file is no scheduler. SIGTERM and SIGINT
set a flag instead of killing: the batch finishes its current step (a refresh is one
transaction; a delivery is recorded as soon as it is made), skips the rest, and the loop
exits 0.
"""

from __future__ import annotations

import shlex
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from types import FrameType
from typing import Any

from ctlake.batch.run import run_batch
from ctlake.config import load
from ctlake.delivery.mask import mask_text
from ctlake.durations import format_duration
from ctlake.errors import BadInputError, CtlakeError
from ctlake.lake import Lake

Log = Callable[[str], None]


class StopFlag:
    """Set by SIGTERM or SIGINT while installed (`with StopFlag() as stop:`); callable
    (`stop()`), and wakes a sleeping loop. Leaving the block puts the previous handlers
    back: a process that ran a batch in-process (a test, a library user) keeps its Ctrl-C."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.signal: str | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> StopFlag:
        for sig in (signal.SIGTERM, signal.SIGINT):
            self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *_exc: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        self.signal = signal.Signals(signum).name
        self.event.set()

    def __call__(self) -> bool:
        return self.event.is_set()

    def sleep(self, seconds: float) -> None:
        self.event.wait(max(0.0, seconds))


def schedule_loop(
    lake: Lake, every: timedelta | None, wait_seconds: float | None, log: Log, progress: Log
) -> int:
    """Run batches every `every` (default: the config's) until a signal; returns 0."""
    with StopFlag() as stop:
        return _loop(lake, every, wait_seconds, log, progress, stop)


def _loop(
    lake: Lake,
    every: timedelta | None,
    wait_seconds: float | None,
    log: Log,
    progress: Log,
    stop: StopFlag,
) -> int:
    interval = every or _config_every(lake)
    shown = format_duration(interval)
    log(f"schedule: running a batch on {lake.root} every {shown}; stop with Ctrl-C")
    while not stop():
        began = time.monotonic()
        try:
            config = load(lake.root)  # read once a run: a fixed file takes effect at once
            interval = every or config.schedule.every
            summary = run_batch(
                lake,
                config,
                wait_seconds=wait_seconds,
                progress=progress,
                stop=stop,
                every=interval,
            )
            for warning in summary.warnings:
                log(f"{_stamp()} warning: {warning}")
            log(f"{_stamp()} {summary.line()} (exit {int(summary.exit_code)})")
        except CtlakeError as exc:
            log(mask_text(f"{_stamp()} run failed: {exc} (exit {int(exc.exit_code)})"))
        except Exception as exc:  # keep the loop alive; the run log has the details
            log(mask_text(f"{_stamp()} run failed: internal error: {type(exc).__name__}: {exc}"))
        stop.sleep(interval.total_seconds() - (time.monotonic() - began))
    log(f"schedule: stopped by {stop.signal or 'request'}")
    return 0


def _config_every(lake: Lake) -> timedelta:
    try:
        return load(lake.root).schedule.every
    except BadInputError:
        return timedelta(minutes=5)


def _stamp() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def ctlake_command() -> list[str]:
    """The absolute command line that runs this ctlake."""
    script = shutil.which(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script and script.rsplit("/", 1)[-1] == "ctlake":
        return [str(Path(script).resolve())]
    found = shutil.which("ctlake")
    return [found] if found else [sys.executable, "-m", "ctlake"]


def cron_line(lake: Lake, every: timedelta) -> str:
    """A crontab line running `ctlake run` on `every`, logging to <lake>/run.log."""
    minutes = int(every.total_seconds() // 60)
    if every.total_seconds() % 60 or minutes < 1:
        raise BadInputError(f"cron cannot run every {every}: use whole minutes")
    if minutes < 60 and 60 % minutes == 0:
        when = f"*/{minutes} * * * *"
    elif minutes % 60 == 0 and minutes < 1440 and 24 % (minutes // 60) == 0:
        when = f"0 */{minutes // 60} * * *"
    elif minutes == 1440:
        when = "0 0 * * *"
    else:
        raise BadInputError(
            f"cron cannot run every {minutes} minutes: use a divisor of 60 minutes or 24 hours"
            ", or --print systemd"
        )
    command = " ".join(_quote(w) for w in [*ctlake_command(), "--lake", str(lake.root), "run"])
    return f"{when} {command} >> {_quote(str(lake.root / 'run.log'))} 2>&1"


def systemd_units(lake: Lake, every: timedelta) -> str:
    """A oneshot service and a timer running it every `every`, as one text to split."""
    command = " ".join(_quote(w) for w in [*ctlake_command(), "--lake", str(lake.root), "run"])
    seconds = int(every.total_seconds())
    return (
        "# ~/.config/systemd/user/ctlake.service\n"
        "[Unit]\n"
        f"Description=ctlake batch on {lake.root}\n\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"ExecStart={command}\n"
        "SuccessExitStatus=5\n"
        "KillSignal=SIGTERM\n\n"
        "# ~/.config/systemd/user/ctlake.timer\n"
        "[Unit]\n"
        f"Description=Run the ctlake batch on {lake.root} every {seconds}s\n\n"
        "[Timer]\n"
        "OnBootSec=1min\n"
        f"OnUnitActiveSec={seconds}s\n"
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
        "# enable with: systemctl --user daemon-reload && "
        "systemctl --user enable --now ctlake.timer\n"
    )


def _quote(word: str) -> str:
    return shlex.quote(word)
