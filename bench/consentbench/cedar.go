package consentbench

import (
	_ "embed"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
	xast "github.com/cedar-policy/cedar-go/x/exp/ast"
	"github.com/cedar-policy/cedar-go/x/exp/schema"
	"github.com/cedar-policy/cedar-go/x/exp/schema/validate"
)

// CedarPolicies is the Cedar text of the six rules.
//
//go:embed policies/consent.cedar
var CedarPolicies []byte

// CedarSchema is the Cedar schema the policies, entities and requests are validated against.
//
//go:embed policies/consent.cedarschema
var CedarSchema []byte

// Decision is an engine's answer in the neutral form the two engines are compared in.
type Decision struct {
	// Permit is true when the disclosure is permitted.
	Permit bool
	// Basis is "consent:ID" for a disclosure under a consent, the citation of the
	// exception otherwise (e.g. "42 CFR 2.51"), empty for a denial.
	Basis string
	// Obligations are the obligation codes of a permit, sorted.
	Obligations []string
}

// String formats the decision for a mismatch report.
func (d Decision) String() string {
	if !d.Permit {
		return "deny"
	}
	return fmt.Sprintf("permit basis=%s obligations=[%s]", d.Basis, strings.Join(d.Obligations, ","))
}

var (
	actionDisclose = types.NewEntityUID("Action", "disclose")
	typeProgram    = types.EntityType("Program")
	typePatient    = types.EntityType("Patient")
	typeConsent    = types.EntityType("Consent")
)

// CedarEngine answers requests with cedar-go: the parsed policy set, the consents as Cedar
// entities and an index of each patient's consents.
type CedarEngine struct {
	policies  policyList
	entities  types.EntityMap
	byPatient map[string][]types.EntityUID
	// permits maps each permit policy to the decision it gives, less the basis of a consent.
	permits map[types.PolicyID]Decision
}

// namedPolicy is a policy with the ID its @id annotation gives it.
type namedPolicy struct {
	id types.PolicyID
	p  *cedar.Policy
}

// policyList is a cedar.PolicyIterator over a slice, in document order: cheaper to walk than
// a cedar.PolicySet, which ranges over a map, so Cedar is timed at its best.
type policyList []namedPolicy

// All yields every policy in document order.
func (l policyList) All() iter.Seq2[types.PolicyID, *cedar.Policy] {
	return func(yield func(types.PolicyID, *cedar.Policy) bool) {
		for _, x := range l {
			if !yield(x.id, x.p) {
				return
			}
		}
	}
}

// CedarRequest is a request converted to Cedar once, outside any timing: what an
// application holding Cedar would build from its own request type.
type CedarRequest struct {
	patient   string
	principal types.EntityUID
	patientID types.EntityUID
	context   types.Record
}

// NewCedarEngine parses the policies and converts the consents to Cedar entities.
func NewCedarEngine(consents []Consent) (*CedarEngine, error) {
	list, err := cedar.NewPolicyListFromBytes("consent.cedar", CedarPolicies)
	if err != nil {
		return nil, err
	}
	e := &CedarEngine{
		policies:  policyList{},
		entities:  types.EntityMap{},
		byPatient: map[string][]types.EntityUID{},
		permits:   map[types.PolicyID]Decision{},
	}
	for i, p := range list {
		id := types.PolicyID(p.Annotations()["id"])
		if id == "" {
			return nil, fmt.Errorf("consentbench: policy %d has no @id", i)
		}
		if slices.ContainsFunc(e.policies, func(x namedPolicy) bool { return x.id == id }) {
			return nil, fmt.Errorf("consentbench: duplicate policy id %q", id)
		}
		e.policies = append(e.policies, namedPolicy{id, p})
		if p.Effect() == cedar.Permit {
			d := Decision{Permit: true, Basis: string(p.Annotations()["cite"])}
			if o := string(p.Annotations()["obligations"]); o != "" {
				d.Obligations = strings.Split(o, ",")
				slices.Sort(d.Obligations)
			}
			e.permits[id] = d
		}
	}
	for _, c := range consents {
		ent := CedarConsent(c)
		e.entities[ent.UID] = ent
		e.byPatient[c.Patient] = append(e.byPatient[c.Patient], ent.UID)
	}
	return e, nil
}

// coveredInformation is the information a consent covers: what it lists and, with SUD
// records, the patient's identity (every record identifies the patient; the reading of the
// 2024 rule the consent package makes).
func coveredInformation(info []string) []string {
	if slices.Contains(info, "sud_records") && !slices.Contains(info, "patient_identity") {
		return append(slices.Clone(info), "patient_identity")
	}
	return info
}

// CedarConsent converts a consent to its Cedar entity.
func CedarConsent(c Consent) types.Entity {
	disclosers := make([]types.Value, len(c.Disclosers))
	for i, d := range c.Disclosers {
		disclosers[i] = types.NewEntityUID(typeProgram, types.String(d))
	}
	attrs := types.RecordMap{
		"patient":      types.NewEntityUID(typePatient, types.String(c.Patient)),
		"kind":         types.String(c.Kind),
		"disclosers":   types.NewSet(disclosers...),
		"recipients":   stringSet(c.Recipients),
		"designations": stringSet(c.Designations),
		"purposes":     stringSet(c.Purposes),
		"information":  stringSet(coveredInformation(c.Information)),
		"signedAt":     types.NewDatetime(c.SignedAt),
	}
	if !c.Expires.IsZero() {
		attrs["expiresAt"] = types.NewDatetime(c.Expires)
	}
	if !c.RevokedAt.IsZero() {
		attrs["revokedAt"] = types.NewDatetime(c.RevokedAt)
	}
	return types.Entity{
		UID:        types.NewEntityUID(typeConsent, types.String(c.ID)),
		Attributes: types.NewRecord(attrs),
	}
}

