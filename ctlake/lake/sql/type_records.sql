-- Type the records of one batch into the `events` schema, parsing each JSON text once,
-- and say for each why it cannot be stored, if it cannot (`reason`; such rows, Insights
-- records and repeated copies are then taken out by prune_batch.sql).
--
-- Input: `incoming(j, file_no, ordinal)`, one JSON object per row, and
-- `batch_files(file_no, source, unit)`. CloudTrail's own field names; userIdentity a struct
-- with every subfield; requestParameters, responseElements, additionalEventData and
-- serviceEventDetails map<string,string> with nested values as JSON text, as in a CloudTrail
-- Lake event data store ("true" strings become booleans). A record needs an eventID and an
-- eventTime that parses as a timestamp; offsets (+11:00) and fractional seconds are
-- normalized to UTC.
CREATE OR REPLACE TEMP TABLE batch_events AS
WITH parsed AS (
    SELECT
        i.j,
        f.source AS lakeSource,
        f.unit || ' ' || CAST(i.ordinal AS VARCHAR) AS location,
        json_transform(i.j, '{
            "eventID": "VARCHAR", "eventTime": "VARCHAR", "eventVersion": "VARCHAR",
            "userIdentity": {
                "type": "VARCHAR", "principalId": "VARCHAR", "arn": "VARCHAR",
                "accountId": "VARCHAR", "accessKeyId": "VARCHAR", "userName": "VARCHAR",
                "invokedBy": "VARCHAR", "identityProvider": "VARCHAR", "credentialId": "VARCHAR",
                "sessionContext": {
                    "attributes": {"creationDate": "VARCHAR", "mfaAuthenticated": "VARCHAR"},
                    "sessionIssuer": {
                        "type": "VARCHAR", "principalId": "VARCHAR", "arn": "VARCHAR",
                        "accountId": "VARCHAR", "userName": "VARCHAR"
                    },
                    "webIdFederationData": {
                        "federatedProvider": "VARCHAR", "attributes": "MAP(VARCHAR, VARCHAR)"
                    },
                    "sourceIdentity": "VARCHAR",
                    "ec2RoleDelivery": "VARCHAR",
                    "assumedRoot": "VARCHAR"
                },
                "onBehalfOf": {"userId": "VARCHAR", "identityStoreArn": "VARCHAR"},
                "inScopeOf": {
                    "sourceArn": "VARCHAR", "sourceAccount": "VARCHAR",
                    "issuerType": "VARCHAR", "credentialsIssuedTo": "VARCHAR"
                }
            },
            "eventSource": "VARCHAR", "eventName": "VARCHAR", "awsRegion": "VARCHAR",
            "sourceIPAddress": "VARCHAR", "userAgent": "VARCHAR",
            "errorCode": "VARCHAR", "errorMessage": "VARCHAR",
            "requestParameters": "MAP(VARCHAR, VARCHAR)",
            "responseElements": "MAP(VARCHAR, VARCHAR)",
            "additionalEventData": "MAP(VARCHAR, VARCHAR)",
            "requestID": "VARCHAR", "readOnly": "BOOLEAN",
            "resources": [{"accountId": "VARCHAR", "type": "VARCHAR", "ARN": "VARCHAR"}],
            "eventType": "VARCHAR", "apiVersion": "VARCHAR", "managementEvent": "BOOLEAN",
            "recipientAccountId": "VARCHAR",
            "serviceEventDetails": "MAP(VARCHAR, VARCHAR)",
            "sharedEventID": "VARCHAR", "vpcEndpointId": "VARCHAR",
            "vpcEndpointAccountId": "VARCHAR", "eventCategory": "VARCHAR",
            "addendum": {
                "reason": "VARCHAR", "updatedFields": "VARCHAR",
                "originalRequestID": "VARCHAR", "originalEventID": "VARCHAR"
            },
            "sessionCredentialFromConsole": "BOOLEAN",
            "edgeDeviceDetails": "VARCHAR",
            "tlsDetails": {
                "tlsVersion": "VARCHAR", "cipherSuite": "VARCHAR",
                "clientProvidedHostHeader": "VARCHAR"
            }
        }') AS r
    FROM incoming AS i
    JOIN batch_files AS f ON f.file_no = i.file_no
),
timed AS (
    SELECT
        *,
        timezone('UTC', TRY_CAST(r.eventTime AS TIMESTAMPTZ)) AS eventTime
    FROM parsed
)
SELECT
    r.eventVersion, r.userIdentity, eventTime, r.eventSource, r.eventName, r.awsRegion,
    r.sourceIPAddress, r.userAgent, r.errorCode, r.errorMessage, r.requestParameters,
    r.responseElements, r.additionalEventData, r.requestID, r.eventID, r.readOnly,
    r.resources, r.eventType, r.apiVersion, r.managementEvent, r.recipientAccountId,
    r.serviceEventDetails, r.sharedEventID, r.vpcEndpointId, r.vpcEndpointAccountId,
    r.eventCategory, r.addendum, r.sessionCredentialFromConsole, r.edgeDeviceDetails,
    r.tlsDetails,
    j AS eventJson,
    lakeSource,
    CAST($batch_id AS BIGINT) AS lakeBatch,
    CAST(eventTime AS DATE) AS eventDate,
    location,
    CASE
        WHEN r.eventID IS NULL OR r.eventID = '' THEN 'record has no eventID'
        WHEN r.eventTime IS NULL OR r.eventTime = '' THEN 'record has no eventTime'
        WHEN eventTime IS NULL THEN 'eventTime is not a timestamp: ' || r.eventTime
    END AS reason
FROM timed;
