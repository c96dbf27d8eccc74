"""Who calls AWS in a synthetic account: the roster of principals.

Contract: `actors_for(account, region)` returns the account's principals keyed by a stable
role (`"sso:0"`..`"sso:3"`, `"cli"`, `"ops-admin"`, `"deploy-bot"`, `"lambda:<function>"`,
`"backup"`, `"svc:lambda"`, ...). Principal ids, ARNs and access keys derive from the
account id alone (`stable_int`), so a principal looks the same in every region and run;
IP addresses of AWS-hosted callers are regional. Office IPs use the documentation ranges
(203.0.113.0/24, 198.51.100.0/24).

The principals cover every `userIdentity.type` a trail shows: IAMUser (programmatic and
console), AssumedRole (IAM Identity Center console sessions, Lambda execution roles, an
EC2 instance role, an ECS task role, service-linked roles with `invokedBy`), Root,
FederatedUser, WebIdentityUser, IdentityCenterUser and AWSService.
"""

from __future__ import annotations

from ctlake.generate.actor import (
    BOTO3,
    BROWSER,
    CLI,
    CLI_LINUX,
    CONSOLE,
    GRAFANA,
    JAVA_ECS,
    LAMBDA_NODE,
    LAMBDA_PY,
    SSM_AGENT,
    TERRAFORM,
    Actor,
    aws_ip,
    role_actor,
    user_actor,
)
from ctlake.generate.ids import key_id, stable_hex, stable_int

PEOPLE = ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy")
LAMBDAS = ("order-processor", "capacity-provisioner", "log-shipper", "nightly-tagger")


def _people(acct: str) -> tuple[str, ...]:
    start = stable_int(acct, "people") % len(PEOPLE)
    return tuple(PEOPLE[(start + i) % len(PEOPLE)] for i in range(5))


KEYED_USERS = (  # (key, user name, first octet of its IP, client)
    ("deploy-bot", "deploy-bot", "52", BOTO3),
    ("svc-legacy-report", "svc-legacy-report", "52", CLI_LINUX),
    ("grafana", "grafana-reader", "35", GRAFANA),
)
SERVICE_ROLES = (  # (key, role, session, the service that uses it)
    ("backup", "AWSBackupDefaultServiceRole", "AWSBackup-AWSBackupDefaultServiceRole", "backup"),
    ("config", "AWSServiceRoleForConfig", "AWSConfig-Describe", "config"),
    ("autoscaling", "AWSServiceRoleForAutoScaling", "AutoScaling", "autoscaling"),
)


def actors_for(acct: str, region: str) -> dict[str, Actor]:
    people = _people(acct)
    office = tuple(f"203.0.113.{stable_int(acct, p) % 200 + 20}" for p in people)
    actors = [
        *_humans(acct, region, people, office),
        *_workloads(acct, region),
        _federated(acct, office),
        _web_identity(acct, region),
        _identity_center(acct, office),
    ]
    return {a.key: a for a in actors}


def _humans(
    acct: str, region: str, people: tuple[str, ...], office: tuple[str, ...]
) -> list[Actor]:
    sso_role = f"AWSReservedSSO_AdministratorAccess_{stable_hex(16, acct, 'sso')}"
    sso = "aws-reserved/sso.amazonaws.com/"
    cli, cli_ip = people[4], f"198.51.100.{stable_int(acct, people[4]) % 200 + 20}"
    return [
        *(
            role_actor(
                acct,
                region,
                f"sso:{i}",
                sso_role,
                f"{p}@example.com",
                path=sso,
                ips=(office[i],),
                agents=(CONSOLE,),
                console=True,
            )
            for i, p in enumerate(people[:4])
        ),
        user_actor(
            acct, "cli", cli, ips=(cli_ip,), agents=(CLI,), access_key=key_id("AKIA", acct, cli)
        ),
        user_actor(
            acct,
            "ops-admin",
            "ops-admin",
            ips=office[:2],
            agents=(CONSOLE,),
            console=True,
            mfa=True,
        ),
        *(
            user_actor(
                acct,
                key,
                name,
                ips=(aws_ip(acct, key, base=octet),),
                agents=(agent,),
                access_key=key_id("AKIA", acct, key),
            )
            for key, name, octet, agent in KEYED_USERS
        ),
        Actor(
            "root",
            "Root",
            acct,
            f"arn:aws:iam::{acct}:root",
            acct,
            office[:1],
            (CONSOLE,),
            console=True,
            mfa=True,
        ),
    ]


