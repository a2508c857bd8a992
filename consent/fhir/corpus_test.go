package fhir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/internal/conformance"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// consentCase is a case of the consent package's conformance corpus (its format is
// consent/testdata/conformance/README.md).
type consentCase struct {
	Description     string                 `json:"description"`
	Policy          consent.Policy         `json:"policy"`
	Consents        []consent.Consent      `json:"consents"`
	QSOAs           []consent.QSOAgreement `json:"qsoas"`
	Request         *consent.Request       `json:"request"`
	ValidateQSOA    *consent.QSOAgreement  `json:"validate_qsoa"`
	ValidateConsent *consent.Consent       `json:"validate_consent"`
	Expect          consentCaseExpect      `json:"expect"`
}

type consentCaseExpect struct {
	Permit      *bool    `json:"permit"`
	Basis       string   `json:"basis"`
	Cite        string   `json:"cite"`
	Obligations []string `json:"obligations"`
	Reasons     []string `json:"reasons"`
	Valid       *bool    `json:"valid"`
	Problems    []string `json:"problems"`
	Until       *string  `json:"until"`
}

func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("trailing data after the case object")
	}
	return nil
}

// normalize returns the consent as the mapping defines equality: a recipient with members
// or a member designation is an intermediary (consent.Recipient.IsIntermediary), so the
// Intermediary flag is set wherever it is implied.
func normalize(c consent.Consent) consent.Consent {
	rs := make([]consent.Recipient, len(c.Recipients))
	copy(rs, c.Recipients)
	for i := range rs {
		if rs[i].IsIntermediary() {
			rs[i].Intermediary = true
		}
	}
	c.Recipients = rs
	return c
}

var cmpConsent = cmp.Options{cmpopts.EquateEmpty()}

// unencodable reports whether Encode refused the consent only for elements FHIR cannot
// carry (an entry both named and designated, an empty identifier): such a consent has no
// FHIR form to go through.
func unencodable(err error) bool {
	var me *MappingError
	if !errors.As(err, &me) {
		return false
	}
	for _, p := range me.Problems {
		if p.Code != CodeRecipient && p.Code != CodeEmptyValue {
			return false
		}
	}
	return true
}

// viaFHIR encodes a consent to FHIR JSON and decodes it back, checking the round trip. A
// consent FHIR cannot carry is returned as it is.
func viaFHIR(t *testing.T, c consent.Consent) consent.Consent {
	t.Helper()
	data, err := Encode(c)
	if unencodable(err) {
		t.Logf("consent %q has no FHIR form: %v", c.ID, err)
		return c
	}
	if err != nil {
		t.Fatalf("Encode(consent %q): %v", c.ID, err)
	}
	got, err := Decode(data)
	if err != nil {
		t.Fatalf("Decode(Encode(consent %q)): %v\n%s", c.ID, err, data)
	}
	if d := cmp.Diff(normalize(c), got, cmpConsent); d != "" {
		t.Errorf("consent %q: decode(encode(c)) != c (-want +got):\n%s", c.ID, d)
	}
	return got
}

// runConsentCorpus runs every case of a consent corpus folder through FHIR: each consent is
// encoded to a FHIR Consent and decoded back, and the engine built from the decoded consents
// must give the very decision (compared whole) that the engine built from the originals
// gives, and the case's expected outcome.
func runConsentCorpus(t *testing.T, dir string) (cases, consents int) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no cases in %s", dir)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		cases++
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			var c consentCase
			if err := decodeStrict(data, &c); err != nil {
				t.Fatalf("case does not match the schema: %v", err)
			}
			switch {
			case c.ValidateConsent != nil:
				consents++
				got := viaFHIR(t, *c.ValidateConsent)
				if d := cmp.Diff(c.ValidateConsent.Problems(), got.Problems(), cmpConsent); d != "" {
					t.Errorf("validation differs after FHIR (-want +got):\n%s", d)
				}
			case c.Request != nil:
				decoded := make([]consent.Consent, len(c.Consents))
				for i, cc := range c.Consents {
					consents++
					decoded[i] = viaFHIR(t, cc)
				}
				want, err := c.Policy.Compile(c.Consents, c.QSOAs)
				if err != nil {
					t.Fatalf("compile originals: %v", err)
				}
				got, err := c.Policy.Compile(decoded, c.QSOAs)
				if err != nil {
					t.Fatalf("compile decoded: %v", err)
				}
				wd, gd := want.Decide(*c.Request), got.Decide(*c.Request)
				if d := cmp.Diff(wd, gd); d != "" {
					t.Errorf("decision differs after FHIR (-want +got):\n%s", d)
				}
				if c.Expect.Permit != nil && gd.Permit != *c.Expect.Permit {
					t.Errorf("permit = %v, case expects %v (%s)", gd.Permit, *c.Expect.Permit, gd)
				}
			case c.ValidateQSOA != nil:
				// A QSO agreement is not a FHIR Consent: nothing to map.
			default:
				t.Fatalf("case has neither a request nor a validation")
			}
		})
	}
	return cases, consents
}

func TestConsentCorpusViaFHIR(t *testing.T) {
	cases, consents := runConsentCorpus(t, filepath.Join("..", "testdata", "conformance"))
	if consents == 0 {
		t.Errorf("no consent in %d cases went through FHIR", cases)
	}
	t.Logf("%d cases, %d consents through FHIR", cases, consents)
}

func TestSharedConsentCorpusViaFHIR(t *testing.T) {
	runConsentCorpus(t, conformance.Shared(t, "consent"))
}
