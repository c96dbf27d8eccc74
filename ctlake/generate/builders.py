"""requestParameters, responseElements and resources for each API the generator calls.

Contract: a builder is `(ctx, actor) -> Parts`, a tuple `(requestParameters,
responseElements, resources, extra)` where `extra` holds further top-level fields
(`additionalEventData`, `serviceEventDetails`, `sharedEventID`) or is None. Builders draw
only from `ctx.rng` and `ctx.pools`, build small fresh dicts (never copies of big shared
ones) and return the same shapes AWS logs: `CreateUser` answers `responseElements.user`,
`AssumeRole` `credentials` and `assumedRoleUser`, `RunInstances` an `instancesSet`.
Records that fail drop `responseElements` later, in `records.render`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ctlake.generate.actor import Actor
from ctlake.generate.catalog import Ctx
from ctlake.generate.ids import console_date, key_id, temp_key

Json = dict[str, Any]
Parts = tuple[Json | None, Json | None, list[Json] | None, Json | None]
Builder = Callable[[Ctx, Actor], Parts]
NONE: Parts = (None, None, None, None)
S3_EXTRA = {
    "SignatureVersion": "SigV4",
    "CipherSuite": "TLS_AES_128_GCM_SHA256",
    "bytesTransferredIn": 0,
    "AuthenticationMethod": "AuthHeader",
}


def res(acct: str, kind: str, arn: str) -> list[Json]:
    return [{"accountId": acct, "type": kind, "ARN": arn}]


def items(key: str, values: list[str]) -> Json:
    return {"items": [{key: v} for v in values]}


def none(ctx: Ctx, actor: Actor) -> Parts:
    return NONE


def params_only(build: Callable[[Ctx], Json]) -> Builder:
    return lambda ctx, actor: (build(ctx), None, None, None)


# --- S3 --------------------------------------------------------------------------------


def bucket_call(with_policy: bool = False) -> Builder:
    def build(ctx: Ctx, actor: Actor) -> Parts:
        bucket = ctx.pick(ctx.pools.buckets)
        params: Json = {"bucketName": bucket, "Host": f"{bucket}.s3.{ctx.region}.amazonaws.com"}
        if with_policy:
            params["policy"] = ""
        extra = {"additionalEventData": {**S3_EXTRA, "x-amz-id-2": ctx.hex(40)}}
        arn = f"arn:aws:s3:::{bucket}"
        return (params, None, res(ctx.account, "AWS::S3::Bucket", arn), extra)

    return build


def list_buckets(ctx: Ctx, actor: Actor) -> Parts:
    return (
        {"Host": f"s3.{ctx.region}.amazonaws.com"},
        None,
        None,
        {"additionalEventData": {**S3_EXTRA, "x-amz-id-2": ctx.hex(40)}},
    )


# --- IAM and STS -----------------------------------------------------------------------


def create_user(ctx: Ctx, actor: Actor) -> Parts:
    name = f"{ctx.pick(('svc', 'tmp', 'ext', 'dev'))}-{ctx.hex(6)}"
    user = {
        "path": "/",
        "userName": name,
        "userId": key_id("AIDA", ctx.account, name),
        "arn": f"arn:aws:iam::{ctx.account}:user/{name}",
        "createDate": console_date(ctx.t),
    }
    return ({"userName": name}, {"user": user}, None, None)


def role_call(ctx: Ctx, actor: Actor) -> Parts:
    return ({"roleName": ctx.pick(ctx.pools.roles)}, None, None, None)


def attach_role_policy(ctx: Ctx, actor: Actor) -> Parts:
    policy = ctx.pick(("ReadOnlyAccess", "AmazonS3ReadOnlyAccess", "CloudWatchLogsFullAccess"))
    return (
        {"roleName": ctx.pick(ctx.pools.roles), "policyArn": f"arn:aws:iam::aws:policy/{policy}"},
        None,
        None,
        None,
    )


def create_role(ctx: Ctx, actor: Actor) -> Parts:
    name = f"app-{ctx.hex(6)}-role"
    trust = (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":'
        '{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
    )
    role = {
        "path": "/",
        "roleName": name,
        "roleId": key_id("AROA", ctx.account, name),
        "arn": f"arn:aws:iam::{ctx.account}:role/{name}",
        "createDate": console_date(ctx.t),
        "assumeRolePolicyDocument": trust,
    }
    return ({"roleName": name, "assumeRolePolicyDocument": trust}, {"role": role}, None, None)


def assume_role(ctx: Ctx, actor: Actor) -> Parts:
    role = ctx.pick(ctx.pools.roles)
    return _assume(ctx, role, f"{actor.user_name or 'session'}-{ctx.hex(8)}", 3600, True)


def assume_service_role(ctx: Ctx, actor: Actor) -> Parts:
    role = ctx.pick(ctx.pools.roles[:2])
    return _assume(ctx, role, f"awslambda_{ctx.rng.randrange(1000)}_{ctx.hex(12)}", 43200, True)


def _assume(ctx: Ctx, role: str, session: str, duration: int, shared: bool) -> Parts:
    arn = f"arn:aws:iam::{ctx.account}:role/{role}"
    role_id = key_id("AROA", ctx.account, role)
    params = {"roleArn": arn, "roleSessionName": session, "durationSeconds": duration}
    response = {
        "credentials": {
            "accessKeyId": temp_key(ctx.rng),
            "sessionToken": "IQoJb3JpZ2luX2VjEXAMPLE" + ctx.hex(24),
            "expiration": console_date(ctx.t + duration),
        },
        "assumedRoleUser": {
            "assumedRoleId": f"{role_id}:{session}",
            "arn": f"arn:aws:sts::{ctx.account}:assumed-role/{role}/{session}",
        },
    }
    extra = {"sharedEventID": ctx.uuid()} if shared else None
    return (params, response, res(ctx.account, "AWS::IAM::Role", arn), extra)


def assume_web_identity(ctx: Ctx, actor: Actor) -> Parts:
    params, response, resources, _ = _assume(
        ctx, "github-actions-deploy", "GitHubActions", 3600, False
    )
    assert params is not None and response is not None
    response["subjectFromWebIdentityToken"] = actor.user_name
    response["provider"] = actor.extra["identityProvider"]
    response["audience"] = "sts.amazonaws.com"
    return (params, response, resources, None)


# --- KMS, SSM, Lambda, RDS, Logs, others ----------------------------------------------


def kms_crypto(ctx: Ctx, actor: Actor) -> Parts:
    key = ctx.pick(ctx.pools.keys)
    arn = f"arn:aws:kms:{ctx.region}:{ctx.account}:key/{key}"
    params = {
        "keyId": arn,
        "encryptionAlgorithm": "SYMMETRIC_DEFAULT",
        "encryptionContext": {"aws:lambda:FunctionArn": ctx.pick(ctx.pools.functions)},
    }
    return (params, None, res(ctx.account, "AWS::KMS::Key", arn), None)


def create_key(ctx: Ctx, actor: Actor) -> Parts:
    key = ctx.uuid()
    arn = f"arn:aws:kms:{ctx.region}:{ctx.account}:key/{key}"
    meta = {
        "AWSAccountId": ctx.account,
        "keyId": key,
        "arn": arn,
        "creationDate": console_date(ctx.t),
        "enabled": True,
        "keyUsage": "ENCRYPT_DECRYPT",
        "keyState": "Enabled",
        "origin": "AWS_KMS",
        "keyManager": "CUSTOMER",
        "keySpec": "SYMMETRIC_DEFAULT",
        "multiRegion": False,
    }
    params = {
        "keyUsage": "ENCRYPT_DECRYPT",
        "keySpec": "SYMMETRIC_DEFAULT",
        "description": "app data key",
        "origin": "AWS_KMS",
        "multiRegion": False,
    }
    return (params, {"keyMetadata": meta}, res(ctx.account, "AWS::KMS::Key", arn), None)


def schedule_key_deletion(ctx: Ctx, actor: Actor) -> Parts:
    key = ctx.pick(ctx.pools.keys)
    arn = f"arn:aws:kms:{ctx.region}:{ctx.account}:key/{key}"
    response = {
        "keyId": arn,
        "deletionDate": console_date(ctx.t + 7 * 86400),
        "keyState": "PendingDeletion",
        "pendingWindowInDays": 7,
    }
    return (
        {"keyId": key, "pendingWindowInDays": 7},
        response,
        res(ctx.account, "AWS::KMS::Key", arn),
        None,
    )


def rotate_key(ctx: Ctx, actor: Actor) -> Parts:
    key = ctx.pick(ctx.pools.keys)
    arn = f"arn:aws:kms:{ctx.region}:{ctx.account}:key/{key}"
    return (
        None,
        None,
        res(ctx.account, "AWS::KMS::Key", arn),
        {"serviceEventDetails": {"keyId": key}},
    )


def console_login(success: bool) -> Builder:
    def build(ctx: Ctx, actor: Actor) -> Parts:
        extra = {
            "additionalEventData": {
                "LoginTo": "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true",
                "MobileVersion": "No",
                "MFAUsed": "Yes" if actor.mfa and success else "No",
            }
        }
        return (None, {"ConsoleLogin": "Success" if success else "Failure"}, None, extra)

    return build
