"""Deterministic identifiers and timestamps for the synthetic trail.

Contract: every value here is a pure function of its arguments, or of a `random.Random`
the caller owns. Nothing reads the clock, the global `random` module or `uuid4`, so a
trail is byte-identical for the same seed and end. Random generators are seeded with
strings (`"7:stream:0:us-east-1"`), which `random.Random` hashes with SHA-512, so the
result does not depend on `PYTHONHASHSEED` or on the order streams are generated in.

Times are whole seconds since the Unix epoch (UTC) inside the generator; they become
CloudTrail's `YYYY-MM-DDTHH:MM:SSZ` only when a record is rendered.
"""

from __future__ import annotations

import base64
import hashlib
import random
import string
import time
from datetime import UTC, datetime
from functools import lru_cache

ALNUM = string.ascii_letters + string.digits
MINUTE, HOUR, DAY = 60, 3600, 86400
WINDOW = 300  # CloudTrail delivers a file per account and region about every five minutes


def rng_for(seed: int, *parts: object) -> random.Random:
    """A generator of its own for one purpose (a stream, the plan, the accounts)."""
    return random.Random(":".join(str(p) for p in (seed, *parts)))


def stable_int(*parts: object) -> int:
    """A 64-bit integer from `parts`, the same in every process and Python version."""
    text = ":".join(str(p) for p in parts).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big")


def stable_hex(digits: int, *parts: object) -> str:
    """`digits` hex digits, stable for `parts` (resource ids, session names)."""
    text = ":".join(str(p) for p in parts).encode()
    return hashlib.blake2b(text, digest_size=(digits + 1) // 2).hexdigest()[:digits]


_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


def new_uuid(rng: random.Random) -> str:
    """128 random bits formatted as a version-4 UUID, as CloudTrail's eventIDs look."""
    h = rng.randbytes(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:]}"


def hex_id(rng: random.Random, digits: int) -> str:
    return f"{rng.getrandbits(4 * digits):0{digits}x}"


def alnum(rng: random.Random, length: int) -> str:
    return "".join(rng.choices(ALNUM, k=length))


def temp_key(rng: random.Random) -> str:
    """A temporary (ASIA…) access key id."""
    return "ASIA" + base64.b32encode(rng.getrandbits(80).to_bytes(10, "big")).decode()


def key_id(prefix: str, *parts: object) -> str:
    """An access-key-like id (`AKIA…`, `ASIA…`, `AROA…`, `AIDA…`: a prefix and 16 base32
    characters, as AWS's are) stable for `parts`."""
    text = ":".join(str(p) for p in (prefix, *parts)).encode()
    return prefix + base64.b32encode(hashlib.blake2b(text, digest_size=10).digest()).decode()


@lru_cache(maxsize=4096)
def _minute_prefix(minute: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:", time.gmtime(minute * MINUTE))


def iso(t: int) -> str:
    """CloudTrail's eventTime format: `2024-05-01T12:34:56Z`."""
    minute, second = divmod(t, MINUTE)
    return f"{_minute_prefix(minute)}{second:02d}Z"


def iso_minute(t: int) -> str:
    """A label time, minute precision: `2024-05-01T12:34:00Z` (seconds are cut)."""
    return f"{_minute_prefix(t // MINUTE)}00Z"


def stamp(t: int, fmt: str) -> str:
    """`t` formatted with `time.strftime` in UTC (file names, folders)."""
    return time.strftime(fmt, time.gmtime(t))


def epoch(moment: datetime) -> int:
    """Whole seconds since the epoch; a naive datetime is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def console_date(t: int) -> str:
    """The `Jan 2, 2024, 1:37:12 PM` style some services use in responseElements."""
    tm = time.gmtime(t)
    hour = tm.tm_hour % 12 or 12
    ampm = "AM" if tm.tm_hour < 12 else "PM"
    month = time.strftime("%b", tm)
    return f"{month} {tm.tm_mday}, {tm.tm_year}, {hour}:{tm.tm_min:02d}:{tm.tm_sec:02d} {ampm}"
