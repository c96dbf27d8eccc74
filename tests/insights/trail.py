"""A compact builder of CloudTrail test data: series of calls at chosen minutes.

    trail = Trail()
    trail.every(day(0), day(8), minutes=15, name="CreateSnapshot")   # a periodic job
    trail.burst(day(8) + hours(6), 15, minutes=5, name="SendCommand")  # 15 calls in 5 min
    trail.ingest(lake, tmp_path)

Times are naive UTC datetimes; `day(n)` is midnight of day n after BASE.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from ctlake.ingest import ingest
from ctlake.lake import Lake

BASE = datetime(2024, 5, 1)
ACCOUNT = "111122223333"


def day(n: float) -> datetime:
    return BASE + timedelta(days=n)


class Trail:
    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []

    def call(
        self,
        when: datetime,
        *,
        source: str = "ssm.amazonaws.com",
        name: str = "SendCommand",
        arn: str = "arn:aws:iam::111122223333:user/alice",
        agent: str = "aws-cli/2.15.0",
        error: str | None = None,
        read_only: bool = False,
        region: str = "us-east-1",
    ) -> None:
        n = len(self.records)
        record: dict[str, Any] = {
            "eventVersion": "1.08",
            "userIdentity": {"type": "IAMUser", "arn": arn, "accountId": ACCOUNT},
            "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "eventSource": source,
            "eventName": name,
            "awsRegion": region,
            "sourceIPAddress": "192.0.2.10",
            "userAgent": agent,
            "requestID": f"req-{n}",
            "eventID": f"00000000-0000-0000-0000-{n:012d}",
            "readOnly": read_only,
            "eventType": "AwsApiCall",
            "managementEvent": True,
            "recipientAccountId": ACCOUNT,
            "eventCategory": "Management",
        }
        if error:
            record["errorCode"] = error
        self.records.append(record)

    def burst(self, start: datetime, count: int, *, minutes: int = 1, **fields: Any) -> None:
        """`count` calls spread evenly over `minutes` minutes from `start`."""
        for i in range(count):
            self.call(start + timedelta(seconds=i * minutes * 60 // count), **fields)

    def every(
        self,
        start: datetime,
        end: datetime,
        *,
        minutes: float,
        count: int = 1,
        minutes_per_burst: int = 1,
        **fields: Any,
    ) -> None:
        """`count` calls (over `minutes_per_burst`) every `minutes` minutes in [start, end)."""
        when = start
        while when < end:
            self.burst(when, count, minutes=minutes_per_burst, **fields)
            when += timedelta(minutes=minutes)

    def write(self, path: Path, records: list[dict[str, Any]] | None = None) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(orjson.dumps({"Records": self.records if records is None else records}))
        return path

    def ingest(self, lake: Lake, folder: Path, name: str = "trail.json") -> None:
        ingest(lake, [str(self.write(folder / name))])

    def ingest_records(
        self, lake: Lake, folder: Path, name: str, records: list[dict[str, Any]]
    ) -> None:
        """Ingest `records` (possibly another trail's, in any order) as one file."""
        if records:
            ingest(lake, [str(self.write(folder / name, records))])
