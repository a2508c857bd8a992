package referral

import (
	"encoding/json"
	"math/rand/v2"
	"strconv"
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
