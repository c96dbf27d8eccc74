"""What one (account, region) stream draws on: its principals, resource names, generator.

Contract: `build_stream(seed, index, account, region, home)` returns a `Ctx` with
everything a record builder reads — the principals (`principals.actors_for`, keyed by a
stable role such as `"lambda:capacity-provisioner"`), the resource names (`Pools`:
instances, buckets, keys, functions...), the stream's own `random.Random` and the time of
the event being rendered. Resource ids are drawn from the stream's generator, so they are
regional; `account_id` gives each account index a 12-digit id stable for the seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ctlake.generate.ids import hex_id, new_uuid, rng_for, stable_int
from ctlake.generate.principals import LAMBDAS, Actor, actors_for


@dataclass(frozen=True, slots=True)
class Pools:
    """Resource names one stream's records refer to."""

    instances: tuple[str, ...]
    volumes: tuple[str, ...]
    groups: tuple[str, ...]
    subnets: tuple[str, ...]
    vpc: str
    buckets: tuple[str, ...]
    functions: tuple[str, ...]
    keys: tuple[str, ...]
    databases: tuple[str, ...]
    log_groups: tuple[str, ...]
    parameters: tuple[str, ...]
    secrets: tuple[str, ...]
    roles: tuple[str, ...]
    tables: tuple[str, ...]
    asgs: tuple[str, ...]
    images: tuple[str, ...]


@dataclass(slots=True)
class Ctx:
    """The state a record builder reads: the stream's generator, names and the event time."""

    rng: random.Random
    account: str
    region: str
    home: bool  # the region where global services (IAM, sign-in) log
    pools: Pools
    actors: dict[str, Actor]
    t: int = 0

    def pick(self, items: tuple[str, ...]) -> str:
        return items[int(self.rng.random() * len(items))]

    def uuid(self) -> str:
        return new_uuid(self.rng)

    def hex(self, digits: int) -> str:
        return hex_id(self.rng, digits)


def account_id(seed: int, index: int) -> str:
    """A 12-digit account id, distinct per index for a seed."""
    return f"{1000_0000_0000 + stable_int(seed, 'account', index) % 8000_0000_0000 + index:012d}"


def build_stream(seed: int, index: int, account: str, region: str, home: bool) -> Ctx:
    rng = rng_for(seed, "stream", index, region)
    return Ctx(
        rng, account, region, home, _pools(rng, account, region), actors_for(account, region)
    )


def _pools(rng: random.Random, acct: str, region: str) -> Pools:
    def ids(prefix: str, n: int, digits: int = 17) -> tuple[str, ...]:
        return tuple(f"{prefix}-{hex_id(rng, digits)}" for _ in range(n))

    return Pools(
        instances=ids("i", 24),
        volumes=ids("vol", 24),
        groups=ids("sg", 8),
        subnets=ids("subnet", 6),
        vpc=f"vpc-{hex_id(rng, 17)}",
        buckets=tuple(
            f"acme-{p}-{acct}-{region}" for p in ("assets", "logs", "backups", "data", "web")
        ),
        functions=(*LAMBDAS, "image-resizer", "billing-export"),
        keys=tuple(new_uuid(rng) for _ in range(4)),
        databases=("orders-db", "analytics-db", "auth-db"),
        log_groups=(*(f"/aws/lambda/{f}" for f in LAMBDAS), "/ecs/api", "/app/server"),
        parameters=("/app/db/url", "/app/feature-flags", "/app/api/token", "/ops/ami-latest"),
        secrets=("prod/orders/db", "prod/api/stripe", "prod/auth/jwt"),
        roles=("app-server-role", "api-task-role", "readonly-audit", "admin-breakglass"),
        tables=("orders", "sessions", "inventory"),
        asgs=("web-asg", "worker-asg"),
        images=ids("ami", 3),
    )
