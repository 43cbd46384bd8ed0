package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskinesisfirehose"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogsdestinations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"keyport/functions"
)

// DefaultAuditRetentionDays is how long each archived audit object is locked:
// seven years, the longest record-keeping period common in financial audit
// rules, at a cost of cents a month (docs/deploy.md, "Durable audit trail").
const DefaultAuditRetentionDays = 7 * 365

// auditTrail is the durable copy of the audit events: every function's log
// group subscribes its audit events ({ $.log_type = "audit" }) to one
// Firehose delivery stream, which unpacks the CloudWatch Logs batches and
// writes the events, gzipped, to a bucket whose objects Object Lock keeps, in
// compliance mode, unchangeable and undeletable by anyone for the retention.
type auditTrail struct {
	bucket     awss3.Bucket
	accessLogs awss3.Bucket
	stream     awskinesisfirehose.DeliveryStream
}

// newAuditTrail defines the archive in scope and subscribes each function's
// log group to it.
func newAuditTrail(scope constructs.Construct, p Props, fns map[string]awslambda.Function) auditTrail {
	var t auditTrail
	secure := func(id string, props *awss3.BucketProps) awss3.Bucket {
		props.EnforceSSL = jsii.Bool(true)
		props.BlockPublicAccess = awss3.BlockPublicAccess_BLOCK_ALL()
		props.Encryption = awss3.BucketEncryption_S3_MANAGED
		props.RemovalPolicy = awscdk.RemovalPolicy_RETAIN
		return awss3.NewBucket(scope, jsii.String(id), props)
	}
	t.accessLogs = secure("audit-access-logs", &awss3.BucketProps{
		ObjectOwnership: awss3.ObjectOwnership_OBJECT_WRITER, // S3 log delivery writes with an ACL
	})
	t.bucket = secure("audit-archive", &awss3.BucketProps{
		Versioned:                  jsii.Bool(true), // Object Lock needs it
		ObjectLockEnabled:          jsii.Bool(true),
		ObjectLockDefaultRetention: awss3.ObjectLockRetention_Compliance(awscdk.Duration_Days(jsii.Number(p.AuditRetentionDays))),
		ServerAccessLogsBucket:     t.accessLogs,
		ServerAccessLogsPrefix:     jsii.String("audit-archive/"),
	})
	streamLogs := awslogs.NewLogGroup(scope, jsii.String("audit-stream-logs"), &awslogs.LogGroupProps{
		Retention:     p.LogRetention,
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	role := newDeliveryRole(scope, t.bucket, streamLogs)
	t.stream = awskinesisfirehose.NewDeliveryStream(scope, jsii.String("audit-stream"), &awskinesisfirehose.DeliveryStreamProps{
		Encryption: awskinesisfirehose.StreamEncryption_AwsOwnedKey(),
		Destination: awskinesisfirehose.NewS3Bucket(t.bucket, &awskinesisfirehose.S3BucketProps{
			// Not the grant CDK would add (read, write and delete on every
			// object): the role's own statements, which cannot delete.
			Role:              role.WithoutPolicyUpdates(nil),
			LoggingConfig:     awskinesisfirehose.NewEnableLogging(streamLogs),
			Compression:       awskinesisfirehose.Compression_GZIP(),
			DataOutputPrefix:  jsii.String("audit/"),
			ErrorOutputPrefix: jsii.String("audit-errors/"),
			// CloudWatch Logs sends gzipped batches: unpack them and keep
			// only the events, one JSON line each.
			Processors: &[]awskinesisfirehose.IDataProcessor{
				awskinesisfirehose.NewDecompressionProcessor(&awskinesisfirehose.DecompressionProcessorOptions{
					CompressionFormat: awskinesisfirehose.DecompressionProcessorCompressionFormat_GZIP(),
				}),
				awskinesisfirehose.NewCloudWatchLogProcessor(&awskinesisfirehose.CloudWatchLogProcessorOptions{
					DataMessageExtraction: jsii.Bool(true),
				}),
			},
		}),
	})
	suppressArchiveObjects(role)
	logsRole := awsiam.NewRole(scope, jsii.String("audit-subscription-role"), &awsiam.RoleProps{
		Description: jsii.String("keyport: CloudWatch Logs puts audit events into the audit stream"),
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("logs.amazonaws.com"), nil),
	})
	dest := awslogsdestinations.NewFirehoseDestination(t.stream, &awslogsdestinations.FirehoseDestinationProps{Role: logsRole})
	for _, f := range functions.Functions() {
		awslogs.NewSubscriptionFilter(scope, jsii.String(f.Name+"-audit-archive"), &awslogs.SubscriptionFilterProps{
			LogGroup:      fns[f.Name].LogGroup(),
			Destination:   dest,
			FilterPattern: awslogs.FilterPattern_StringValue(jsii.String("$.log_type"), jsii.String("="), jsii.String("audit")),
		})
	}
	return t
}

// newDeliveryRole is the delivery stream's role: write the archive's audit
// objects (never delete: a delete marker would hide an event without removing
// it), list the bucket and its uploads, and log delivery errors; the actions
// Firehose's S3 destination documents, less deletion.
func newDeliveryRole(scope constructs.Construct, bucket awss3.Bucket, logs awslogs.LogGroup) awsiam.Role {
	doc := awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{Statements: &[]awsiam.PolicyStatement{
		allow("ListArchive", []string{"s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"}, bucket.BucketArn()),
		allow("WriteArchive", []string{"s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"}, bucket.ArnForObjects(jsii.String("audit*"))),
		allow("LogDeliveryErrors", []string{"logs:PutLogEvents"}, logs.LogGroupArn()),
	}})
	return awsiam.NewRole(scope, jsii.String("audit-stream-role"), &awsiam.RoleProps{
		Description:    jsii.String("keyport: the audit stream delivers to the audit archive"),
		AssumedBy:      awsiam.NewServicePrincipal(jsii.String("firehose.amazonaws.com"), nil),
		InlinePolicies: &map[string]awsiam.PolicyDocument{"deliver": doc},
	})
}
