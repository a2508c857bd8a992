package fhir

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReencodeKeepsCoveredElements checks encode(decode(r)) on every resource of testdata
// that decodes: writing it back keeps every element the mapping covers, that is, decoding
// the written resource gives the same consent.
func TestReencodeKeepsCoveredElements(t *testing.T) {
	var resources [][]byte
	files, _ := filepath.Glob(filepath.Join("testdata", "resources", "*.json"))
	for _, f := range files {
		resources = append(resources, mustRead(t, f))
	}
	cases, _ := filepath.Glob(filepath.Join("testdata", "conformance", "*.json"))
	for _, f := range cases {
		var c fhirCase
		if err := json.Unmarshal(mustRead(t, f), &c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, r := range c.Resources {
			resources = append(resources, r)
		}
	}
	n := 0
	for i, r := range resources {
		first, err := Decode(r)
		if err != nil {
			continue
		}
		n++
		enc, err := Encode(first)
		if err != nil {
			t.Errorf("resource %d: Encode: %v", i, err)
			continue
		}
		again, err := Decode(enc)
		if err != nil {
			t.Errorf("resource %d: Decode(Encode): %v", i, err)
			continue
		}
		if d := cmp.Diff(first, again, cmpConsent); d != "" {
			t.Errorf("resource %d: an element was lost (-decoded +re-encoded):\n%s", i, d)
		}
	}
	if n < 5 {
		t.Errorf("only %d resources decoded", n)
	}
}
