package priority

import (
	"errors"
	"testing"
	_ "time/tzdata" // zone tests pass even where the system has no time zone database

	"github.com/google/go-cmp/cmp"
)

// noErr fails the test now if err is not nil.
func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// isErr fails the test if err does not match target.
func isErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error %v, want %v", err, target)
	}
}

// eq fails the test if got differs from want, showing the difference.
func eq[T any](t *testing.T, want, got T, opts ...cmp.Option) {
	t.Helper()
	if diff := cmp.Diff(want, got, opts...); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}
