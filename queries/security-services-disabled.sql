/*
description: >-
  Detective controls switched off: GuardDuty detectors, Config recorders, Security Hub,
  flow logs, Access Analyzer, default EBS encryption.
tags: [security, changes, alerting]
parameters:
  days:
    type: integer
    default: 30
    description: Length of the window in days, ending at `until`
  until:
    type: timestamp
    default: now
    description: End of the window (exclusive, UTC); set it to report on old logs
*/
SELECT
    eventTime,
    eventSource,
    eventName,
    userIdentity.arn AS changedBy,
    sourceIPAddress,
    awsRegion,
    recipientAccountId AS accountId,
    errorCode
FROM events
WHERE eventName IN (SELECT unnest([
        'DeleteDetector', 'DisassociateFromMasterAccount', 'DisassociateFromAdministratorAccount',
        'StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'DeleteDeliveryChannel',
        'DisableSecurityHub', 'DeleteFlowLogs', 'DeleteAnalyzer', 'DisableEbsEncryptionByDefault',
        'DisableMacie', 'DisableOrganizationAdminAccount'
    ]))
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
ORDER BY eventTime, eventName, eventID
