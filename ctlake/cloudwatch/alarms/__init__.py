"""CloudWatch metric alarms on the lake's metrics.

`machine` is CloudWatch's state machine (pure Python: M out of N, the four missing-data
treatments, OK / ALARM / INSUFFICIENT_DATA); `evaluate` reads each alarm's datapoints from
`metric_points`, replays the machine on event time and records the state changes in
`alarm_state` / `alarm_history` together with their "CloudWatch Alarm State Change" events
for the delivery outbox; `importing` reads `aws cloudwatch describe-alarms` JSON.
"""
