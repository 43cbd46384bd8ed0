package gcore

import (
	"fmt"
	"strconv"
	"time"

	"keyport/shared/store"
)

// Service names Gcore Cloud's records, seal scopes and KMS encryption contexts.
const Service = "gcore-cloud"

// The task types keyport's tasks have, as Gcore names them.
const (
	TaskTypeCreateSecret = "create_secret"
	TaskTypeDeleteSecret = "delete_secret"
)

// StateFinished is the only state keyport's tasks have: the work is done inside the request
// that creates the task, so the first poll already sees it finished.
const StateFinished = "FINISHED"

// TaskStates are the states Gcore's tasks can be in, in its documented order.
var TaskStates = []string{"ERROR", "FINISHED", "NEW", "RUNNING"}

// SecretRef is the ref of secret id in s: a record of s's project whose id is the region and
// the secret id, so the secrets of one project and region share an id prefix.
func SecretRef(s Scope, id string) store.Ref {
	return store.Ref{Service: Service, Tenant: s.Tenant(), Kind: "secret", ID: strconv.FormatInt(s.Region, 10) + "/" + id}
}

// TaskRef is the ref of task id. Tasks are read by id alone (GET /cloud/v1/tasks/{task_id}
// names no project), so the ref has no tenant; the task's project and region are attributes,
// checked against the caller after the read.
func TaskRef(id string) store.Ref { return store.Ref{Service: Service, Kind: "task", ID: id} }

// ProjectTaskRef is the ref of task id's copy in its project, which is what the task list
// reads: a project's tasks share a tenant, so listing them never touches another project's.
// Tasks never change once written (each finishes inside the request that starts it), so the
// two copies, written in one transaction, cannot drift apart.
func ProjectTaskRef(project int64, id string) store.Ref {
	return store.Ref{Service: Service, Tenant: strconv.FormatInt(project, 10), Kind: "task", ID: id}
}

// Task is what a finished task remembers: enough for GET /cloud/v1/tasks/{task_id}.
type Task struct {
	ID        string
	Type      string
	Scope     Scope
	RequestID string    // the request id of the call that started the task
	Created   time.Time // also when it finished: the work is synchronous
	Secrets   []string  // ids of the secrets it created
	Deleted   string    // the id of the secret it deleted, "" for other tasks
}

// Attribute names of a task record.
const (
	attrTaskType  = "task_type"
	attrState     = "state"
	attrProject   = "project_id" // int64
	attrRegion    = "region_id"  // int64
	attrRequestID = "request_id"
	attrCreatedOn = "created_on"
	attrSecrets   = "created_resources.secrets" // []string
	attrDeleted   = "data.secret_id"            // absent unless the task deleted a secret
)

// Record returns t as the store record read by id (TaskRef). Tasks do not expire: Gcore keeps its task history, and a
// client may poll long after the secret it created has expired.
func (t Task) Record() store.Record {
	r := store.Record{
		Ref: TaskRef(t.ID),
		Attrs: store.Attrs{
			attrTaskType:  t.Type,
			attrState:     StateFinished,
			attrProject:   t.Scope.Project,
			attrRegion:    t.Scope.Region,
			attrRequestID: t.RequestID,
			attrCreatedOn: t.Created.UTC().Format(time.RFC3339Nano),
			attrSecrets:   append([]string{}, t.Secrets...),
		},
		CreatedAt: t.Created,
	}
	if t.Deleted != "" {
		r.Attrs[attrDeleted] = t.Deleted
	}
	return r
}

// Records returns both copies of t: the one read by id and the one listed in its project.
func (t Task) Records() []store.Record {
	byID, inProject := t.Record(), t.Record()
	inProject.Ref = ProjectTaskRef(t.Scope.Project, t.ID)
	return []store.Record{byID, inProject}
}

// Puts returns the actions that write both copies of t.
func (t Task) Puts() []store.Action {
	var out []store.Action
	for _, r := range t.Records() {
		out = append(out, store.Action{Put: &store.Put{Record: r}})
	}
	return out
}

// TaskFromRecord reads a record written by Task.Record. A record it cannot read is a server
// fault (the store is ours), reported as a plain error.
func TaskFromRecord(id string, r store.Record) (Task, error) {
	project, region := r.Attrs.Int(attrProject), r.Attrs.Int(attrRegion)
	created, err := time.Parse(time.RFC3339Nano, r.Attrs.String(attrCreatedOn))
	if project <= 0 || region <= 0 || err != nil || r.Attrs.String(attrTaskType) == "" {
		return Task{}, fmt.Errorf("gcore: task record %s is unreadable", r.Ref)
	}
	var secrets []string
	if l := r.Attrs.List(attrSecrets); len(l) > 0 {
		secrets = l
	}
	return Task{
		ID:        id,
		Type:      r.Attrs.String(attrTaskType),
		Scope:     Scope{Project: project, Region: region},
		RequestID: r.Attrs.String(attrRequestID),
		Created:   created.UTC(),
		Secrets:   secrets,
		Deleted:   r.Attrs.String(attrDeleted),
	}, nil
}
