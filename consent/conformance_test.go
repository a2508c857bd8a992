package consent

import (
	"flag"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/dyad-health/dyad/internal/conformance"
	"github.com/dyad-health/dyad/internal/jsonin"
)

var corpus = flag.String("corpus", "", "run the conformance cases of this folder instead of testdata/conformance")

// corpusCase is one conformance case, in the format of testdata/conformance/README.md.
type corpusCase struct {
	Description     string         `json:"description"`
	Policy          Policy         `json:"policy"`
	Consents        []Consent      `json:"consents"`
	QSOAs           []QSOAgreement `json:"qsoas"`
	Request         *Request       `json:"request"`
	ValidateQSOA    *QSOAgreement  `json:"validate_qsoa"`
	ValidateConsent *Consent       `json:"validate_consent"`
	Expect          corpusExpect   `json:"expect"`
}

type corpusExpect struct {
	Permit      *bool    `json:"permit"`
	Basis       string   `json:"basis"`
	Cite        string   `json:"cite"`
	Obligations []string `json:"obligations"`
	Reasons     []string `json:"reasons"`
	Valid       *bool    `json:"valid"`
	Problems    []string `json:"problems"`
	// Until, when set, is the end of the permit's basis (Decision.Until).
	Until *time.Time `json:"until"`
}

func decodeCase(data []byte) (corpusCase, error) {
	var c corpusCase
	if err := jsonin.Decode(data, &c, jsonin.Options{MaxBytes: 1 << 20}); err != nil {
		return c, err
	}
	if c.Description == "" {
		return c, fmt.Errorf("case has no description")
	}
	n := 0
	for _, set := range []bool{c.Request != nil, c.ValidateQSOA != nil, c.ValidateConsent != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return c, fmt.Errorf("case must have exactly one of request, validate_qsoa, validate_consent (has %d)", n)
	}
	if c.Request != nil && c.Expect.Permit == nil {
		return c, fmt.Errorf("a request case needs expect.permit")
	}
	if c.Request == nil && c.Expect.Valid == nil {
		return c, fmt.Errorf("a validation case needs expect.valid")
	}
	return c, nil
}

// checkCase runs a decoded case and returns every mismatch.
func checkCase(c corpusCase) []string {
	var bad []string
	switch {
	case c.ValidateQSOA != nil:
		ps := c.ValidateQSOA.Problems()
		bad = checkValidation(ps, c.ValidateQSOA.Valid(), c.Expect)
	case c.ValidateConsent != nil:
		ps := c.ValidateConsent.Problems()
		bad = checkValidation(ps, !hasErrors(ps), c.Expect)
	default:
		e, err := c.Policy.Compile(c.Consents, c.QSOAs)
		if err != nil {
			return []string{"compile: " + err.Error()}
		}
		d := e.Decide(*c.Request)
		x := e.Explain(*c.Request)
		if d.Permit != x.Permit || d.Basis != x.Basis || !d.Until().Equal(x.Until()) || !slices.Equal(d.Obligations(), x.Obligations()) {
			bad = append(bad, fmt.Sprintf("Decide (%v) and Explain (%v) disagree", d, x))
		}
		if d.Permit != *c.Expect.Permit {
			bad = append(bad, fmt.Sprintf("permit = %v, want %v (decision: %v)", d.Permit, *c.Expect.Permit, x))
		}
		if c.Expect.Basis != "" && d.Basis.Ref() != c.Expect.Basis {
			bad = append(bad, fmt.Sprintf("basis = %q, want %q", d.Basis.Ref(), c.Expect.Basis))
		}
		if c.Expect.Cite != "" && !slices.Contains(x.Citations(), c.Expect.Cite) {
			bad = append(bad, fmt.Sprintf("citations %q lack %q", x.Citations(), c.Expect.Cite))
		}
		for _, o := range c.Expect.Obligations {
			code, _ := ParseObligationCode(o)
			if !code.IsValid() || !d.HasObligation(code) {
				bad = append(bad, fmt.Sprintf("obligation %q missing (have %v)", o, d.Obligations()))
			}
		}
		if c.Expect.Until != nil && !d.Until().Equal(*c.Expect.Until) {
			bad = append(bad, fmt.Sprintf("until = %v, want %v", d.Until(), *c.Expect.Until))
		}
		for _, r := range c.Expect.Reasons {
			if !x.HasReason(Code(r)) {
				bad = append(bad, fmt.Sprintf("reason %q missing (decision: %v)", r, x))
			}
		}
		if d.Edition != RuleEdition {
			bad = append(bad, "decision lacks the rule edition")
		}
	}
	return bad
}

func checkValidation(ps []Problem, valid bool, want corpusExpect) []string {
	var bad []string
	if valid != *want.Valid {
		bad = append(bad, fmt.Sprintf("valid = %v, want %v (problems: %v)", valid, *want.Valid, ps))
	}
	for _, code := range want.Problems {
		if !slices.ContainsFunc(ps, func(p Problem) bool { return string(p.Code) == code }) {
			bad = append(bad, fmt.Sprintf("problem %q missing (have %v)", code, ps))
		}
	}
	return bad
}

func runCorpus(t *testing.T, dir string) {
	t.Helper()
	conformance.Run(t, dir, decodeCase, func(t *testing.T, c corpusCase) {
		for _, m := range checkCase(c) {
			t.Errorf("%s: %s", c.Description, m)
		}
	})
}

func TestConformance(t *testing.T) {
	runCorpus(t, conformance.Dir(t, *corpus))
}

// TestSharedConformance runs further example cases, the consent/ folder of $DYAD_SHARED_CORPUS
// (docs/conformance.md), and is skipped without it.
func TestSharedConformance(t *testing.T) {
	runCorpus(t, conformance.Shared(t, "consent"))
}

// TestCorpusCounts keeps the corpus honest: enough cases of each kind.
func TestCorpusCounts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "conformance", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 60 {
		t.Errorf("corpus has %d cases, want at least 60", len(files))
	}
}
