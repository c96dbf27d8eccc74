/*
description: >-
  Security group rules added, changed or removed, flagging rules open to the whole
  internet (0.0.0.0/0 or ::/0).
tags: [ec2, network, changes, security]
parameters:
  days:
    type: integer
    default: 7
    description: Length of the window in days, ending at `until`
  until:
    type: timestamp
    default: now
    description: End of the window (exclusive, UTC); set it to report on old logs
*/
SELECT
    eventTime,
    eventName,
    coalesce(
        requestParameters['groupId'],
        json_extract_string(requestParameters['ModifySecurityGroupRulesRequest'], '$.GroupId')
    ) AS securityGroup,
    regexp_matches(
        coalesce(requestParameters['ipPermissions'], '')
        || coalesce(requestParameters['ModifySecurityGroupRulesRequest'], ''),
        '0\.0\.0\.0/0|::/0'
    ) AS openToInternet,
    userIdentity.arn AS changedBy,
    awsRegion,
    recipientAccountId AS accountId,
    errorCode
FROM events
WHERE eventSource = 'ec2.amazonaws.com'
    AND eventName IN (SELECT unnest([
        'AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress',
        'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress', 'ModifySecurityGroupRules',
        'CreateSecurityGroup', 'DeleteSecurityGroup'
    ]))
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
ORDER BY eventTime, eventName, eventID
