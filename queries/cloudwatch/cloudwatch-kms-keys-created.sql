/*
description: >-
  KMS keys created, with their key material origin, usage, region, creator and key id:
  the Logs Insights query of AWS's blog "Analyzing AWS CloudTrail in Amazon CloudWatch",
  as published.
tags: [cloudwatch, kms, security]
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
fields eventName, requestParameters.origin as keyMaterial, responseElements.keyMetadata.keyUsage as keyUsage, awsRegion as region, userIdentity.arn as arn, responseElements.keyMetadata.keyId as keyID | filter eventName="CreateKey" and keyMaterial!="AWS_*"
