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
