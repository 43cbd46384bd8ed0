package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"keyport/shared/store/dynamostore"
)

// Attribute names shared with shared/store/dynamostore.
const (
	partitionKey = "pk"
	sortKey      = "sk"
	ttlAttribute = "expires_at"
)

// tableID is the table's logical id. It changed with the key schema (a
// partition key alone, then pk + sk): DynamoDB cannot change a table's keys,
// so the table is a new resource with a new name, and the retained old one
// is left for the operator to delete.
const tableID = "ResourceTable"

// newTable defines the record table of the dynamostore driver: partition key
// pk = "<service>#<tenant>" and sort key sk = "<kind>#<id>", so every list is
// a Query on one partition; TTL on expires_at so expired nonces and secrets
// disappear.
//
// Encryption is the AWS managed key (aws/dynamodb), not our CMK: the
// sensitive column ("sealed") is already envelope-encrypted with the CMK
// under a per-service encryption context, and a CMK on the table would need
// kms:Decrypt/GenerateDataKey grants for every function with no such
// context condition, widening exactly the permission we keep narrow.
//
// On demand billing fits bursty, low-volume issuance; PITR and deletion
// protection guard the records, and RETAIN keeps them if the stack goes.
//
// Three sparse local secondary indexes (dynamostore's index.go) order each
// tenant's indexed collections by creation, by expiry and by an indexed
// attribute (a secret's name); local, because only a local index answers a
// consistent Query. DynamoDB adds local indexes only when it creates a table,
// so adding the first two replaced the table, and adding by_attr replaced it
// again (RETAIN keeps the old one; no data moves: docs/deploy.md).
func newTable(scope constructs.Construct) awsdynamodb.Table {
	t := awsdynamodb.NewTable(scope, jsii.String(tableID), &awsdynamodb.TableProps{
		PartitionKey: &awsdynamodb.Attribute{
			Name: jsii.String(partitionKey),
			Type: awsdynamodb.AttributeType_STRING,
		},
		SortKey: &awsdynamodb.Attribute{
			Name: jsii.String(sortKey),
			Type: awsdynamodb.AttributeType_STRING,
		},
		BillingMode: awsdynamodb.BillingMode_PAY_PER_REQUEST,
		PointInTimeRecoverySpecification: &awsdynamodb.PointInTimeRecoverySpecification{
			PointInTimeRecoveryEnabled: jsii.Bool(true),
		},
		TimeToLiveAttribute: jsii.String(ttlAttribute),
		DeletionProtection:  jsii.Bool(true),
		Encryption:          awsdynamodb.TableEncryption_AWS_MANAGED,
		RemovalPolicy:       awscdk.RemovalPolicy_RETAIN,
	})
	t.AddLocalSecondaryIndex(&awsdynamodb.LocalSecondaryIndexProps{
		IndexName:        jsii.String(dynamostore.IndexCreated),
		SortKey:          &awsdynamodb.Attribute{Name: jsii.String(dynamostore.AttrCreatedIx), Type: awsdynamodb.AttributeType_STRING},
		ProjectionType:   awsdynamodb.ProjectionType_INCLUDE,
		NonKeyAttributes: jsii.Strings(dynamostore.CreatedProjection()...),
	})
	t.AddLocalSecondaryIndex(&awsdynamodb.LocalSecondaryIndexProps{
		IndexName:      jsii.String(dynamostore.IndexExpiry),
		SortKey:        &awsdynamodb.Attribute{Name: jsii.String(dynamostore.AttrExpiryIx), Type: awsdynamodb.AttributeType_STRING},
		ProjectionType: awsdynamodb.ProjectionType_KEYS_ONLY,
	})
	t.AddLocalSecondaryIndex(&awsdynamodb.LocalSecondaryIndexProps{
		IndexName:        jsii.String(dynamostore.IndexAttr),
		SortKey:          &awsdynamodb.Attribute{Name: jsii.String(dynamostore.AttrValueIx), Type: awsdynamodb.AttributeType_STRING},
		ProjectionType:   awsdynamodb.ProjectionType_INCLUDE,
		NonKeyAttributes: jsii.Strings(dynamostore.CreatedProjection()...),
	})
	return t
}
