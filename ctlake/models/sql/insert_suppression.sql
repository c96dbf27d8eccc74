-- One [[insights.suppress]] of ctlake.toml (see config_tables.sql); NULL means "any".
INSERT INTO insight_suppressions BY NAME
SELECT
    $awsRegion AS awsRegion,
    $errorCode AS errorCode,
    $eventName AS eventName,
    $eventSource AS eventSource,
    $insightType AS insightType,
    $reason AS reason,
    $recipientAccountId AS recipientAccountId
