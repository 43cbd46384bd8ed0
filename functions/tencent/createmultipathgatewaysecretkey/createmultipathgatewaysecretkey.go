// Package createmultipathgatewaysecretkey serves Tencent Cloud EdgeOne's
// CreateMultiPathGatewaySecretKey (service teo, version 2022-09-01): it stores the one access
// key a zone's multi-path gateways use, either given by the caller or generated, sealed under
// the signing account. A zone has at most one key; a second create is refused.
package createmultipathgatewaysecretkey

import (
	"context"
	"fmt"

	"keyport/shared/api/tencent"
	"keyport/shared/api/tencent/zonekey"
	"keyport/shared/audit"
	"keyport/shared/fault"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// action is the action as Tencent names it.
const action = "CreateMultiPathGatewaySecretKey"

// Row declares CreateMultiPathGatewaySecretKey, the first action of EdgeOne's function. Its
// Example is the request of events/tencent-teo.json.
var Row = operation.Row{
	Name: "tencent." + action, Function: "tencent-teo", API: "TencentEdgeOne", Dialect: operation.Tencent,
	Service: zonekey.Service, Route: "POST /", Action: action,
	Store: store.NeedPut, Seals: true,
	NewAction: newAction,
	Example: &operation.Example{
		Path: "/",
		Header: map[string]string{
			"accept":             "application/json",
			"authorization":      "TC3-HMAC-SHA256 Credential=AKIDkeyportLocalDev/2026-11-24/teo/tc3_request, SignedHeaders=content-type;host, Signature=0000000000000000000000000000000000000000000000000000000000000000",
			"content-type":       "application/json",
			"user-agent":         "Go-http-client/1.1",
			"x-tc-action":        "CreateMultiPathGatewaySecretKey",
			"x-tc-language":      "zh-CN",
			"x-tc-requestclient": "SDK_GO_1.3.210",
			"x-tc-timestamp":     "1795519755",
			"x-tc-version":       "2022-09-01",
		},
		Body: `{"ZoneId":"zone-27q0p0bal192","SecretKey":"b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY="}`,
	},
}

func newAction(d operation.Deps) tencent.Action {
	return tencent.Op(tencent.EdgeOne, action, handler{d}.create)
}

type handler struct{ operation.Deps }

// create runs on a checked request (no KMS call for a bad one), then stores the sealed key in
// one write that is refused if the zone already has one.
func (h handler) create(ctx context.Context, c tencent.Call, req *request) (any, error) {
	if req.SecretKey == "" {
		req.SecretKey = zonekey.NewSecretKey()
	}
	ref := zonekey.RecordRef(c.Account, req.ZoneID)
	sealed, err := h.Sealer.Seal(ctx, zonekey.Scope(c.Account), ref.AAD(), []byte(req.SecretKey))
	if err != nil {
		return nil, fmt.Errorf("createmultipathgatewaysecretkey: seal: %v", err) // %v: a KMS error never renders as a client fault
	}
	rec := store.Record{Ref: ref, Sealed: sealed, CreatedAt: h.Now().UTC(), Attrs: store.Attrs{zonekey.AttrZoneID: req.ZoneID}}
	if err := h.Store.Apply(ctx, store.Tx{{Put: &store.Put{Record: rec}}}); err != nil {
		return nil, storeFault(err, req.ZoneID)
	}
	audit.SetResource(ctx, req.ZoneID) // a zone has one key: the zone names it
	return struct{}{}, nil             // the response is RequestId alone
}

// storeFault reports an existing key as OperationDenied. Which code the real service returns
// here is not known (docs/wire/tencent.md, "Where the vendor is silent"); OperationDenied is the
// one code the action lists that fits a refusal of a well-formed request. Anything else, an
// unexpected conflict included, is internal.
func storeFault(err error, zoneID string) error {
	if c := store.ConflictOf(err); c != nil && c.Action == 0 && c.Reason == store.Exists {
		return fault.Newf(fault.Exists, "", "The zone %s already has a multi-path gateway secret key; a zone has only one.", zoneID).WithCode("OperationDenied")
	}
	return fmt.Errorf("createmultipathgatewaysecretkey: store: %w", err)
}
