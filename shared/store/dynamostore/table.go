package dynamostore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// tableWait bounds how long CreateTable waits for the table to become ACTIVE.
const tableWait = 2 * time.Minute

// CreateTable makes table with the layout this package expects (on-demand billing, hash key
// pk and range key sk, both strings, TTL on expires_at, the local indexes by_created,
// by_expiry and by_attr of index.go) and waits until it is ACTIVE. A table that already exists is
// accepted as is, apart from turning TTL on, so local runs can call it at every start; one
// that lacks an index is refused by name, since DynamoDB adds local indexes only when it
// creates a table (docs/deploy.md). In AWS the infra stack creates the table instead.
func CreateTable(ctx context.Context, client *dynamodb.Client, table string) error {
	_, err := client.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:   aws.String(table),
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String(attrPK), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String(attrSK), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String(AttrCreatedIx), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String(AttrExpiryIx), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String(AttrValueIx), AttributeType: types.ScalarAttributeTypeS},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String(attrPK), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(attrSK), KeyType: types.KeyTypeRange},
		},
		LocalSecondaryIndexes: []types.LocalSecondaryIndex{
			localIndex(IndexCreated, AttrCreatedIx, &types.Projection{ProjectionType: types.ProjectionTypeInclude, NonKeyAttributes: CreatedProjection()}),
			localIndex(IndexExpiry, AttrExpiryIx, &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly}),
			localIndex(IndexAttr, AttrValueIx, &types.Projection{ProjectionType: types.ProjectionTypeInclude, NonKeyAttributes: CreatedProjection()}),
		},
	})
	var inUse *types.ResourceInUseException
	if err != nil && !errors.As(err, &inUse) {
		return fmt.Errorf("dynamostore: create table %s: %w", table, err)
	}
	waiter := dynamodb.NewTableExistsWaiter(client, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay = 100 * time.Millisecond
		o.MaxDelay = 2 * time.Second
	})
	if err := waiter.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)}, tableWait); err != nil {
		return fmt.Errorf("dynamostore: wait for table %s: %w", table, err)
	}
	if err := checkIndexes(ctx, client, table); err != nil {
		return err
	}
	return enableTTL(ctx, client, table)
}

func localIndex(name, sortKey string, p *types.Projection) types.LocalSecondaryIndex {
	return types.LocalSecondaryIndex{
		IndexName: aws.String(name),
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String(attrPK), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(sortKey), KeyType: types.KeyTypeRange},
		},
		Projection: p,
	}
}

// CreatedProjection names the non-key attributes by_created and by_attr carry (the infra stack
// declares the same indexes).
func CreatedProjection() []string { return slices.Clone(createdProjection) }

// checkIndexes refuses a table without the local indexes, naming the first one missing.
func checkIndexes(ctx context.Context, client *dynamodb.Client, table string) error {
	d, err := client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)})
	if err != nil {
		return fmt.Errorf("dynamostore: describe table %s: %w", table, err)
	}
	for _, want := range []string{IndexCreated, IndexExpiry, IndexAttr} {
		if !slices.ContainsFunc(d.Table.LocalSecondaryIndexes, func(ix types.LocalSecondaryIndexDescription) bool {
			return aws.ToString(ix.IndexName) == want
		}) {
			return fmt.Errorf("dynamostore: table %s has no local index %s: it was created before the indexes, and DynamoDB adds them only to a new table (docs/deploy.md)", table, want)
		}
	}
	return nil
}

// enableTTL turns TTL on for expires_at unless it is on already (DynamoDB refuses to enable it
// twice).
func enableTTL(ctx context.Context, client *dynamodb.Client, table string) error {
	d, err := client.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(table)})
	if err != nil {
		return fmt.Errorf("dynamostore: describe TTL of %s: %w", table, err)
	}
	if ttl := d.TimeToLiveDescription; ttl != nil {
		switch ttl.TimeToLiveStatus {
		case types.TimeToLiveStatusEnabled, types.TimeToLiveStatusEnabling:
			return nil
		}
	}
	_, err = client.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName: aws.String(table),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{
			AttributeName: aws.String(attrExpires),
			Enabled:       aws.Bool(true),
		},
	})
	if err != nil {
		return fmt.Errorf("dynamostore: enable TTL on %s: %w", table, err)
	}
	return nil
}
