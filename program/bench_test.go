package program

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/perinatal"
	"github.com/dyad-health/dyad/referral"
)

// benchFacts is a realistic large program reviewed at at0, seeded: nPartners partners of
// every kind round-robin, each with one or two agreements (one in ten invalid, kept in
// Facts.Agreements), partnerships with a third of them, weekly outreach for a year, nStaff
// staff with three years of annual training, nDyads dyads admitted over the past year with
// pregnancy dating, MOUD episodes, weekly counseling and four referrals each (three of
// them support referrals), a safe sleep checklist for each dyad that came with an infant,
// and as many referrals received.
func benchFacts(tb testing.TB, nPartners, nStaff, nDyads int) Facts {
	rng := rand.New(rand.NewPCG(17, 17))
	sleepRng := rand.New(rand.NewPCG(23, 23))
	kinds := referral.PartnerKinds()
	g := MassachusettsBSAS()
	var ps []referral.Partner
	var invalid []consent.QSOAgreement
	var ships []Partnership
	for i := range nPartners {
		id := "p-" + strconv.Itoa(i)
		p := referral.Partner{ID: id, Kind: kinds[i%len(kinds)], AckWindow: 72 * time.Hour}
		for j := range 1 + rng.IntN(2) {
			a := qsoa(id+"-q"+strconv.Itoa(j), id, ago(30+rng.IntN(700)))
			if rng.IntN(3) == 0 {
				a.Expires = a.SignedAt.Add(days(365 + rng.IntN(365)))
			}
			if rng.IntN(10) == 0 {
				a.ResistJudicialAccess = false
				invalid = append(invalid, a)
				continue
			}
			p.Agreements = append(p.Agreements, a)
		}
		ps = append(ps, p)
		if i%3 == 0 {
			ships = append(ships, Partnership{ID: "ps-" + strconv.Itoa(i), Partner: id, Start: ago(800),
				Activities: []time.Time{ago(rng.IntN(400)), ago(rng.IntN(400))}})
		}
	}
	f := Facts{Program: "prog-1", Directory: directory(tb, ps...), Agreements: invalid, Partnerships: ships}
	for w := range 52 {
		f.Outreach = append(f.Outreach, Outreach{ID: "o-" + strconv.Itoa(w), At: ago(7 * w), Setting: SourceKinds()[w%4]})
	}
	for i := range nStaff {
		s := Staff{ID: "s-" + strconv.Itoa(i), Start: ago(100 + rng.IntN(2000))}
		for y := range 3 {
			s.Records = append(s.Records, allRecords(g, ago(y*365+rng.IntN(400)), ago(y*365+rng.IntN(120)))...)
		}
		f.Staff = append(f.Staff, s)
	}
	support := []referral.PartnerKind{referral.PartnerFamilyResourceCenter, referral.PartnerHomeVisiting,
		referral.PartnerChildCare, referral.PartnerCaseManagement}
	for i := range nDyads {
		id := strconv.Itoa(i)
		in := ago(rng.IntN(365))
		d := Dyad{ID: "d-" + id, Mother: "W-" + id, Family: []string{"I-" + id}, IntakeAt: in, OUD: rng.IntN(3) > 0}
		if rng.IntN(4) > 0 {
			p := perinatal.PregnancyFromLMP(in.Add(-days(20 + rng.IntN(200))))
			d.Pregnancy = &p
			if rng.IntN(5) > 0 {
				d.FirstPrenatalVisit = in.Add(days(rng.IntN(60) - 10))
			}
		}
		if d.OUD {
			start := in.Add(days(rng.IntN(20)))
			for range 1 + rng.IntN(3) {
				end := start.Add(days(20 + rng.IntN(120)))
				d.MOUD = append(d.MOUD, MOUDEpisode{Medication: perinatal.MOUDBuprenorphine, Start: start, End: end})
				start = end.Add(days(rng.IntN(12)))
			}
		}
		for w := range 20 {
			d.Counseling = append(d.Counseling, Session{At: in.Add(days(1 + 7*w)), Attended: rng.IntN(4) > 0})
		}
		if d.Pregnancy == nil {
			// Came with an infant: its home checked for safe sleep a few days after intake.
			// (Its own random stream: the rest of the program is as it was before checklists.)
			sc := allMet()
			if sleepRng.IntN(4) == 0 {
				sc.NoBedSharing = perinatal.AnswerUnmet
			}
			f.SleepChecks = append(f.SleepChecks, SleepCheck{ID: "sc-" + id, Dyad: d.ID, At: in.Add(days(sleepRng.IntN(10))), Checklist: sc})
		}
		f.Dyads = append(f.Dyads, d)
		f.Received = append(f.Received, Received{ID: "rx-" + id, At: in.Add(-days(rng.IntN(10))),
			Source: SourceKinds()[rng.IntN(len(SourceKinds()))], Pregnant: d.Pregnancy != nil})
		for k := range 4 {
			kind := referral.PartnerPrenatalCare
			if k > 0 {
				kind = support[rng.IntN(len(support))]
			}
			sent := in.Add(days(1 + rng.IntN(30)))
			var steps []step
			switch rng.IntN(4) {
			case 0:
				steps = completed(sent.Add(days(5 + rng.IntN(20))))
			case 1:
				steps = []step{{referral.StatusAccepted, sent.Add(days(2))}}
			case 2:
				steps = []step{{referral.StatusRejected, sent.Add(days(3))}}
			}
			f.Referrals = append(f.Referrals, ref(tb, "r-"+id+"-"+strconv.Itoa(k), "W-"+id, kind, sent, steps...))
		}
	}
	if err := f.Validate(); err != nil {
		tb.Fatal(err)
	}
	return f
}

