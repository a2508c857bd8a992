package consent

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/dyad-health/dyad/internal/ident"
)

// Regression tests of the fail-open paths and wrong answers of issue 11. Each failed on the
// code before the fix (the same checks, written against the API of then). The rules' own
// cases are in the conformance corpus (testdata/conformance), named in each comment.

// The zero Engine (not from Compile) permitted a court-order request and panicked on a deny.
func TestZeroEngineDeniesEverything(t *testing.T) {
	court := obRequest()
	court.Recipient = Party{ID: id("court-1"), Kind: RecipientKindCourt}
	court.Purpose = PurposeProceedings
	court.Facts.CourtOrder = true
	emergency := obRequest()
	emergency.Recipient = Party{ID: id("ed-1"), Kind: RecipientKindMedicalPersonnel}
	emergency.Purpose = PurposeEmergencyTreatment
	emergency.Facts.Emergency = true
	var zero Engine
	var null *Engine
	for name, e := range map[string]*Engine{"zero": &zero, "nil": null} {
		for _, r := range []Request{court, emergency, obRequest(), {}} {
			for _, d := range []Decision{e.Decide(r), e.Explain(r)} {
				if d.Permit || !d.HasReason(CodeEngineNotCompiled) || !d.HasReason(CodeNoBasis) || d.Edition != RuleEdition {
					t.Errorf("%s engine: %v, want a deny with %s and %s", name, d, CodeEngineNotCompiled, CodeNoBasis)
				}
			}
		}
		if cs := e.Consents(id("p1")); cs != nil {
			t.Errorf("%s engine holds consents: %v", name, cs)
		}
	}
}

// Mutating a returned Decision's slices changed later decisions: zeroing Obligations[0] of
// one permit removed the 2.32 notice from every later one (also the shared "no consent on
// file" deny).
func TestDecisionSlicesAreNotShared(t *testing.T) {
	e := mustCompile(t, []Consent{tpoConsent()}, nil)
	d := e.Decide(obRequest())
	d.Obligations()[0] = Obligation{}
	d.Reasons()[0] = Reason{}
	d.Citations()[0] = ""
	if !d.HasObligation(ObligationCodeNotice232) {
		t.Errorf("writing to a copy changed the decision: %v", d.Record())
	}
	if d2 := e.Decide(obRequest()); !d2.HasObligation(ObligationCodeNotice232) || d2.Reasons()[0].Code != CodeConsentPermits {
		t.Errorf("a later permit lost its notice or reason: %v", d2.Record())
	}
	other := obRequest()
	other.Patient = id("p9")
	deny := e.Decide(other)
	deny.Reasons()[0].Code = "scribbled"
	if again := e.Decide(other); !again.HasReason(CodeNoConsents) {
		t.Errorf("the shared no-consent deny changed: %v", again.Record())
	}
}

// Compile accepted IDs that begin with "consent:" (a holder's ReceivedUnder "consent:c1" was
// stripped to "c1" and could name another consent) and IDs a log line could be forged with.
func TestCompileRefusesConfusableIDs(t *testing.T) {
	for _, bad := range []string{"consent:c1", "consent:", "c1\npermit on consent:c9", "c 1", strings.Repeat("x", 129)} {
		c := tpoConsent()
		c.ID = bad
		_, err := Compile([]Consent{c}, nil)
		if !errors.Is(err, ErrInvalidID) {
			t.Errorf("Compile(ID %q): err = %v, want ErrInvalidID", bad, err)
		}
		if err != nil && strings.ContainsAny(err.Error(), "\n\r") {
			t.Errorf("error %q holds a line break", err)
		}
		q := labAgreement()
		q.ID = bad
		if _, err := Compile(nil, []QSOAgreement{q}); (bad != "consent:c1" && bad != "consent:") && !errors.Is(err, ErrInvalidID) {
			t.Errorf("Compile(agreement ID %q): err = %v, want ErrInvalidID", bad, err)
		}
	}
	// "consent:c1" names the consent c1, and nothing else can be named so.
	c := tpoConsent()
	e := mustCompile(t, []Consent{c}, nil)
	r := obRequest()
	r.Discloser = id("ob-clinic")
	r.Recipient = Party{ID: id("peds-1"), Kind: RecipientKindCoveredEntity}
	for _, name := range []string{"c1", "consent:c1"} {
		r.Holder = &Holder{Kind: RecipientKindCoveredEntity, ReceivedUnder: name, ReceivedAt: at("2026-01-20T00:00:00Z")}
		if d := e.Decide(r); !d.Permit || d.Basis.Consent != "c1" {
			t.Errorf("received under %q: %v", name, d)
		}
	}
	r.Holder.ReceivedUnder = "consent:consent:c1"
	if d := e.Decide(r); d.Permit {
		t.Errorf(`received under "consent:consent:c1": %v`, d)
	}
}

