"""The interactive shell, for real: `ctlake sql` in a pseudo-terminal, driven by keystrokes.

The child gets the pty as its controlling terminal (a small launcher calls setsid and
TIOCSCTTY before exec), and SIGINT's default disposition (a suite run as a background job
passes it on ignored), so Ctrl-C reaches it as SIGINT exactly as in a terminal emulator.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from ctlake.lake import Lake
from tests.conftest import wait_until

ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\r")
LAUNCHER = (
    "import fcntl, os, signal, sys, termios; os.setsid(); fcntl.ioctl(0, termios.TIOCSCTTY, 0); "
    "signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execv(sys.executable, [sys.executable, '-m', 'ctlake', *sys.argv[1:]])"
)


class Terminal:
    """A child process on a pty, with expect-style reading of what it shows."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
        self.process = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER, *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            close_fds=True,
        )
        os.close(slave)
        self.seen = b""
        self.code: int | None = None

    def expect(self, pattern: str, timeout: float = 20.0) -> str:
        """Wait until `pattern` (a regex) appears in the output after the last match."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while True:
            text = ANSI.sub(b"", self.seen).decode(errors="replace")
            match = regex.search(text)
            if match:
                self.seen = text[match.end() :].encode()
                return text[: match.end()]
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"did not see {pattern!r}; screen: {text[-800:]!r}")
            ready, _, _ = select.select([self.master], [], [], min(left, 0.2))
            if ready:
                try:
                    self.seen += os.read(self.master, 65536)
                except OSError:  # the child closed the terminal
                    raise AssertionError(f"child ended before {pattern!r}: {text!r}") from None

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def worker_cpu(self) -> float:
        """CPU seconds used by the child's threads other than the main one: the query
        thread and DuckDB's; the prompt runs on the main thread."""
        ticks = 0
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            if task.name == str(self.process.pid):
                continue
            try:
                fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the thread ended while we looked
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def send_query(self, statement: str, cpu_seconds: float = 0.3) -> None:
        """Send `statement` and Enter, and return once it runs: its threads have used
        `cpu_seconds` of CPU (the prompt takes none of theirs)."""
        before = self.worker_cpu()
        self.send(statement + "\r")
        wait_until(lambda: self.worker_cpu() - before >= cpu_seconds, f"{statement!r} runs")

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        """Wait for the child to leave; kill it when the test already failed."""
        try:
            if kind is None:
                self.code = self.process.wait(timeout=10)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            os.close(self.master)


PROMPT = r"ctlake>"  # the space after it is drawn as a cursor move


@pytest.mark.slow
def test_the_shell_in_a_terminal(small_lake: Lake, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TERM": "xterm",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "PROMPT_TOOLKIT_NO_CPR": "1",  # the pty does not answer cursor-position requests
    }
    with Terminal(["--lake", str(small_lake.root), "sql"], env) as shell:
        shell.expect(PROMPT)
        # A statement over two lines: Enter without ';' continues it.
        shell.send("SELECT eventName,\r")
        shell.expect(r"\.\.\.>")
        shell.send("count(*) AS n FROM events GROUP BY 1;\r")
        shell.expect(r"eventName   n\n----------  -\nCreateUser  5\n")
        shell.expect(PROMPT)
        # A dot-command changes how the next result is written.
        shell.send(".mode csv\r")
        shell.expect(PROMPT)
        shell.send("SELECT 41 + 1 AS answer;\r")
        shell.expect(r"answer\n42\n")
        # An error is one line and the shell stays.
        shell.send("SELEC oops;\r")
        shell.expect(r"error: SQL error: Parser Error[^\n]*\n")
        shell.expect(PROMPT)
        shell.send("SELECT 'alive' AS still;\r")
        shell.expect(r"still\nalive\n")
        # Ctrl-C cancels a long query and returns to the prompt.
        shell.send_query("SELECT count(*) FROM range(10000000000000) t(x) WHERE x % 7 = 3;")
        shell.send("\x03")
        shell.expect(r"error: query cancelled\n", timeout=10)
        shell.expect(PROMPT)
        shell.send("SELECT 'back' AS b;\r")
        shell.expect(r"b\nback\n")
        shell.send(".quit\r")
    assert shell.code == 0
    history = (tmp_path / "state" / "ctlake" / "history").read_text()
    assert "+SELECT eventName,\n+count(*) AS n FROM events GROUP BY 1;" in history

    # Ctrl-D on an empty line leaves too; the Up arrow recalls the last statement.
    with Terminal(["--lake", str(small_lake.root), "sql", "--format", "csv"], env) as shell:
        shell.expect(PROMPT)
        shell.send("\x1b[A\x1b[A\r")  # Up, Up: past .quit to the last statement
        shell.expect(r"b\nback\n")
        shell.expect(PROMPT)
        shell.send("\x04")
    assert shell.code == 0
