package referral

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// seedCorpus adds every conformance case's events, as an event array and as a referral's
// JSON, to the fuzz corpus.
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
		if !asReferral {
			es, _ := json.Marshal(c.Events)
			f.Add(es)
			continue
		}
		r := &Referral{}
		for _, e := range c.Events {
			if r.Append(e) != nil {
				break
			}
		}
		if rb, err := json.Marshal(r); err == nil {
			f.Add(rb)
		}
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`null`))
}

// FuzzDecodeReferral: decoding never panics, and whatever decodes re-encodes to JSON that
// decodes to the same referral.
func FuzzDecodeReferral(f *testing.F) {
	seedCorpus(f, true)
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := DecodeReferral(b)
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
		if back.Status() != r.Status() || len(back.Events()) != len(r.Events()) {
			t.Fatalf("round trip changed the referral")
		}
		_ = r.Gate(r.UpdatedAt())
		_ = r.Deadlines(nil, r.UpdatedAt())
		_, _ = ToFHIR(r, FHIROptions{})
	})
}

// FuzzDecodeEvents: an event array either rebuilds a referral whose events are exactly the
// decoded ones, or is refused; never a panic.
func FuzzDecodeEvents(f *testing.F) {
	seedCorpus(f, false)
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := DecodeEvents(b)
		if err != nil {
			return
		}
		again, err := Rebuild(r.Events())
		if err != nil || again.Status() != r.Status() {
			t.Fatalf("rebuild of decoded events: %v", err)
		}
	})
}

// FuzzDecodePartner: a partner decodes or is refused; a decoded one re-encodes and decodes
// to the same windows.
func FuzzDecodePartner(f *testing.F) {
	f.Add([]byte(`{"id":"ped-1","kind":"pediatric_care","ack_window":"72h"}`))
	f.Add([]byte(`{"id":"q","kind":"child_care","stall_after":"-1h","agreements":[{"id":"q1"}]}`))
	f.Add([]byte(`{"kind":"nope"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var p Partner
		if json.Unmarshal(b, &p) != nil {
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
		if err := json.Unmarshal(out, &q); err != nil || q.AckWindow != p.AckWindow || q.StallAfter != p.StallAfter {
			t.Fatalf("round trip: %v %+v %+v", err, p, q)
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
