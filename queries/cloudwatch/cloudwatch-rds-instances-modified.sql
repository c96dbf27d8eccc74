/*
description: >-
  RDS database instances modified (ModifyDBInstance): region, database, who, and the
  request's parameters parsed from the message; the Logs Insights query of AWS's blog
  "Analyzing AWS CloudTrail in Amazon CloudWatch", as published.
tags: [cloudwatch, rds, database, changes]
dialect: logs-insights
parameters:
  start:
    type: timestamp
    default: null
    description: Start of the time range (UTC, inclusive); the whole lake when not given
  end:
    type: timestamp
    default: null
    description: End of the time range (UTC, exclusive); the whole lake when not given
*/
fields eventSource, eventName, awsRegion as AWS_Region, requestParameters.dBInstanceIdentifier as Database_Name, userIdentity.arn as IAM_Arn
| filter eventSource="rds.amazonaws.com" and eventName="ModifyDBInstance"
| parse @message "requestParameters\":{*}" as dbChanges
| display AWS_Region, Database_Name, IAM_Arn, dbChanges
