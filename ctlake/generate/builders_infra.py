"""requestParameters and responseElements of the infrastructure APIs: EC2, SSM, Lambda,
RDS, CloudWatch Logs and Auto Scaling (the contract is `builders.py`'s)."""

from __future__ import annotations

from ctlake.generate.actor import Actor
from ctlake.generate.builders import Builder, Parts, items, res
from ctlake.generate.catalog import Ctx
from ctlake.generate.ids import console_date, iso

# --- EC2 -------------------------------------------------------------------------------


def describe_instances(ctx: Ctx, actor: Actor) -> Parts:
    ids = [ctx.pick(ctx.pools.instances) for _ in range(1 + int(ctx.rng.random() * 2))]
    return ({"instancesSet": items("instanceId", ids), "filterSet": {}}, None, None, None)


def run_instances(ctx: Ctx, actor: Actor) -> Parts:
    p = ctx.pools
    instance = f"i-{ctx.hex(17)}"
    kind = ctx.pick(("t3.micro", "t3.large", "m6i.xlarge", "c6g.2xlarge"))
    zone = f"{ctx.region}{ctx.pick(('a', 'b', 'c'))}"
    params = {
        "instancesSet": {"items": [{"imageId": p.images[0], "minCount": 1, "maxCount": 1}]},
        "instanceType": kind,
        "blockDeviceMapping": {},
        "availabilityZone": zone,
        "monitoring": {"enabled": False},
        "subnetId": ctx.pick(p.subnets),
        "disableApiTermination": False,
        "clientToken": ctx.uuid(),
    }
    response = {
        "requestId": ctx.uuid(),
        "reservationId": f"r-{ctx.hex(17)}",
        "ownerId": ctx.account,
        "groupSet": {},
        "instancesSet": {
            "items": [
                {
                    "instanceId": instance,
                    "imageId": p.images[0],
                    "instanceType": kind,
                    "instanceState": {"code": 0, "name": "pending"},
                    "launchTime": ctx.t * 1000,
                    "placement": {"availabilityZone": zone, "tenancy": "default"},
                    "subnetId": params["subnetId"],
                    "vpcId": p.vpc,
                    "privateIpAddress": f"10.0.{ctx.rng.randrange(256)}.{ctx.rng.randrange(250)}",
                    "groupSet": {"items": [{"groupId": p.groups[0], "groupName": "default"}]},
                    "architecture": "x86_64",
                    "rootDeviceType": "ebs",
                    "hypervisor": "xen",
                }
            ]
        },
    }
    arn = f"arn:aws:ec2:{ctx.region}:{ctx.account}:instance/{instance}"
    return (params, response, res(ctx.account, "AWS::EC2::Instance", arn), None)


def change_state(target: str, code: int, before: str) -> Builder:
    def build(ctx: Ctx, actor: Actor) -> Parts:
        instance = ctx.pick(ctx.pools.instances)
        item = {
            "instanceId": instance,
            "currentState": {"code": code, "name": target},
            "previousState": {"code": 16 if before == "running" else 80, "name": before},
        }
        return (
            {"instancesSet": items("instanceId", [instance])},
            {"requestId": ctx.uuid(), "instancesSet": {"items": [item]}},
            None,
            None,
        )

    return build


def create_tags(ctx: Ctx, actor: Actor) -> Parts:
    params = {
        "resourcesSet": items("resourceId", [ctx.pick(ctx.pools.instances)]),
        "tagSet": {"items": [{"key": "cost-center", "value": ctx.pick(("web", "data", "ops"))}]},
    }
    return (params, {"requestId": ctx.uuid(), "_return": True}, None, None)


def create_snapshot(ctx: Ctx, actor: Actor) -> Parts:
    volume = ctx.pick(ctx.pools.volumes)
    snapshot = f"snap-{ctx.hex(17)}"
    response = {
        "requestId": ctx.uuid(),
        "snapshotId": snapshot,
        "volumeId": volume,
        "status": "pending",
        "startTime": ctx.t * 1000,
        "progress": "",
        "ownerId": ctx.account,
        "volumeSize": 100,
        "encrypted": True,
    }
    arn = f"arn:aws:ec2:{ctx.region}::snapshot/{snapshot}"
    return (
        {"volumeId": volume, "description": "AWS Backup"},
        response,
        res(ctx.account, "AWS::EC2::Snapshot", arn),
        None,
    )


def authorize_ingress(ctx: Ctx, actor: Actor) -> Parts:
    perm = {
        "ipProtocol": "tcp",
        "fromPort": 443,
        "toPort": 443,
        "ipRanges": {"items": [{"cidrIp": "10.0.0.0/16"}]},
    }
    return (
        {"groupId": ctx.pick(ctx.pools.groups), "ipPermissions": {"items": [perm]}},
        {"requestId": ctx.uuid(), "_return": True},
        None,
        None,
    )


