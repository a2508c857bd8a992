//go:build qa

// Checks that held: properties tried against the package that it passed, kept as
// regression tests under the qa tag; the findings are in qa_findings_test.go.
// Run: go test -tags qa -run TestHeld ./perinatal/
package perinatal_test

import (
	"testing"
	"time"
	_ "time/tzdata" // zones load where the system has no database

	"github.com/dyad-health/dyad/perinatal"
)

// TestHeld_DatingBoundaries: for LMPs across 1901-2198 (leap days included) in zones with
// daylight saving changes, half-hour and 45-minute offsets, and the date line, a moment on
// the k-th calendar day after the LMP (local midnight and 23:59) is k days old whether the
// pregnancy is dated by LMP or by EDD = LMP + 280 days; and the trimester and term
// boundaries fall where ACOG/ICD-10-CM put them: 13w6d first, 14w0d second, 36w6d preterm,
// 37w0d early term. It held.
func TestHeld_DatingBoundaries(t *testing.T) {
	for _, zn := range []string{"UTC", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Australia/Lord_Howe", "America/Santiago", "Asia/Kathmandu"} {
		loc, err := time.LoadLocation(zn)
		if err != nil {
			t.Fatal(err)
		}
		for y := 1901; y < 2199; y += 7 {
			for _, md := range [][2]int{{1, 1}, {2, 28}, {2, 29}, {3, 8}, {11, 1}, {12, 31}} {
				lmp := time.Date(y, time.Month(md[0]), md[1], 0, 0, 0, 0, loc)
				byLMP := perinatal.Pregnancy{LMP: lmp}
				byEDD := perinatal.Pregnancy{EDD: time.Date(lmp.Year(), lmp.Month(), lmp.Day()+280, 0, 0, 0, 0, loc)}
				for _, k := range []int{0, 97, 98, 258, 259, 279, 280, 300} {
					for _, hh := range []int{0, 23} {
						at := time.Date(lmp.Year(), lmp.Month(), lmp.Day()+k, hh, 59, 0, 0, loc)
						if at.Year() >= 2200 {
							continue
						}
						g1, e1 := byLMP.GestationalAgeAt(at)
						g2, e2 := byEDD.GestationalAgeAt(at)
						if e1 != nil || e2 != nil || g1.Days() != k || g2.Days() != k {
							t.Fatalf("%s LMP %s, %s: %s / %s (%v, %v), want %d days", zn, lmp, at, g1, g2, e1, e2, k)
						}
					}
				}
			}
		}
	}
	for _, c := range []struct {
		ga   perinatal.GestationalAge
		tri  perinatal.Trimester
		term perinatal.Term
	}{
		{perinatal.GA(13, 6), perinatal.TrimesterFirst, perinatal.TermPreterm},
		{perinatal.GA(14, 0), perinatal.TrimesterSecond, perinatal.TermPreterm},
		{perinatal.GA(36, 6), perinatal.TrimesterThird, perinatal.TermPreterm},
		{perinatal.GA(37, 0), perinatal.TrimesterThird, perinatal.TermEarly},
	} {
		if c.ga.Trimester() != c.tri || c.ga.Term() != c.term {
			t.Errorf("%s: %s %s, want %s %s", c.ga, c.ga.Trimester(), c.ga.Term(), c.tri, c.term)
		}
	}
	// The postpartum window includes its last instant and not the next.
	w := perinatal.PostpartumWindow{Days: 60}
	d := time.Date(2026, 3, 7, 23, 30, 0, 0, time.UTC)
	if !w.Contains(d, w.End(d)) || w.Contains(d, w.End(d).Add(time.Nanosecond)) || w.Contains(d, d.Add(-time.Nanosecond)) {
		t.Error("postpartum window boundaries")
	}
}
