package perinatal

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dyad-health/dyad/internal/conformance"
)

func seedCorpus(f *testing.F) {
	conformance.Seed(f, filepath.Join("testdata", "conformance"))
}

// FuzzDecodeCase decodes arbitrary conformance cases and runs every rule on whatever
// decodes: nothing may panic, and every error must be a typed one.
func FuzzDecodeCase(f *testing.F) {
	seedCorpus(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeCase(b)
		if err != nil {
			return
		}
		_ = c.check()
		if c.infant != nil {
			if _, err := DetermineAffected(*c.infant, c.Policy); err != nil && !errors.Is(err, ErrInvalid) {
				t.Fatalf("DetermineAffected: untyped error %v", err)
			}
		}
		if c.plan != nil {
			if err := c.plan.Validate(); err != nil && !errors.Is(err, ErrInvalid) {
				t.Fatalf("Validate: untyped error %v", err)
			}
		}
	})
}

// FuzzDecodeJSON decodes arbitrary JSON into each public type with text-coded enums, with
// encoding/json and with the package's strict decoders.
func FuzzDecodeJSON(f *testing.F) {
	seedCorpus(f)
	f.Add([]byte(`{"withdrawal":"present","gestational_age_at_birth":"37w0d"}`))
	f.Add([]byte(`{"id":"B1","prenatal_exposures":["opioids","x"],"fasd":"maybe"}`))
	f.Add([]byte(`{"needs":[{"for":"baby"}],"parties":[{"role":"boss"}]}`))
	f.Add([]byte(`{"back_to_sleep":"yes"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var inf Infant
		if json.Unmarshal(b, &inf) == nil {
			_, _ = DetermineAffected(inf, AffectedPolicy{})
			_ = inf.ICD10CM()
		}
		var p PlanOfSafeCare
		if json.Unmarshal(b, &p) == nil {
			_ = p.Validate()
		}
		var s SleepChecklist
		if json.Unmarshal(b, &s) == nil {
			_ = AssessSleep(s)
		}
		// The strict decoders never panic and only ever return a *ValidationError.
		var ve *ValidationError
		if _, err := DecodeInfant(b); err != nil && !errors.As(err, &ve) {
			t.Fatalf("DecodeInfant: untyped error %v", err)
		}
		if _, err := DecodePlanOfSafeCare(b); err != nil && !errors.As(err, &ve) {
			t.Fatalf("DecodePlanOfSafeCare: untyped error %v", err)
		}
		if _, err := DecodeSleepChecklist(b); err != nil && !errors.As(err, &ve) {
			t.Fatalf("DecodeSleepChecklist: untyped error %v", err)
		}
		var pr Pregnancy
		if json.Unmarshal(b, &pr) == nil {
			_ = pr.Validate()
			_ = pr.StatusAt(DefaultPostpartumWindow(), pr.LMP)
		}
	})
}

// FuzzParseGestationalAge checks that whatever parses prints back identically, and that
// rejections wrap ErrUnknownCode and quote at most 32 bytes of the input.
func FuzzParseGestationalAge(f *testing.F) {
	for _, s := range []string{"0w0d", "13w6d", "52w6d", "53w0d", "1w7d", "", "w", "99w9d9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g, err := ParseGestationalAge(s)
		if err != nil {
			if !errors.Is(err, ErrUnknownCode) {
				t.Fatalf("untyped error %v", err)
			}
			if len(s) > 40 && strings.Contains(err.Error(), s[:33]) {
				t.Fatalf("error quotes more than 32 bytes")
			}
			return
		}
		if g.String() != s {
			t.Fatalf("parsed %q, prints %q", s, g.String())
		}
	})
}

// FuzzUnmarshalEnums feeds arbitrary text to every enum decoder.
func FuzzUnmarshalEnums(f *testing.F) {
	for _, ec := range enumCases() {
		for _, c := range ec.codes {
			f.Add(c)
		}
	}
	f.Add("pregnant")
	f.Fuzz(func(t *testing.T, s string) {
		for _, ec := range enumCases() {
			u := ec.fresh()
			if err := u.UnmarshalText([]byte(s)); err != nil {
				if !errors.Is(err, ErrUnknownCode) {
					t.Fatalf("%s: untyped error %v", ec.name, err)
				}
				continue
			}
			// What decodes re-encodes to the same code.
			if got := ec.value(ec.back(u)).String(); got != s {
				t.Fatalf("%s: decoded %q, encodes %q", ec.name, s, got)
			}
		}
		var st Status
		if err := st.UnmarshalText([]byte(s)); err == nil && st.String() != s {
			t.Fatalf("Status: decoded %q, encodes %q", s, st.String())
		}
	})
}
