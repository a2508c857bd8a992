package referral

import (
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

func benchReferral(b *testing.B) *Referral {
	r := mustNew(b, sudDraft(), t0)
	c := ConsentRecord{Permit: true, Basis: "consent:c1", ConsentID: "c1", Patient: "W1", Discloser: "prog-1",
		Recipient: "ob-1", DecidedAt: t0, Obligations: []Obligation{{Code: "notice_2_32", Cite: CiteNotice}}}
	if err := r.RecordConsent(c, t0, "staff-1"); err != nil {
		b.Fatal(err)
	}
	if err := r.AddDue(DueEarlyIntervention(t0, "I1"), t0, "staff-1"); err != nil {
		b.Fatal(err)
	}
	walk(b, r, t0, StatusRequested, StatusReceived, StatusAccepted, StatusInProgress, StatusCompleted)
	return r
}

// benchSet is n referrals of mixed kinds and states, seeded.
func benchSet(b *testing.B, n int) []*Referral {
	rng := rand.New(rand.NewPCG(7, 7))
	out := make([]*Referral, n)
	for i := range out {
		d := draftNone("R"+strconv.Itoa(i), PartnerKinds()[rng.IntN(15)])
		at := t0.Add(time.Duration(rng.IntN(365*24)) * time.Hour)
		r := mustNew(b, d, at)
		_ = r.AddDue(DueEarlyIntervention(at, "I1"), at, "staff-1")
		path := pathTo[Statuses()[rng.IntN(12)]]
		for _, s := range path {
			at = at.Add(time.Duration(1+rng.IntN(96)) * time.Hour)
			_ = r.Transition(s, at, "staff-1", "bench")
		}
		out[i] = r
	}
	return out
}

func BenchmarkTransition(b *testing.B) {
	b.ReportAllocs()
	d := draftNone("R1", PartnerPrenatalCare)
	for b.Loop() {
		r, _ := New(d, t0, "staff-1")
		_ = r.Transition(StatusRequested, t0.Add(time.Hour), "staff-1", "")
		_ = r.Transition(StatusAccepted, t0.Add(2*time.Hour), "ob-1", "")
		_ = r.Transition(StatusInProgress, t0.Add(3*time.Hour), "ob-1", "")
		_ = r.Transition(StatusCompleted, t0.Add(4*time.Hour), "ob-1", "")
	}
}

func BenchmarkGate(b *testing.B) {
	b.ReportAllocs()
	r := mustNew(b, sudDraft(), t0)
	_ = r.RecordConsent(ConsentRecord{Permit: true, ConsentID: "c1", Patient: "W1", Discloser: "prog-1",
		Recipient: "ob-1", DecidedAt: t0, Obligations: []Obligation{{Code: "notice_2_32"}}}, t0, "staff-1")
	for b.Loop() {
		_ = r.Gate(t0.Add(time.Hour))
	}
}

func BenchmarkRebuild(b *testing.B) {
	b.ReportAllocs()
	es := benchReferral(b).Events()
	for b.Loop() {
		_, _ = Rebuild(es)
	}
}

func BenchmarkDeadlines(b *testing.B) {
	b.ReportAllocs()
	r := benchReferral(b)
	p := &Partner{ID: "ob-1", Kind: PartnerPrenatalCare, AckWindow: 72 * time.Hour}
	var buf []Deadline
	for b.Loop() {
		buf = r.AppendDeadlines(buf[:0], p, t0.Add(48*time.Hour))
	}
}

func BenchmarkReviewAt1000(b *testing.B) {
	b.ReportAllocs()
	refs := benchSet(b, 1000)
	dir, _ := NewDirectory(Partner{ID: "partner-prenatal_care", Kind: PartnerPrenatalCare, AckWindow: 72 * time.Hour})
	at := t0.Add(200 * 24 * time.Hour)
	for b.Loop() {
		_ = ReviewAt(refs, dir, at, ReviewOptions{StallAfter: 14 * 24 * time.Hour})
	}
}

func BenchmarkMeasure1000(b *testing.B) {
	b.ReportAllocs()
	refs := benchSet(b, 1000)
	opt := MeasureOptions{At: t0.Add(400 * 24 * time.Hour), ByKind: true, Period: PeriodMonth}
	for b.Loop() {
		_ = Measure(refs, nil, opt)
	}
}

func BenchmarkToFHIR(b *testing.B) {
	b.ReportAllocs()
	r := benchReferral(b)
	for b.Loop() {
		_, _ = ToFHIR(r, FHIROptions{})
	}
}

func BenchmarkDecodeReferral(b *testing.B) {
	b.ReportAllocs()
	js, _ := json.Marshal(benchReferral(b))
	b.SetBytes(int64(len(js)))
	for b.Loop() {
		_, _ = DecodeReferral(js)
	}
}

// benchSizes are the input sizes of the linear-growth benchmarks: time per byte must stay
// flat from 1 KiB to 8 MiB.
var benchSizes = []struct {
	name string
	n    int
}{{"1KiB", 1 << 10}, {"64KiB", 64 << 10}, {"1MiB", 1 << 20}, {"8MiB", 8 << 20}}

var bigOptions = DecodeOptions{MaxBytes: 16 << 20}

// longReferral returns a referral of at least n bytes of JSON: created, then due times
// added one after another (each event about 300 bytes).
func longReferral(b *testing.B, n int) *Referral {
	r := mustNew(b, draftNone("R1", PartnerEarlyIntervention), t0)
	for size := 400; size < n; size += 300 {
		at := t0.Add(time.Duration(size) * time.Second)
		if err := r.AddDue(DueEarlyIntervention(at, "I1"), at, "staff-1"); err != nil {
			b.Fatal(err)
		}
	}
	return r
}

// benchSized runs decode on inputs of each size and reports ns per input byte.
func benchSized(b *testing.B, input func(n int) []byte, decode func([]byte) error) {
	for _, sz := range benchSizes {
		data := input(sz.n)
		b.Run(sz.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			cpu := processCPU()
			for b.Loop() {
				_ = decode(data)
			}
			per := float64(b.N) * float64(len(data))
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/per, "ns/B")
			b.ReportMetric(float64(processCPU()-cpu)/per, "cpu-ns/B")
		})
	}
}

