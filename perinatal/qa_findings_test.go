//go:build qa

// QA findings for package perinatal, written from outside (package perinatal_test). Each
// TestQA_ test FAILS on the code it was written against: it asserts what the rule asks, and
// its failure message says what the code does instead.
// Run: go test -tags qa -run TestQA ./perinatal/
package perinatal_test

import (
	"testing"
	"time"

	"github.com/dyad-health/dyad/perinatal"
)

// TestQA_DefaultPostpartumWindowShorterThan12Months: DefaultPostpartumWindow is documented
// as "the common 12-month one ... used by many State priority rules and by Medicaid's
// extended postpartum coverage", but it is 365 days of 24 hours. A woman who delivered on
// 2027-03-15 is "not_pregnant" on 2028-03-15, twelve months later (2028 is a leap year: 365
// days end on 2028-03-14), and on 2028-03-31.
//
// Rule: 42 U.S.C. 1396a(e)(16)(B) (Medicaid's 12-month postpartum coverage, which the
// package cites for "the last day of her pregnancy" in outcome.go): "the 12-month period
// ... beginning on the last day of her pregnancy and ending on the last day of the month in
// which such 12-month period ends". State priority tiers for "postpartum women (often up to
// 12 months after delivery)" (domain notes) count months, not 365 days.
//
// What it should do: a 12-month default that covers at least the same calendar date twelve
// months later (and, if it claims Medicaid's window, to the end of that month); or a
// default documented as 365 days, not as 12 months or Medicaid's.
//
// How sure: likely (certain for the calendar date; Medicaid's end-of-month extension is a
// reading of what "used by" promises).
func TestQA_DefaultPostpartumWindowShorterThan12Months(t *testing.T) {
	w := perinatal.DefaultPostpartumWindow()
	delivered := time.Date(2027, 3, 15, 10, 0, 0, 0, time.UTC)
	for _, at := range []time.Time{
		time.Date(2028, 3, 15, 9, 0, 0, 0, time.UTC),  // twelve months later, before the hour of delivery
		time.Date(2028, 3, 31, 12, 0, 0, 0, time.UTC), // Medicaid: last day of the month the 12 months end in
	} {
		if got := perinatal.StatusAt(false, delivered, w, at); got != perinatal.StatusPostpartum {
			t.Errorf("delivered %s, judged %s: %s under the \"12-month\" default (ends %s)",
				delivered.Format("2006-01-02"), at.Format("2006-01-02"), got, w.End(delivered).Format(time.RFC3339))
		}
	}
}

// TestQA_GestationalAgeDependsOnOffset: the same instant gets two gestational ages, and two
// trimesters, depending on the UTC offset it is written in. An interface engine that
// normalizes HL7 timestamps to UTC (or a Go service storing UTC) moves every evening visit
// in the Americas one day later: 13w6d (first trimester) becomes 14w0d (second), and a
// 36w6d preterm birth at 9 pm becomes 37w0d early term.
//
// Rule: ICD-10-CM / ACOG dating (CiteTrimesters, CiteTerm): the first trimester is "less
// than 14 weeks 0 days"; preterm is "before 37 weeks 0 days" — properties of the moment of
// the visit or birth, not of how its timestamp is written. The package documents that "at"
// is taken as its calendar date in its own location.
//
// What it should do: date a moment on one calendar (the pregnancy's, e.g. the location of
// the LMP/EDD or a location given by the caller), so that equal instants give equal ages.
//
// How sure: a reading (the behaviour is documented; the consequence for UTC-normalized data
// is not).
func TestQA_GestationalAgeDependsOnOffset(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	p := perinatal.PregnancyFromLMP(time.Date(2026, 1, 1, 0, 0, 0, 0, ny))
	visit := time.Date(2026, 1, 1, 21, 0, 0, 0, ny).AddDate(0, 0, 97) // 13w6d, 9 pm local
	local, err1 := p.GestationalAgeAt(visit)
	utc, err2 := p.GestationalAgeAt(visit.UTC())
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if !local.Equal(utc) {
		lt, _ := p.TrimesterAt(visit)
		ut, _ := p.TrimesterAt(visit.UTC())
		t.Errorf("the same instant is %s (%s trimester) in local time and %s (%s trimester) in UTC", local, lt, utc, ut)
	}
	birth := time.Date(2026, 1, 1, 21, 0, 0, 0, ny).AddDate(0, 0, 258) // 36w6d, 9 pm local
	q := p
	q.DeliveredAt = birth.UTC() // as a UTC-normalizing feed sends it
	r := p
	r.DeliveredAt = birth
	tq, _ := q.TermAtDelivery()
	tr, _ := r.TermAtDelivery()
	if tq != tr {
		t.Errorf("the same birth is %s in local time and %s in UTC", tr, tq)
	}
}
