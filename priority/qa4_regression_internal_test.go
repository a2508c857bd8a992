// Regression tests from QA round 4 that need the package's unexported digest (package
// priority); the others are in qa4_regression_test.go. Each failed on the code the findings
// were written against (branch qa4, from main 637f027), checked by running it there.
// Run: go test -run TestRegression ./priority/

package priority

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"
)

// TestRegressionSnapshotSeqOverflowAccepted (QA4 TestQA4SnapshotSeqOverflowAccepted): a
// snapshot whose Seq is the largest uint64, with its digest recomputed (the digest is not
// keyed), was restored; the next event's Seq wrapped to 0, so EventsSince(0) returned nothing
// and the store never saved it (96.126(a) "a continually updated record"). Now every seq and
// count of a saved form is bounded by MaxSeq (2^53) and refused at the door with
// ErrInvalidInput, as are counts that the events up to Seq cannot have made (each arrival and
// each contact attempt is one event, so neither can exceed Seq).
func TestRegressionSnapshotSeqOverflowAccepted(t *testing.T) {
	w := newList(t, Federal())
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	if _, err := w.Add(Applicant{ID: "A", SoughtAt: at, Pregnant: true}, at, "intake-3"); err != nil {
		t.Fatal(err)
	}
	base := w.Snapshot()
	cases := map[string]func(s *Snapshot){
		"seq max uint64":      func(s *Snapshot) { s.Seq = math.MaxUint64 },
		"seq past MaxSeq":     func(s *Snapshot) { s.Seq = MaxSeq + 1 },
		"seq 0 with people":   func(s *Snapshot) { s.Seq = 0 },
		"arrivals past seq":   func(s *Snapshot) { s.Arrivals = s.Seq + 1; s.People[0].Arrival = s.Arrivals },
		"attempts past seq":   func(s *Snapshot) { s.People[0].Contacts.Attempts = int(s.Seq) + 1 },
		"attempts past u32":   func(s *Snapshot) { s.Seq = 1 << 40; s.People[0].Contacts.Attempts = math.MaxUint32 + 1 },
		"arrivals max uint64": func(s *Snapshot) { s.Arrivals = math.MaxUint64; s.People[0].Arrival = math.MaxUint64 },
	}
	for name, edit := range cases {
		s := base
		s.People = append([]SnapshotPerson(nil), base.People...)
		edit(&s)
		s.Digest = s.digest()
		rw, err := RestoreWaitlist(w.Policy(), s, nil, WaitlistOptions{Now: func() time.Time { return at.Add(time.Hour) }})
		if err == nil {
			t.Errorf("%s: a snapshot with seq %d, arrivals %d was restored (LastSeq %d)", name, s.Seq, s.Arrivals, rw.LastSeq())
			continue
		}
		if !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: refused with %v, want ErrInvalidInput", name, err)
		}
		data, jerr := json.Marshal(s)
		if jerr != nil {
			t.Fatal(jerr)
		}
		if _, err := DecodeSnapshot(data, DecodeOptions{}); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: DecodeSnapshot: %v, want ErrInvalidInput", name, err)
		}
	}
	// A Seq near MaxSeq leaves room: the restored list numbers its next event after it. A
	// change is refused once it and the reclassifications before it (one per person waiting,
	// at most) could pass MaxSeq.
	s := base
	s.Seq = MaxSeq - 2
	s.Digest = s.digest()
	rw, err := RestoreWaitlist(w.Policy(), s, nil, WaitlistOptions{Now: func() time.Time { return at.Add(time.Hour) }})
	if err != nil {
		t.Fatalf("seq MaxSeq-1 refused: %v", err)
	}
	if _, err := rw.Add(Applicant{ID: "B", SoughtAt: at}, at.Add(time.Minute), "intake-3"); err != nil {
		t.Fatal(err)
	}
	if evs, err := rw.EventsSince(MaxSeq - 2); err != nil || len(evs) != 1 || evs[0].Seq != MaxSeq-1 {
		t.Fatalf("after one Add past seq MaxSeq-2: %d events, err %v, want the one of seq MaxSeq-1", len(evs), err)
	}
	// Next would be MaxSeq, with two waiting who might be reclassified first: refused.
	if _, err := rw.Add(Applicant{ID: "C", SoughtAt: at}, at.Add(2*time.Minute), "intake-3"); !errors.Is(err, ErrInvalidEvent) {
		t.Fatalf("an Add past MaxSeq: %v, want ErrInvalidEvent", err)
	}
	// A saved log whose After+Count would pass MaxSeq (or wrap) is refused too.
	for _, l := range []SavedLog{
		{Format: FormatLog, Policy: w.Policy().ID(), After: math.MaxUint64, Prev: base.Head, Head: base.Head},
		{Format: FormatLog, Policy: w.Policy().ID(), After: MaxSeq, Count: 1, Prev: base.Head, Head: base.Head, Events: []Event{{}}},
	} {
		data, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		var ve *ValidationError
		if _, err := DecodeLog(data, DecodeOptions{}); !errors.Is(err, ErrInvalidInput) || !errors.As(err, &ve) || ve.Problems[0].Code != "seq_out_of_range" {
			t.Errorf("a log after %d with %d events: %v, want ErrInvalidInput seq_out_of_range", l.After, l.Count, err)
		}
	}
}
