package policy

import (
	"context"
	"slices"

	"keyport/shared/audit"
	"keyport/shared/fault"
)

// Fact names a property of a request's target that a built-in statement may require (When):
// "the secret's read ACL lists the caller", say. What it means is the Target's business.
type Fact string

// Target is what a request acts on, as far as statements' facts ask about it: Holds reports
// whether it has fact f. Its error (the target is not there, a store failure) ends the
// decision and is the request's answer, not a refusal. The decision asks only when its answer
// depends on it, and only once every policy has been asked without it, so a request that a
// policy refuses whatever its target is reads nothing.
type Target interface {
	Holds(f Fact) (bool, error)
}

// verdict is what a policy decides on a request before looking at its target.
type verdict uint8

const (
	refused verdict = iota
	allowed
	depends // a statement with facts decides: the target must be asked
)

// judge decides on action and resource as far as p can without the target: refused when a
// statement without facts denies, or when no allow statement could apply; allowed when one
// without facts allows and no deny with facts could apply; depends otherwise.
func (p *Policy) judge(action, resource string) verdict {
	allow, maybeAllow, maybeDeny := false, false, false
	for i := range p.Statements {
		s := &p.Statements[i]
		if !matchAny(s.Actions, action) || !matchAny(s.Resources, resource) {
			continue
		}
		switch {
		case len(s.When) > 0:
			maybeAllow = maybeAllow || s.Effect == Allow
			maybeDeny = maybeDeny || s.Effect == Deny
		case s.Effect == Deny:
			return refused
		default:
			allow = true
		}
	}
	switch {
	case allow && !maybeDeny:
		return allowed
	case allow || maybeAllow:
		return depends
	}
	return refused
}

// decide is p's whole decision on action and resource with target t (nil: none, so no
// statement with facts applies): some applicable allow statement and no applicable deny.
func (p *Policy) decide(action, resource string, t Target) (bool, error) {
	allow := false
	for i := range p.Statements {
		s := &p.Statements[i]
		if !matchAny(s.Actions, action) || !matchAny(s.Resources, resource) {
			continue
		}
		if len(s.When) > 0 {
			ok, err := holds(t, s.When)
			if err != nil {
				return false, err
			}
			if !ok {
				continue
			}
		}
		if s.Effect == Deny {
			return false, nil
		}
		allow = true
	}
	return allow, nil
}

// holds reports whether t holds every fact; false without a target.
func holds(t Target, facts []Fact) (bool, error) {
	if t == nil {
		return false, nil
	}
	for _, f := range facts {
		if ok, err := t.Holds(f); err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// mayList reports whether p lets a list action run at all: some allow statement names the
// action (on any resource, whatever its facts), and no deny statement without facts names it
// on the list's own resource (a pattern matching the text "*", or "1/76/*" for a Gcore
// region's list).
func (p *Policy) mayList(action, resource string) bool {
	named := false
	for _, s := range p.Statements {
		if !matchAny(s.Actions, action) {
			continue
		}
		if s.Effect == Deny && len(s.When) == 0 && matchAny(s.Resources, resource) {
			return false
		}
		named = named || s.Effect == Allow
	}
	return named
}

// Authorize is AuthorizeOn for a request without a target: statements with facts do not apply.
func Authorize(ctx context.Context, resource string, ps ...*Policy) error {
	return AuthorizeOn(ctx, resource, nil, ps...)
}

// AuthorizeOn is the one decision every dialect's skeleton asks before the request acts: it
// refuses (fault.Denied, which each dialect renders as its own refusal) unless every non-nil
// policy of ps allows ctx's action (ActionOf) on resource, and records the refusal on the
// request's audit event (outcome "denied", the action and the resource). ps are a credential's
// policies and any built-in one (the key manager's roles and ACLs), so a credential's own
// policy can only narrow what the built-in one allows.
//
// Every policy is first asked without the target; t is asked (Target) only when none refused
// and some statement with facts decides, so a request refused on its action and resource
// reads nothing. With no non-nil policy it allows without looking further; a request without
// an action is refused by any policy (a handler served outside operation.Row.Handler names
// none). For a list action (IsList) each policy need only let the list run at all; the list
// then shows only the items VisibleOn allows. A deny covering the list's own resource still
// refuses it.
func AuthorizeOn(ctx context.Context, resource string, t Target, ps ...*Policy) error {
	action := ActionOf(ctx)
	list, pending := IsList(action), false
	var small [4]verdict // each policy's verdict, without allocating for the usual few
	verdicts := small[:0]
	for _, p := range ps {
		v := allowed
		switch {
		case p == nil:
		case action == "":
			v = refused
		case list:
			if !p.mayList(action, resource) { // the items are filtered by VisibleOn
				v = refused
			}
		default:
			v = p.judge(action, resource)
		}
		if v == refused {
			return refuse(ctx, action, resource, p)
		}
		pending = pending || v == depends
		verdicts = append(verdicts, v)
	}
	if !pending {
		return nil
	}
	for i, p := range ps {
		if verdicts[i] != depends {
			continue
		}
		ok, err := p.decide(action, resource, t)
		if err != nil {
			return err
		}
		if !ok {
			return refuse(ctx, action, resource, p)
		}
	}
	return nil
}

// refuse records p's refusal of action on resource and returns its fault.
func refuse(ctx context.Context, action, resource string, p *Policy) error {
	audit.SetDenied(ctx, action, resource)
	if p.Reason != "" {
		return fault.New(fault.Denied, p.Field, p.Reason)
	}
	return fault.New(fault.Denied, "", "the credential's policy does not allow "+action+" on this resource")
}

// Visible is VisibleOn for an item without a target.
func Visible(ctx context.Context, ps []*Policy, resources ...string) bool {
	return VisibleOn(ctx, nil, ps, resources...)
}

// VisibleOn reports whether a list's item is shown to a caller with policies ps: every non-nil
// policy must allow ctx's action (ActionOf, the list's) on one of the item's resources (an
// Alibaba secret has two, its name and its id), deciding as AuthorizeOn does with the item as
// the target t. An item whose target cannot answer is hidden. With no non-nil policy every
// item is shown.
func VisibleOn(ctx context.Context, t Target, ps []*Policy, resources ...string) bool {
	action := ActionOf(ctx)
	for _, p := range ps {
		if p == nil {
			continue
		}
		if !slices.ContainsFunc(resources, func(r string) bool {
			ok, err := p.decide(action, r, t)
			return ok && err == nil
		}) {
			return false
		}
	}
	return true
}
