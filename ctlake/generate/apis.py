"""The APIs of the synthetic trail: event source and name, read or write, errors they return.

Contract: `API[key]` is an `Api` for every key the traffic and anomaly modules use. A key is
`"<service>:<eventName>"`, with an `@variant` suffix where one API needs two shapes (the
AssumeRole an AWS service makes for a Lambda function, a failed ConsoleLogin). `readOnly`
follows AWS: Describe/Get/List/Lookup and STS calls are reads, everything else writes.
`errors` are the failures an API realistically returns, drawn with probability
`error_rate` for background traffic; messages may use `{arn}` (the caller) and `{p[...]}`
(a requestParameters value). An `ApiError` with `code=None` is a failure CloudTrail logs
without errorCode, as ConsoleLogin does ("Failed authentication").
"""

from __future__ import annotations

from dataclasses import dataclass

from ctlake.generate import builders as b
from ctlake.generate import builders_infra as i


@dataclass(frozen=True, slots=True)
class ApiError:
    code: str | None
    message: str


@dataclass(frozen=True, slots=True)
class Api:
    key: str
    source: str
    name: str
    read_only: bool
    build: b.Builder
    errors: tuple[ApiError, ...] = ()
    error_rate: float = 0.0
    event_type: str = "AwsApiCall"
    version: str = "1.08"
    home_only: bool = False  # global services log in one region only
    request_id: bool = True


def denied(action: str, resource: str = "") -> ApiError:
    where = f" on resource: {resource}" if resource else ""
    return ApiError(
        "AccessDenied",
        f"User: {{arn}} is not authorized to perform: {action}{where} "
        f"because no identity-based policy allows the {action} action",
    )


EC2_DENIED = ApiError(
    "Client.UnauthorizedOperation",
    "You are not authorized to perform this operation. Encoded authorization failure message: "
    "EXAMPLEh4hLZ2kYFBnbtExDkmsG4fdlA8eLoxxXJHo0m6r5JQa3nN9QaVQ",
)
EC2_LIMIT = ApiError("Client.RequestLimitExceeded", "Request limit exceeded.")
THROTTLED = ApiError("ThrottlingException", "Rate exceeded")
NO_POLICY = ApiError("NoSuchBucketPolicy", "The bucket policy does not exist")
S3_DENIED = ApiError("AccessDenied", "Access Denied")
NO_ROLE = ApiError("NoSuchEntity", "The role with name {p[roleName]} cannot be found.")
EXISTS = ApiError("EntityAlreadyExists", "User with name {p[userName]} already exists.")
NO_PARAM = ApiError("ParameterNotFound", "")
NO_FUNCTION = ApiError("ResourceNotFoundException", "Function not found: {p[functionName]}")
NO_SECRET = ApiError(
    "ResourceNotFoundException", "Secrets Manager can't find the specified secret."
)
STREAM_EXISTS = ApiError(
    "ResourceAlreadyExistsException", "The specified log stream already exists"
)
NO_INSTANCE = ApiError("Client.InvalidInstanceID.NotFound", "The instance ID does not exist")
ASSUME_DENIED = ApiError(
    "AccessDenied",
    "User: {arn} is not authorized to perform: sts:AssumeRole on resource: {p[roleArn]}",
)
LOGIN_FAILED = ApiError(None, "Failed authentication")


def _api(
    key: str,
    read_only: bool,
    build: b.Builder,
    *errors: ApiError,
    rate: float = 0.0,
    event_type: str = "AwsApiCall",
    version: str = "1.08",
    home_only: bool = False,
    request_id: bool = True,
    source: str | None = None,
) -> Api:
    service, name = key.split(":")
    source = source or f"{service}.amazonaws.com"
    name = name.split("@")[0]
    return Api(
        key,
        source,
        name,
        read_only,
        build,
        errors,
        rate,
        event_type,
        version,
        home_only,
        request_id,
    )


