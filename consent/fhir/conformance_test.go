package fhir

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/internal/conformance"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var corpus = flag.String("corpus", "", "run the FHIR conformance cases of this folder instead of testdata/conformance")

// fhirCase is a conformance case of this package: FHIR Consent resources as a vendor holds
// them, compiled with Options.Compile, and either the problems their mapping must report or
// a request and the decision expected of it.
type fhirCase struct {
	Description string                 `json:"description"`
	Options     *fhirCaseOptions       `json:"options"`
	Resources   []json.RawMessage      `json:"resources"`
	QSOAs       []consent.QSOAgreement `json:"qsoas"`
	Request     *consent.Request       `json:"request"`
	Expect      fhirCaseExpect         `json:"expect"`
}

type fhirCaseOptions struct {
	DefaultStatements consent.Statements `json:"default_statements"`
	// Lenient reads every resource as Read does (Options.Lenient).
	Lenient bool `json:"lenient,omitempty"`
}

type fhirCaseExpect struct {
	// Problems are every mapping problem, in order: resource index, code and path.
	Problems []fhirCaseProblem `json:"problems"`
	Permit   *bool             `json:"permit"`
	Basis    string            `json:"basis"`
	// Reasons must each be among the decision's reason codes.
	Reasons []string `json:"reasons"`
	// Labels are the codes of Labels(decision), in order.
	Labels []string `json:"labels"`
	// Findings must each be among the findings of Read (lenient cases only): resource
	// index, code, path and, when given, effect.
	Findings []fhirCaseFinding `json:"findings"`
}

type fhirCaseFinding struct {
	Resource int    `json:"resource"`
	Code     string `json:"code"`
	Path     string `json:"path"`
	Effect   string `json:"effect,omitempty"`
}

type fhirCaseProblem struct {
	Resource int    `json:"resource"`
	Code     string `json:"code"`
	Path     string `json:"path"`
}

func runFHIRCase(t *testing.T, file string) {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	var c fhirCase
	if err := decodeStrict(data, &c); err != nil {
		t.Fatalf("case does not match the schema: %v", err)
	}
	if c.Description == "" || len(c.Resources) == 0 {
		t.Fatalf("case needs a description and resources")
	}
	if c.Request != nil && c.Expect.Permit == nil {
		t.Fatalf("a request case needs expect.permit")
	}
	var o Options
	if c.Options != nil {
		o.DefaultStatements = c.Options.DefaultStatements
		o.Lenient = c.Options.Lenient
	}
	if len(c.Expect.Findings) > 0 && !o.Lenient {
		t.Fatalf("expect.findings needs options.lenient")
	}
	raw := make([][]byte, len(c.Resources))
	for i, r := range c.Resources {
		raw[i] = r
	}
	e, err := o.Compile(raw, c.QSOAs)
	var got []fhirCaseProblem
	if err != nil {
		var ce *CompileError
		if !errors.As(err, &ce) {
			t.Fatalf("Compile: %v", err)
		}
		for _, re := range ce.Resources {
			var me *MappingError
			if !errors.As(re.Err, &me) {
				t.Fatalf("resource %d: %v", re.Index, re.Err)
			}
			for _, p := range me.Problems {
				got = append(got, fhirCaseProblem{Resource: re.Index, Code: string(p.Code), Path: p.Path})
			}
		}
	}
	if d := cmp.Diff(c.Expect.Problems, got); d != "" {
		t.Errorf("mapping problems (-want +got):\n%s", d)
	}
	if len(c.Expect.Findings) > 0 {
		var found []fhirCaseFinding
		for i, r := range raw {
			rd, _ := o.Read(r)
			for _, f := range rd.Findings {
				found = append(found, fhirCaseFinding{Resource: i, Code: string(f.Code), Path: f.Path, Effect: string(f.Effect)})
			}
		}
		for _, want := range c.Expect.Findings {
			ok := false
			for _, f := range found {
				if f.Resource == want.Resource && f.Code == want.Code && f.Path == want.Path && (want.Effect == "" || want.Effect == f.Effect) {
					ok = true
				}
			}
			if !ok {
				t.Errorf("finding %+v not among %+v", want, found)
			}
		}
	}
	if c.Request == nil {
		return
	}
	d := e.Decide(*c.Request)
	if d.Permit != *c.Expect.Permit {
		t.Errorf("permit = %v, want %v (%s)", d.Permit, *c.Expect.Permit, d)
	}
	if c.Expect.Basis != "" && d.Basis.Ref() != c.Expect.Basis {
		t.Errorf("basis = %q, want %q", d.Basis, c.Expect.Basis)
	}
	for _, r := range c.Expect.Reasons {
		if !d.HasReason(consent.Code(r)) {
			t.Errorf("missing reason %s in %s", r, d)
		}
	}
	if c.Expect.Labels != nil {
		var codes []string
		for _, l := range Labels(d) {
			codes = append(codes, l.Code)
		}
		if d := cmp.Diff(c.Expect.Labels, codes, cmpopts.EquateEmpty()); d != "" {
			t.Errorf("labels (-want +got):\n%s", d)
		}
	}
}

func TestConformance(t *testing.T) {
	dir := conformance.Dir(t, *corpus)
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no *.json case in %s", dir)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".json"), func(t *testing.T) { runFHIRCase(t, f) })
	}
}
