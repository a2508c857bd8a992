package program

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// marker is text a fuzz input may carry that no message may repeat: it holds a space and a
// hyphen, so it is neither a schema name nor a code nor an identifier.
const marker = "Zq-X J"

// seedCases adds the facts (or guidance) of every conformance case to the fuzz corpus.
func seedCases(f *testing.F, member string) {
	files, _ := filepath.Glob(filepath.Join("testdata", "conformance", "*.json"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var c map[string]json.RawMessage
		if err := json.Unmarshal(b, &c); err != nil {
			f.Fatal(err)
		}
		if raw, ok := c[member]; ok {
			f.Add([]byte(raw))
		}
	}
}

// FuzzDecodeFacts: decoding never panics and never repeats input text in an error; facts
// it accepts are accepted by a review, and write back (EncodeFacts) to facts that read and
// review the same.
func FuzzDecodeFacts(f *testing.F) {
	seedCases(f, "facts")
	if b, err := EncodeFacts(richFacts(f), Options{At: at0}); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"program":"p","dyads":[{"id":"d","mother":"` + marker + `"}]}`))
	f.Add([]byte(`{"program":"p","received":[{"id":"r","at":"2026-01-01T00:00:00Z","source":"` + marker + `"}]}`))
	rv, err := New(MassachusettsBSAS())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		facts, opt, err := DecodeFacts(b)
		if err != nil {
			msg := err.Error()
			if strings.Contains(msg, marker) || strings.ContainsAny(msg, "\n\r") {
				t.Fatalf("error repeats input or spans lines: %q", msg)
			}
			return
		}
		if opt.At.IsZero() {
			opt.At = at0
		}
		if opt.From.After(opt.At) {
			opt.From = opt.At
		}
		rep, err := rv.Review(facts, opt)
		if err != nil {
			t.Fatalf("decoded facts refused by a review: %v", err)
		}
		for _, g := range append(rep.Gaps, rep.Warnings...) {
			if strings.Contains(g.String(), marker) || strings.Contains(g.Message, marker) {
				t.Fatalf("finding repeats input: %v", g)
			}
		}
		out, err := EncodeFacts(facts, opt)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		back, bopt, err := DecodeFacts(out)
		if err != nil {
			t.Fatalf("re-decode: %v\n%s", err, out)
		}
		rep2, err := rv.Review(back, bopt)
		if err != nil {
			t.Fatalf("re-review: %v", err)
		}
		if d := cmp.Diff(rep, rep2, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("review changed by a round trip (-first +second):\n%s", d)
		}
	})
}

// FuzzDecodeGuidance: decoding never panics and never repeats input text in an error; a
// guidance it accepts prepares (New), and writes back to the same guidance.
func FuzzDecodeGuidance(f *testing.F) {
	seedCases(f, "guidance")
	if b, err := json.Marshal(MassachusettsBSAS()); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"id":"x","competencies":[{"code":"` + marker + `","cite":"c","topic":"t","training_every_days":1}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := DecodeGuidance(b)
		if err != nil {
			msg := err.Error()
			if strings.Contains(msg, marker) || strings.ContainsAny(msg, "\n\r") {
				t.Fatalf("error repeats input or spans lines: %q", msg)
			}
			return
		}
		if _, err := New(g); err != nil {
			t.Fatalf("decoded guidance refused by New: %v", err)
		}
		out, err := json.Marshal(g)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		back, err := DecodeGuidance(out)
		if err != nil {
			t.Fatalf("re-decode: %v\n%s", err, out)
		}
		if d := cmp.Diff(g, back, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("round trip (-first +second):\n%s", d)
		}
	})
}
