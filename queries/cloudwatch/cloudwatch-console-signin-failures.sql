/*
description: >-
  Failed AWS console sign-ins by source IP, reason, region, identity and MFA use: the
  Logs Insights query of AWS's blog "Analyzing AWS CloudTrail in Amazon CloudWatch", as
  published.
tags: [cloudwatch, signin, security]
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
filter eventSource="signin.amazonaws.com" and eventName="ConsoleLogin" and responseElements.ConsoleLogin="Failure"
| stats count(*) as Total_Count by sourceIPAddress as Source_IP, errorMessage as Reason, awsRegion as AWS_Region, userIdentity.arn as IAM_Arn, additionalEventData.MFAUsed as MFA_Used
