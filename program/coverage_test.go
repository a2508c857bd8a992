package program

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/referral"
	"github.com/google/go-cmp/cmp"
)

// withPartner replaces partner drop of fullFacts by the partners add, whose agreements go
// to Facts.Agreements (where invalid ones belong: the directory refuses them).
func withPartner(t *testing.T, f Facts, drop string, add ...referral.Partner) Facts {
	t.Helper()
	var ps []referral.Partner
	for _, p := range fullPartners() {
		if p.ID != drop {
			ps = append(ps, p)
		}
	}
	for _, p := range add {
		f.Agreements = append(f.Agreements, p.Agreements...)
		p.Agreements = nil
		ps = append(ps, p)
	}
	f.Directory = directory(t, ps...)
	return f
}

// Each way a QSO agreement can fail to meet the prenatal care item, judged at at0. The
// expected code follows from 42 CFR 2.11 (a written agreement, both undertakings, a
// service of the QSO definition, signed) and from the agreement's dates (in force from the
// later of effective and signed, inclusive, to expiry, exclusive).
func TestAgreementGaps(t *testing.T) {
	valid := qsoa("q-ob", "ob-1", ago(365))
	mod := func(f func(*consent.QSOAgreement)) consent.QSOAgreement {
		a := valid
		a.Services = slices.Clone(valid.Services)
		f(&a)
		return a
	}
	cites := []string{CiteOrgQSOA, CiteQSODefinition, CiteQSOException}
	tests := []struct {
		name     string
		partners []referral.Partner // replacing ob-1
		want     *Finding           // nil: met
	}{
		{"no prenatal partner", nil,
			&Finding{Code: GapNoPartner, Item: "qsoa_prenatal_care", Cites: cites}},
		{"partner without agreement", []referral.Partner{partner("ob-1", referral.PartnerPrenatalCare)},
			&Finding{Code: GapQSOANone, Item: "qsoa_prenatal_care", Cites: cites, Partners: []string{"ob-1"}}},
		{"agreement with another program", []referral.Partner{partner("ob-1", referral.PartnerPrenatalCare,
			mod(func(a *consent.QSOAgreement) { a.Program = local("prog-2") }))},
			&Finding{Code: GapQSOANone, Item: "qsoa_prenatal_care", Cites: cites, Partners: []string{"ob-1"}, Problems: []string{"other_program"}}},
		{"no resist clause, not written", []referral.Partner{partner("ob-1", referral.PartnerPrenatalCare,
			mod(func(a *consent.QSOAgreement) { a.ResistJudicialAccess, a.Written = false, false }))},
			&Finding{Code: GapQSOAInvalid, Item: "qsoa_prenatal_care", Cites: cites, Partners: []string{"ob-1"},
				Problems: []string{"missing_resist_clause", "not_written"}}},
		// An agreement naming no program is read as this program's, and invalid (2.11),
		// rather than as another program's.
		{"no program named", []referral.Partner{partner("ob-1", referral.PartnerPrenatalCare,
			mod(func(a *consent.QSOAgreement) { a.Program = consent.Identifier{} }))},
			&Finding{Code: GapQSOAInvalid, Item: "qsoa_prenatal_care", Cites: cites, Partners: []string{"ob-1"},
				Problems: []string{"missing_program"}}},
		{"unsigned", []referral.Partner{partner("ob-1", referral.PartnerPrenatalCare,
			mod(func(a *consent.QSOAgreement) { a.SignedAt = time.Time{}; a.Effective = ago(365) }))},
			&Finding{Code: GapQSOAInvalid, Item: "qsoa_prenatal_care", Cites: cites, Partners: []string{"ob-1"},
				Problems: []string{"missing_signature_date"}}},
		// consent keeps a service outside 2.11 as a warning: the agreement is valid, but
		// with no 2.11 service it authorises no QSO disclosure.
		{"only services outside 2.11", []referral.Partner{partner("ob-1", referral.PartnerPrenatalCare,
			mod(func(a *consent.QSOAgreement) { a.Services = []consent.Service{"prenatal_care"} }))},
			&Finding{Code: GapQSOANoCategory, Item: "qsoa_prenatal_care", Cites: cites, Partners: []string{"ob-1"}}},
		{"expires at the moment (exclusive)", []referral.Partner{partner("ob-1", referral.PartnerPrenatalCare,
			mod(func(a *consent.QSOAgreement) { a.Expires = at0 }))},
			&Finding{Code: GapQSOANotInForce, Item: "qsoa_prenatal_care", Cites: cites, Partners: []string{"ob-1"}}},
		{"effective a second later", []referral.Partner{partner("ob-1", referral.PartnerPrenatalCare,
			mod(func(a *consent.QSOAgreement) { a.Effective = at0.Add(time.Second) }))},
			&Finding{Code: GapQSOANotInForce, Item: "qsoa_prenatal_care", Cites: cites, Partners: []string{"ob-1"}}},
		{"signed a second later", []referral.Partner{partner("ob-1", referral.PartnerPrenatalCare,
			mod(func(a *consent.QSOAgreement) { a.SignedAt = at0.Add(time.Second) }))},
			&Finding{Code: GapQSOANotInForce, Item: "qsoa_prenatal_care", Cites: cites, Partners: []string{"ob-1"}}},
		{"effective at the moment (inclusive)", []referral.Partner{partner("ob-1", referral.PartnerPrenatalCare,
			mod(func(a *consent.QSOAgreement) { a.Effective = at0 }))}, nil},
		// A valid agreement in force with a partner of another kind does not meet the item.
		{"agreement with a primary care partner", []referral.Partner{partner("pc-1", referral.PartnerPrimaryCare,
			qsoa("q-pc", "pc-1", ago(365)))},
			&Finding{Code: GapNoPartner, Item: "qsoa_prenatal_care", Cites: cites}},
		// The best partner decides: one invalid, one expired: the expired one got further.
		{"invalid and expired", []referral.Partner{
			partner("ob-1", referral.PartnerPrenatalCare, mod(func(a *consent.QSOAgreement) { a.BoundByPart2 = false })),
			partner("ob-2", referral.PartnerPrenatalCare, func() consent.QSOAgreement {
				a := qsoa("q-ob2", "ob-2", ago(400))
				a.Expires = ago(1)
				return a
			}())},
			&Finding{Code: GapQSOANotInForce, Item: "qsoa_prenatal_care", Cites: cites, Partners: []string{"ob-1", "ob-2"},
				Problems: []string{"missing_bound_acknowledgement"}}},
		{"one partner of two covers", []referral.Partner{
			partner("ob-1", referral.PartnerPrenatalCare),
			partner("ob-2", referral.PartnerPrenatalCare, qsoa("q-ob2", "ob-2", ago(10)))}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := withPartner(t, fullFacts(t), "ob-1", tc.partners...)
			rep := review(t, f, Options{})
			var got *Finding
			for i := range rep.Gaps {
				if rep.Gaps[i].Item == "qsoa_prenatal_care" {
					got = &rep.Gaps[i]
				}
			}
			if tc.want != nil {
				tc.want.Message = got.messageOr()
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("gap (-want +got):\n%s", d)
			}
			if n := len(rep.Gaps); (tc.want == nil && n != 0) || (tc.want != nil && n != 1) {
				t.Errorf("gaps %v: only the prenatal care item may fail", codes(rep.Gaps))
			}
			if rep.Coverage[0].Met != (tc.want == nil) {
				t.Errorf("coverage %+v", rep.Coverage[0])
			}
		})
	}
}

