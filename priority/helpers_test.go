package priority

import (
	"errors"
	"testing"
	"time"
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

var t0 = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

// clock is a test's clock: a moment it moves by hand.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

// newList returns an empty list under policy p with a clock far enough ahead that no test
// change is refused as future-dated, unless a test moves it.
func newList(t testing.TB, p Policy) *Waitlist {
	t.Helper()
	c, err := Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	ck := &clock{now: time.Date(2199, 1, 1, 0, 0, 0, 0, time.UTC)}
	w, err := NewWaitlist(c, WaitlistOptions{Now: ck.Now})
	if err != nil {
		t.Fatal(err)
	}
	return w
}
