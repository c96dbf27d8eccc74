"""The "CloudWatch Alarm State Change" event EventBridge carries for a metric alarm.

    {"version": "0", "id": ..., "detail-type": "CloudWatch Alarm State Change",
     "source": "aws.cloudwatch", "account": ..., "time": ..., "region": ...,
     "resources": [alarm ARN],
     "detail": {"alarmName": ..., "state": {value, reason, reasonData, timestamp},
                "previousState": {...}, "configuration": {"description", "metrics": [...]}}}

`reasonData` is a JSON string, as CloudWatch sends it; times are the event-time period ends.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ctlake.config.alarms import AlarmConfig, AlarmsConfig

# (value, reason, reasonData JSON text, timestamp)
State = tuple[str, str, str, datetime]


def _state(state: State) -> dict[str, Any]:
    value, reason, reason_data, timestamp = state
    return {
        "value": value,
        "reason": reason,
        "reasonData": reason_data,
        "timestamp": timestamp.strftime("%Y-%m-%dT%H:%M:%S.000+0000"),
    }


def configuration(alarm: AlarmConfig) -> dict[str, Any]:
    """detail.configuration: the alarm's metric as a metricStat query."""
    return {
        "description": alarm.description,
        "metrics": [
            {
                "id": "m1",
                "metricStat": {
                    "metric": {
                        "namespace": alarm.namespace,
                        "name": alarm.metric_name,
                        "dimensions": dict(alarm.dimensions),
                    },
                    "period": alarm.period,
                    "stat": alarm.statistic,
                },
                "returnData": True,
            }
        ],
    }


def state_change(
    config: AlarmsConfig, alarm: AlarmConfig, event_id: str, new: State, old: State
) -> dict[str, Any]:
    return {
        "version": "0",
        "id": event_id,
        "detail-type": "CloudWatch Alarm State Change",
        "source": "aws.cloudwatch",
        "account": config.account_id,
        "time": new[3].strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": config.region,
        "resources": [config.arn(alarm.name)],
        "detail": {
            "alarmName": alarm.name,
            "state": _state(new),
            "previousState": _state(old),
            "configuration": configuration(alarm),
        },
    }
