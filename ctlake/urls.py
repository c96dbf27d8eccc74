"""Files named by URL (`s3://`, `s3a://`, `gs://`, `hdfs://`, ...): the CloudTrail files
ingest reads from a bucket, and a lake's data files under `[lake] data`.

They are reached through fsspec, the filesystem layer of the Python data tools, with the
package of each store installed beside it (`pip install 'ctlake[s3]'` adds s3fs).
Credentials come from the store's own chain (for S3: the environment, a profile, an
instance role), never from a command line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ctlake.errors import BadInputError

if TYPE_CHECKING:
    from fsspec import AbstractFileSystem


def is_url(text: str) -> bool:
    """True for `scheme://...` other than `file://` (a local path in another spelling)."""
    scheme = urlsplit(text).scheme
    return "://" in text and len(scheme) > 1 and scheme != "file"


def filesystem(
    url: str, options: Mapping[str, Any] | None = None, *, what: str
) -> AbstractFileSystem:
    """The fsspec filesystem of `url`'s scheme, with no listing cached; a missing package
    or an unknown scheme is one BadInputError starting with `what` (the setting or argument
    that named `url`)."""
    scheme = urlsplit(url).scheme
    try:
        import fsspec
    except ImportError:
        raise BadInputError(f"{what}: {scheme}:// needs {install_hint(scheme)}") from None
    try:
        fs = fsspec.filesystem(scheme, **dict(options or {}))
    except ImportError:
        raise BadInputError(f"{what}: {scheme}:// needs {install_hint(scheme)}") from None
    except (ValueError, TypeError) as exc:
        raise BadInputError(f"{what}: no filesystem for {scheme}:// ({exc})") from None
    # fsspec hands out one instance per scheme and options, with the listings it has made:
    # other processes write to the bucket meanwhile (CloudTrail, another ctlake), and a
    # scheduled run that kept a listing would never see a new delivery.
    fs.invalidate_cache()
    return fs


def install_hint(scheme: str) -> str:
    if scheme in ("s3", "s3a"):
        return "s3fs: pip install 'ctlake[s3]'"
    return "fsspec and the package for that store (gcsfs, adlfs, ...): pip install fsspec"


def with_scheme(url: str, path: str) -> str:
    """The path fsspec listed (`bucket/key`, scheme stripped) as a URL in `url`'s scheme."""
    return f"{urlsplit(url).scheme}://{path}"
