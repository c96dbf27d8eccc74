"""An S3 endpoint for tests: moto's server, on a free local port, for the whole session.

ctlake reaches it as it reaches AWS: through s3fs and botocore, with the endpoint and
credentials in the environment (`AWS_ENDPOINT_URL` and the usual keys), which the
processes a test starts inherit. `s3_bucket` gives each test a bucket of its own.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing-secret-key",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """The URL of a local S3 (moto's server, a process of its own, as a real endpoint is),
    with the environment pointing s3fs at it."""
    pytest.importorskip("s3fs", reason="the S3 tests need the dev extra (s3fs)")
    pytest.importorskip("moto.server", reason="the S3 tests need moto[server]")
    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not _listening(port):
            assert time.monotonic() < deadline, "the S3 server did not start in 30s"
            time.sleep(0.05)
        endpoint = f"http://127.0.0.1:{port}"
        with pytest.MonkeyPatch.context() as patch:
            for key, value in {**ENVIRONMENT, "AWS_ENDPOINT_URL": endpoint}.items():
                patch.setenv(key, value)
            yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=30)


def _listening(port: int) -> bool:
    with socket.socket() as client:
        return client.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def s3_bucket(s3_endpoint: str) -> str:
    """A new, empty bucket's name."""
    return new_bucket()


def new_bucket() -> str:
    """Make a bucket on the test endpoint (`s3_endpoint` must be in use); its name."""
    name = f"lake-{uuid.uuid4().hex[:12]}"
    s3().mkdir(name)
    return name


def s3() -> Any:
    """An s3fs filesystem on the test endpoint, with no cached listings."""
    import s3fs

    return s3fs.S3FileSystem(skip_instance_cache=True, use_listings_cache=False)