// messageOr lets a table compare a finding whole without restating its sentence (not API).
func (f *Finding) messageOr() string {
	if f == nil {
		return ""
	}
	return f.Message
}

// Early Intervention and early childhood are two requirements: an agreement with an EI
// program meets the first only, and child care or home visiting meets the second.
func TestEarlyChildhoodReadAsTwoItems(t *testing.T) {
	f := withPartner(t, fullFacts(t), "cc-1")
	rep := review(t, f, Options{})
	if d := cmp.Diff([]string{"no_partner_of_kind qsoa_early_childhood"}, codes(rep.Gaps)); d != "" {
		t.Errorf("gaps (-want +got):\n%s", d)
	}
	f = withPartner(t, fullFacts(t), "cc-1", partner("hv-1", referral.PartnerHomeVisiting, qsoa("q-hv", "hv-1", ago(5))))
	if rep := review(t, f, Options{}); len(rep.Gaps) != 0 {
		t.Errorf("home visiting should meet early childhood: %v", codes(rep.Gaps))
	}
	f = withPartner(t, fullFacts(t), "ei-1")
	if d := cmp.Diff([]string{"no_partner_of_kind qsoa_early_intervention"}, codes(review(t, f, Options{}).Gaps)); d != "" {
		t.Errorf("gaps (-want +got):\n%s", d)
	}
}