def modify_metadata(ctx: Ctx, actor: Actor) -> Parts:
    instance = ctx.pick(ctx.pools.instances)
    return (
        {
            "ModifyInstanceMetadataOptionsRequest": {
                "InstanceId": instance,
                "HttpTokens": "required",
            }
        },
        {"ModifyInstanceMetadataOptionsResponse": {"instanceId": instance}},
        None,
        None,
    )


def send_command(ctx: Ctx, actor: Actor) -> Parts:
    instance = ctx.pick(ctx.pools.instances)
    command = {
        "commandId": ctx.uuid(),
        "documentName": "AWS-RunShellScript",
        "instanceIds": [instance],
        "status": "Pending",
        "requestedDateTime": console_date(ctx.t),
        "targets": [],
        "timeoutSeconds": 3600,
    }
    return (
        {
            "instanceIds": [instance],
            "documentName": "AWS-RunShellScript",
            "parameters": "HIDDEN_DUE_TO_SECURITY_REASONS",
            "interactive": False,
        },
        {"command": command},
        None,
        None,
    )


def update_instance_information(ctx: Ctx, actor: Actor) -> Parts:
    params = {
        "instanceId": actor.arn.rsplit("/", 1)[-1] if actor.arn else "",
        "agentVersion": "3.3.40.0",
        "agentStatus": "Active",
        "platformType": "Linux",
        "platformName": "Amazon Linux",
        "platformVersion": "2023",
        "ipAddress": "10.0.1.17",
    }
    return (params, None, None, None)


def start_session(ctx: Ctx, actor: Actor) -> Parts:
    target = ctx.pick(ctx.pools.instances)
    session = f"{(actor.user_name or 'user')}-{ctx.hex(17)}"
    return (
        {"target": target},
        {
            "sessionId": session,
            "tokenValue": "Value hidden",
            "streamUrl": f"wss://ssmmessages.{ctx.region}.amazonaws.com/v1/data-channel/{session}",
        },
        None,
        None,
    )


def function_call(ctx: Ctx, actor: Actor) -> Parts:
    return ({"functionName": ctx.pick(ctx.pools.functions)}, None, None, None)


def update_function(ctx: Ctx, actor: Actor) -> Parts:
    name = ctx.pick(ctx.pools.functions)
    arn = f"arn:aws:lambda:{ctx.region}:{ctx.account}:function:{name}"
    response = {
        "functionName": name,
        "functionArn": arn,
        "runtime": "python3.12",
        "codeSha256": ctx.hex(43),
        "version": "$LATEST",
        "state": "Active",
        "lastUpdateStatus": "InProgress",
        "memorySize": 512,
        "timeout": 30,
    }
    return ({"functionName": name, "publish": False, "dryRun": False}, response, None, None)


def db_call(ctx: Ctx, actor: Actor) -> Parts:
    return ({"dBInstanceIdentifier": ctx.pick(ctx.pools.databases)}, None, None, None)


def create_db(ctx: Ctx, actor: Actor) -> Parts:
    name = f"db-{ctx.hex(6)}"
    params = {
        "dBInstanceIdentifier": name,
        "dBInstanceClass": "db.t3.medium",
        "engine": "postgres",
        "engineVersion": "16.2",
        "allocatedStorage": 100,
        "masterUsername": "postgres",
        "masterUserPassword": "HIDDEN_DUE_TO_SECURITY_REASONS",
        "multiAZ": False,
        "storageEncrypted": True,
    }
    response = {
        "dBInstanceIdentifier": name,
        "dBInstanceClass": "db.t3.medium",
        "engine": "postgres",
        "dBInstanceStatus": "creating",
        "allocatedStorage": 100,
        "dBInstanceArn": f"arn:aws:rds:{ctx.region}:{ctx.account}:db:{name}",
        "dbiResourceId": f"db-{ctx.hex(26).upper()}",
    }
    return (params, response, None, None)


def modify_db(ctx: Ctx, actor: Actor) -> Parts:
    name = ctx.pick(ctx.pools.databases)
    params = {
        "dBInstanceIdentifier": name,
        "applyImmediately": True,
        "backupRetentionPeriod": ctx.rng.choice((7, 14, 35)),
    }
    response = {
        "dBInstanceIdentifier": name,
        "dBInstanceStatus": "modifying",
        "dBInstanceArn": f"arn:aws:rds:{ctx.region}:{ctx.account}:db:{name}",
        "pendingModifiedValues": {},
    }
    return (params, response, None, None)


def log_stream(ctx: Ctx, actor: Actor) -> Parts:
    day = iso(ctx.t)[:10].replace("-", "/")
    return (
        {
            "logGroupName": ctx.pick(ctx.pools.log_groups),
            "logStreamName": f"{day}/[$LATEST]{ctx.hex(32)}",
        },
        None,
        None,
        None,
    )


def autoscaling_update(ctx: Ctx, actor: Actor) -> Parts:
    return (
        {
            "autoScalingGroupName": ctx.pick(ctx.pools.asgs),
            "desiredCapacity": ctx.rng.randrange(2, 8),
        },
        None,
        None,
        None,
    )