// BenchmarkReview is a whole review of a large program: 200 partners, 100 staff, 1,000
// dyads, 4,000 referrals made and 1,000 received, by quarter.
func BenchmarkReview(b *testing.B) {
	f := benchFacts(b, 200, 100, 1000)
	rv := reviewer(b)
	opt := Options{At: at0, Period: referral.PeriodQuarter}
	b.ReportAllocs()
	cpu := startCPU()
	for b.Loop() {
		if _, err := rv.Review(f, opt); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b)
}

// BenchmarkReviewParts times the parts of a review on the same program.
func BenchmarkReviewParts(b *testing.B) {
	f := benchFacts(b, 200, 100, 1000)
	rv := reviewer(b)
	opt := Options{At: at0, Period: referral.PeriodQuarter}
	notice := opt.notice()
	b.Run("Validate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = f.Validate()
		}
	})
	b.Run("Coverage", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			all := allPartners(f.Directory)
			for _, r := range rv.g.Agreements {
				agreementCoverage(r, f.Program, all, f.Agreements, at0, notice)
			}
			for _, r := range rv.g.Partnerships {
				partnershipCoverage(r, all, f.Partnerships, at0, notice)
			}
		}
	})
	b.Run("Staff", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rv.staffStatuses(f.Staff, at0, notice)
		}
	})
	b.Run("CHARM", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rv.charm(f, opt)
		}
	})
	b.Run("Outgoing", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			referral.Measure(f.Referrals, f.Directory, referral.MeasureOptions{At: at0, ByKind: true, Period: opt.Period})
		}
	})
}

// BenchmarkDecodeFacts reads the same program from its JSON document.
func BenchmarkDecodeFacts(b *testing.B) {
	f := benchFacts(b, 200, 100, 1000)
	doc, err := EncodeFacts(f, Options{At: at0})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	cpu := startCPU()
	for b.Loop() {
		if _, _, err := DecodeFacts(doc); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b)
}

// BenchmarkDecodeFactsOversize hands DecodeFacts a 64 MiB document (a valid facts document
// padded with spaces, as a sender trying to exhaust memory might): it must be refused by
// the byte limit, before anything is read, in well under a second.
func BenchmarkDecodeFactsOversize(b *testing.B) {
	doc := make([]byte, 64<<20)
	copy(doc, `{"program":"prog-1"}`)
	for i := len(`{"program":"prog-1"}`); i < len(doc); i++ {
		doc[i] = ' '
	}
	b.ReportAllocs()
	cpu := startCPU()
	for b.Loop() {
		if _, _, err := DecodeFacts(doc); err == nil {
			b.Fatal("a 64 MiB document was read")
		}
	}
	cpu.report(b)
}

// BenchmarkMeasureDyad judges the four CHARM targets for one dyad with four referrals.
func BenchmarkMeasureDyad(b *testing.B) {
	f := benchFacts(b, 10, 1, 1)
	rv := reviewer(b)
	b.ReportAllocs()
	for b.Loop() {
		rv.MeasureDyad(f.Dyads[0], f.Referrals, at0)
	}
}
