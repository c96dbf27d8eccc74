"""Broken input, made on purpose so a loader's quarantine can be tested exactly.

Contract: `broken_body` makes the bytes of the three log files no loader can read — a gzip
cut in half (`truncated_gzip`), a gzip of JSON cut in half (`invalid_json`) and valid JSON
that is not CloudTrail, `{"foo": 1}` (`not_cloudtrail`) — named like ordinary log files.
Their content is made from records rendered for the purpose and delivered nowhere else,
so no event is lost with them. `bad_records` returns exactly three serialized items to
append to a readable file's Records: a record without eventID, a record whose eventTime
cannot be parsed, and a bare string.
"""

from __future__ import annotations

from typing import Any

import orjson

from ctlake.generate.writer import compress, records_payload

FILE_KINDS = ("truncated_gzip", "invalid_json", "not_cloudtrail")
BAD_RECORD_COUNT = 3
BAD_RECORDS_KIND = "bad_records"


def broken_body(kind: str, sample: list[bytes]) -> bytes:
    """The gzipped bytes of a broken file of `kind` (one of FILE_KINDS)."""
    payload = records_payload(sample)
    if kind == "truncated_gzip":
        whole = compress(payload)
        return whole[: len(whole) // 2]
    if kind == "invalid_json":
        return compress(payload[: len(payload) // 2])
    if kind == "not_cloudtrail":
        return compress(b'{"foo": 1}')
    raise ValueError(f"unknown broken file kind {kind!r}")


def bad_records(first: dict[str, Any], second: dict[str, Any]) -> list[bytes]:
    no_id = {k: v for k, v in first.items() if k != "eventID"}
    bad_time = {**second, "eventTime": "yesterday 25:61"}
    return [orjson.dumps(no_id), orjson.dumps(bad_time), orjson.dumps("not a record")]
