//go:build qa4

// QA round 4 finding that needs the package's unexported digest (package priority): the
// rest are in qa4_findings_test.go (package priority_test). Run:
// go test -tags qa4 -run TestQA4 ./priority/

package priority

import (
	"errors"
	"math"
	"testing"
	"time"
)

// TestQA4SnapshotSeqOverflowAccepted: a snapshot whose Seq is the largest uint64 (with its
// digest computed, as any system writing the documented format would: the digest is not
// keyed) passes DecodeSnapshot's and RestoreWaitlist's shape checks. The restored list's next
// Seq wraps to 0: LastSeq() says 0, the next Add is recorded yet EventsSince(0) returns
// nothing, so a registry that saves "each change as it comes (EventsSince ...)" never saves
// it, and the list's own saved JSON (MarshalJSON) is refused by DecodeWaitlist. EventsSince's
// doc: "the answer 'nothing new' would let the store skip the list's next events, which
// 96.126(a)'s 'continually updated record' cannot miss." The snapshot should be refused at
// the door (a Seq that leaves no room for a next event; likewise a Seq of 0 with people).
// Severity: low (needs a crafted or corrupt-then-re-digested snapshot). Confidence: high.
func TestQA4SnapshotSeqOverflowAccepted(t *testing.T) {
	w := newList(t, Federal())
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	if _, err := w.Add(Applicant{ID: "A", SoughtAt: at, Pregnant: true}, at, "intake-3"); err != nil {
		t.Fatal(err)
	}
	s := w.Snapshot()
	s.Seq = math.MaxUint64
	s.Digest = s.digest()
	rw, err := RestoreWaitlist(w.Policy(), s, nil, WaitlistOptions{Now: func() time.Time { return at.Add(time.Hour) }})
	if err != nil {
		if !errors.Is(err, ErrInvalidInput) && !errors.Is(err, ErrBrokenChain) {
			t.Fatalf("refused with an unexpected error: %v", err)
		}
		return // refused: what the test asks
	}
	if _, err := rw.Add(Applicant{ID: "B", SoughtAt: at}, at.Add(time.Minute), "intake-3"); err != nil {
		return // refused at the next change: acceptable too
	}
	evs, err := rw.EventsSince(0)
	t.Errorf("a snapshot with seq %d was restored; after one Add, LastSeq() = %d and EventsSince(0) = %d events (err %v): the added event is never handed to the store",
		s.Seq, rw.LastSeq(), len(evs), err)
}
