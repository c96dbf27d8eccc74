"""A webhook URL with a password and a token works, and its secrets appear in no output of
any command (errors and --debug tracebacks included) and in no file of the lake but
ctlake.toml: every stdout and stderr of a full round of commands is searched, and every
file of the lake, byte for byte."""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

import pytest

from ctlake.errors import ExitCode
from tests.batch.conftest import Receiver, ctlake

PASSWORD = "s3cretPassw0rd"
TOKEN = "t0kenSecret"
SECRETS = (PASSWORD, TOKEN)


def secret_url(receiver: Receiver) -> str:
    """The receiver's URL with a user name, a password and a token."""
    return receiver.url.replace("http://", f"http://user:{PASSWORD}@") + f"?token={TOKEN}"


class Session:
    """Runs ctlake commands on one lake as real processes and keeps everything they said."""

    def __init__(self, lake_dir: Path) -> None:
        self.lake_dir = lake_dir
        self.results: list[tuple[tuple[str, ...], subprocess.CompletedProcess[str]]] = []

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = ctlake(self.lake_dir, *args)
        self.results.append((args, result))
        return result

    def leaks(self) -> list[str]:
        """Where a secret showed: 'ARGS stdout|stderr', or a lake file's path."""
        found = [
            f"{' '.join(args)} {stream}"
            for args, result in self.results
            for stream in ("stdout", "stderr")
            if any(secret in getattr(result, stream) for secret in SECRETS)
        ]
        for path in sorted(self.lake_dir.rglob("*")):
            if path.is_file() and path.name != "ctlake.toml":
                data = path.read_bytes()
                found.extend(str(path) for s in SECRETS if s.encode() in data)
        return found


@pytest.mark.slow
def test_a_webhook_url_with_credentials_works_and_its_secrets_are_never_shown(
    tmp_path: Path, trail: Path, receiver: Receiver
) -> None:
    lake_dir = tmp_path / "lake"
    run = Session(lake_dir)
    url = secret_url(receiver)
    assert run("config", "init", "--source", str(trail), "--webhook", url).returncode == 0
    assert run("config", "show").stdout.count("url = ") == 1
    assert run("--debug", "config", "show").returncode == 0

    receiver.status = 500
    failing = run("run")
    assert failing.returncode == ExitCode.PARTIAL, failing.stderr
    assert "deliver: webhook-" in failing.stderr and "HTTP 500" in failing.stderr
    status = run("status")
    assert "webhook http://***@127.0.0.1:" in status.stdout and "/hook?token=***" in status.stdout

    receiver.status = 200
    done = run("--debug", "run")
    assert done.returncode == ExitCode.OK, done.stderr
    assert receiver.posts and set(receiver.posts.values()) == {1}
    assert "deliveries: 0 pending" in run("status").stdout
    assert run("--debug", "status").returncode == 0

    # urllib gets the URL without its userinfo, which goes as HTTP Basic authentication
    basic = "Basic " + base64.b64encode(f"user:{PASSWORD}".encode()).decode()
    assert set(receiver.seen) == {(f"/hook?token={TOKEN}", basic)}

    # a URL that cannot work is refused in one masked line, on the command line or in the file
    broken = url.replace(PASSWORD, PASSWORD[:6] + "/" + PASSWORD[6:])  # '/' not as %2F
    config = (lake_dir / "ctlake.toml").read_text()
    refused = run("--debug", "config", "init", "--force", "--webhook", broken)
    assert refused.returncode == ExitCode.BAD_INPUT
    assert refused.stderr.splitlines()[-1] == (
        "error: --webhook: expected the host's port to be a number from 1 to 65535 (in a user "
        "name or password, write '/' as %2F, '?' as %3F and '#' as %23), got "
        "'http://***/***?token=***'"
    )
    assert (lake_dir / "ctlake.toml").read_text() == config  # nothing written
    (lake_dir / "ctlake.toml").write_text(config.replace(url, broken))
    for debug in ((), ("--debug",)):
        bad = run(*debug, "run")
        assert bad.returncode == ExitCode.BAD_INPUT
        assert "sinks.webhook[0].url: expected the host's port" in bad.stderr

    assert run.leaks() == []
