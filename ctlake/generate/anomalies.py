"""Injected, labelled anomalies — the use cases of the seed documents — and the normal
patterns a detector must leave alone.

Contract: `plan(rng, streams, t0, t_end, days)` places one of each `KINDS` anomaly, the
backup `Gap` and the rare-API pattern, deterministically for the generator it is given:

- after the first `min(7, days - 1)` days, so a seven-day baseline exists when days > 7;
- each in its own UTC hour (never 01:00-03:59, the nightly job's hours), all before the
  gap, which covers the last 6-10 hours of the trail;
- spread over the streams (account x region), the least used stream first; IAM and
  sign-in anomalies only in an account's home region, where those global services log.

`calls(anomaly, ctx, traffic)` makes an anomaly's calls, inside its [start, end) window.
Rates are planned per minute, e.g. the runaway Lambda's RunInstances at 1.5-2.5 a minute
against a usual 0.05, or for the busy-write spike 10x the API's expected background rate.
The labels' baselinePerMinute and peakPerMinute are measured from the records written,
not planned (see `labels.py`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ctlake.generate.apis import API, ASSUME_DENIED, LOGIN_FAILED, S3_DENIED, ApiError
from ctlake.generate.catalog import Ctx
from ctlake.generate.ids import DAY, HOUR, MINUTE
from ctlake.generate.records import Call
from ctlake.generate.traffic import NIGHTLY_AT, Traffic

CALL_RATE, ERROR_RATE, GAP = "ApiCallRateInsight", "ApiErrorRateInsight", "Gap"
KALI_CLI = "aws-cli/2.15.0 Python/3.11.6 Linux/6.5.0-kali3-amd64 exe/x86_64.kali.2023 prompt/off"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0"


@dataclass(frozen=True)
class Stream:
    """One account and region: the unit the trail is generated, delivered and planned in."""

    index: int
    account_index: int
    account: str
    region: str
    home: bool


@dataclass(frozen=True)
class Kind:
    """What an anomaly (or normal pattern) is: its API, principal, rate and duration."""

    id: str
    description: str
    insight_type: str
    api_key: str
    error: ApiError | None
    actor_key: str
    rate: tuple[float, float]  # calls a minute, drawn in this range
    minutes: tuple[int, int]
    relative: bool = False  # rate is a multiple of the API's expected background rate
    on_grid: bool = False  # starts on the five-minute grid, as the seed's 5:50-5:55 example
    home_only: bool = False
    ip: str | None = None
    agent: str | None = None
    exact: int | None = None  # exactly this many calls in the window


@dataclass(frozen=True)
class Anomaly:
    """A kind placed in a stream, over [start, end) in epoch seconds."""

    kind: Kind
    stream: Stream
    start: int
    end: int


KINDS = (
    Kind(
        id="runaway-lambda-runinstances",
        description=(
            "A runaway Lambda function (capacity-provisioner) calls EC2 RunInstances at over ten "
            "times its usual rate"
        ),
        insight_type=CALL_RATE,
        api_key="ec2:RunInstances",
        error=None,
        actor_key="lambda:capacity-provisioner",
        rate=(1.5, 2.5),
        minutes=(20, 40),
    ),
    Kind(
        id="assumerole-accessdenied-burst",
        description=(
            "One principal (svc-legacy-report) tries role after role: a burst of sts AssumeRole "
            "failing with AccessDenied"
        ),
        insight_type=ERROR_RATE,
        api_key="sts:AssumeRole@denied",
        error=ASSUME_DENIED,
        actor_key="svc-legacy-report",
        rate=(4, 8),
        minutes=(10, 20),
    ),
    Kind(
        id="deletebucket-accessdenied-burst",
        description=(
            "The CI role tries to delete protected buckets: a burst of s3 DeleteBucket failing "
            "with AccessDenied"
        ),
        insight_type=ERROR_RATE,
        api_key="s3:DeleteBucket",
        error=S3_DENIED,
        actor_key="github",
        rate=(3, 5),
        minutes=(8, 15),
    ),
    Kind(
        id="iam-createuser-surge",
        description="A leaked access key (deploy-bot) creates IAM users from an unknown IP",
        insight_type=CALL_RATE,
        api_key="iam:CreateUser",
        error=None,
        actor_key="deploy-bot",
        rate=(2, 4),
        minutes=(10, 15),
        home_only=True,
        ip="192.0.2.66",
        agent=KALI_CLI,
    ),
    Kind(
        id="consolelogin-failure-burst",
        description=(
            "Brute force: failed console sign-ins for ops-admin from one IP (ConsoleLogin "
            "Failure, no errorCode)"
        ),
        insight_type=CALL_RATE,
        api_key="signin:ConsoleLogin@failure",
        error=LOGIN_FAILED,
        actor_key="ops-admin",
        rate=(4, 8),
        minutes=(10, 15),
        home_only=True,
        ip="192.0.2.201",
        agent=FIREFOX,
    ),
    Kind(
        id="ssm-sendcommand-burst",
        description=(
            "15 ssm SendCommand calls in five minutes against a baseline of about 0.044 a minute"
        ),
        insight_type=CALL_RATE,
        api_key="ssm:SendCommand",
        error=None,
        actor_key="ops-automation",
        rate=(3, 3),
        minutes=(5, 5),
        exact=15,
        on_grid=True,
    ),
    Kind(
        id="never-seen-api-burst",
        description=(
            "A burst of kms ScheduleKeyDeletion, an API never called before in this account and "
            "region"
        ),
        insight_type=CALL_RATE,
        api_key="kms:ScheduleKeyDeletion",
        error=None,
        actor_key="cli",
        rate=(2, 4),
        minutes=(10, 15),
    ),
    Kind(
        id="busy-write-spike",
        description=(
            "A 10x spike of logs CreateLogStream, the busiest write API, from the log-shipper "
            "Lambda stuck in a retry loop"
        ),
        insight_type=CALL_RATE,
        api_key="logs:CreateLogStream",
        error=None,
        actor_key="lambda:log-shipper",
        rate=(10, 10),
        minutes=(15, 30),
        relative=True,
    ),
)
GAP_KIND = Kind(
    id="backup-gap",
    description=(
        "AWS Backup's CreateSnapshot, every 15 minutes all along, stops for the last hours of the"
        " trail"
    ),
    insight_type=GAP,
    api_key="ec2:CreateSnapshot",
    error=None,
    actor_key="backup",
    rate=(0, 0),
    minutes=(0, 0),
)
RARE_KIND = Kind(
    id="rare-api-few-calls",
    description=(
        "Three calls of ec2 ModifyInstanceMetadataOptions, never seen before, within two minutes:"
        " too few to be an insight"
    ),
    insight_type=CALL_RATE,
    api_key="ec2:ModifyInstanceMetadataOptions",
    error=None,
    actor_key="sso:0",
    rate=(1.5, 1.5),
    minutes=(2, 2),
    exact=3,
)
NIGHTLY_HOURS = range(NIGHTLY_AT // HOUR - 1, NIGHTLY_AT // HOUR + 2)


def plan(
    rng: random.Random, streams: list[Stream], t0: int, t_end: int, days: int
) -> tuple[list[Anomaly], Anomaly, Anomaly]:
    """(anomalies, the gap, the rare-API normal pattern), placed as the module says."""
    gap_from = t_end - rng.randint(6, 10) * HOUR
    first = t0 + min(7, days - 1) * DAY
    hours = [
        h for h in range(first, gap_from - HOUR + 1, HOUR) if h // HOUR % 24 not in NIGHTLY_HOURS
    ]
    needed = len(KINDS) + 1
    if len(hours) < needed:
        raise ValueError(f"{days} days leave {len(hours)} free hours for {needed} anomalies")
    chosen = rng.sample(hours, needed)
    usage = dict.fromkeys(range(len(streams)), 0)
    gap = Anomaly(GAP_KIND, _assign(rng, streams, usage, GAP_KIND), gap_from, t_end)
    placed = [
        _place(rng, kind, _assign(rng, streams, usage, kind), hour)
        for kind, hour in zip((*KINDS, RARE_KIND), chosen, strict=True)
    ]
    return placed[:-1], gap, placed[-1]


def _assign(rng: random.Random, streams: list[Stream], usage: dict[int, int], kind: Kind) -> Stream:
    eligible = [s for s in streams if s.home or not kind.home_only]
    low = min(usage[s.index] for s in eligible)
    stream = rng.choice([s for s in eligible if usage[s.index] == low])
    usage[stream.index] += 1
    return stream


def _place(rng: random.Random, kind: Kind, stream: Stream, hour: int) -> Anomaly:
    minutes = rng.randint(*kind.minutes)
    if kind.on_grid:
        start = hour + 5 * rng.randint(1, 10) * MINUTE
    else:
        start = hour + rng.randint(5, 58 - minutes) * MINUTE
    return Anomaly(kind, stream, start, start + minutes * MINUTE)


def calls(anomaly: Anomaly, ctx: Ctx, traffic: Traffic) -> list[Call]:
    """The anomaly's calls, each inside [start, end)."""
    kind, rng = anomaly.kind, ctx.rng
    actor, api = ctx.actors[kind.actor_key], API[kind.api_key]
    span = anomaly.end - anomaly.start
    if kind.exact is not None:
        times = sorted(anomaly.start + rng.randrange(span) for _ in range(kind.exact))
    else:
        rate = rng.uniform(*kind.rate)
        if kind.relative:
            rate = max(3.0, rate * traffic.expected_rate(kind.api_key))
        times = []
        for minute in range(anomaly.start, anomaly.end, MINUTE):
            count = int(rate) + (rng.random() < rate - int(rate))
            times += sorted(minute + rng.randrange(MINUTE) for _ in range(count))
    return [(t, actor, api, kind.error, kind.ip, kind.agent) for t in times]
