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

// CedarEngine answers requests with cedar-go: the parsed policies, the consents as Cedar
// entities and an index of each patient's consents, all built once by NewCedarEngine.
type CedarEngine struct {
	policies  cedar.PolicyIterator
	store     CedarStore
	entities  types.EntityMap
	byPatient map[string][]types.EntityUID
	// permits maps each permit policy to what its annotations say.
	permits map[types.PolicyID]permitNote
}

// permitNote is what a permit policy's annotations give a decision.
type permitNote struct {
	cite        string
	obligations []string // sorted
}

// CedarStore is how the policies are held for cedar.Authorize.
type CedarStore int

// CedarStore values: the two ways cedar-go takes a policy collection. The benchmarks time
// both; the report compares dyad with the faster.
const (
	// CedarSlice walks the policies from a slice, in document order, through a
	// cedar.PolicyIterator of this package.
	CedarSlice CedarStore = iota
	// CedarPolicySet walks them from a cedar.PolicySet, cedar-go's own collection (a map).
	CedarPolicySet
)

// String names the store as the benchmarks do.
func (s CedarStore) String() string {
	if s == CedarPolicySet {
		return "policyset"
	}
	return "slice"
}

// namedPolicy is a policy with the ID its @id annotation gives it.
type namedPolicy struct {
	id types.PolicyID
	p  *cedar.Policy
}

// policyList is a cedar.PolicyIterator over a slice, in document order.
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

// NewCedarEngine parses the policies into the given store and converts the consents to
// Cedar entities. This is the application's set-up, done once before any timing, like
// NewDyadEngine's.
func NewCedarEngine(consents []Consent, store CedarStore) (*CedarEngine, error) {
	parsed, err := cedar.NewPolicyListFromBytes("consent.cedar", CedarPolicies)
	if err != nil {
		return nil, err
	}
	e := &CedarEngine{
		store:     store,
		entities:  types.EntityMap{},
		byPatient: map[string][]types.EntityUID{},
		permits:   map[types.PolicyID]permitNote{},
	}
	var list policyList
	set := cedar.NewPolicySet()
	for i, p := range parsed {
		id := types.PolicyID(p.Annotations()["id"])
		if id == "" {
			return nil, fmt.Errorf("consentbench: policy %d has no @id", i)
		}
		if !set.Add(id, p) {
			return nil, fmt.Errorf("consentbench: duplicate policy id %q", id)
		}
		list = append(list, namedPolicy{id, p})
		if p.Effect() == cedar.Permit {
			n := permitNote{cite: string(p.Annotations()["cite"])}
			if o := string(p.Annotations()["obligations"]); o != "" {
				n.obligations = strings.Split(o, ",")
				slices.Sort(n.obligations)
			}
			e.permits[id] = n
		}
	}
	switch store {
	case CedarSlice:
		e.policies = list
	case CedarPolicySet:
		e.policies = set
	default:
		return nil, fmt.Errorf("consentbench: unknown Cedar store %d", store)
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

// Decision converts an answer to the neutral form: the basis is the consent's ID, or the
// permit policy's @cite for an exception; the obligations are the policy's @obligations.
func (e *CedarEngine) Decision(a CedarAnswer) Decision {
	if !a.Allow {
		return Decision{}
	}
	d := Decision{Permit: true, Basis: a.Cite, Obligations: slices.Clone(a.Obligations)}
	if a.Consent != (types.EntityUID{}) {
		d.Basis = "consent:" + string(a.Consent.ID)
	}
	return d
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
	for i := range requests {
		if err := v.Request(cedarRequest(&requests[i])); err != nil {
			errs = append(errs, fmt.Errorf("request %d: %w", i, err))
		}
	}
	return errors.Join(errs...)
}
