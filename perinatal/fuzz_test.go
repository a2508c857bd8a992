package perinatal

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dyad-health/dyad/internal/conformance"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
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

// FuzzDecodeJSON decodes arbitrary JSON into each public type with text-coded enums with
// encoding/json (as a user's own code may), and runs the rules on whatever decodes:
// nothing may panic.
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
		var pr Pregnancy
		if json.Unmarshal(b, &pr) == nil {
			_ = pr.Validate()
			_ = pr.StatusAt(DefaultPostpartumWindow(), pr.LMP)
		}
	})
}

// fuzzMarker is input text that must never reach an error: the hyphen keeps it from ever
// looking like a schema name, which paths may show.
const fuzzMarker = "QQ-MARK-QQ"

// checkDecoded holds the invariants every decoder keeps, whatever the input: an error is
// a *ValidationError matching ErrInvalid, listing at most the cap (100) and a
// too_many_problems entry, and no text of the input, neither in Error() nor in a problem.
func checkDecoded(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var ve *ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("untyped error %T: %v", err, err)
	}
	if len(ve.Problems) > 101 || (ve.Omitted > 0) != (ve.Problems[len(ve.Problems)-1].Code == ProblemTooMany) {
		t.Fatalf("%d problems listed, %d omitted", len(ve.Problems), ve.Omitted)
	}
	if strings.Contains(err.Error(), "QQ-MARK") {
		t.Fatalf("Error() holds input text: %s", err)
	}
	for _, p := range ve.Problems {
		if strings.Contains(p.Field+p.Message+p.Cite, "QQ-MARK") {
			t.Fatalf("problem holds input text: %+v", p)
		}
	}
}

// roundTrip checks that a value decoded without error encodes to JSON that decodes, again
// without error, to the same value.
func roundTrip[T any](t *testing.T, v T, decode func([]byte) (T, error)) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("re-encode: %v", err)
	}
	back, err := decode(b)
	if err != nil {
		t.Fatalf("re-decode: %v\n%s", err, b)
	}
	if diff := cmp.Diff(v, back, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("round trip changed the value (-decoded +re-decoded)\n%s", diff)
	}
}

// FuzzDecodeInfant: DecodeInfant keeps checkDecoded's invariants, and a valid infant
// round-trips.
func FuzzDecodeInfant(f *testing.F) {
	seedCorpus(f)
	f.Add([]byte(`{"id":"B1","born_at":"2026-09-17T08:00:00Z","gestational_age_at_birth":"37w0d","prenatal_exposures":["opioids"],"withdrawal":"present","substance_affected":"absent","fasd":"absent"}`))
	f.Add([]byte(`{"id":"` + fuzzMarker + `","withdrawal":"` + fuzzMarker + `","prenatal_exposures":["` + fuzzMarker + `"],"born_at":"` + fuzzMarker + `"}`))
	f.Add([]byte(`{"` + fuzzMarker + `":1,"gestational_age_at_birth":"` + fuzzMarker + `","ID":"x","id":"y"} x`))
	f.Fuzz(func(t *testing.T, b []byte) {
		inf, err := DecodeOptions{MaxBytes: 1 << 20}.DecodeInfant(b)
		checkDecoded(t, err)
		if err == nil {
			roundTrip(t, inf, DecodeInfant)
			if _, err := DetermineAffected(inf, AffectedPolicy{}); err != nil {
				t.Fatalf("a decoded infant is invalid: %v", err)
			}
		}
	})
}

// FuzzDecodePlanOfSafeCare: DecodePlanOfSafeCare keeps checkDecoded's invariants, and a
// valid plan round-trips.
func FuzzDecodePlanOfSafeCare(f *testing.F) {
	seedCorpus(f)
	f.Add([]byte(`{"infant_id":"` + fuzzMarker + `","needs":[{"for":"` + fuzzMarker + `","services":["` + fuzzMarker + `"]}],"parties":[{"id":"c","role":"` + fuzzMarker + `"}],"monitoring":{"party":"c","interval_days":30,"next_review":"` + fuzzMarker + `"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := DecodeOptions{MaxBytes: 1 << 20}.DecodePlanOfSafeCare(b)
		checkDecoded(t, err)
		if err == nil {
			roundTrip(t, p, DecodePlanOfSafeCare)
		}
	})
}

// FuzzDecodeSleepChecklist: DecodeSleepChecklist keeps checkDecoded's invariants, and a
// checklist decoded without error round-trips.
func FuzzDecodeSleepChecklist(f *testing.F) {
	seedCorpus(f)
	f.Add([]byte(`{"back_to_sleep":"met","no_bed_sharing":"unmet","smoke_free":"unknown"}`))
	f.Add([]byte(`{"back_to_sleep":"` + fuzzMarker + `","` + fuzzMarker + `":"met","Back_To_Sleep":"met"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := DecodeSleepChecklist(b)
		checkDecoded(t, err)
		if err == nil {
			roundTrip(t, c, DecodeSleepChecklist)
			_ = AssessSleep(c)
		}
	})
}

// FuzzParseGestationalAge checks that whatever parses prints back identically, and that
// rejections wrap ErrUnknownCode and quote nothing of the input.
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
			if err.Error() != "perinatal: unknown gestational age code" {
				t.Fatalf("error %q: it must quote nothing of the input", err)
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
