package simbench

import (
	"errors"
	"os"
	"testing"
)

// FuzzDecodePythonResult feeds the decoder arbitrary bytes: it must return a result or an
// ErrBadOutput, never panic.
func FuzzDecodePythonResult(f *testing.F) {
	seed, err := os.ReadFile("testdata/waitlist-output.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"groups": {"g": {"mean_wait_days": null}}}`))
	f.Add([]byte(`{"events": -1}`))
	f.Add([]byte(`{} {}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := DecodePythonResult(b)
		if err != nil {
			if !errors.Is(err, ErrBadOutput) {
				t.Fatalf("error %v does not match ErrBadOutput", err)
			}
			return
		}
		if r == nil {
			t.Fatal("nil result without error")
		}
	})
}

// TestDecodePythonResult decodes a real waitlist.py output and rejects a misspelt field.
func TestDecodePythonResult(t *testing.T) {
	seed, err := os.ReadFile("testdata/waitlist-output.json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := DecodePythonResult(seed)
	if err != nil {
		t.Fatal(err)
	}
	if r.Replications != 2 || r.HorizonDays != 2000 || len(r.Groups) != 2 || r.Events == 0 {
		t.Errorf("decoded %+v; want 2 replications of 2000 days, 2 groups, some events", r)
	}
	if _, err := DecodePythonResult([]byte(`{"event": 3}`)); !errors.Is(err, ErrBadOutput) {
		t.Errorf("misspelt field: error %v, want ErrBadOutput", err)
	}
}