func stringSet(xs []string) types.Set {
	vs := make([]types.Value, len(xs))
	for i, x := range xs {
		vs[i] = types.String(x)
	}
	return types.NewSet(vs...)
}

// NewCedarRequest converts a request to Cedar.
func NewCedarRequest(r Request) CedarRequest {
	patient := types.NewEntityUID(typePatient, types.String(r.Patient))
	return CedarRequest{
		patient:   r.Patient,
		principal: types.NewEntityUID(typeProgram, types.String(r.Discloser)),
		patientID: patient,
		context: types.NewRecord(types.RecordMap{
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

// ErrCedarEvaluation reports that a Cedar policy failed to evaluate: with a schema-valid
// request that is a bug in the policies.
var ErrCedarEvaluation = errors.New("consentbench: cedar policy evaluation error")

// CedarAnswer is what Authorize found: whether some ask was allowed, by which permit policy,
// and under which consent (zero for an exception).
type CedarAnswer struct {
	Allow   bool
	Policy  types.PolicyID
	Consent types.EntityUID
}

// Authorize answers a request as an application holding Cedar would: it asks Cedar once per
// consent on file for the patient, in the order they were filed, and stops at the first
// allowed; if none is, it asks once more with the patient as resource, for the exceptions
// that need no consent. This is the order dyad's engine tries bases in (consents in compile
// order, then exceptions), so both name the same basis.
func (e *CedarEngine) Authorize(r CedarRequest) (CedarAnswer, error) {
	req := types.Request{Principal: r.principal, Action: actionDisclose, Context: r.context}
	for _, c := range e.byPatient[r.patient] {
		req.Resource = c
		ok, diag := cedar.Authorize(e.policies, e.entities, req)
		if len(diag.Errors) > 0 {
			return CedarAnswer{}, fmt.Errorf("%w: %s: %s", ErrCedarEvaluation, diag.Errors[0].PolicyID, diag.Errors[0].Message)
		}
		if ok == cedar.Allow {
			return CedarAnswer{Allow: true, Policy: diag.Reasons[0].PolicyID, Consent: c}, nil
		}
	}
	req.Resource = r.patientID
	ok, diag := cedar.Authorize(e.policies, e.entities, req)
	if len(diag.Errors) > 0 {
		return CedarAnswer{}, fmt.Errorf("%w: %s: %s", ErrCedarEvaluation, diag.Errors[0].PolicyID, diag.Errors[0].Message)
	}
	if ok == cedar.Allow {
		return CedarAnswer{Allow: true, Policy: diag.Reasons[0].PolicyID}, nil
	}
	return CedarAnswer{}, nil
}

// Decision converts an answer to the neutral form: the basis is the consent's ID, or the
// permit policy's @cite for an exception; the obligations are the policy's @obligations.
func (e *CedarEngine) Decision(a CedarAnswer) Decision {
	if !a.Allow {
		return Decision{}
	}
	d := e.permits[a.Policy]
	d.Obligations = append([]string(nil), d.Obligations...)
	if a.Consent != (types.EntityUID{}) {
		d.Basis = "consent:" + string(a.Consent.ID)
	}
	return d
}

// Decide is Authorize followed by Decision.
func (e *CedarEngine) Decide(r CedarRequest) (Decision, error) {
	a, err := e.Authorize(r)
	if err != nil {
		return Decision{}, err
	}
	return e.Decision(a), nil
}

// ValidateCedar checks the policies, the consents' entities and the requests against the
// schema with cedar-go's experimental validator, listing every problem.
func ValidateCedar(consents []Consent, requests []Request) error {
	var s schema.Schema
	s.SetFilename("consent.cedarschema")
	if err := s.UnmarshalCedar(CedarSchema); err != nil {
		return err
	}
	rs, err := s.Resolve()
	if err != nil {
		return err
	}
	v := validate.New(rs)
	list, err := cedar.NewPolicyListFromBytes("consent.cedar", CedarPolicies)
	if err != nil {
		return err
	}
	var errs []error
	for _, p := range list {
		id := string(p.Annotations()["id"])
		if err := v.Policy(id, (*xast.Policy)(p.AST())); err != nil {
			errs = append(errs, fmt.Errorf("policy %s: %w", id, err))
		}
	}
	for _, c := range consents {
		if err := v.Entity(CedarConsent(c)); err != nil {
			errs = append(errs, fmt.Errorf("consent %s: %w", c.ID, err))
		}
	}
	for i, r := range requests {
		cr := NewCedarRequest(r)
		req := types.Request{Principal: cr.principal, Action: actionDisclose, Resource: cr.patientID, Context: cr.context}
		if err := v.Request(req); err != nil {
			errs = append(errs, fmt.Errorf("request %d: %w", i, err))
		}
	}
	return errors.Join(errs...)
}
