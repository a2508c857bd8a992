package consentbench

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
	"github.com/google/go-cmp/cmp"

	"github.com/dyad-health/dyad/consent"
)

// The workload every test and benchmark uses.
const (
	seed     = 20261123
	patients = 1000
	requests = 10000
)

// engines builds dyad's engine and Cedar's in both stores.
func engines(t testing.TB) (*Set, *DyadEngine, map[CedarStore]*CedarEngine) {
	t.Helper()
	s := Generate(seed, patients, requests)
	de, err := NewDyadEngine(s.Consents)
	if err != nil {
		t.Fatal(err)
	}
	ces := map[CedarStore]*CedarEngine{}
	for _, store := range []CedarStore{CedarSlice, CedarPolicySet} {
		if ces[store], err = NewCedarEngine(s.Consents, store); err != nil {
			t.Fatal(err)
		}
	}
	return s, de, ces
}

// TestEnginesAgree asks dyad and Cedar (in both stores) all 10,000 requests, through the
// very adapters the benchmarks time, and requires the same decision: outcome, basis (which
// consent, or which exception) and obligation codes. A mismatch fails and prints the request
// and the patient's consents.
func TestEnginesAgree(t *testing.T) {
	s, de, ces := engines(t)
	mismatches, permits := 0, 0
	for i := range s.Requests {
		r := &s.Requests[i]
		d, err := de.Decide(r)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		dd := DyadDecision(d)
		if dd.Permit {
			permits++
		}
		for _, store := range []CedarStore{CedarSlice, CedarPolicySet} {
			ce := ces[store]
			a, err := ce.Decide(r)
			if err != nil {
				t.Fatalf("request %d: cedar (%s): %v", i, store, err)
			}
			cd := ce.Decision(a)
			if diff := cmp.Diff(dd, cd); diff != "" {
				mismatches++
				if mismatches <= 20 {
					var on strings.Builder
					for _, c := range s.ConsentsOf(r.Patient) {
						on.WriteString("\n    " + c.String())
					}
					var why strings.Builder
					q, _ := DyadRequest(*r)
					for _, x := range de.Engine.Explain(q).Reasons() {
						fmt.Fprintf(&why, "\n    %s %s (%s)", x.Consent, x.Code, x.Cite)
					}
					t.Errorf("request %d: %s\n  dyad:  %s\n  cedar (%s): %s\n  consents on file:%s\n  dyad reasons:%s",
						i, r, dd, store, cd, on.String(), why.String())
				}
			}
		}
	}
	if mismatches > 0 {
		t.Fatalf("%d answers of %d requests differ", mismatches, len(s.Requests))
	}
	// Both outcomes must be well represented, or agreement proves little.
	if permits < len(s.Requests)/5 || permits > len(s.Requests)*4/5 {
		t.Errorf("%d permits of %d requests: the workload is lopsided", permits, len(s.Requests))
	}
}

// TestEveryRuleDecides checks that each of the six Cedar policies is satisfied by some ask of
// the workload, and that the dyad engine reports the matching reasons, so that no rule
// agrees only vacuously.
func TestEveryRuleDecides(t *testing.T) {
	s, de, ces := engines(t)
	ce := ces[CedarSlice]
	hits := map[types.PolicyID]int{}
	for i := range s.Requests {
		req := cedarRequest(&s.Requests[i])
		for _, c := range append(append([]types.EntityUID(nil), ce.byPatient[s.Requests[i].Patient]...), req.Resource) {
			req.Resource = c
			_, diag := cedar.Authorize(ce.policies, ce.entities, req)
			for _, x := range diag.Reasons {
				hits[x.PolicyID]++
			}
		}
	}
	reasons := map[consent.Code]int{}
	for _, r := range s.Requests {
		q, err := DyadRequest(r)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range de.Engine.Explain(q).Reasons() {
			reasons[x.Code]++
		}
	}
	for id := range ce.policies.All() {
		if hits[id] < 20 {
			t.Errorf("policy %s decided %d asks; want at least 20", id, hits[id])
		}
	}
	for _, c := range []consent.Code{consent.CodeConsentPermits, consent.CodeConsentExpired, consent.CodeConsentRevoked,
		consent.CodeCounselingNotesOwn, consent.CodeEmergencyPermits} {
		if reasons[c] < 20 {
			t.Errorf("dyad reason %s given %d times; want at least 20", c, reasons[c])
		}
	}
	// The exact instants where a consent starts or stops counting (inclusive start,
	// exclusive end) must be asked about, or a boundary disagreement would go unseen.
	edges := 0
	for _, r := range s.Requests {
		for _, c := range s.ConsentsOf(r.Patient) {
			if r.At.Equal(c.SignedAt) || r.At.Equal(c.Expires) || r.At.Equal(c.RevokedAt) {
				edges++
				break
			}
		}
	}
	if edges < 100 {
		t.Errorf("%d requests at a consent's signature, expiry or revocation instant; want at least 100", edges)
	}
	t.Logf("cedar policy hits %v; %d requests at a boundary instant", hits, edges)
}

// TestConsentsConform checks that every generated consent conforms to 42 CFR 2.31(a) in the
// consent package's eyes, so only the six rules decide, and that the Cedar schema accepts the
// policies, the consents and the requests.
func TestConsentsConform(t *testing.T) {
	s := Generate(seed, patients, requests)
	for _, c := range s.Consents {
		dc, err := DyadConsent(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range dc.Problems() {
			if p.Severity == consent.SeverityError {
				t.Errorf("consent %s: %s (%s)", c.ID, p.Code, p.Cite)
			}
		}
	}
	if err := ValidateCedar(s.Consents, s.Requests); err != nil {
		t.Fatal(err)
	}
}

// TestGenerateDeterministic checks that the same seed gives the same workload and another
// seed another one.
func TestGenerateDeterministic(t *testing.T) {
	a, b, c := Generate(7, 50, 200), Generate(7, 50, 200), Generate(8, 50, 200)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("same seed, different workloads:\n%s", diff)
	}
	if cmp.Equal(a, c) {
		t.Fatal("seeds 7 and 8 gave the same workload")
	}
}