def _workloads(acct: str, region: str) -> list[Actor]:
    out = [
        role_actor(
            acct, region, "github", "github-actions-deploy", "GitHubActions", agents=(TERRAFORM,)
        ),
        role_actor(
            acct, region, "ops-automation", "ops-automation", "ops-runbook", agents=(BOTO3,)
        ),
        role_actor(
            acct,
            region,
            "ec2:app-server",
            "app-server-role",
            _instance(acct, region),
            agents=(SSM_AGENT,),
            ips=(f"10.0.{stable_int(acct, region) % 250}.17",),
            vpce=f"vpce-{stable_hex(17, acct, region, 'vpce')}",
            extra={"ec2RoleDelivery": "2.0"},
        ),
        role_actor(
            acct,
            region,
            "ecs:api",
            "api-task-role",
            f"{stable_hex(32, acct, 'ecs')}",
            agents=(JAVA_ECS,),
        ),
    ]
    for fn in LAMBDAS:
        agent = LAMBDA_NODE if fn == "capacity-provisioner" else LAMBDA_PY
        role = f"{fn}-role-{stable_int(fn) % 99999:05d}"
        out.append(
            role_actor(
                acct, region, f"lambda:{fn}", role, fn, path="service-role/", agents=(agent,)
            )
        )
    for key, role, session, service in SERVICE_ROLES:
        host = f"{service}.amazonaws.com"
        out.append(
            role_actor(
                acct,
                region,
                key,
                role,
                session,
                invoked_by=host,
                ips=(host,),
                agents=(host,),
                tls=None,
                path="aws-service-role/",
            )
        )
    for service in ("lambda", "ecs-tasks", "kms", "ec2"):
        host = f"{service}.amazonaws.com"
        out.append(
            Actor(
                f"svc:{service}",
                "AWSService",
                acct,
                None,
                None,
                (host,),
                (host,),
                invoked_by=host,
                tls=None,
            )
        )
    return out


def _instance(acct: str, region: str) -> str:
    return f"i-{stable_hex(17, acct, region, 'app')}"


def _federated(acct: str, office: tuple[str, ...]) -> Actor:
    issuer = {
        "type": "IAMUser",
        "principalId": key_id("AIDA", acct, "portal"),
        "arn": f"arn:aws:iam::{acct}:user/reporting-portal",
        "accountId": acct,
        "userName": "reporting-portal",
    }
    return Actor(
        "federated",
        "FederatedUser",
        acct,
        f"arn:aws:sts::{acct}:federated-user/jane",
        f"{acct}:jane",
        office[-1:],
        (BOTO3,),
        issuer=issuer,
    )


def _web_identity(acct: str, region: str) -> Actor:
    provider = "token.actions.githubusercontent.com"
    subject = "repo:acme/platform:ref:refs/heads/main"
    return Actor(
        "web-identity",
        "WebIdentityUser",
        acct,
        None,
        f"arn:aws:iam::{acct}:oidc-provider/{provider}:sts.amazonaws.com:{subject}",
        (aws_ip(acct, region, "gha", base="20"),),
        ("aws-actions/configure-aws-credentials",),
        user_name=subject,
        extra={"identityProvider": f"arn:aws:iam::{acct}:oidc-provider/{provider}"},
    )


def _identity_center(acct: str, office: tuple[str, ...]) -> Actor:
    store = f"d-{stable_int(acct, 'idstore') % 10**10:010d}"
    return Actor(
        "idc",
        "IdentityCenterUser",
        acct,
        None,
        None,
        office[1:2],
        (BROWSER,),
        extra={
            "onBehalfOf": {
                "userId": f"{stable_hex(32, acct, 'idc-user')}",
                "identityStoreArn": f"arn:aws:identitystore::{acct}:identitystore/{store}",
            },
            "credentialId": f"{stable_hex(24, acct, 'idc-cred')}",
        },
    )
