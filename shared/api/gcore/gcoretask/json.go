package gcoretask

// timeLayout is how Gcore writes task times: UTC, no zone, whole seconds. GC-labs parses
// created_on with exactly this layout, so no fraction or offset may be added
// (docs/wire/gcore.md, "Tasks").
const timeLayout = "2006-01-02T15:04:05"

// userID is the user_id of every task. GC-go requires an integer; keyport authenticates API
// tokens, not users, so it reports 0 ("no user"), the same for every caller.
const userID = 0

// JSON is Gcore's task object (GC-go cloud.Task). Fields keyport has nothing for are null,
// as Gcore sends them for a task nobody acknowledged.
type JSON struct {
	ID                string              `json:"id"`
	TaskType          string              `json:"task_type"`
	State             string              `json:"state"`
	CreatedOn         string              `json:"created_on"`
	UpdatedOn         *string             `json:"updated_on"`
	FinishedOn        *string             `json:"finished_on"`
	UserID            int64               `json:"user_id"`
	ProjectID         int64               `json:"project_id"`
	RegionID          int64               `json:"region_id"`
	RequestID         *string             `json:"request_id"`
	CreatedResources  map[string][]string `json:"created_resources"`
	Error             *string             `json:"error"`
	Data              map[string]string   `json:"data"`
	DetailedState     *string             `json:"detailed_state"`
	AcknowledgedAt    *string             `json:"acknowledged_at"`
	AcknowledgedBy    *int64              `json:"acknowledged_by"`
	ClientID          *int64              `json:"client_id"`
	UserClientID      *int64              `json:"user_client_id"`
	JobID             *string             `json:"job_id"`
	LifecyclePolicyID *int64              `json:"lifecycle_policy_id"`
	ScheduleID        *string             `json:"schedule_id"`
}

// JSON renders t as Gcore's task object. The work finished when the task was created, so
// created_on, updated_on and finished_on are the same instant. created_resources lists only
// the kinds of resource the task created: a create's {"secrets": [id]}, a delete's {}. A delete
// names the secret it removed in data (task parameters), as {"secret_id": id}.
func (t Task) JSON() JSON {
	at := t.Created.UTC().Format(timeLayout)
	out := JSON{
		ID:               t.ID,
		TaskType:         t.Type,
		State:            StateFinished,
		CreatedOn:        at,
		UpdatedOn:        &at,
		FinishedOn:       &at,
		UserID:           userID,
		ProjectID:        t.Scope.Project,
		RegionID:         t.Scope.Region,
		CreatedResources: map[string][]string{},
	}
	if t.RequestID != "" {
		out.RequestID = &t.RequestID
	}
	if len(t.Secrets) > 0 {
		out.CreatedResources["secrets"] = t.Secrets
	}
	if t.Deleted != "" {
		out.Data = map[string]string{"secret_id": t.Deleted}
	}
	return out
}
