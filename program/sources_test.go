package program

import (
	"testing"
	"time"

	"github.com/dyad-health/dyad/referral"
	"github.com/google/go-cmp/cmp"
)

// Referrals received, by source and quarter of receipt, prenatal care first, with a zero
// prenatal care row in a quarter where none came from there; those after the moment or
// before From are left out.
func TestSources(t *testing.T) {
	rec := []Received{
		{ID: "a", At: tm("2026-01-15T09:00:00Z"), Source: SourceSelf},
		{ID: "b", At: tm("2026-02-15T09:00:00Z"), Source: SourcePrenatalCare, Pregnant: true},
		{ID: "c", At: tm("2026-03-31T23:59:59Z"), Source: SourcePrenatalCare, Pregnant: false},
		{ID: "d", At: tm("2026-04-01T00:00:00Z"), Source: SourceChildWelfare, Pregnant: true},
		{ID: "e", At: tm("2026-05-01T00:00:00Z"), Source: SourceSelf},
		{ID: "f", At: at0.Add(time.Second), Source: SourcePrenatalCare},
	}
	q1, q2 := tm("2026-01-01T00:00:00Z"), tm("2026-04-01T00:00:00Z")
	got := Sources(rec, Options{At: at0, Period: referral.PeriodQuarter})
	want := []SourceCount{
		{Source: SourcePrenatalCare, PeriodStart: q1, Received: 2, Pregnant: 1},
		{Source: SourcePrenatalCare, PeriodStart: q2},
		{Source: SourceChildWelfare, PeriodStart: q2, Received: 1, Pregnant: 1},
		{Source: SourceSelf, PeriodStart: q1, Received: 1},
		{Source: SourceSelf, PeriodStart: q2, Received: 1},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("by quarter (-want +got):\n%s", d)
	}
	got = Sources(rec, Options{At: at0, From: tm("2026-03-01T00:00:00Z")})
	want = []SourceCount{
		{Source: SourcePrenatalCare, Received: 1},
		{Source: SourceChildWelfare, Received: 1, Pregnant: 1},
		{Source: SourceSelf, Received: 1},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("from March (-want +got):\n%s", d)
	}
	// In Boston, 31 March 23:59:59 UTC is still 31 March, and 1 April 00:00 UTC is 31
	// March 20:00: both in Q1.
	boston, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	got = Sources(rec[2:4], Options{At: at0, Period: referral.PeriodQuarter, Location: boston})
	want = []SourceCount{
		{Source: SourcePrenatalCare, PeriodStart: time.Date(2026, 1, 1, 0, 0, 0, 0, boston), Received: 1},
		{Source: SourceChildWelfare, PeriodStart: time.Date(2026, 1, 1, 0, 0, 0, 0, boston), Received: 1, Pregnant: 1},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Boston quarters (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]SourceCount{{Source: SourcePrenatalCare}}, Sources(nil, Options{At: at0})); d != "" {
		t.Errorf("none received (-want +got):\n%s", d)
	}
}

// The report carries referral.Measure of the referrals made beside the sources.
func TestOutgoingBesideSources(t *testing.T) {
	f := fullFacts(t)
	f.Referrals = []*referral.Referral{
		ref(t, "r1", "W1", referral.PartnerPrenatalCare, ago(10), completed(ago(5))...),
		ref(t, "r2", "W2", referral.PartnerPrenatalCare, ago(9)),
	}
	f.Received = []Received{{ID: "x", At: ago(3), Source: SourcePrenatalCare, Pregnant: true}}
	rep := review(t, f, Options{})
	want := referral.Measure(f.Referrals, f.Directory, referral.MeasureOptions{At: at0, ByKind: true})
	if d := cmp.Diff(want, rep.Outgoing); d != "" {
		t.Errorf("outgoing (-want +got):\n%s", d)
	}
	if rep.Outgoing[0].Sent != 2 || rep.Outgoing[0].Completed != 1 {
		t.Errorf("outgoing %+v: two sent, one completed", rep.Outgoing[0])
	}
	if d := cmp.Diff([]SourceCount{{Source: SourcePrenatalCare, Received: 1, Pregnant: 1}}, rep.Sources); d != "" {
		t.Errorf("sources (-want +got):\n%s", d)
	}
	// From: only referrals drafted at or after it.
	rep = review(t, f, Options{From: ago(9)})
	if len(rep.Outgoing) != 1 || rep.Outgoing[0].Sent != 1 {
		t.Errorf("outgoing from 9 days ago %+v", rep.Outgoing)
	}
}
