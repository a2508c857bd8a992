package fhir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
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
