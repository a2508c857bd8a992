package referral

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func hours(h int) time.Duration { return time.Duration(h) * time.Hour }

func draftNone(id string, kind PartnerKind) Draft {
	return Draft{ID: id, Patient: "W1", Subject: SubjectWoman, Program: "prog-1", Partner: "partner-" + kind.String(),
		PartnerKind: kind, SUD: SUDNone}
}

func mustNew(t testing.TB, d Draft, at time.Time) *Referral {
	t.Helper()
	r, err := New(d, at, "staff-1")
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return r
}

// walk moves r through the statuses, one hour apart starting at at.
func walk(t testing.TB, r *Referral, at time.Time, path ...Status) time.Time {
	t.Helper()
	for _, s := range path {
		at = at.Add(time.Hour)
		if err := r.Transition(s, at, "staff-1", "test_step"); err != nil {
			t.Fatalf("walk to %v: %v", s, err)
		}
	}
	return at
}

// pathTo is a path from draft to each reachable status.
var pathTo = map[Status][]Status{
	StatusDraft:          nil,
	StatusRequested:      {StatusRequested},
	StatusReceived:       {StatusRequested, StatusReceived},
	StatusAccepted:       {StatusRequested, StatusAccepted},
	StatusRejected:       {StatusRequested, StatusRejected},
	StatusCancelled:      {StatusCancelled},
	StatusInProgress:     {StatusRequested, StatusAccepted, StatusInProgress},
	StatusOnHold:         {StatusRequested, StatusAccepted, StatusInProgress, StatusOnHold},
	StatusFailed:         {StatusRequested, StatusAccepted, StatusFailed},
	StatusCompleted:      {StatusRequested, StatusAccepted, StatusInProgress, StatusCompleted},
	StatusEnteredInError: {StatusEnteredInError},
}

var referralCmp = cmp.AllowUnexported(Referral{}, revocation{})
