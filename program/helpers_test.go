package program

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/referral"
)

// at0 is the moment most tests review: noon UTC on 30 June 2026.
var at0 = time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)

// ago returns at0 minus n days (24-hour days, as the package counts them).
func ago(n int) time.Time { return at0.Add(-days(n)) }

func tm(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// qsoa is a QSO agreement of prog-1 with org that consent finds valid, signed at signed,
// open-ended, for other professional services (a 42 CFR 2.11 category).
func qsoa(id, org string, signed time.Time) consent.QSOAgreement {
	return consent.QSOAgreement{ID: id, Program: local("prog-1"), Organization: local(org),
		Services: []consent.Service{consent.ServiceOtherProfessional}, Written: true,
		BoundByPart2: true, ResistJudicialAccess: true, SignedAt: signed}
}

func partner(id string, k referral.PartnerKind, agreements ...consent.QSOAgreement) referral.Partner {
	return referral.Partner{ID: id, Kind: k, Agreements: agreements}
}

// fullPartners meets every partner requirement of MassachusettsBSAS at at0: one partner of
// each QSO kind with a valid, open-ended agreement signed a year before, a child welfare
// office and a recovery coaching program.
func fullPartners() []referral.Partner {
	signed := ago(365)
	return []referral.Partner{
		partner("ob-1", referral.PartnerPrenatalCare, qsoa("q-ob", "ob-1", signed)),
		partner("ped-1", referral.PartnerPediatricCare, qsoa("q-ped", "ped-1", signed)),
		partner("ei-1", referral.PartnerEarlyIntervention, qsoa("q-ei", "ei-1", signed)),
		partner("cc-1", referral.PartnerChildCare, qsoa("q-cc", "cc-1", signed)),
		partner("pf-1", referral.PartnerParentingFamilyServices, qsoa("q-pf", "pf-1", signed)),
		partner("dcf-1", referral.PartnerChildWelfare),
		partner("rc-1", referral.PartnerRecoveryCoaching),
	}
}

func directory(t testing.TB, ps ...referral.Partner) *referral.Directory {
	t.Helper()
	d, err := referral.NewDirectory(ps...)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// allRecords returns a training record of every competency of g at tr and a supervision
// record of those that ask for one at sv.
func allRecords(g Guidance, tr, sv time.Time) []StaffRecord {
	var out []StaffRecord
	for _, c := range g.Competencies {
		if c.TrainingEveryDays > 0 {
			out = append(out, StaffRecord{Competency: c.Code, Mode: ModeTraining, At: tr})
		}
		if c.SupervisionEveryDays > 0 {
			out = append(out, StaffRecord{Competency: c.Code, Mode: ModeSupervision, At: sv})
		}
	}
	return out
}

// fullFacts meets every item of MassachusettsBSAS at at0, with nothing falling due within
// the 30-day notice window.
func fullFacts(t testing.TB) Facts {
	g := MassachusettsBSAS()
	return Facts{
		Program:   "prog-1",
		Directory: directory(t, fullPartners()...),
		Partnerships: []Partnership{
			{ID: "ps-dcf", Partner: "dcf-1", Start: ago(700), Activities: []time.Time{ago(40)}},
			{ID: "ps-rc", Partner: "rc-1", Start: ago(700), Activities: []time.Time{ago(60)}},
		},
		Outreach: []Outreach{{ID: "o1", At: ago(20), Setting: SourcePrenatalCare, Partner: "ob-1"}},
		Staff: []Staff{
			{ID: "s1", Start: ago(1000), Records: allRecords(g, ago(100), ago(10))},
			{ID: "s2", Start: ago(30)}, // new: 90 days of grace, due in 60 days
		},
	}
}

func reviewer(t testing.TB) *Reviewer {
	t.Helper()
	rv, err := New(MassachusettsBSAS())
	if err != nil {
		t.Fatal(err)
	}
	return rv
}

func review(t testing.TB, f Facts, opt Options) Report {
	t.Helper()
	if opt.At.IsZero() {
		opt.At = at0
	}
	rep, err := reviewer(t).Review(f, opt)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// codes returns the findings as "code item" or "code item subject" strings.
func codes(fs []Finding) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		s := f.Code + " " + f.Item
		if f.Subject != "" {
			s += " " + f.Subject
		}
		out = append(out, s)
	}
	return out
}

func problemCodes(t testing.TB, err error) []string {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v is not a *ValidationError", err)
	}
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("error does not match ErrInvalid")
	}
	return ve.Codes()
}

func problemAt(t testing.TB, err error, code, path string) {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v is not a *ValidationError", err)
	}
	if !slices.ContainsFunc(ve.Problems, func(p Problem) bool { return p.Code == code && p.Path == path }) {
		t.Errorf("no problem %s at %s in %+v", code, path, ve.Problems)
	}
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