// An agreement expiring within the notice window is a warning; the agreement expiring
// latest is the one reported, and no end at all is latest.
func TestAgreementExpiringWarning(t *testing.T) {
	soon := qsoa("q-ob", "ob-1", ago(365))
	soon.Expires = at0.Add(days(30)) // at the edge of the 30-day window: warned
	f := withPartner(t, fullFacts(t), "ob-1", partner("ob-1", referral.PartnerPrenatalCare, soon))
	rep := review(t, f, Options{})
	want := []Finding{{Code: WarnQSOAExpiring, Item: "qsoa_prenatal_care", Cites: []string{CiteOrgQSOA, CiteQSODefinition, CiteQSOException},
		Partners: []string{"ob-1"}, Message: rep.Warnings[0].Message}}
	if d := cmp.Diff(want, rep.Warnings); d != "" {
		t.Errorf("warnings (-want +got):\n%s", d)
	}
	if got := review(t, f, Options{NoticeDays: 29}); len(got.Warnings) != 0 {
		t.Errorf("29-day window: %v", codes(got.Warnings))
	}
	if got := review(t, f, Options{NoticeDays: -1}); len(got.Warnings) != 0 {
		t.Errorf("warnings off: %v", codes(got.Warnings))
	}
	later := qsoa("q-ob-2", "ob-1", ago(10))
	f = withPartner(t, fullFacts(t), "ob-1", partner("ob-1", referral.PartnerPrenatalCare, soon, later))
	rep = review(t, f, Options{})
	if len(rep.Warnings) != 0 || rep.Coverage[0].Record != "q-ob-2" || !rep.Coverage[0].Until.IsZero() {
		t.Errorf("open-ended agreement should cover: %v %+v", codes(rep.Warnings), rep.Coverage[0])
	}
}

// Partnerships: in force from start (inclusive) to end (exclusive), and a joint activity
// within 365 days up to the moment, both ends included.
func TestPartnershipGaps(t *testing.T) {
	cites := []string{CiteOrgChildWelfare}
	tests := []struct {
		name string
		ship *Partnership // replacing ps-dcf; nil: none
		want string       // gap code, "" for met
	}{
		{"none", nil, GapPartnershipNone},
		{"ended at the moment", &Partnership{ID: "ps-dcf", Partner: "dcf-1", Start: ago(700), End: at0, Activities: []time.Time{ago(1)}}, GapPartnershipNotInForce},
		{"starts after the moment", &Partnership{ID: "ps-dcf", Partner: "dcf-1", Start: at0.Add(time.Hour), Activities: []time.Time{ago(1)}}, GapPartnershipNotInForce},
		{"starts at the moment", &Partnership{ID: "ps-dcf", Partner: "dcf-1", Start: at0, Activities: []time.Time{at0}}, ""},
		{"no activity", &Partnership{ID: "ps-dcf", Partner: "dcf-1", Start: ago(700)}, GapPartnershipInactive},
		{"activity 365 days ago", &Partnership{ID: "ps-dcf", Partner: "dcf-1", Start: ago(700), Activities: []time.Time{ago(365)}}, ""},
		{"activity 365 days and a second ago", &Partnership{ID: "ps-dcf", Partner: "dcf-1", Start: ago(700), Activities: []time.Time{ago(365).Add(-time.Second)}}, GapPartnershipInactive},
		{"activity only after the moment", &Partnership{ID: "ps-dcf", Partner: "dcf-1", Start: ago(700), Activities: []time.Time{at0.Add(time.Second)}}, GapPartnershipInactive},
		// A partnership with the recovery coach does not meet the child welfare item.
		{"partnership with another kind", &Partnership{ID: "ps-dcf", Partner: "rc-1", Start: ago(700), Activities: []time.Time{ago(1)}}, GapPartnershipNone},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := fullFacts(t)
			f.Partnerships = f.Partnerships[1:]
			if tc.ship != nil {
				f.Partnerships = append(f.Partnerships, *tc.ship)
			}
			rep := review(t, f, Options{NoticeDays: -1})
			var want []Finding
			if tc.want != "" {
				want = []Finding{{Code: tc.want, Item: "partnership_child_welfare", Cites: cites, Partners: []string{"dcf-1"}}}
			}
			got := slices.Clone(rep.Gaps)
			for i := range got {
				got[i].Message = ""
			}
			if d := cmp.Diff(want, got, cmp.Comparer(func(a, b []Finding) bool { return len(a) == 0 && len(b) == 0 || cmp.Equal(a, b) })); d != "" {
				t.Errorf("gaps (-want +got):\n%s", d)
			}
		})
	}
	// Recovery supports: any of recovery coaching, case management or a recovery support
	// center meets the item.
	f := withPartner(t, fullFacts(t), "rc-1", partner("cm-1", referral.PartnerCaseManagement))
	f.Partnerships[1].Partner = "cm-1"
	if rep := review(t, f, Options{}); len(rep.Gaps) != 0 {
		t.Errorf("case management should meet recovery supports: %v", codes(rep.Gaps))
	}
}

