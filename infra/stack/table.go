package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Attribute names shared with shared/store/dynamostore.
const (
	partitionKey = "pk"
	sortKey      = "sk"
	ttlAttribute = "expires_at"
)

// newTable defines the record table of the dynamostore driver: string keys
// pk (service#tenant) and sk (kind#id), so one tenant's records of a kind
// are a Query, and TTL on expires_at so expired nonces and secrets disappear.
//
// Encryption is the AWS managed key (aws/dynamodb), not our CMK: the
// sensitive column ("sealed") is already envelope-encrypted with the CMK
// under a per-service encryption context, and a CMK on the table would need
// kms:Decrypt/GenerateDataKey grants for every function with no such
// context condition, widening exactly the permission we keep narrow.
//
// On demand billing fits bursty, low-volume issuance; PITR and deletion
// protection guard the records, and RETAIN keeps them if the stack goes.
func newTable(scope constructs.Construct) awsdynamodb.Table {
	return awsdynamodb.NewTable(scope, jsii.String("Table"), &awsdynamodb.TableProps{
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
}
