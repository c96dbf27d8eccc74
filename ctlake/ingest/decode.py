"""Turning the bytes of one file into CloudTrail records, or into reasons they are not.

Formats understood, detected from the content rather than the file name:

- `{"Records": [...]}`: S3 delivery files and most exports, gzipped or not;
- JSON Lines, one record per line (CloudTrail Lake and CloudWatch Logs exports), where a
  line may carry a leading timestamp (`2024-01-01T00:00:00.000Z {...}`);
- EventBridge / CloudWatch Events envelopes, the record in `detail`;
- LookupEvents output, `{"Events": [{"CloudTrailEvent": "<record as a string>"}]}`;
- a JSON array of any of these, or a single record.

Nothing here raises on bad input: a file that cannot be read is a `FileProblem`, a record
that cannot be used is a `RecordProblem`, each with a reason and the raw text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import orjson
from isal import igzip, igzip_lib

RAW_LIMIT = 64 * 1024  # raw text kept in quarantine per item; more is cut and said so
# What a truncated or corrupt gzip raises (isal's stub types IsalError as an instance).
GZIP_ERRORS = (EOFError, OSError, cast(type[Exception], igzip_lib.IsalError))


@dataclass(frozen=True)
class RecordProblem:
    location: str
    reason: str
    raw: str


@dataclass
class Decoded:
    """What one file held: records, problems with single records, or a whole-file problem.

    `records[i]` was item `ordinals[i]` of the file, counted in `unit`s ('record' in a
    Records array, 'line' in JSON Lines), which makes its location for quarantine."""

    records: list[dict[str, Any]] = field(default_factory=list)
    ordinals: list[int] = field(default_factory=list)
    unit: str = "record"
    problems: list[RecordProblem] = field(default_factory=list)
    file_problem: str | None = None
    file_raw: str | None = None


def decode(data: bytes) -> Decoded:
    """Decode one file's bytes; never raises for bad content."""
    try:
        text = _gunzip(data) if data[:2] == b"\x1f\x8b" else data
    except GZIP_ERRORS as exc:
        return Decoded(file_problem=f"truncated or corrupt gzip: {exc}", file_raw=_cut(data))
    try:
        document = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        return _decode_lines(text, str(exc))
    items = _top_level_items(document)
    if items is None:
        return Decoded(file_problem=_not_cloudtrail(document), file_raw=_cut(text))
    decoded = Decoded()
    # Fast path: a plain record carries eventVersion; envelopes and LookupEvents items don't.
    plain = [type(item) is dict and "eventVersion" in item for item in items]
    if all(plain):
        decoded.records = items
        decoded.ordinals = list(range(1, len(items) + 1))
        return decoded
    for number, (item, is_plain) in enumerate(zip(items, plain, strict=True), start=1):
        if is_plain:
            decoded.records.append(item)
            decoded.ordinals.append(number)
        else:
            _add_item(decoded, number, item)
    return decoded


def _gunzip(data: bytes) -> bytes:
    # Like gzip.decompress (concatenated members too, as S3 tools sometimes write them),
    # twice as fast.
    return igzip.decompress(data)


def _top_level_items(document: Any) -> list[Any] | None:
    """The record-like items of a parsed document, or None if it is not CloudTrail."""
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        return None
    for key in ("Records", "Events", "events"):
        if isinstance(document.get(key), list):
            return list(document[key])
    if _unwrap(document) is not None:
        return [document]
    return None


def _decode_lines(text: bytes, whole_error: str) -> Decoded:
    """JSON Lines, or invalid JSON if not even the first line is a JSON object."""
    decoded = Decoded(unit="line")
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), b"")
    if not isinstance(_parse_line(first), dict):
        return Decoded(file_problem=f"invalid JSON: {whole_error}", file_raw=_cut(text))
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        item = _parse_line(line)
        if item is None:
            decoded.problems.append(
                RecordProblem(f"line {number}", "invalid JSON on this line", _cut(line))
            )
        else:
            _add_item(decoded, number, item)
    return decoded


def _parse_line(line: bytes) -> Any:
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        pass
    # CloudWatch Logs exports prefix each line with its ingestion timestamp.
    head, _, rest = line.strip().partition(b" ")
    if head[:1].isdigit() and rest.startswith(b"{"):
        try:
            return orjson.loads(rest)
        except orjson.JSONDecodeError:
            return None
    return None


def _add_item(decoded: Decoded, number: int, item: Any) -> None:
    record = _unwrap(item)
    if isinstance(record, dict):
        decoded.records.append(record)
        decoded.ordinals.append(number)
        return
    reason = (
        "record is not a JSON object"
        if not isinstance(item, dict)
        else "object holds no CloudTrail record (no eventTime, eventName or eventID; "
        "no envelope detail or CloudTrailEvent)"
    )
    if isinstance(record, str):
        reason = "CloudTrailEvent is not valid JSON"
    location = f"{decoded.unit} {number}"
    decoded.problems.append(RecordProblem(location, reason, _cut(_dump(item))))


def _unwrap(item: Any) -> Any:
    """The CloudTrail record inside `item` (itself, an envelope's detail, LookupEvents)."""
    if not isinstance(item, dict):
        return None
    if isinstance(item.get("detail"), dict) and ("detail-type" in item or "source" in item):
        return item["detail"]
    embedded = item.get("CloudTrailEvent")
    if isinstance(embedded, str):
        try:
            parsed = orjson.loads(embedded)
        except orjson.JSONDecodeError:
            return embedded
        return parsed if isinstance(parsed, dict) else embedded
    if isinstance(item.get("message"), str) and item["message"].lstrip().startswith("{"):
        try:
            return orjson.loads(item["message"])
        except orjson.JSONDecodeError:
            return None
    if any(key in item for key in ("eventTime", "eventName", "eventID", "eventSource")):
        return item
    return None


def _not_cloudtrail(document: Any) -> str:
    if isinstance(document, dict):
        keys = ", ".join(sorted(map(str, document))[:5]) or "none"
        return f"not CloudTrail: a JSON object with keys {keys}, expected Records or a record"
    return f"not CloudTrail: a JSON {type(document).__name__}, expected an object with Records"


def _dump(item: Any) -> str:
    try:
        return orjson.dumps(item).decode()
    except TypeError:
        return repr(item)


def _cut(data: bytes | str) -> str:
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    if len(text) <= RAW_LIMIT:
        return text
    return text[:RAW_LIMIT] + f"... [{len(text) - RAW_LIMIT} more characters]"
