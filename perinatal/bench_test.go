package perinatal

import (
	"encoding/json"
	"testing"
	"time"
)

func BenchmarkGestationalAgeAt(b *testing.B) {
	p := PregnancyFromLMP(lmp)
	at := time.Date(2026, 7, 16, 9, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.GestationalAgeAt(at); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStatusAt(b *testing.B) {
	d := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	at := d.AddDate(0, 6, 0)
	b.ReportAllocs()
	for b.Loop() {
		if StatusAt(false, d, DefaultPostpartumWindow(), at) != StatusPostpartum {
			b.Fatal("wrong status")
		}
	}
}

func BenchmarkPregnancyStatusAt(b *testing.B) {
	p := Pregnancy{LMP: lmp, DeliveredAt: born}
	at := born.AddDate(0, 1, 0)
	b.ReportAllocs()
	for b.Loop() {
		if p.StatusAt(DefaultPostpartumWindow(), at) != StatusPostpartum {
			b.Fatal("wrong status")
		}
	}
}

func BenchmarkDetermineAffected(b *testing.B) {
	for _, bc := range []struct {
		name string
		inf  Infant
	}{
		{"affected", infant(func(i *Infant) { i.Withdrawal = FindingPresent })},
		{"not_affected", infant(nil)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := DetermineAffected(bc.inf, AffectedPolicy{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPlanValidate(b *testing.B) {
	b.Run("valid", func(b *testing.B) {
		p := validPlan()
		b.ReportAllocs()
		for b.Loop() {
			if err := p.Validate(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("empty", func(b *testing.B) {
		var p PlanOfSafeCare
		b.ReportAllocs()
		for b.Loop() {
			if err := p.Validate(); err == nil {
				b.Fatal("no error")
			}
		}
	})
}

func BenchmarkAssessSleep(b *testing.B) {
	b.Run("all_met", func(b *testing.B) {
		c := allMet()
		b.ReportAllocs()
		for b.Loop() {
			_ = AssessSleep(c)
		}
	})
	b.Run("two_unmet", func(b *testing.B) {
		c := allMet()
		c.NoBedSharing, c.SmokeFree = AnswerUnmet, AnswerUnmet
		b.ReportAllocs()
		for b.Loop() {
			_ = AssessSleep(c)
		}
	})
}

func BenchmarkLookupCode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LookupCode(SystemICD10CM, ICDOpioidDependence); err != nil {
			b.Fatal(err)
		}
	}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func BenchmarkDecodeInfant(b *testing.B) {
	in := mustJSON(b, infant(func(i *Infant) { i.Withdrawal = FindingPresent }))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeInfant(in); err != nil {
			b.Fatal(err)
		}
	}
}
