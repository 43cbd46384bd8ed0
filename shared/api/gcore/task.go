package gcore

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"keyport/shared/store"
)

// Service names Gcore Cloud's records, seal scopes and KMS encryption contexts.
const Service = "gcore-cloud"

// TaskTypeCreateSecret is the task_type of a secret creation, as Gcore names it.
const TaskTypeCreateSecret = "create_secret"

// StateFinished is the only state keyport's tasks have: the work is done inside the request
// that creates the task, so the first poll already sees it finished.
const StateFinished = "FINISHED"

// SecretKey is the record key of secret id in s.
func SecretKey(s Scope, id string) string {
	return fmt.Sprintf("%s/secret/%d/%d/%s", Service, s.Project, s.Region, id)
}

// TaskKey is the record key of task id.
func TaskKey(id string) string { return Service + "/task/" + id }

// Task is what a finished task remembers: enough for GET /cloud/v1/tasks/{task_id}.
type Task struct {
	ID        string
	Type      string
	Scope     Scope
	RequestID string    // the request id of the call that started the task
	Created   time.Time // also when it finished: the work is synchronous
	Secrets   []string  // ids of the secrets it created
}

// Attribute names of a task record.
const (
	attrTaskType  = "task_type"
	attrState     = "state"
	attrProject   = "project_id"
	attrRegion    = "region_id"
	attrRequestID = "request_id"
	attrCreatedOn = "created_on"
	attrSecrets   = "created_resources.secrets"
)

// Record returns t as a store record. Tasks do not expire: Gcore keeps its task history, and a
// client may poll long after the secret it created has expired.
func (t Task) Record() store.Record {
	return store.Record{
		Key:     TaskKey(t.ID),
		Service: Service,
		Tenant:  t.Scope.Tenant(),
		Attrs: map[string]string{
			attrTaskType:  t.Type,
			attrState:     StateFinished,
			attrProject:   t.Scope.Tenant(),
			attrRegion:    strconv.FormatInt(t.Scope.Region, 10),
			attrRequestID: t.RequestID,
			attrCreatedOn: t.Created.UTC().Format(time.RFC3339Nano),
			attrSecrets:   strings.Join(t.Secrets, ","),
		},
		CreatedAt: t.Created,
	}
}

// TaskFromRecord reads a record written by Task.Record. A record it cannot read is a server
// fault (the store is ours), reported as a plain error.
func TaskFromRecord(id string, r store.Record) (Task, error) {
	project, ok1 := PositiveID(r.Attrs[attrProject])
	region, ok2 := PositiveID(r.Attrs[attrRegion])
	created, err := time.Parse(time.RFC3339Nano, r.Attrs[attrCreatedOn])
	if !ok1 || !ok2 || err != nil || r.Attrs[attrTaskType] == "" {
		return Task{}, fmt.Errorf("gcore: task record %s is unreadable", r.Key)
	}
	var secrets []string
	if s := r.Attrs[attrSecrets]; s != "" {
		secrets = strings.Split(s, ",")
	}
	return Task{
		ID:        id,
		Type:      r.Attrs[attrTaskType],
		Scope:     Scope{Project: project, Region: region},
		RequestID: r.Attrs[attrRequestID],
		Created:   created.UTC(),
		Secrets:   secrets,
	}, nil
}
