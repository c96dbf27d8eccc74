"""What people and machines call, and when: the tables behind `traffic.py`.

Contract: `HUMAN` and `MACHINE` are weighted behaviours `(weight, actor keys, API key)`
(an actor is drawn uniformly from the keys); `TRICKLES` are behaviours whose first item
is a fixed rate in calls a minute. People's activity follows `HUMAN_HOURS` (local time,
from the region's `UTC_OFFSET`) and `HUMAN_DAYS`; machines' follows `MACHINE_HOURS` and
`MACHINE_DAYS`. At scale 1 a stream averages about 4.5 background calls a minute
(people peak at `HUMAN_PEAK`, machines average `MACHINE_RATE`), 85% of them reads.
APIs that appear nowhere here (kms ScheduleKeyDeletion, ec2 ModifyInstanceMetadataOptions)
are the "never seen before" APIs of the anomalies and normal patterns.
"""

from __future__ import annotations

import math

HUMAN_PEAK, MACHINE_RATE = 5.5, 2.8  # calls per minute at scale 1
UTC_OFFSET = {
    "us-east-1": -5,
    "us-west-2": -8,
    "eu-west-1": 0,
    "eu-central-1": 1,
    "ap-southeast-2": 10,
    "ap-northeast-1": 9,
}
# fmt: off
HUMAN_HOURS = (  # people's activity by local hour, relative to the busiest hour
    0.02, 0.02, 0.02, 0.02, 0.02, 0.03, 0.08, 0.3, 0.7, 1.0, 1.0, 1.0,
    0.8, 0.95, 1.0, 1.0, 0.9, 0.6, 0.3, 0.15, 0.1, 0.06, 0.04, 0.03,
)
# fmt: on
HUMAN_DAYS = (1.0, 1.0, 1.0, 1.0, 1.0, 0.12, 0.08)  # Monday first
MACHINE_HOURS = tuple(1 + 0.25 * math.cos(2 * math.pi * (h - 14) / 24) for h in range(24))
MACHINE_DAYS = (1.0, 1.0, 1.0, 1.0, 1.0, 0.9, 0.9)

S = ("sso:0", "sso:1", "sso:2", "sso:3")
SC = (*S, "cli")
Behaviour = tuple[float, tuple[str, ...], str]  # weight (or calls a minute), actors, API key