// No identifier forges a log line: Decision.String, Basis.String, Basis.Ref, Identifier's
// String and every error quote what they print (issue 13).
func TestNoInputForgesALine(t *testing.T) {
	const forged = "c1\npermit on consent:c9"
	for _, s := range []string{
		Basis{Kind: BasisKindConsent, Consent: forged}.String(),
		Basis{Kind: BasisKindRedisclosure, Consent: forged, Section: "42 CFR 2.33(b)(1)\nx"}.String(),
		Basis{Kind: BasisKindConsent, Consent: forged}.Ref(),
		Basis{Kind: BasisKindException, Section: "a\rb"}.Ref(),
		DecisionRecord{Permit: true, Basis: Basis{Kind: BasisKindConsent, Consent: forged},
			Reasons: []Reason{{Code: "x\ny"}}}.Decision().String(),
		Identifier{System: "urn:x\n", Value: forged}.String(),
		(&ValidationError{What: "consent", ID: forged}).Error(),
	} {
		if strings.ContainsAny(s, "\n\r") {
			t.Errorf("%q holds a line break", s)
		}
	}
	if got, want := (Basis{Kind: BasisKindConsent, Consent: "c1"}).String(), `consent:"c1"`; got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
	if got, want := (Basis{Kind: BasisKindConsent, Consent: "c1"}).Ref(), "consent:c1"; got != want {
		t.Errorf("Ref() = %s, want %s", got, want)
	}
}

// Identifiers are (system, value) in JSON too: a bare string is an identifier without a
// system (the format only grows), an object carries both, and nothing else is accepted.
func TestIdentifierJSON(t *testing.T) {
	var x struct {
		A, B Identifier
	}
	if err := json.Unmarshal([]byte(`{"A": "p1", "B": {"system": "urn:mrn", "value": "p1"}}`), &x); err != nil {
		t.Fatal(err)
	}
	if x.A != id("p1") || x.B != (Identifier{System: "urn:mrn", Value: "p1"}) {
		t.Errorf("decoded %+v", x)
	}
	out, _ := json.Marshal(x)
	if string(out) != `{"A":"p1","B":{"system":"urn:mrn","value":"p1"}}` {
		t.Errorf("encoded %s", out)
	}
	for _, bad := range []string{`{"A": 7}`, `{"A": {"value": "p1", "extra": 1}}`, `{"A": {"value": "p1", "Value": "p2"}}`, `{"A": ["p1"]}`} {
		if err := json.Unmarshal([]byte(bad), &x); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

// An identifier system is never ignored: a consent for patient us-medicare|V is not the
// patient us-ssn|V's, nor V's without a system; a recipient named urn:ietf:rfc:3986|X is not
// test-system|X. (Corpus: identifier-system-*.json.)
func TestSystemsAreMatched(t *testing.T) {
	c := generalConsent()
	c.Patient = Identifier{System: "http://hl7.org/fhir/sid/us-medicare", Value: "V"}
	c.Recipients = []Recipient{{ID: Identifier{System: "urn:ietf:rfc:3986", Value: "X"}}}
	e := mustCompile(t, []Consent{c}, nil)
	r := obRequest()
	r.Patient = c.Patient
	r.Recipient.ID = Identifier{System: "urn:ietf:rfc:3986", Value: "X"}
	if d := e.Decide(r); !d.Permit {
		t.Fatalf("the named recipient of the same system was denied: %v", d)
	}
	for _, p := range []Identifier{{System: "http://hl7.org/fhir/sid/us-ssn", Value: "V"}, {Value: "V"}} {
		x := r
		x.Patient = p
		if d := e.Decide(x); d.Permit {
			t.Errorf("patient %v permitted by a consent of %v", p, c.Patient)
		}
	}
	for _, rc := range []Identifier{{System: "test-system", Value: "X"}, {Value: "X"}} {
		x := r
		x.Recipient.ID = rc
		if d := e.Decide(x); d.Permit {
			t.Errorf("recipient %v permitted by a consent naming %v", rc, c.Recipients[0].ID)
		}
	}
}

// validIdent is the identifier rule (ident.Valid): every byte value in every position of a
// word and of a tail, and every length around the bound.
func TestValidIdent(t *testing.T) {
	for n := 1; n <= 17; n++ {
		for pos := range n {
			for c := range 256 {
				b := []byte(strings.Repeat("a", n))
				b[pos] = byte(c)
				if s := string(b); validIdent(s) != ident.Valid(s) {
					t.Fatalf("%q: validIdent %v, ident.Valid %v", s, validIdent(s), ident.Valid(s))
				}
			}
		}
	}
	for _, s := range []string{"", strings.Repeat("x", ident.MaxLen), strings.Repeat("x", ident.MaxLen+1), "urn:oid:2.16.840.1.113883.4.1", "http://hl7.org/fhir/sid/us-npi", "a b", "é"} {
		if validIdent(s) != ident.Valid(s) {
			t.Errorf("%q: validIdent %v, ident.Valid %v", s, validIdent(s), ident.Valid(s))
		}
	}
}