// Removing any agreement or partnership never turns an unmet requirement into a met one,
// and never clears a gap: coverage is monotone in what the program holds.
func TestCoverageMonotone(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	kinds := referral.PartnerKinds()
	rv := reviewer(t)
	lost := 0 // cases where removing a record unmet a requirement: the property has teeth
	for n := 0; n < 300; n++ {
		var ps []referral.Partner
		for i := range 8 {
			id := "p" + string(rune('a'+i))
			p := partner(id, kinds[rng.IntN(len(kinds))])
			for j := range rng.IntN(3) {
				a := qsoa(id+"-q"+string(rune('0'+j)), id, ago(rng.IntN(400)-30))
				if rng.IntN(4) == 0 {
					a.Expires = ago(rng.IntN(100) - 50)
					if !a.Expires.After(a.SignedAt) {
						a.Expires = a.SignedAt.Add(time.Hour)
					}
				}
				if rng.IntN(5) == 0 {
					a.Written = false
				}
				p.Agreements = append(p.Agreements, a)
			}
			ps = append(ps, p)
		}
		var ships []Partnership
		for i, p := range ps {
			if rng.IntN(2) == 0 {
				ships = append(ships, Partnership{ID: "s" + string(rune('a'+i)), Partner: p.ID, Start: ago(rng.IntN(500) - 20),
					Activities: []time.Time{ago(rng.IntN(500) - 20)}})
			}
		}
		split := func(ps []referral.Partner) ([]referral.Partner, []consent.QSOAgreement) {
			var as []consent.QSOAgreement
			out := slices.Clone(ps)
			for i := range out {
				as = append(as, out[i].Agreements...)
				out[i].Agreements = nil
			}
			return out, as
		}
		dps, as := split(ps)
		full := Facts{Program: "prog-1", Directory: directory(t, dps...), Agreements: as, Partnerships: ships}
		before, err := rv.Review(full, Options{At: at0})
		if err != nil {
			t.Fatal(err)
		}
		// Drop one agreement or one partnership at random.
		fewer := slices.Clone(ps)
		shipsFewer := slices.Clone(ships)
		if i := rng.IntN(len(fewer)); rng.IntN(2) == 0 && len(fewer[i].Agreements) > 0 {
			fewer[i].Agreements = fewer[i].Agreements[1:]
		} else if len(shipsFewer) > 0 {
			shipsFewer = slices.Delete(shipsFewer, 0, 1)
		}
		dps, as = split(fewer)
		after, err := rv.Review(Facts{Program: "prog-1", Directory: directory(t, dps...), Agreements: as, Partnerships: shipsFewer}, Options{At: at0})
		if err != nil {
			t.Fatal(err)
		}
		for i := range before.Coverage {
			if before.Coverage[i].Met && !after.Coverage[i].Met {
				lost++
			}
			if after.Coverage[i].Met && !before.Coverage[i].Met {
				t.Fatalf("case %d: %s met only after removing a record", n, before.Coverage[i].Item)
			}
		}
		if len(after.Gaps) < len(before.Gaps) {
			t.Fatalf("case %d: fewer gaps after removing a record: %v -> %v", n, codes(before.Gaps), codes(after.Gaps))
		}
	}
	if lost == 0 {
		t.Error("no removal ever unmet a requirement: the generator does not exercise the property")
	}
}
