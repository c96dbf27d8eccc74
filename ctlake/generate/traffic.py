"""Normal activity: background load with a daily and weekly rhythm, and periodic jobs.

Contract: `Traffic(ctx, scale, gap_from).calls(w)` returns the normal calls of the
five-minute window starting at epoch second `w`, unsorted. Three kinds of activity:

- *Background*, scaled by `scale`: people (console sessions, a CLI user, CI, a federated
  user) busy in local business hours on weekdays — the region's offset from UTC decides
  what "local" means — and machines (Lambda functions, an EC2 instance, an ECS task, AWS
  Config, Grafana) busy all day with a mild swing. Counts per window are Poisson draws.
- *Trickles*, fixed rates that do not scale: the usual rate of the principals the
  anomalies later misuse (the capacity-provisioner Lambda's RunInstances, the runbook's
  SendCommand at 0.044 a minute, the legacy reporting user's AssumeRole, ...).
- *Periodic jobs*, fixed: AWS Backup's CreateSnapshot every 15 minutes (until `gap_from`,
  if given), the SSM agent's UpdateInstanceInformation every 5 minutes, AWS Config's
  hourly trail checks, a daily KMS rotation event, and the nightly tagger's burst of
  CreateTags at 02:00 UTC every day (a normal pattern, not an anomaly).

At scale 1 a stream sees about 7,000 events a day.
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from itertools import accumulate

from ctlake.generate.apis import API, Api, ApiError
from ctlake.generate.catalog import Ctx
from ctlake.generate.ids import DAY, HOUR, WINDOW, stable_int
from ctlake.generate.records import Call
from ctlake.generate.workload import (
    HUMAN,
    HUMAN_DAYS,
    HUMAN_HOURS,
    HUMAN_PEAK,
    MACHINE,
    MACHINE_DAYS,
    MACHINE_HOURS,
    MACHINE_RATE,
    TRICKLES,
    UTC_OFFSET,
    Behaviour,
)

NIGHTLY_AT, NIGHTLY_CALLS = 2 * HOUR, 120


def poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw: Knuth's product method for small means, a normal approximation above."""
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, n, product = math.exp(-lam), 0, rng.random()
    while product > limit:
        n += 1
        product *= rng.random()
    return n


class Mix:
    """Weighted behaviours resolved to actors and APIs for one stream (home-only APIs only
    in the home region); `draw` picks one call's actor, API and error."""

    def __init__(self, ctx: Ctx, behaviours: tuple[Behaviour, ...]) -> None:
        kept = [b for b in behaviours if ctx.home or not API[b[2]].home_only]
        self.ctx = ctx
        self.items = [(tuple(ctx.actors[a] for a in actors), API[key]) for _, actors, key in kept]
        self.weights = [w for w, _, _ in kept]
        self.cum = list(accumulate(self.weights))
        self.total = self.cum[-1]

    def share(self, api_key: str) -> float:
        hits = sum(
            w for w, (_, api) in zip(self.weights, self.items, strict=True) if api.key == api_key
        )
        return hits / self.cum[-1]

    def draw(self, t: int) -> Call:
        rng = self.ctx.rng
        actors, api = self.items[bisect(self.cum, rng.random() * self.total)]
        actor = actors[0] if len(actors) == 1 else actors[int(rng.random() * len(actors))]
        return (t, actor, api, failure(rng, api), None, None)


def failure(rng: random.Random, api: Api) -> ApiError | None:
    if api.error_rate and rng.random() < api.error_rate:
        errors = api.errors
        return errors[0] if len(errors) == 1 else errors[int(rng.random() * len(errors))]
    return None


def rhythm(region: str, t: int) -> tuple[float, float]:
    """(people, machines) activity factors at epoch second `t` in `region`."""
    local = t + UTC_OFFSET.get(region, 0) * HOUR
    hour, weekday = local // HOUR % 24, (local // DAY + 3) % 7  # 1970-01-01 was a Thursday
    return (HUMAN_HOURS[hour] * HUMAN_DAYS[weekday], MACHINE_HOURS[hour] * MACHINE_DAYS[weekday])


