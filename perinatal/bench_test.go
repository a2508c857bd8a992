package perinatal

import (
	"encoding/json"
	"strings"
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

// benchSizes are the input sizes of the linear-growth benchmarks: time per byte must stay
// flat from 1 KiB to 8 MiB (a quadratic check shows at once: 8,192 times the bytes,
// 8,192 times the ns/B).
var benchSizes = []struct {
	name string
	n    int
}{{"1KiB", 1 << 10}, {"64KiB", 64 << 10}, {"1MiB", 1 << 20}, {"8MiB", 8 << 20}}

// grow returns head + items repeated (comma separated) + tail, at least n bytes long.
func grow(head, item, tail string, n int) []byte {
	b := make([]byte, 0, n+len(item)+len(tail))
	b = append(b, head...)
	for i := 0; len(b) < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, item...)
	}
	return append(b, tail...)
}

// benchDecodeSizes runs decode on each size and reports ns per input byte.
func benchDecodeSizes(b *testing.B, input func(n int) []byte, decode func([]byte) error) {
	for _, sz := range benchSizes {
		data := input(sz.n)
		b.Run(sz.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			cpu := processCPU()
			for b.Loop() {
				if err := decode(data); err == nil {
					b.Fatal("accepted") // every input here has problems to list
				}
			}
			per := float64(b.N) * float64(len(data))
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/per, "ns/B")
			b.ReportMetric(float64(processCPU()-cpu)/per, "cpu-ns/B")
		})
	}
}

var bigOptions = DecodeOptions{MaxBytes: 16 << 20}

// BenchmarkDecodeInfantSizes: the inputs that were quadratic (issue 13: 11 s at 320 KB).
// "unknown": every exposure an unknown code, each also a validation problem of the same
// field, which the old merge compared with every unknown code. "mixed": 50 unknown codes,
// then duplicate exposures without end, so that validation runs past its cap.
func BenchmarkDecodeInfantSizes(b *testing.B) {
	head := `{"id":"B1","born_at":"2026-09-17T08:00:00Z","gestational_age_at_birth":"37w0d","withdrawal":"absent","substance_affected":"absent","fasd":"absent","prenatal_exposures":[`
	decode := func(d []byte) error { _, err := bigOptions.DecodeInfant(d); return err }
	b.Run("unknown", func(b *testing.B) {
		benchDecodeSizes(b, func(n int) []byte { return grow(head, `"heroin"`, `]}`, n) }, decode)
	})
	b.Run("mixed", func(b *testing.B) {
		benchDecodeSizes(b, func(n int) []byte { return grow(head+strings.Repeat(`"heroin",`, 50), `"opioids"`, `]}`, n) }, decode)
	})
}

// BenchmarkDecodePlanSizes: a plan of ever more needs, services and parties, every one
// with an unknown code or a broken rule.
func BenchmarkDecodePlanSizes(b *testing.B) {
	item := `{"id":"s1","for":"infant","domain":"health","party":"p9","referral":true,"referred_at":"2026-09-19T09:00:00Z"}`
	head := `{"infant_id":"B1","created_at":"2026-09-18T09:00:00Z","needs":[{"for":"baby","domain":"health","services":["s1","s2"]}],"parties":[{"id":"c","role":"coordinator"}],"monitoring":{"party":"c","interval_days":30},"services":[`
	benchDecodeSizes(b, func(n int) []byte { return grow(head, item, `]}`, n) },
		func(d []byte) error { _, err := bigOptions.DecodePlanOfSafeCare(d); return err })
}

// BenchmarkDecodeSleepSizes: a checklist answer of ever more bytes (an unknown code).
func BenchmarkDecodeSleepSizes(b *testing.B) {
	benchDecodeSizes(b, func(n int) []byte {
		return []byte(`{"back_to_sleep":"met","no_bed_sharing":"` + strings.Repeat("x", n) + `"}`)
	}, func(d []byte) error { _, err := bigOptions.DecodeSleepChecklist(d); return err })
}

// BenchmarkDecode64MiB: a 64 MiB input is refused by every decoder before it is read.
func BenchmarkDecode64MiB(b *testing.B) {
	data := grow(`{"prenatal_exposures":[`, `"opioids"`, `]}`, 64<<20)
	for name, dec := range decoders {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if dec(data) == nil {
					b.Fatal("accepted")
				}
			}
		})
	}
}
