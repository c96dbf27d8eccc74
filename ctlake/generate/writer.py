"""Writing a stream's files in the S3 delivery layout: log files, digest files, broken files.

Contract: all object keys come from `object_key` — the one place that knows the layout,
so an organization trail (`AWSLogs/o-<org>/<acct>/...`) is one argument away:

    AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/
        <acct>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 alnum>.json.gz
    AWSLogs/<acct>/CloudTrail-Digest/<region>/YYYY/MM/DD/
        <acct>_CloudTrail-Digest_<region>_<trail>_<region>_<YYYYMMDDTHHmmssZ>.json.gz

A log file is named after the start of its five-minute delivery window and holds
`{"Records":[...]}`. Gzip members carry mtime 0 and no file name, so the bytes depend only
on the content. `Writer` returns keys relative to the output folder (POSIX separators).
Digest files follow AWS's digest format (hash chain fields, SHA-256 of each log file);
the signature is a placeholder, as no key signs a synthetic trail.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from ctlake.generate.ids import HOUR, alnum, hex_id, iso, stamp

TRAIL = "management-events"
BUCKET = "acme-org-cloudtrail"
LEVEL = 3  # gzip level: ~4x faster than the default 9, files ~20% larger
LOG, DIGEST = "CloudTrail", "CloudTrail-Digest"


def object_key(
    kind: str, account: str, region: str, t: int, tail: str = "", org_id: str | None = None
) -> str:
    """The S3 key of a log (`kind="CloudTrail"`, `tail` = the 16-character suffix) or digest
    file (`kind="CloudTrail-Digest"`) for epoch second `t`."""
    owner = f"{org_id}/{account}" if org_id else account
    folder = f"AWSLogs/{owner}/{kind}/{region}/{stamp(t, '%Y/%m/%d')}"
    if kind == LOG:
        return f"{folder}/{account}_CloudTrail_{region}_{stamp(t, '%Y%m%dT%H%MZ')}_{tail}.json.gz"
    if kind == DIGEST:
        when = stamp(t, "%Y%m%dT%H%M%SZ")
        return f"{folder}/{account}_CloudTrail-Digest_{region}_{TRAIL}_{region}_{when}.json.gz"
    raise ValueError(f"unknown object kind {kind!r}")


def records_payload(records: list[bytes]) -> bytes:
    return b'{"Records":[' + b",".join(records) + b"]}"


def compress(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=LEVEL, mtime=0)


@dataclass
class Logged:
    key: str
    sha256: str
    oldest: int
    newest: int


@dataclass
class Writer:
    """Writes one (account, region) stream's files under `out`."""

    out: Path
    account: str
    region: str
    rng: random.Random
    digest_until: int  # log files delivered before this epoch second go into digests
    keys: list[str] = field(default_factory=list)
    digest_keys: list[str] = field(default_factory=list)
    logged: list[Logged] = field(default_factory=list)
    _dirs: set[str] = field(default_factory=set)

    def log_file(self, w: int, data: bytes, oldest: int = 0, newest: int = 0) -> str:
        """Write `data` (gzipped here unless it already is) as a log file of window `w`."""
        key = object_key(LOG, self.account, self.region, w, alnum(self.rng, 16))
        body = data if data[:2] == b"\x1f\x8b" else compress(data)
        self._write(key, body)
        self.keys.append(key)
        if w < self.digest_until and oldest:
            self.logged.append(Logged(key, hashlib.sha256(body).hexdigest(), oldest, newest))
        return key

    def digests(self, t0: int) -> None:
        """One digest per hour from `t0` to `digest_until`, chained like AWS's."""
        previous: tuple[str, str] | None = None
        for start in range(t0, self.digest_until, HOUR):
            end = start + HOUR
            files = [f for f in self.logged if start <= f.oldest < end]
            key = object_key(DIGEST, self.account, self.region, end + 91)
            body = compress(orjson.dumps(self._digest(key, start, end, files, previous)))
            self._write(key, body)
            self.digest_keys.append(key)
            previous = (key, hashlib.sha256(body).hexdigest())

    def _digest(
        self, key: str, start: int, end: int, files: list[Logged], previous: tuple[str, str] | None
    ) -> dict[str, object]:
        return {
            "awsAccountId": self.account,
            "digestStartTime": iso(start),
            "digestEndTime": iso(end),
            "digestS3Bucket": BUCKET,
            "digestS3Object": key,
            "digestPublicKeyFingerprint": hex_id(self.rng, 32),
            "digestSignatureAlgorithm": "SHA256withRSA",
            "newestEventTime": iso(max((f.newest for f in files), default=end)),
            "oldestEventTime": iso(min((f.oldest for f in files), default=start)),
            "previousDigestS3Bucket": BUCKET if previous else None,
            "previousDigestS3Object": previous[0] if previous else None,
            "previousDigestHashValue": previous[1] if previous else None,
            "previousDigestHashAlgorithm": "SHA-256" if previous else None,
            "previousDigestSignature": hex_id(self.rng, 64) if previous else None,
            "logFiles": [
                {
                    "s3Bucket": BUCKET,
                    "s3Object": f.key,
                    "hashValue": f.sha256,
                    "hashAlgorithm": "SHA-256",
                    "newestEventTime": iso(f.newest),
                    "oldestEventTime": iso(f.oldest),
                }
                for f in files
            ],
        }

    def _write(self, key: str, body: bytes) -> None:
        folder, _, _ = key.rpartition("/")
        if folder not in self._dirs:
            os.makedirs(os.path.join(self.out, folder), exist_ok=True)
            self._dirs.add(folder)
        with open(os.path.join(self.out, key), "wb") as f:
            f.write(body)
