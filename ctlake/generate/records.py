"""Rendering one planned call into a CloudTrail record (a dict in CloudTrail's key order).

Contract: a `Call` is `(t, actor, api, error, ip, agent)` — whole epoch seconds, who, which
API, the `ApiError` it fails with (None: success), and optional overrides of the caller's
source IP and user agent (None: the actor's own). `Renderer.render` returns a fresh
record dict for `orjson.dumps`: its userIdentity and tlsDetails are `orjson.Fragment`s,
JSON serialized once per session and shared between records, which keeps generation
fast (use `orjson.loads(orjson.dumps(record))` for plain values).

Every record has eventVersion, userIdentity, eventTime, eventSource, eventName,
awsRegion, sourceIPAddress, userAgent, requestParameters, responseElements, eventID,
readOnly, eventType, managementEvent, recipientAccountId and eventCategory; requestID on
all but sign-in and service events; errorCode/errorMessage on failures (a failure
drops responseElements, except ConsoleLogin, which logs "Failure" and no errorCode).
Identities with temporary credentials get a new session (creationDate, ASIA key) each
hour, at an offset stable for the principal.
"""

from __future__ import annotations

from typing import Any

from orjson import Fragment, dumps

from ctlake.generate.actor import BROWSER, Actor
from ctlake.generate.apis import Api, ApiError
from ctlake.generate.catalog import Ctx
from ctlake.generate.ids import HOUR, iso, key_id, stable_int

Call = tuple[int, Actor, Api, ApiError | None, str | None, str | None]
Record = dict[str, Any]
SIGN_IN = "AwsConsoleSignIn"
CIPHERS = {"TLSv1.3": "TLS_AES_128_GCM_SHA256", "TLSv1.2": "ECDHE-RSA-AES128-GCM-SHA256"}
GLOBAL_HOSTS = {
    "iam.amazonaws.com": "iam.amazonaws.com",
    "signin.amazonaws.com": "signin.aws.amazon.com",
    "sso.amazonaws.com": "portal.sso.{r}.amazonaws.com",
}


class Renderer:
    """Renders the calls of one stream; caches identities per session and TLS details."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self._sessions: dict[tuple[str, int], Fragment] = {}
        self._static: dict[str, Fragment] = {}
        self._tls: dict[tuple[str, str], Fragment] = {}
        self._offsets: dict[str, int] = {}

    def render(self, call: Call) -> Record:
        t, actor, api, error, ip, agent = call
        ctx = self.ctx
        ctx.t = t
        params, response, resources, extra = api.build(ctx, actor)
        sign_in = api.event_type == SIGN_IN
        ips = actor.ips
        rec: Record = {
            "eventVersion": api.version,
            "userIdentity": self._sign_in_identity(actor) if sign_in else self.identity(actor, t),
            "eventTime": iso(t),
            "eventSource": api.source,
            "eventName": api.name,
            "awsRegion": ctx.region,
            "sourceIPAddress": ip or (ips[0] if len(ips) == 1 else ctx.pick(ips)),
            "userAgent": agent or (BROWSER if sign_in else actor.agents[0]),
        }
        if error is not None:
            if error.code is not None:
                rec["errorCode"] = error.code
                response = None
            if error.message:
                rec["errorMessage"] = error.message.format(arn=actor.arn, p=params or {})
        rec["requestParameters"] = params
        rec["responseElements"] = response
        if extra:
            rec.update(extra)
        if api.request_id:
            rec["requestID"] = ctx.uuid()
        rec["eventID"] = ctx.uuid()
        rec["readOnly"] = api.read_only
        if resources:
            rec["resources"] = resources
        rec["eventType"] = api.event_type
        rec["managementEvent"] = True
        rec["recipientAccountId"] = ctx.account
        if actor.vpce:
            rec["vpcEndpointId"] = actor.vpce
            rec["vpcEndpointAccountId"] = ctx.account
        rec["eventCategory"] = "Management"
        if actor.tls:
            rec["tlsDetails"] = self._tls_details(api.source, actor.tls)
        if actor.console and not sign_in:
            rec["sessionCredentialFromConsole"] = "true"
        return rec

    def identity(self, actor: Actor, t: int) -> Fragment:
        if actor.kind in ("AWSService", "WebIdentityUser", "IdentityCenterUser") or (
            actor.kind == "IAMUser" and actor.access_key
        ):
            static = self._static.get(actor.key)
            if static is None:
                static = self._static[actor.key] = Fragment(dumps(_static_identity(actor)))
            return static
        offset = self._offsets.get(actor.key)
        if offset is None:
            offset = self._offsets[actor.key] = stable_int(actor.key) % HOUR
        start = (t - offset) // HOUR * HOUR + offset
        key = (actor.key, start)
        found = self._sessions.get(key)
        if found is None:
            if len(self._sessions) > 4096:
                self._sessions.clear()
            found = self._sessions[key] = Fragment(dumps(_session_identity(actor, start)))
        return found

    def _sign_in_identity(self, actor: Actor) -> Fragment:
        cache_key = "signin:" + actor.key
        found = self._static.get(cache_key)
        if found is None:
            identity: Record = {
                "type": actor.kind,
                "principalId": actor.principal_id,
                "arn": actor.arn,
                "accountId": actor.account,
                "accessKeyId": "",
            }
            if actor.user_name:
                identity["userName"] = actor.user_name
            found = self._static[cache_key] = Fragment(dumps(identity))
        return found

    def _tls_details(self, source: str, version: str) -> Fragment:
        key = (source, version)
        found = self._tls.get(key)
        if found is None:
            region = self.ctx.region
            host = GLOBAL_HOSTS.get(source, "").format(r=region) or source.replace(
                ".amazonaws.com", f".{region}.amazonaws.com"
            )
            details = {
                "tlsVersion": version,
                "cipherSuite": CIPHERS[version],
                "clientProvidedHostHeader": host,
            }
            found = self._tls[key] = Fragment(dumps(details))
        return found


def _static_identity(actor: Actor) -> Record:
    if actor.kind == "AWSService":
        return {"type": "AWSService", "invokedBy": actor.invoked_by}
    if actor.kind == "WebIdentityUser":
        return {
            "type": actor.kind,
            "principalId": actor.principal_id,
            "userName": actor.user_name,
            **actor.extra,
        }
    if actor.kind == "IdentityCenterUser":
        return {"type": actor.kind, "accountId": actor.account, **actor.extra}
    return {
        "type": actor.kind,
        "principalId": actor.principal_id,
        "arn": actor.arn,
        "accountId": actor.account,
        "accessKeyId": actor.access_key,
        "userName": actor.user_name,
    }


def _session_identity(actor: Actor, start: int) -> Record:
    context: Record = {
        "sessionIssuer": actor.issuer or {},
        "webIdFederationData": {},
        "attributes": {"creationDate": iso(start), "mfaAuthenticated": str(actor.mfa).lower()},
    }
    if "ec2RoleDelivery" in actor.extra:
        context["ec2RoleDelivery"] = actor.extra["ec2RoleDelivery"]
    identity: Record = {
        "type": actor.kind,
        "principalId": actor.principal_id,
        "arn": actor.arn,
        "accountId": actor.account,
        "accessKeyId": key_id("ASIA", actor.account, actor.key, start),
    }
    if actor.user_name:
        identity["userName"] = actor.user_name
    identity["sessionContext"] = context
    if actor.invoked_by:
        identity["invokedBy"] = actor.invoked_by
    return identity