_SPECS = [
    # EC2
    _api("ec2:DescribeInstances", True, i.describe_instances, EC2_LIMIT, rate=0.002),
    _api("ec2:DescribeSecurityGroups", True, b.none, EC2_LIMIT, rate=0.002),
    _api("ec2:DescribeVolumes", True, b.none, EC2_LIMIT, rate=0.002),
    _api("ec2:DescribeSnapshots", True, b.params_only(lambda c: {"ownersSet": {}})),
    _api("ec2:DescribeSubnets", True, b.none),
    _api("ec2:DescribeTags", True, b.none),
    _api("ec2:RunInstances", False, i.run_instances, EC2_DENIED, rate=0.01, version="1.09"),
    _api(
        "ec2:TerminateInstances",
        False,
        i.change_state("shutting-down", 32, "running"),
        EC2_DENIED,
        NO_INSTANCE,
        rate=0.02,
    ),
    _api(
        "ec2:StartInstances", False, i.change_state("pending", 0, "stopped"), EC2_DENIED, rate=0.03
    ),
    _api(
        "ec2:StopInstances", False, i.change_state("stopping", 64, "running"), EC2_DENIED, rate=0.03
    ),
    _api("ec2:CreateTags", False, i.create_tags, EC2_LIMIT, rate=0.002),
    _api("ec2:CreateSnapshot", False, i.create_snapshot),
    _api("ec2:AuthorizeSecurityGroupIngress", False, i.authorize_ingress, EC2_DENIED, rate=0.05),
    _api("ec2:ModifyInstanceMetadataOptions", False, i.modify_metadata),
    # S3 (bucket-level management events)
    _api("s3:ListBuckets", True, b.list_buckets, version="1.09"),
    _api(
        "s3:GetBucketPolicy",
        True,
        b.bucket_call(with_policy=True),
        NO_POLICY,
        rate=0.4,
        version="1.09",
    ),
    _api("s3:GetBucketAcl", True, b.bucket_call(), S3_DENIED, rate=0.01, version="1.09"),
    _api("s3:GetBucketLocation", True, b.bucket_call(), version="1.09"),
    _api("s3:CreateBucket", False, b.bucket_call(), S3_DENIED, rate=0.02, version="1.09"),
    _api(
        "s3:PutBucketPolicy",
        False,
        b.bucket_call(with_policy=True),
        S3_DENIED,
        rate=0.03,
        version="1.09",
    ),
    _api("s3:DeleteBucket", False, b.bucket_call(), S3_DENIED, rate=0.1, version="1.09"),
    # IAM (global: logged in the home region)
    _api("iam:ListRoles", True, b.none, home_only=True),
    _api("iam:GetRole", True, b.role_call, NO_ROLE, rate=0.03, home_only=True),
    _api("iam:ListUsers", True, b.none, home_only=True),
    _api("iam:ListAttachedRolePolicies", True, b.role_call, home_only=True),
    _api("iam:CreateUser", False, b.create_user, EXISTS, rate=0.05, home_only=True),
    _api(
        "iam:CreateRole", False, b.create_role, denied("iam:CreateRole"), rate=0.03, home_only=True
    ),
    _api(
        "iam:AttachRolePolicy",
        False,
        b.attach_role_policy,
        denied("iam:AttachRolePolicy"),
        rate=0.03,
        home_only=True,
    ),
    _api("iam:PutRolePolicy", False, b.role_call, home_only=True),
    # STS
    _api("sts:AssumeRole", True, b.assume_role, ASSUME_DENIED, rate=0.01),
    _api("sts:AssumeRole@service", True, b.assume_service_role),
    _api("sts:AssumeRole@denied", True, b.assume_role, ASSUME_DENIED, rate=1.0),
    _api("sts:AssumeRoleWithWebIdentity", True, b.assume_web_identity),
    _api("sts:GetCallerIdentity", True, b.none),
    # KMS
    _api("kms:Decrypt", True, b.kms_crypto, THROTTLED, rate=0.002),
    _api("kms:GenerateDataKey", True, b.kms_crypto, THROTTLED, rate=0.002),
    _api("kms:DescribeKey", True, b.params_only(lambda c: {"keyId": c.pick(c.pools.keys)})),
    _api("kms:ListAliases", True, b.none),
    _api("kms:CreateKey", False, b.create_key),
    _api("kms:ScheduleKeyDeletion", False, b.schedule_key_deletion),
    _api("kms:RotateKey", False, b.rotate_key, event_type="AwsServiceEvent", request_id=False),
    # SSM
    _api(
        "ssm:GetParameter",
        True,
        b.params_only(lambda c: {"name": c.pick(c.pools.parameters), "withDecryption": True}),
        NO_PARAM,
        THROTTLED,
        rate=0.01,
    ),
    _api("ssm:DescribeInstanceInformation", True, b.none),
    _api("ssm:UpdateInstanceInformation", False, i.update_instance_information),
    _api("ssm:SendCommand", False, i.send_command),
    _api("ssm:StartSession", False, i.start_session),
    _api("ssm:GetCommandInvocation", True, b.none),
    _api(
        "ssm:PutParameter",
        False,
        b.params_only(
            lambda c: {
                "name": c.pick(c.pools.parameters),
                "type": "SecureString",
                "overwrite": True,
            }
        ),
    ),
    # Lambda (eventName carries the API version, as CloudTrail logs it)
    _api("lambda:ListFunctions20150331", True, b.none),
    _api("lambda:GetFunction20150331v2", True, i.function_call, NO_FUNCTION, rate=0.02),
    _api("lambda:UpdateFunctionCode20150331v2", False, i.update_function),
    _api("lambda:UpdateFunctionConfiguration20150331v2", False, i.update_function),
    # RDS
    _api("rds:DescribeDBInstances", True, i.db_call),
    _api("rds:CreateDBInstance", False, i.create_db),
    _api("rds:ModifyDBInstance", False, i.modify_db),
    # CloudTrail, Logs, Monitoring, Auto Scaling, Secrets Manager, DynamoDB, SSO, sign-in
    _api("cloudtrail:DescribeTrails", True, b.none),
    _api("cloudtrail:GetTrailStatus", True, b.params_only(lambda c: {"name": "management"})),
    _api("cloudtrail:LookupEvents", True, b.none, THROTTLED, rate=0.02),
    _api("logs:DescribeLogGroups", True, b.none),
    _api("logs:CreateLogStream", False, i.log_stream, STREAM_EXISTS, rate=0.002),
    _api(
        "logs:FilterLogEvents",
        True,
        b.params_only(lambda c: {"logGroupName": c.pick(c.pools.log_groups)}),
    ),
    _api("monitoring:DescribeAlarms", True, b.none),
    _api("monitoring:GetMetricData", True, b.none),
    _api("autoscaling:DescribeAutoScalingGroups", True, b.none),
    _api("autoscaling:UpdateAutoScalingGroup", False, i.autoscaling_update),
    _api(
        "secretsmanager:GetSecretValue",
        True,
        b.params_only(lambda c: {"secretId": c.pick(c.pools.secrets)}),
        NO_SECRET,
        rate=0.003,
    ),
    _api(
        "dynamodb:DescribeTable",
        True,
        b.params_only(lambda c: {"tableName": c.pick(c.pools.tables)}),
    ),
    _api(
        "sso:ListAccounts", True, b.none, home_only=True, source="sso.amazonaws.com", version="1.09"
    ),
    _api(
        "signin:ConsoleLogin",
        False,
        b.console_login(True),
        event_type="AwsConsoleSignIn",
        home_only=True,
        request_id=False,
        version="1.09",
    ),
    _api(
        "signin:ConsoleLogin@failure",
        False,
        b.console_login(False),
        LOGIN_FAILED,
        rate=1.0,
        event_type="AwsConsoleSignIn",
        home_only=True,
        request_id=False,
        version="1.09",
    ),
]

API: dict[str, Api] = {spec.key: spec for spec in _SPECS}
