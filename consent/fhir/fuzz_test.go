package fhir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// corpusResources returns the FHIR form of every consent of the consent corpus and the
// resources under testdata/resources: the seeds of the fuzz test and the inputs of the
// benchmarks.
func corpusResources(tb testing.TB) [][]byte {
	tb.Helper()
	var out [][]byte
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "conformance", "*.json"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		var c consentCase
		if err := decodeStrict(data, &c); err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		cs := c.Consents
		if c.ValidateConsent != nil {
			cs = append(cs, *c.ValidateConsent)
		}
		for _, cc := range cs {
			enc, err := Encode(cc)
			if unencodable(err) {
				continue
			}
			if err != nil {
				tb.Fatalf("%s: %v", f, err)
			}
			out = append(out, enc)
		}
	}
	more, _ := filepath.Glob(filepath.Join("testdata", "resources", "*.json"))
	for _, f := range more {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

// FuzzDecode checks that Decode never panics, that every failure is a *MappingError whose
// problems all have a code and a path, and that every success survives a round trip.
// The seed corpus is the FHIR form of the consent corpus (and testdata/fuzz/FuzzDecode).
func FuzzDecode(f *testing.F) {
	for _, r := range corpusResources(f) {
		f.Add(r)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Decode(data)
		if err != nil {
			var me *MappingError
			if !errors.As(err, &me) || !errors.Is(err, ErrUnmappable) {
				t.Fatalf("error %T is not a *MappingError matching ErrUnmappable: %v", err, err)
			}
			if len(me.Problems) == 0 || len(me.Problems) > MaxProblems+1 {
				t.Fatalf("%d problems", len(me.Problems))
			}
			for _, p := range me.Problems {
				if p.Code == "" || p.Path == "" || p.Message == "" {
					t.Fatalf("incomplete problem %+v", p)
				}
			}
			return
		}
		enc, err := Encode(c)
		if err != nil {
			t.Fatalf("Encode of a decoded consent: %v", err)
		}
		back, err := Decode(enc)
		if err != nil {
			t.Fatalf("Decode(Encode(Decode(x))): %v\n%s", err, enc)
		}
		if d := cmp.Diff(normalize(c), back, cmpConsent); d != "" {
			t.Fatalf("round trip differs (-first +second):\n%s", d)
		}
	})
}

// TestWriteFuzzSeeds writes the seed corpus to testdata/fuzz/FuzzDecode when
// DYAD_WRITE_SEEDS is set; otherwise it checks that the committed seeds are there.
func TestWriteFuzzSeeds(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzDecode")
	if os.Getenv("DYAD_WRITE_SEEDS") == "" {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		if len(files) == 0 {
			t.Fatalf("no committed seeds under %s", dir)
		}
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, r := range corpusResources(t) {
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%s)\n", strconv.Quote(string(r)))
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed-%03d", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// FuzzRead checks that Read never panics; that a refusal is a *MappingError with a Reading
// marked Refused; that every finding has a code, a path, an effect and a message, and every
// deficiency its 2.31(a) paragraph; and that whatever Decode maps exactly, Read reads the
// same way: one consent, equal to Decode's, and nothing narrowed.
func FuzzRead(f *testing.F) {
	for _, r := range corpusResources(f) {
		f.Add(r)
	}
	more, _ := filepath.Glob(filepath.Join("testdata", "realworld", "*", "*.json"))
	for _, name := range more {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rd, err := Read(data)
		if err != nil {
			var me *MappingError
			if !errors.As(err, &me) || !rd.Refused || len(rd.Consents) > 0 || len(rd.Refusals) > 0 {
				t.Fatalf("refusal %T %v with reading %+v", err, err, rd)
			}
			return
		}
		for _, f := range rd.Findings {
			if f.Code == "" || f.Path == "" || f.Message == "" || (f.Effect != EffectRead && f.Effect != EffectNarrowed && f.Effect != EffectDeficient) {
				t.Fatalf("incomplete finding %+v", f)
			}
			if f.Effect == EffectDeficient && f.Cite != "" && !strings.HasPrefix(f.Cite, "42 CFR 2.31") {
				t.Fatalf("deficiency cites %q", f.Cite)
			}
		}
		c, err := Decode(data)
		if err != nil {
			return
		}
		if len(rd.Consents) != 1 {
			t.Fatalf("Decode maps one consent, Read %d", len(rd.Consents))
		}
		if d := cmp.Diff(c, rd.Consents[0]); d != "" {
			t.Fatalf("Read differs from Decode (-decode +read):\n%s", d)
		}
		for _, f := range rd.Findings {
			if f.Effect == EffectNarrowed {
				t.Fatalf("Read narrowed what Decode maps exactly: %v", f)
			}
		}
	})
}
