"""The four kinds of sink, each made safe to repeat (a kill can repeat one delivery).

Alarm state-change events (`Delivery.kind == "alarm"`) are already EventBridge events
("CloudWatch Alarm State Change"): the EventBridge sink writes them as they are, a folder
sink writes each to its own file `CloudWatchAlarms/<acct>/<region>/YYYY/MM/DD/<alarm>_
<YYYYMMDDTHHmmssZ>_<new state>_<event id>.json` (rewritten whole on a repeat), a webhook
POSTs the event (or a one-line summary for Slack).

- folder: CloudTrail's S3 layout, `AWSLogs/<acct>/CloudTrail-Insight/<region>/YYYY/MM/DD/
  <acct>_CloudTrail-Insight_<region>_<YYYYMMDDTHHmmZ>_<16 chars>.json.gz`, named by
  `ctlake.insights.export.file_name`; a file holds every known record of its account, region
  and 5-minute window and is rewritten whole (temporary file + rename), so a redelivery
  overwrites the same bytes instead of adding a copy.
- eventbridge: one EventBridge event per line (`"detail-type": "AWS Insight via
  CloudTrail"`), appended; ids already in the file are skipped, and a torn last line (a
  kill mid-write) is cut off before appending.
- webhook: HTTP POST of the record (or a Slack-compatible `{"text": ...}`), header
  `Idempotency-Key: <eventID>`, retried with exponential backoff within the run.
- command: the record on the standard input of a configured command; exit 0 = delivered.

A failure raises `SinkError`; `permanent` marks a refusal that retrying cannot fix (HTTP 4xx
other than 408 and 429). Only the HTTP request sees a webhook URL's secrets (`SecretUrl`):
userinfo goes as an `Authorization: Basic` header, and error messages are masked.
"""

from __future__ import annotations

import gzip
import http.client
import os
import subprocess
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from ctlake import __version__
from ctlake.config import Sink
from ctlake.delivery.mask import mask_text
from ctlake.delivery.outbox import Delivery
from ctlake.insights.export import file_name
from ctlake.insights.records import atomic_write

RETRYABLE_HTTP = {408, 429}


class SinkError(Exception):
    def __init__(self, message: str, *, permanent: bool = False, tries: int = 1) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.tries = tries


def window_of(event_time: datetime) -> datetime:
    """The 5-minute delivery window an insight record belongs to."""
    return event_time.replace(
        minute=event_time.minute - event_time.minute % 5, second=0, microsecond=0
    )


def folder_file(sink: Sink, account: str, region: str, window: datetime) -> Path:
    return Path(sink.target) / "AWSLogs" / account / file_name(account, region, window)


def write_folder_file(path: Path, texts: list[str]) -> None:
    body = b'{"Records":[' + b",".join(orjson.dumps(orjson.loads(t)) for t in texts) + b"]}"
    atomic_write(path, gzip.compress(body, mtime=0))


def eventbridge_envelope(record: dict[str, Any]) -> dict[str, Any]:
    """The record as EventBridge delivers CloudTrail Insights events."""
    return {
        "version": "0",
        "id": record.get("eventID"),
        "detail-type": "AWS Insight via CloudTrail",
        "source": "aws.cloudtrail",
        "account": record.get("recipientAccountId"),
        "time": record.get("eventTime"),
        "region": record.get("awsRegion"),
        "resources": [],
        "detail": record,
    }


def alarm_file(sink: Sink, record: dict[str, Any]) -> Path:
    """The folder sink's file for one alarm state-change event."""
    detail = record["detail"]
    when = datetime.fromisoformat(str(record["time"]).replace("Z", "+00:00"))
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in detail["alarmName"])
    stamp = when.strftime("%Y%m%dT%H%M%SZ")
    return (
        Path(sink.target)
        / "CloudWatchAlarms"
        / str(record["account"])
        / str(record["region"])
        / when.strftime("%Y/%m/%d")
        / f"{name}_{stamp}_{detail['state']['value']}_{record['id']}.json"
    )


def write_alarm_file(sink: Sink, delivery: Delivery) -> None:
    record = orjson.loads(delivery.event_json)
    atomic_write(alarm_file(sink, record), orjson.dumps(record) + b"\n")