// BenchmarkDecodeReferralSizes: a valid referral's JSON, ever longer (its whole chain,
// every event and the snapshot checked).
func BenchmarkDecodeReferralSizes(b *testing.B) {
	benchSized(b, func(n int) []byte {
		js, err := json.Marshal(longReferral(b, n))
		if err != nil {
			b.Fatal(err)
		}
		return js
	}, func(d []byte) error {
		_, err := bigOptions.DecodeReferral(d)
		if err != nil {
			b.Fatal(err)
		}
		return err
	})
}

// BenchmarkDecodeEventsSizes: a valid saved log, ever longer.
func BenchmarkDecodeEventsSizes(b *testing.B) {
	benchSized(b, func(n int) []byte {
		js, err := json.Marshal(longReferral(b, n).Log())
		if err != nil {
			b.Fatal(err)
		}
		return js
	}, func(d []byte) error {
		_, err := bigOptions.DecodeEvents(d)
		if err != nil {
			b.Fatal(err)
		}
		return err
	})
}

// BenchmarkDecodeEventsBrokenSizes: a saved log whose every event has a wrong prev: every
// event is hashed, and the problems are capped.
func BenchmarkDecodeEventsBrokenSizes(b *testing.B) {
	benchSized(b, func(n int) []byte {
		l := longReferral(b, n).Log()
		for i := range l.Events {
			l.Events[i].Prev = "00"
		}
		js, err := json.Marshal(l)
		if err != nil {
			b.Fatal(err)
		}
		return js
	}, func(d []byte) error {
		_, err := bigOptions.DecodeEvents(d)
		if err == nil {
			b.Fatal("accepted")
		}
		return err
	})
}

// BenchmarkDecodePartnerSizes: a partner with ever more QSO agreements.
func BenchmarkDecodePartnerSizes(b *testing.B) {
	item := `{"id":"q1","program":"prog-1","organization":"ob-1","services":["data_processing"],"written":true,"bound_by_part2":true,"resist_judicial_access":true,"signed_at":"2026-01-02T09:00:00Z","effective":"2026-01-02T09:00:00Z"}`
	benchSized(b, func(n int) []byte {
		var sb strings.Builder
		sb.WriteString(`{"id":"ob-1","kind":"prenatal_care","ack_window":"72h","agreements":[` + item)
		for sb.Len() < n {
			sb.WriteString("," + item)
		}
		sb.WriteString(`]}`)
		return []byte(sb.String())
	}, func(d []byte) error {
		_, err := bigOptions.DecodePartner(d)
		if err != nil {
			b.Fatal(err)
		}
		return err
	})
}

// BenchmarkDecode64MiB: a 64 MiB input is refused by every decoder before it is read.
func BenchmarkDecode64MiB(b *testing.B) {
	data := []byte(`[` + strings.Repeat(`{"seq":1},`, 64<<20/10) + `{}]`)
	for _, d := range []struct {
		name string
		f    func([]byte) error
	}{
		{"referral", func(b []byte) error { _, err := DecodeReferral(b); return err }},
		{"events", func(b []byte) error { _, err := DecodeEvents(b); return err }},
		{"partner", func(b []byte) error { _, err := DecodeOptions{}.DecodePartner(b); return err }},
	} {
		b.Run(d.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if d.f(data) == nil {
					b.Fatal("accepted")
				}
			}
		})
	}
}
