-- Type the valid records of one batch into the `events` schema: CloudTrail's own field
-- names; userIdentity as a struct with every subfield; requestParameters,
-- responseElements, additionalEventData and serviceEventDetails as map<string,string>
-- (nested values kept as JSON text), as in a CloudTrail Lake event data store; the record
-- itself in eventJson so no field is ever lost. A record delivered twice in the batch
-- (same eventID) is kept once.
CREATE OR REPLACE TEMP TABLE batch_events AS
WITH firsts AS (
    SELECT j, lakeSource, eventID, eventTime
    FROM (
        SELECT
            j, lakeSource, eventID, eventTime,
            row_number() OVER (PARTITION BY eventID ORDER BY lakeSource, location) AS copy_no
        FROM checked
        WHERE reason IS NULL AND kind = 'event'
    ) AS numbered
    WHERE copy_no = 1
),
typed AS (
    SELECT
        f.eventID, f.eventTime, f.lakeSource, f.j,
        json_transform(f.j, '{
            "eventVersion": "VARCHAR",
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
    FROM firsts AS f
)
SELECT
    r.eventVersion, r.userIdentity, eventTime, r.eventSource, r.eventName, r.awsRegion,
    r.sourceIPAddress, r.userAgent, r.errorCode, r.errorMessage, r.requestParameters,
    r.responseElements, r.additionalEventData, r.requestID, eventID, r.readOnly,
    r.resources, r.eventType, r.apiVersion, r.managementEvent, r.recipientAccountId,
    r.serviceEventDetails, r.sharedEventID, r.vpcEndpointId, r.vpcEndpointAccountId,
    r.eventCategory, r.addendum, r.sessionCredentialFromConsole, r.edgeDeviceDetails,
    r.tlsDetails,
    j AS eventJson,
    lakeSource,
    CAST($batch_id AS BIGINT) AS lakeBatch,
    CAST(eventTime AS DATE) AS eventDate
FROM typed;