def mean_rhythm(region: str) -> tuple[float, float]:
    factors = [rhythm(region, h * HOUR) for h in range(7 * 24)]
    return (sum(f[0] for f in factors) / len(factors), sum(f[1] for f in factors) / len(factors))


class Traffic:
    """The normal calls of one stream, window by window."""

    def __init__(self, ctx: Ctx, scale: float, gap_from: int | None = None) -> None:
        self.ctx, self.scale, self.gap_from = ctx, scale, gap_from
        self.human, self.machine = Mix(ctx, HUMAN), Mix(ctx, MACHINE)
        self.trickles = [
            (rate * WINDOW / 60, Mix(ctx, ((1.0, actors, key),)))
            for rate, actors, key in TRICKLES
            if ctx.home or not API[key].home_only
        ]
        self.phase = stable_int(ctx.account, ctx.region, "phase") % 40 + 3

    def expected_rate(self, api_key: str) -> float:
        """Average background calls a minute of `api_key` over a week (trickles excluded)."""
        people, machines = mean_rhythm(self.ctx.region)
        return self.scale * (
            HUMAN_PEAK * people * self.human.share(api_key)
            + MACHINE_RATE * machines * self.machine.share(api_key)
        )

    def calls(self, w: int) -> list[Call]:
        rng, minutes = self.ctx.rng, WINDOW / 60
        people, machines = rhythm(self.ctx.region, w)
        out = [
            self.human.draw(w + int(rng.random() * WINDOW))
            for _ in range(poisson(rng, HUMAN_PEAK * people * minutes * self.scale))
        ]
        out += [
            self.machine.draw(w + int(rng.random() * WINDOW))
            for _ in range(poisson(rng, MACHINE_RATE * machines * minutes * self.scale))
        ]
        for lam, mix in self.trickles:
            out += [mix.draw(w + int(rng.random() * WINDOW)) for _ in range(poisson(rng, lam))]
        out += self.periodic(w)
        return out

    def periodic(self, w: int) -> list[Call]:
        a, rng = self.ctx.actors, self.ctx.rng
        out: list[Call] = []
        agent = a["ec2:app-server"]
        out.append(
            (w + self.phase + 90, agent, API["ssm:UpdateInstanceInformation"], None, None, None)
        )
        if w % 900 == 0 and (self.gap_from is None or w < self.gap_from):
            at = w + self.phase + int(rng.random() * 5)
            out.append((at, a["backup"], API["ec2:DescribeVolumes"], None, None, None))
            out.append((at + 2, a["backup"], API["ec2:CreateSnapshot"], None, None, None))
        if w % HOUR == 5 * 60:  # AWS Config's hourly check at HH:07
            at = w + 2 * 60 + self.phase
            out.append((at, a["config"], API["cloudtrail:DescribeTrails"], None, None, None))
            out.append((at + 1, a["config"], API["cloudtrail:GetTrailStatus"], None, None, None))
        if w % DAY == 4 * HOUR + 30 * 60:
            out.append((w + self.phase, a["svc:kms"], API["kms:RotateKey"], None, None, None))
        if w % DAY == NIGHTLY_AT:
            out += self.nightly(w)
        return out

    def nightly(self, w: int) -> list[Call]:
        tagger, rng = self.ctx.actors["lambda:nightly-tagger"], self.ctx.rng
        calls: list[Call] = [
            (w + 1 + i, tagger, API["ec2:DescribeInstances"], None, None, None) for i in range(4)
        ]
        step = (WINDOW - 10) / NIGHTLY_CALLS
        calls += [
            (
                w + 5 + int(i * step + rng.random() * step),
                tagger,
                API["ec2:CreateTags"],
                None,
                None,
                None,
            )
            for i in range(NIGHTLY_CALLS)
        ]
        return calls
