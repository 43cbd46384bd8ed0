// Package gcoretask is the model of a Gcore Cloud task as keyport keeps one: the record an
// asynchronous operation (create or delete secret) writes, its two refs in the store, and
// Gcore's task object it renders as. keyport's tasks finish inside the request that starts
// them, so a task is written once, FINISHED, and never changes. It sits below the wire
// (package gcore); the operations in functions/gcore import both.
package gcoretask

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"keyport/shared/api/gcore"
	"keyport/shared/store"
	"keyport/shared/web"
)

// The task types keyport's tasks have, as Gcore names them.
const (
	TypeCreateSecret = "create_secret"
	TypeDeleteSecret = "delete_secret"
)

// StateFinished is the only state keyport's tasks have: the work is done inside the request
// that creates the task, so the first poll already sees it finished.
const StateFinished = "FINISHED"

// States are the states Gcore's tasks can be in, in its documented order.
var States = []string{"ERROR", "FINISHED", "NEW", "RUNNING"}

// Task is what a finished task remembers: enough for GET /cloud/v1/tasks/{task_id}.
type Task struct {
	ID        string
	Type      string
	Scope     gcore.Scope
	RequestID string    // the request id of the call that started the task
	Created   time.Time // also when it finished: the work is synchronous
	Secrets   []string  // ids of the secrets it created
	Deleted   string    // the id of the secret it deleted, "" for other tasks
}

// New returns a task of typ in s, started by the request of ctx at now, with a fresh id
// (gcore.NewID). The caller names what it created or deleted.
func New(ctx context.Context, typ string, s gcore.Scope, now time.Time) (Task, error) {
	id, err := gcore.NewID()
	if err != nil {
		return Task{}, fmt.Errorf("gcoretask: id: %w", err)
	}
	return Task{ID: id, Type: typ, Scope: s, RequestID: web.RequestID(ctx), Created: now}, nil
}

// Ref is the ref of task id. Tasks are read by id alone (GET /cloud/v1/tasks/{task_id} names
// no project), so the ref has no tenant; the task's project and region are attributes,
// checked against the caller after the read.
func Ref(id string) store.Ref { return store.Ref{Service: gcore.Service, Kind: "task", ID: id} }

// A project's tasks are listed in creation order, in pages with a count (store.DeclareIndex);
// the by-id copies, which have no tenant, are not indexed.
var _ = store.DeclareIndex(gcore.Service, "task")

// ProjectRef is the ref of task id's copy in its project, which is what the task list reads:
// a project's tasks share a tenant, so listing them never touches another project's. Tasks
// never change once written, so the two copies, written in one transaction, cannot drift apart.
func ProjectRef(project int64, id string) store.Ref {
	return store.Ref{Service: gcore.Service, Tenant: strconv.FormatInt(project, 10), Kind: "task", ID: id}
}

// InProject is the store query of every task of project (their ProjectRef copies).
func InProject(project int64) store.Query {
	ref := ProjectRef(project, "")
	return store.Query{Service: ref.Service, Tenant: ref.Tenant, Kind: ref.Kind}
}

// ParseID reads a task id from its path segment; one that is not an id is NotFound("").
func ParseID(segment string) (string, error) { return gcore.PathID(kind, segment) }

// NotFound is the answer for a task that is not there or that the caller may not see (another
// project's or region's): the same for both, so task ids are not disclosed across projects
// (see gcore.NotFound).
func NotFound(id string) error { return gcore.NotFound(kind, id) }

// kind names a task in not-found messages.
const kind = "Task"

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

// Record returns t as the store record read by id (Ref). Tasks do not expire: Gcore keeps its
// task history, and a client may poll long after the secret it created has expired.
func (t Task) Record() store.Record {
	r := store.Record{
		Ref: Ref(t.ID),
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
	inProject.Ref = ProjectRef(t.Scope.Project, t.ID)
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

// FromRecord reads either copy of a task written by Task.Records; both carry the task's id as
// their ref's id. A record it cannot read is a server fault (the store is ours), reported as a
// plain error.
func FromRecord(r store.Record) (Task, error) {
	project, region := r.Attrs.Int(attrProject), r.Attrs.Int(attrRegion)
	created, err := time.Parse(time.RFC3339Nano, r.Attrs.String(attrCreatedOn))
	if project <= 0 || region <= 0 || err != nil || r.Attrs.String(attrTaskType) == "" {
		return Task{}, fmt.Errorf("gcoretask: record %s is unreadable", r.Ref)
	}
	var secrets []string
	if l := r.Attrs.List(attrSecrets); len(l) > 0 {
		secrets = l
	}
	return Task{
		ID:        r.ID,
		Type:      r.Attrs.String(attrTaskType),
		Scope:     gcore.Scope{Project: project, Region: region},
		RequestID: r.Attrs.String(attrRequestID),
		Created:   created.UTC(),
		Secrets:   secrets,
		Deleted:   r.Attrs.String(attrDeleted),
	}, nil
}
