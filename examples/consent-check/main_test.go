package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	bundle, err := os.ReadFile("bundle-deny.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		args  []string
		stdin string
		code  int
		want  []string
	}{
		{"TPO consent permits treatment by the OB clinic", []string{"bundle-permit.json"}, "", 0,
			[]string{`PERMIT on consent:"c1"`, "notice_2_32 (42 CFR 2.32(a))", "record_disclosure (42 CFR 2.25)", "89 FR 12472"}},
		{"revoked consent denies, from stdin", []string{"-validate", "-"}, string(bundle), 1,
			[]string{"DENY", `consent_revoked [consent "c2"] (42 CFR 2.31(c)(3))`, `purpose_not_covered [consent "c1"]`, "[warning] service_outside_2_11"}},
		{"separate files, QSO", []string{"-consents", "consents.json", "-qsoas", "qsoas.json", "-request", "request-qso.json"}, "", 0,
			[]string{"PERMIT on 42 CFR 2.12(c)(4)", "limit_to_need"}},
		{"separate request replaces the bundle's", []string{"-request", "request-deny.json", "bundle-permit.json"}, "", 1,
			[]string{"DENY"}},
		{"no input", nil, "", 2, nil},
		{"misspelt field", []string{"-"}, `{"request": {"patinet": "p1"}}`, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(tt.args, strings.NewReader(tt.stdin), &out, &errOut)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, errOut.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

func TestRunJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"-json", "bundle-permit.json"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var got struct {
		Decision struct {
			Permit bool `json:"permit"`
			Basis  struct {
				Kind    string `json:"kind"`
				Consent string `json:"consent"`
			} `json:"basis"`
			Edition string `json:"edition"`
		} `json:"decision"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if !got.Decision.Permit || got.Decision.Basis.Kind != "consent" || got.Decision.Basis.Consent != "c1" || got.Decision.Edition == "" {
		t.Errorf("decision = %+v", got.Decision)
	}
}

// marker is patient free text as a careless sender would put it anywhere in a document.
const marker = "Jane Q Doe DOB 1990-04-01 heroin relapse"

// TestRunRefusesUnsafeInput: the command reads its input the way the library does: a
// second copy of a member (in any letter case) never replaces the first, nothing may
// follow the bundle, an input over the byte limit is refused without being read whole,
// and no error quotes the input.
func TestRunRefusesUnsafeInput(t *testing.T) {
	bundle, err := os.ReadFile("bundle-permit.json")
	if err != nil {
		t.Fatal(err)
	}
	b := strings.TrimSpace(string(bundle))
	huge := b + strings.Repeat(" ", 64<<20)
	for name, c := range map[string]struct{ in, want string }{
		"second request in another case":   {b[:len(b)-1] + `,"Request":{"patient":"p2"}}`, "duplicate_key"},
		"trailing data":                    {b + ` {"request":{"patient":"p2"}}`, "trailing_data"},
		"unknown member with patient text": {b[:len(b)-1] + `,"` + marker + `":1}`, "unknown_field"},
		"patient text as a code":           {strings.Replace(b, `"treatment"`, `"`+marker+`"`, 1), ""},
		"64 MiB":                           {huge, "input_too_large"},
	} {
		t.Run(name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run([]string{"-"}, strings.NewReader(c.in), &out, &errOut)
			if c.want != "" && (code != 2 || !strings.Contains(errOut.String(), c.want)) {
				t.Errorf("exit %d, stderr %q; want exit 2 naming %s", code, errOut.String(), c.want)
			}
			for _, piece := range []string{"Jane", "1990", "heroin"} {
				if strings.Contains(errOut.String()+out.String(), piece) {
					t.Errorf("output quotes the input: %s%s", errOut.String(), out.String())
				}
			}
		})
	}
}

// FuzzLoad: whatever the bundle, loading never panics, no error quotes the input, and a
// bundle that loads has a request.
func FuzzLoad(f *testing.F) {
	for _, name := range []string{"bundle-permit.json", "bundle-deny.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"request":{"patient":"QQ-MARK-QQ","purpose":"QQ-MARK-QQ","at":"QQ-MARK-QQ"},"QQ-MARK-QQ":1}`))
	f.Add([]byte(`{"consents":[{"id":"QQ-MARK-QQ","kind":"QQ-MARK-QQ"}],"request":{}} QQ-MARK-QQ`))
	f.Fuzz(func(t *testing.T, b []byte) {
		in, err := load([]string{"-"}, bytes.NewReader(b), "", "", "")
		if err != nil {
			if strings.Contains(err.Error(), "QQ-MARK") {
				t.Fatalf("error quotes the input: %v", err)
			}
			return
		}
		if in.Request == nil {
			t.Fatal("loaded without a request")
		}
	})
}

// TestIdentifiersQuoted: a consent identifier with a line break cannot forge a line of the
// command's output: such an identifier is refused, and identifiers are printed quoted and
// escaped.
func TestIdentifiersQuoted(t *testing.T) {
	bundle, err := os.ReadFile("bundle-deny.json")
	if err != nil {
		t.Fatal(err)
	}
	forged := strings.ReplaceAll(string(bundle), `"c2"`, `"c2\nPERMIT on consent:c9"`)
	var out, errOut bytes.Buffer
	run([]string{"-validate", "-"}, strings.NewReader(forged), &out, &errOut)
	all := out.String() + errOut.String()
	for _, line := range strings.Split(all, "\n") {
		if strings.HasPrefix(line, "PERMIT") {
			t.Fatalf("a forged line in the output:\n%s", all)
		}
	}
	// The identifier breaks the identifier rule, so the consent is refused at the door
	// (consent.ErrInvalidID); the refusal names it escaped, on one line.
	if !strings.Contains(errOut.String(), `"c2\nPERMIT on consent:c9"`) {
		t.Errorf("the identifier is not shown escaped:\n%s", all)
	}
}
