package consentbench

// This file is everything an application holding cedar-go does per request, and nothing
// else: the benchmarks time exactly CedarEngine.Decide on Cedar's side, as they time
// DyadEngine.Decide (adapter_dyad.go) on dyad's.

import (
	"errors"
	"fmt"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
)

// ErrCedarEvaluation reports that a Cedar policy failed to evaluate: with a schema-valid
// request that is a bug in the policies.
var ErrCedarEvaluation = errors.New("consentbench: cedar policy evaluation error")

// CedarAnswer is what an application learns from Cedar about a request: whether some ask
// was allowed, by which permit policy, under which consent (zero for an exception), and
// what the permit policy's annotations say (shared, read-only).
type CedarAnswer struct {
	Allow       bool
	Policy      types.PolicyID
	Consent     types.EntityUID
	Cite        string
	Obligations []string
}

// Decide answers a request as an application holding cedar-go does. It builds Cedar's
// request from its own (principal and patient entity UIDs, and the context record: patient,
// recipient record, purpose, information set, instant, emergency fact); it asks Cedar once
// per consent on file for the patient (resource = that consent), in the order they were
// filed, and stops at the first allowed; if none is, it asks once more with the patient as
// resource, for the exceptions that need no consent. This is the order dyad's engine tries
// bases in (consents in compile order, then exceptions), so both name the same basis. The
// permit policy's citation and obligations are read from its annotations.
func (e *CedarEngine) Decide(r *Request) (CedarAnswer, error) {
	req := cedarRequest(r)
	patient := req.Resource
	for _, c := range e.byPatient[r.Patient] {
		req.Resource = c
		a, err := e.ask(req)
		if err != nil {
			return CedarAnswer{}, err
		}
		if a.Allow {
			a.Consent = c
			return a, nil
		}
	}
	req.Resource = patient
	return e.ask(req)
}

// ask is one cedar.Authorize.
func (e *CedarEngine) ask(req types.Request) (CedarAnswer, error) {
	ok, diag := cedar.Authorize(e.policies, e.entities, req)
	if len(diag.Errors) > 0 {
		return CedarAnswer{}, fmt.Errorf("%w: %s: %s", ErrCedarEvaluation, diag.Errors[0].PolicyID, diag.Errors[0].Message)
	}
	if ok != cedar.Allow {
		return CedarAnswer{}, nil
	}
	id := diag.Reasons[0].PolicyID
	n := e.permits[id]
	return CedarAnswer{Allow: true, Policy: id, Cite: n.cite, Obligations: n.obligations}, nil
}

// cedarRequest converts a request to Cedar, with the patient as resource.
func cedarRequest(r *Request) types.Request {
	patient := types.NewEntityUID(typePatient, types.String(r.Patient))
	return types.Request{
		Principal: types.NewEntityUID(typeProgram, types.String(r.Discloser)),
		Action:    actionDisclose,
		Resource:  patient,
		Context: types.NewRecord(types.RecordMap{
			"patient": patient,
			"recipient": types.NewRecord(types.RecordMap{
				"id":   types.String(r.RecipientID),
				"kind": types.String(r.RecipientKind),
			}),
			"purpose":     types.String(r.Purpose),
			"information": stringSet(r.Information),
			"at":          types.NewDatetime(r.At),
			"emergency":   types.Boolean(r.Emergency),
		}),
	}
}
