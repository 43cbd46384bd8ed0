package dynamostore

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"keyport/shared/store"
)

// expr builds one item's condition (and update) expression with placeholders, so attribute
// names and values never need quoting: name and value return "#nK" and ":vK".
type expr struct {
	cond   string
	names  map[string]string
	values map[string]types.AttributeValue
}

func (x *expr) name(n string) string {
	if x.names == nil {
		x.names = map[string]string{}
	}
	for k, v := range x.names {
		if v == n {
			return k
		}
	}
	k := "#n" + strconv.Itoa(len(x.names))
	x.names[k] = n
	return k
}

func (x *expr) value(v types.AttributeValue) string {
	if x.values == nil {
		x.values = map[string]types.AttributeValue{}
	}
	k := ":v" + strconv.Itoa(len(x.values))
	x.values[k] = v
	return k
}

// live is the condition that the item has not expired at now.
func (x *expr) live(now time.Time) string {
	e := x.name(attrExpires)
	return "(attribute_not_exists(" + e + ") OR " + e + " > " + x.value(unixSeconds(now)) + ")"
}

// owned is the condition that a claim item belongs to owner.
func (x *expr) owned(owner store.Ref) string {
	return "(" + x.name(attrOwnerPK) + " = " + x.value(strAV(pkOf(owner))) + " AND " +
		x.name(attrOwnerSK) + " = " + x.value(strAV(skOf(owner))) + ")"
}

func (x *expr) put(table string, item map[string]types.AttributeValue) *types.Put {
	return &types.Put{TableName: aws.String(table), Item: item, ConditionExpression: aws.String(x.cond),
		ExpressionAttributeNames: x.names, ExpressionAttributeValues: x.values}
}

func (x *expr) del(table string, key map[string]types.AttributeValue) *types.Delete {
	return &types.Delete{TableName: aws.String(table), Key: key, ConditionExpression: aws.String(x.cond),
		ExpressionAttributeNames: x.names, ExpressionAttributeValues: x.values}
}

func (x *expr) update(table string, key map[string]types.AttributeValue, update string) *types.Update {
	return &types.Update{TableName: aws.String(table), Key: key, UpdateExpression: aws.String(update),
		ConditionExpression: aws.String(x.cond), ExpressionAttributeNames: x.names, ExpressionAttributeValues: x.values}
}

func sortedKeys(a store.Attrs) []string {
	keys := make([]string, 0, len(a))
	for k := range a {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func join(parts []string) string { return strings.Join(parts, ", ") }