HUMAN: tuple[Behaviour, ...] = (
    (8, SC, "ec2:DescribeInstances"),
    (3, SC, "ec2:DescribeSecurityGroups"),
    (2, S, "ec2:DescribeVolumes"),
    (1, S, "ec2:DescribeSnapshots"),
    (1, S, "ec2:DescribeSubnets"),
    (4, SC, "s3:ListBuckets"),
    (2, S, "s3:GetBucketPolicy"),
    (1.5, S, "s3:GetBucketAcl"),
    (2, S, "iam:ListRoles"),
    (2, SC, "iam:GetRole"),
    (1, S, "iam:ListUsers"),
    (1, S, "iam:ListAttachedRolePolicies"),
    (2, S, "cloudtrail:LookupEvents"),
    (0.5, S, "cloudtrail:DescribeTrails"),
    (2, S, "logs:DescribeLogGroups"),
    (2, SC, "logs:FilterLogEvents"),
    (2, S, "rds:DescribeDBInstances"),
    (2, S, "lambda:ListFunctions20150331"),
    (1, SC, "lambda:GetFunction20150331v2"),
    (1, S, "kms:ListAliases"),
    (1, S, "ssm:DescribeInstanceInformation"),
    (1, SC, "ssm:GetParameter"),
    (1, S, "autoscaling:DescribeAutoScalingGroups"),
    (2, S, "monitoring:DescribeAlarms"),
    (1.5, S, "monitoring:GetMetricData"),
    (1, SC, "sts:GetCallerIdentity"),
    (1, SC, "sts:AssumeRole"),
    (2, SC, "ssm:StartSession"),
    (0.4, S, "ec2:StartInstances"),
    (0.4, S, "ec2:StopInstances"),
    (0.5, SC, "ec2:CreateTags"),
    (0.15, S, "ec2:AuthorizeSecurityGroupIngress"),
    (0.05, S, "ec2:TerminateInstances"),
    (0.1, S, "rds:ModifyDBInstance"),
    (0.01, S, "rds:CreateDBInstance"),
    (0.02, S, "kms:CreateKey"),
    (0.05, S, "iam:CreateRole"),
    (0.1, S, "iam:AttachRolePolicy"),
    (0.05, S, "iam:PutRolePolicy"),
    (0.01, S, "iam:CreateUser"),
    (0.05, S, "s3:CreateBucket"),
    (0.1, S, "s3:PutBucketPolicy"),
    (0.01, S, "s3:DeleteBucket"),
    (0.1, S, "lambda:UpdateFunctionConfiguration20150331v2"),
    (0.2, S, "ssm:PutParameter"),
    (0.1, S, "autoscaling:UpdateAutoScalingGroup"),
    (0.3, ("ops-admin",), "signin:ConsoleLogin"),
    (0.02, ("ops-admin",), "signin:ConsoleLogin@failure"),
    (0.3, ("ops-admin",), "ec2:DescribeInstances"),
    (0.2, ("ops-admin",), "iam:ListUsers"),
    (0.4, ("federated",), "s3:ListBuckets"),
    (0.3, ("federated",), "s3:GetBucketLocation"),
    (0.3, ("web-identity",), "sts:AssumeRoleWithWebIdentity"),
    (0.3, ("github",), "lambda:UpdateFunctionCode20150331v2"),
    (0.3, ("github",), "lambda:GetFunction20150331v2"),
    (0.2, ("github",), "s3:ListBuckets"),
    (0.3, ("idc",), "sso:ListAccounts"),
)
_OP, _LS, _APP, _ECS = (
    ("lambda:order-processor",),
    ("lambda:log-shipper",),
    ("ec2:app-server",),
    ("ecs:api",),
)
MACHINE: tuple[Behaviour, ...] = (
    (10, _OP, "kms:Decrypt"),
    (5, _OP, "kms:GenerateDataKey"),
    (5, _OP, "ssm:GetParameter"),
    (5, _OP, "secretsmanager:GetSecretValue"),
    (3, _OP, "dynamodb:DescribeTable"),
    (2, _OP, "s3:GetBucketLocation"),
    (20, _LS, "logs:CreateLogStream"),
    (2, _LS, "logs:DescribeLogGroups"),
    (4, _APP, "kms:Decrypt"),
    (3, _APP, "secretsmanager:GetSecretValue"),
    (3, _APP, "ec2:DescribeTags"),
    (2, _APP, "sts:GetCallerIdentity"),
    (2, _APP, "ssm:GetParameter"),
    (3, _ECS, "dynamodb:DescribeTable"),
    (4, _ECS, "kms:Decrypt"),
    (2, _ECS, "sts:GetCallerIdentity"),
    (2, _ECS, "secretsmanager:GetSecretValue"),
    (4, ("config",), "ec2:DescribeInstances"),
    (3, ("config",), "ec2:DescribeSecurityGroups"),
    (3, ("config",), "ec2:DescribeVolumes"),
    (2, ("config",), "ec2:DescribeSubnets"),
    (3, ("config",), "s3:GetBucketAcl"),
    (3, ("config",), "s3:GetBucketPolicy"),
    (2, ("config",), "iam:GetRole"),
    (1.5, ("config",), "lambda:ListFunctions20150331"),
    (1.5, ("config",), "rds:DescribeDBInstances"),
    (2, ("config",), "kms:DescribeKey"),
    (1, ("config",), "logs:DescribeLogGroups"),
    (1.5, ("config",), "autoscaling:DescribeAutoScalingGroups"),
    (8, ("svc:lambda",), "sts:AssumeRole@service"),
    (3, ("svc:ecs-tasks",), "sts:AssumeRole@service"),
    (2, ("autoscaling",), "ec2:DescribeInstances"),
    (0.05, ("autoscaling",), "ec2:RunInstances"),
    (0.05, ("autoscaling",), "ec2:TerminateInstances"),
    (4, ("grafana",), "monitoring:GetMetricData"),
    (2, ("grafana",), "monitoring:DescribeAlarms"),
    (1, ("grafana",), "ec2:DescribeInstances"),
)
TRICKLES: tuple[Behaviour, ...] = (
    (0.05, ("lambda:capacity-provisioner",), "ec2:RunInstances"),
    (0.1, ("lambda:capacity-provisioner",), "ec2:DescribeInstances"),
    (0.044, ("ops-automation",), "ssm:SendCommand"),
    (0.044, ("ops-automation",), "ssm:GetCommandInvocation"),
    (0.02, ("svc-legacy-report",), "s3:GetBucketLocation"),
    (0.01, ("svc-legacy-report",), "sts:AssumeRole"),
    (0.01, ("deploy-bot",), "iam:ListUsers"),
    (0.01, ("deploy-bot",), "iam:GetRole"),
    (0.0007, ("root",), "signin:ConsoleLogin"),  # the root user signs in once a day or so
    (0.0007, ("root",), "s3:ListBuckets"),
)