def eventbridge_event(delivery: Delivery) -> dict[str, Any]:
    """The line the EventBridge sink writes: an alarm event as it is, an insight wrapped."""
    record = orjson.loads(delivery.event_json)
    return record if delivery.kind == "alarm" else eventbridge_envelope(record)


def eventbridge_ids(path: Path) -> set[str]:
    """Ids already in the JSON Lines file; cuts off a torn last line first."""
    if not path.exists():
        return set()
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        with path.open("r+b") as handle:
            handle.truncate(data.rfind(b"\n") + 1)
        data = data[: data.rfind(b"\n") + 1]
    return {str(orjson.loads(line).get("id")) for line in data.splitlines() if line.strip()}


def append_eventbridge(path: Path, delivery: Delivery) -> None:
    line = orjson.dumps(eventbridge_event(delivery)) + b"\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def slack_text(record: dict[str, Any]) -> str:
    """A one-paragraph summary of an Insights record (or alarm state change) for chat."""
    if record.get("detail-type") == "CloudWatch Alarm State Change":
        detail = record["detail"]
        return (
            f"CloudWatch alarm {detail['alarmName']} is {detail['state']['value']} (was "
            f"{detail['previousState']['value']}) in account {record.get('account')} "
            f"{record.get('region')} at {record.get('time')}: {detail['state']['reason']}"
        )
    details = record.get("insightDetails", {})
    stats = details.get("insightContext", {}).get("statistics", {})
    error = f" ({details['errorCode']})" if details.get("errorCode") else ""
    return (
        f"CloudTrail Insight {details.get('state')}: {details.get('insightType')} on "
        f"{details.get('eventSource')} {details.get('eventName')}{error} in account "
        f"{record.get('recipientAccountId')} {record.get('awsRegion')} at {record.get('eventTime')}"
        f" — baseline {stats.get('baseline', {}).get('average')}/min, "
        f"insight {stats.get('insight', {}).get('average')}/min"
    )


def post_webhook(sink: Sink, delivery: Delivery) -> None:
    """POST the record, retrying `sink.retries` times with doubling waits."""
    record = orjson.loads(delivery.event_json)
    body = orjson.dumps({"text": slack_text(record)} if sink.format == "slack" else record)
    tries, wait = 0, sink.backoff
    while True:
        tries += 1
        try:
            _post(sink, delivery.event_id, body)
            return
        except SinkError as exc:
            if exc.permanent or tries > sink.retries:
                raise SinkError(str(exc), permanent=exc.permanent, tries=tries) from None
        time.sleep(wait)
        wait *= 2


def _post(sink: Sink, event_id: str, body: bytes) -> None:
    assert sink.url is not None, "a webhook sink has a URL"
    url, authorization = sink.url.request()
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Idempotency-Key": event_id,
            "User-Agent": f"ctlake/{__version__}",
        },
    )
    if authorization:  # not sent on to wherever a redirect points
        request.add_unredirected_header("Authorization", authorization)
    try:
        with urllib.request.urlopen(request, timeout=sink.timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the connection
        permanent = 400 <= exc.code < 500 and exc.code not in RETRYABLE_HTTP
        said = mask_text(f"HTTP {exc.code} {exc.reason}", sink.url)
        raise SinkError(said, permanent=permanent) from None
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SinkError(mask_text(f"cannot reach the webhook: {reason}", sink.url)) from None
    except (ValueError, http.client.HTTPException) as exc:  # the URL or the answer
        said = f"{type(exc).__name__}: {exc}"
        raise SinkError(mask_text(f"cannot post to the webhook: {said}", sink.url)) from None


def run_command(sink: Sink, delivery: Delivery) -> None:
    env = {**os.environ, "CTLAKE_EVENT_ID": delivery.event_id}
    try:
        done = subprocess.run(
            list(sink.command),
            input=orjson.dumps(orjson.loads(delivery.event_json)) + b"\n",
            capture_output=True,
            timeout=sink.timeout,
            env=env,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        # a timeout quotes the whole command line, URLs and all
        raise SinkError(mask_text(f"command {sink.command[0]}: {exc}")) from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SinkError(
            mask_text(
                f"command {sink.command[0]} exited {done.returncode}"
                + (f": {said[-1][:200]}" if said else "")
            )
        )
