package referral

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// measureSet builds the referrals of the measure tests, each moved at hand-picked times.
func measureSet(t *testing.T) []*Referral {
	step := func(r *Referral, s Status, at string) {
		t.Helper()
		if err := r.Transition(s, date(at), "staff-1", "test_step"); err != nil {
			t.Fatal(err)
		}
	}
	// R1 prenatal: sent 5 Jan 10:00, accepted 24 h later, completed 10 days after sending.
	r1 := mustNew(t, draftNone("R1", PartnerPrenatalCare), date("2026-01-05T09:00:00Z"))
	step(r1, StatusRequested, "2026-01-05T10:00:00Z")
	step(r1, StatusAccepted, "2026-01-06T10:00:00Z")
	step(r1, StatusInProgress, "2026-01-07T10:00:00Z")
	step(r1, StatusCompleted, "2026-01-15T10:00:00Z")
	// R2 prenatal: sent 20 Jan 10:00, accepted 72 h later, still in progress.
	r2 := mustNew(t, draftNone("R2", PartnerPrenatalCare), date("2026-01-20T09:00:00Z"))
	step(r2, StatusRequested, "2026-01-20T10:00:00Z")
	step(r2, StatusAccepted, "2026-01-23T10:00:00Z")
	step(r2, StatusInProgress, "2026-01-24T10:00:00Z")
	// R3 Early Intervention: sent 3 Feb, rejected a day later.
	r3 := mustNew(t, draftNone("R3", PartnerEarlyIntervention), date("2026-02-03T09:00:00Z"))
	step(r3, StatusRequested, "2026-02-03T10:00:00Z")
	step(r3, StatusRejected, "2026-02-04T10:00:00Z")
	// R4 Early Intervention: drafted 10 Feb, never sent, due 7 days after identification on 9 Feb.
	r4 := mustNew(t, draftNone("R4", PartnerEarlyIntervention), date("2026-02-10T09:00:00Z"))
	if err := r4.AddDue(DueEarlyIntervention(date("2026-02-09T09:00:00Z"), "I1"), date("2026-02-10T09:00:00Z"), "staff-1"); err != nil {
		t.Fatal(err)
	}
	// R5 pediatric: entered in error, left out.
	r5 := mustNew(t, draftNone("R5", PartnerPediatricCare), date("2026-02-11T09:00:00Z"))
	step(r5, StatusEnteredInError, "2026-02-11T10:00:00Z")
	// R6 after the moment judged: left out.
	r6 := mustNew(t, draftNone("R6", PartnerPediatricCare), date("2026-03-05T09:00:00Z"))
	return []*Referral{r1, r2, r3, r4, r5, r6}
}

func TestMeasureByKindAndMonth(t *testing.T) {
	got := Measure(measureSet(t), nil, MeasureOptions{At: date("2026-03-01T00:00:00Z"), ByKind: true, Period: PeriodMonth})
	want := []Measures{
		{Kind: PartnerPrenatalCare, PeriodStart: date("2026-01-01T00:00:00Z"), Sent: 2, Accepted: 2, Completed: 1,
			ShareCompleted: 0.5, MedianToAcceptance: 48 * time.Hour, MedianToCompletion: 240 * time.Hour},
		{Kind: PartnerEarlyIntervention, PeriodStart: date("2026-02-01T00:00:00Z"), Unsent: 1, Sent: 1, Closed: 1, Overdue: 1},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("measures (-want +got):\n%s", d)
	}
}

func TestMeasureAll(t *testing.T) {
	got := Measure(measureSet(t), nil, MeasureOptions{At: date("2026-03-01T00:00:00Z")})
	want := []Measures{{Unsent: 1, Sent: 3, Accepted: 2, Completed: 1, Closed: 1, Overdue: 1,
		ShareCompleted: 1.0 / 3, MedianToAcceptance: 48 * time.Hour, MedianToCompletion: 240 * time.Hour}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("measures (-want +got):\n%s", d)
	}
	// Judged on 10 January only R1 counts, accepted but not yet completed.
	got = Measure(measureSet(t), nil, MeasureOptions{At: date("2026-01-10T00:00:00Z"), Period: PeriodQuarter})
	want = []Measures{{PeriodStart: date("2026-01-01T00:00:00Z"), Sent: 1, Accepted: 1, MedianToAcceptance: 24 * time.Hour}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("measures on 10 Jan (-want +got):\n%s", d)
	}
}

func TestMedianAndPeriods(t *testing.T) {
	if median(nil) != 0 || median([]time.Duration{3, 1, 2}) != 2 || median([]time.Duration{4, 1}) != 2 {
		t.Error("median")
	}
	ny, _ := time.LoadLocation("America/New_York")
	if ny == nil {
		ny = time.FixedZone("EST", -5*3600)
	}
	// 1 April 02:00 UTC is still 31 March in New York: first quarter there.
	at := date("2026-04-01T02:00:00Z")
	if got := PeriodQuarter.start(at, ny); got.Month() != time.January || got.Year() != 2026 {
		t.Errorf("quarter start = %v", got)
	}
	if got := PeriodYear.start(at, time.UTC); !got.Equal(date("2026-01-01T00:00:00Z")) {
		t.Errorf("year start = %v", got)
	}
	for _, p := range []Period{PeriodNone, PeriodMonth, PeriodQuarter, PeriodYear} {
		b, err := p.MarshalText()
		var back Period
		if err != nil || back.UnmarshalText(b) != nil || back != p {
			t.Errorf("period %v round trip", p)
		}
	}
	var p Period
	if err := p.UnmarshalText([]byte("week")); err == nil {
		t.Error("unknown period accepted")
	}
}
