package referral

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// seedCorpus adds every conformance case's events, as a saved log or as a referral's JSON,
// to the fuzz corpus, with inputs carrying the marker.
func seedCorpus(f *testing.F, asReferral bool) {
	files, _ := filepath.Glob(filepath.Join("testdata", "conformance", "*.json"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var c struct {
			Events []Event `json:"events"`
		}
		if err := json.Unmarshal(b, &c); err != nil {
			f.Fatal(err)
		}
		r := &Referral{}
		for _, e := range c.Events {
			if r.Append(e) != nil {
				break
			}
		}
		var out []byte
		if asReferral {
			out, err = json.Marshal(r)
		} else {
			out, err = json.Marshal(r.Log())
		}
		if err == nil {
			f.Add(out)
		}
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`null`))
	m := `"` + fuzzMarker + `"`
	f.Add([]byte(`{"count":1,"head":` + m + `,"events":[{"seq":1,"at":` + m + `,"actor":` + m + `,"kind":` + m + `,"prev":` + m + `}]}`))
	f.Add([]byte(`{"id":` + m + `,"status":` + m + `,` + m + `:1,"events":[{"draft":{"sud":` + m + `}}],"EVENTS":[]} ` + m))
}

// fuzzMarker is input text that must never reach an error: the hyphen keeps it from ever
// looking like a schema name, which paths may show.
const fuzzMarker = "QQ-MARK-QQ"

// checkDecodeError holds the invariants of every decoder's error, whatever the input: no
// text of the input in Error() or in a problem, and a problem list within its cap.
func checkDecodeError(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if strings.Contains(err.Error(), "QQ-MARK") {
		t.Fatalf("Error() holds input text: %s", err)
	}
	var ve *ValidationError
	if errors.As(err, &ve) {
		if len(ve.Problems) > 101 || (ve.Omitted > 0) != (ve.Problems[len(ve.Problems)-1].Code == ProblemTooMany) {
			t.Fatalf("%d problems listed, %d omitted", len(ve.Problems), ve.Omitted)
		}
		for _, p := range ve.Problems {
			if strings.Contains(p.Field+p.Message+p.Cite, "QQ-MARK") {
				t.Fatalf("problem holds input text: %+v", p)
			}
		}
		return
	}
	var te *TransitionError
	var ge *GateError
	if !errors.As(err, &te) && !errors.As(err, &ge) {
		t.Fatalf("untyped error %T: %v", err, err)
	}
}

var fuzzCmp = []cmp.Option{referralCmp, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })}

// FuzzDecodeReferral: decoding never panics and keeps checkDecodeError's invariants, and
// whatever decodes re-encodes to JSON that decodes to the same referral, with the same head.
func FuzzDecodeReferral(f *testing.F) {
	seedCorpus(f, true)
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := DecodeReferral(b)
		checkDecodeError(t, err)
		if err != nil {
			return
		}
		out, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		back, err := DecodeReferral(out)
		if err != nil {
			t.Fatalf("re-decode: %v\n%s", err, out)
		}
		if d := cmp.Diff(r, back, fuzzCmp...); d != "" || back.Head() != r.Head() {
			t.Fatalf("round trip changed the referral:\n%s", d)
		}
		_ = r.Gate(r.UpdatedAt())
		_ = r.Deadlines(nil, r.UpdatedAt())
		_, _ = ToFHIR(r, FHIROptions{})
	})
}

// FuzzDecodeEvents: a saved log either rebuilds a referral whose log reads back to the
// same referral, or is refused within checkDecodeError's invariants; never a panic. The
// same holds for old logs read with AllowUnchained.
func FuzzDecodeEvents(f *testing.F) {
	seedCorpus(f, false)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, o := range []DecodeOptions{{}, {AllowUnchained: true}} {
			r, err := o.DecodeEvents(b)
			checkDecodeError(t, err)
			if err != nil {
				continue
			}
			again, err := DecodeEvents(mustMarshalF(t, r.Log()))
			if err != nil {
				t.Fatalf("re-decode of the saved log: %v", err)
			}
			if d := cmp.Diff(r, again, fuzzCmp...); d != "" {
				t.Fatalf("round trip changed the referral:\n%s", d)
			}
		}
	})
}

func mustMarshalF(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzDecodePartner: a partner decodes or is refused within checkDecodeError's
// invariants; a decoded one re-encodes and decodes to the same partner.
func FuzzDecodePartner(f *testing.F) {
	f.Add([]byte(`{"id":"ped-1","kind":"pediatric_care","ack_window":"72h"}`))
	f.Add([]byte(`{"id":"q","kind":"child_care","stall_after":"-1h","agreements":[{"id":"q1"}]}`))
	f.Add([]byte(`{"kind":"nope"}`))
	f.Add([]byte(`{"id":"` + fuzzMarker + `","kind":"` + fuzzMarker + `","ack_window":"` + fuzzMarker + `","` + fuzzMarker + `":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := DecodeOptions{}.DecodePartner(b)
		checkDecodeError(t, err)
		if err != nil {
			return
		}
		_ = p.Validate()
		out, err := json.Marshal(p)
		if err != nil {
			if p.Kind.IsValid() {
				t.Fatalf("re-encode: %v", err)
			}
			return
		}
		var q Partner
		if err := json.Unmarshal(out, &q); err != nil {
			t.Fatalf("re-decode: %v\n%s", err, out)
		}
		if d := cmp.Diff(p, q, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("round trip changed the partner:\n%s", d)
		}
	})
}

// FuzzParseStatus: text and FHIR codes either parse to a valid status that round-trips, or
// are refused.
func FuzzParseStatus(f *testing.F) {
	for _, s := range Statuses() {
		f.Add(s.String())
		f.Add(s.FHIRCode())
	}
	f.Add("unknown")
	f.Fuzz(func(t *testing.T, s string) {
		if st, err := ParseFHIRStatus(s); err == nil && (!st.IsValid() || st.FHIRCode() != s) {
			t.Fatalf("ParseFHIRStatus(%q) = %v", s, st)
		}
		var st Status
		if err := st.UnmarshalText([]byte(s)); err == nil && (!st.IsValid() || st.String() != s) {
			t.Fatalf("UnmarshalText(%q) = %v", s, st)
		}
	})
}
