package consent

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/dyad-health/dyad/internal/conformance"
)

func seedCorpus(f *testing.F) {
	conformance.Seed(f, filepath.Join("testdata", "conformance"))
}

// FuzzCase decodes arbitrary case files and runs them: never a panic, and a decision is
// always either a permit with a basis and obligations' codes known, or a deny with reasons.
func FuzzCase(f *testing.F) {
	seedCorpus(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := decodeCase(data)
		if err != nil {
			return
		}
		_ = checkCase(c)
		if c.Request == nil {
			return
		}
		e, err := Compile(c.Consents, c.QSOAs)
		if err != nil {
			return
		}
		d := e.Decide(*c.Request)
		x := e.Explain(*c.Request)
		if d.Permit != x.Permit || d.Basis != x.Basis {
			t.Fatalf("Decide %v and Explain %v disagree", d, x)
		}
		if d.Permit && d.Basis.Kind == BasisKindUnknown {
			t.Fatalf("permit without basis: %v", d)
		}
		if !d.Permit && len(d.Reasons()) == 0 {
			t.Fatalf("deny without reason: %v", d)
		}
		if d.Permit && !c.Request.Purpose.IsValid() {
			t.Fatalf("permit for an unknown purpose: %v", d)
		}
	})
}

// FuzzConsent decodes arbitrary consent JSON: validation and lifecycle never panic, and a
// consent with problems never permits.
func FuzzConsent(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "conformance", "*.json"))
	for _, p := range files {
		b, _ := os.ReadFile(p)
		var c struct {
			Consents        []json.RawMessage `json:"consents"`
			ValidateConsent json.RawMessage   `json:"validate_consent"`
		}
		if json.Unmarshal(b, &c) != nil {
			continue
		}
		for _, x := range c.Consents {
			f.Add([]byte(x))
		}
		if c.ValidateConsent != nil {
			f.Add([]byte(c.ValidateConsent))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Consent
		if json.Unmarshal(data, &c) != nil {
			return
		}
		ps := c.Problems()
		_ = c.Validate()
		if checkID("consent", c.ID, 0, true) != nil {
			c.ID = "c"
		}
		e, err := Compile([]Consent{c}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []RecipientKind{RecipientKindCoveredEntity, RecipientKindContractor} {
			for _, disc := range append(ids("x"), c.Disclosers...) {
				r := Request{Patient: c.Patient, Discloser: disc, Recipient: Party{ID: id("ob-clinic"), Kind: k},
					Purpose: PurposeTreatment, Information: c.Information, At: c.SignedAt}
				if d := e.Decide(r); d.Permit && d.Basis.Kind == BasisKindConsent && hasErrors(ps) {
					t.Fatalf("consent with problems %v permitted: %v", ps, d)
				}
			}
		}
	})
}

// FuzzQSOAgreement decodes arbitrary agreement JSON: validation never panics and an
// agreement with error-level problems is never in force.
func FuzzQSOAgreement(f *testing.F) {
	f.Add([]byte(`{"id":"q1","program":"prog-1","organization":"lab-1","services":["laboratory_analyses"],"written":true,"bound_by_part2":true,"resist_judicial_access":true,"signed_at":"2025-12-01T00:00:00Z"}`))
	f.Add([]byte(`{"services":["prenatal care", ""],"expires":"2020-01-01T00:00:00Z"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var a QSOAgreement
		if json.Unmarshal(data, &a) != nil {
			return
		}
		if !a.Valid() && a.InForceAt(a.SignedAt) {
			t.Fatal("invalid agreement in force")
		}
		_ = a.Validate()
	})
}
