-- Type the rows of one partition file into the `events` schema, parsing each JSON text
-- once, as the file is written. CloudTrail's own field names; userIdentity a struct with
-- every subfield of AWS's userIdentity reference (and ec2IssuedInVPC, which CloudTrail
-- Lake's schema has; a subfield added later is read from eventJson by the Lake dialect,
-- and typed here once the lake is upgraded: see ctlake/lake/upgrade.py); requestParameters, responseElements, additionalEventData and
-- serviceEventDetails map<string,string> with nested values as JSON text, as in a CloudTrail
-- Lake event data store ("true" strings become booleans). The record itself is kept whole
-- in eventJson.
--
-- Input: `part(j, lakeSource, eventTime, lakeBatch)` in eventTime order, which the output
-- keeps; eventTime was normalized to UTC by batch_keys.sql.
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
    lakeBatch
FROM (
    SELECT
        j,
        lakeSource,
        eventTime,
        lakeBatch,
        json_transform(j, '{
            "eventID": "VARCHAR", "eventVersion": "VARCHAR",
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
                    "ec2IssuedInVPC": "VARCHAR",
                    "assumedRoot": "VARCHAR",
                    "signInSessionArn": "VARCHAR"
                },
                "invokedByDelegate": {"accountId": "VARCHAR"},
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
    FROM part
) AS typed
