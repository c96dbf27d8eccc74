"""What a principal is (`Actor`), how to make the common kinds, and the clients they use.

Contract: an `Actor` holds what a record's userIdentity says about its caller and how the
calls arrive (source IPs, user agents, TLS, VPC endpoint). `role_actor` and `user_actor`
build AssumedRole and IAMUser principals whose ids derive from the account and name
alone. The user-agent constants are strings as CloudTrail logs them: the AWS CLI, SDKs
(boto3, Java, JavaScript, Go) inside Lambda, ECS and EC2, Terraform, browsers for console
sign-in, and "AWS Internal" for calls the console makes on a user's behalf.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ctlake.generate.ids import key_id, stable_int

CLI = "aws-cli/2.15.30 Python/3.11.8 Darwin/23.3.0 exe/x86_64 prompt/off"
CLI_LINUX = "aws-cli/2.13.5 Python/3.11.4 Linux/6.1.61-85.141.amzn2023.x86_64 exe/x86_64.amzn.2023"
BOTO3 = (
    "Boto3/1.34.51 md/Botocore#1.34.51 ua/2.0 os/linux#6.1.79-99.164.amzn2023.x86_64 "
    "md/arch#x86_64 lang/python#3.11.6 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.51"
)
LAMBDA_PY = (
    "Boto3/1.34.42 md/Botocore#1.34.42 ua/2.0 os/linux#5.10.209-219.816.amzn2.x86_64 "
    "md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 "
    "cfg/retry-mode#legacy Botocore/1.34.42"
)
LAMBDA_NODE = (
    "aws-sdk-js/3.540.0 ua/2.1 os/linux#5.10.213-223.824.amzn2.x86_64 lang/js md/nodejs#20.11.1 "
    "api/ec2#3.540.0 exec-env/AWS_Lambda_nodejs20.x"
)
SSM_AGENT = "aws-sdk-go/1.44.260 (go1.20.12; linux; amd64) amazon-ssm-agent/3.3.40.0"
JAVA_ECS = " ".join(
    (
        "aws-sdk-java/2.25.6 Linux/5.10.210-201.852.amzn2.x86_64",
        "OpenJDK_64-Bit_Server_VM/17.0.10+8-LTS Java/17.0.10 vendor/Amazon.com_Inc. md/internal",
        "exec-env/AWS_ECS_FARGATE io/sync http/Apache",
    )
)
TERRAFORM = (
    "APN/1.0 HashiCorp/1.0 Terraform/1.7.4 (+https://www.terraform.io) terraform-provider-aws/"
    "5.40.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.25.2 "
    "os/linux lang/go#1.21.8 md/GOOS#linux md/GOARCH#amd64"
)
GRAFANA = "Grafana/10.3.3 AWS-SDK-Go/1.50.8 (go1.21.6; linux; amd64)"
BROWSER = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/122.0.0.0 Safari/537.36"
)
CONSOLE = "AWS Internal"


@dataclass(frozen=True, slots=True)
class Actor:
    """One principal: what its userIdentity says and how its calls arrive."""

    key: str
    kind: str  # userIdentity.type
    account: str
    arn: str | None
    principal_id: str | None
    ips: tuple[str, ...]
    agents: tuple[str, ...]
    user_name: str | None = None
    issuer: dict[str, Any] | None = None  # sessionContext.sessionIssuer
    invoked_by: str | None = None
    access_key: str | None = None  # a long-term AKIA key; None: a per-session ASIA key
    console: bool = False
    mfa: bool = False
    tls: str | None = "TLSv1.3"  # None: no tlsDetails (AWS services calling on your behalf)
    vpce: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # more userIdentity fields


def aws_ip(acct: str, *parts: object, base: str = "54") -> str:
    """A public IPv4 address, stable for `parts`, in a range AWS hosts use."""
    n = stable_int(acct, *parts)
    return f"{base}.{n % 200 + 20}.{n // 256 % 256}.{n // 65536 % 250 + 2}"


def role_actor(acct: str, region: str, key: str, role: str, session: str, **kw: Any) -> Actor:
    """A session of IAM role `role` (AssumedRole); `path` in `kw` is the role's IAM path."""
    role_id = key_id("AROA", acct, role)
    issuer = {
        "type": "Role",
        "principalId": role_id,
        "arn": f"arn:aws:iam::{acct}:role/{kw.pop('path', '')}{role}",
        "accountId": acct,
        "userName": role,
    }
    kw.setdefault("ips", (aws_ip(acct, region, key), aws_ip(acct, region, key, 2, base="3")))
    return Actor(
        key=key,
        kind="AssumedRole",
        account=acct,
        arn=f"arn:aws:sts::{acct}:assumed-role/{role}/{session}",
        principal_id=f"{role_id}:{session}",
        issuer=issuer,
        **kw,
    )


def user_actor(acct: str, key: str, name: str, **kw: Any) -> Actor:
    """IAM user `name` (IAMUser)."""
    return Actor(
        key=key,
        kind="IAMUser",
        account=acct,
        arn=f"arn:aws:iam::{acct}:user/{name}",
        principal_id=key_id("AIDA", acct, name),
        user_name=name,
        **kw,
    )
