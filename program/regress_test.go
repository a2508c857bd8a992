package program

// Regression tests of the findings an outside QA engineer made against the program
// review (their reproducers, turned into tests whose expected values follow the rule).

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/dyad-health/dyad/perinatal"
	"github.com/dyad-health/dyad/referral"
	"github.com/google/go-cmp/cmp"
)

// TestPrenatalLiveBirthsOnly: the early prenatal care measure adapts HEDIS Prenatal and
// Postpartum Care (CiteHEDISPPC), whose denominator is deliveries of live births: a
// pregnancy known, at the moment, to have ended in a stillbirth or another loss is not in
// the denominator (not applicable), whether or not a visit came first. QA's case: intake at
// 6w0d, a loss three days later, judged 60 days after intake: it was counted unmet. A
// live birth, or an end whose outcome is not recorded (most ends are live births, and the
// program can record the outcome), stays in the denominator; a loss recorded after the
// moment is not known at it.
func TestPrenatalLiveBirthsOnly(t *testing.T) {
	lmp := tm("2026-01-01T00:00:00Z")
	in := lmp.AddDate(0, 0, 42) // 6w0d
	rv := reviewer(t)
	for _, c := range []struct {
		name    string
		outcome perinatal.PregnancyOutcome
		end     time.Time
		visit   time.Time
		at      time.Time
		want    Outcome
	}{
		{"QA: loss 3 days after intake, no visit", perinatal.OutcomePregnancyLoss, in.Add(3 * 24 * time.Hour), time.Time{}, in.AddDate(0, 0, 60), OutcomeNotApplicable},
		{"loss after a visit", perinatal.OutcomePregnancyLoss, in.Add(days(20)), in.Add(days(5)), in.AddDate(0, 0, 60), OutcomeNotApplicable},
		{"stillbirth at 30 weeks, no visit", perinatal.OutcomeStillbirth, lmp.Add(days(210)), time.Time{}, lmp.Add(days(240)), OutcomeNotApplicable},
		// 42 days after intake (CiteHEDISPPC) and past the first trimester (14w0d on day 98):
		// the window closed without a visit before the live birth at 30 weeks.
		{"live birth, no visit", perinatal.OutcomeLiveBirth, lmp.Add(days(210)), time.Time{}, lmp.Add(days(240)), OutcomeUnmet},
		{"end without a recorded outcome, no visit", perinatal.OutcomeUnknown, lmp.Add(days(210)), time.Time{}, lmp.Add(days(240)), OutcomeUnmet},
		// Judged before the loss: the pregnancy goes on as far as the moment knows; 60 days
		// after intake (day 102, 14w4d) both arms have closed without a visit.
		{"loss after the moment", perinatal.OutcomePregnancyLoss, in.Add(days(70)), time.Time{}, in.Add(days(60)), OutcomeUnmet},
	} {
		p := perinatal.Pregnancy{LMP: lmp, DeliveredAt: c.end, Outcome: c.outcome}
		d := Dyad{ID: "d-1", Mother: "W-1", IntakeAt: in, Pregnancy: &p, FirstPrenatalVisit: c.visit}
		if err := (Facts{Program: "prog-1", Dyads: []Dyad{d}}).Validate(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := rv.MeasureDyad(d, nil, c.at).Prenatal; got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

// TestSupportWindowCloses: a support referral counts for CHARM target 4 only if its loop
// closes (completed) within SupportCloseWithinDays of its sending (default 90, the
// package's own threshold); one still open, or completed, later than that has lapsed: it
// no longer keeps the dyad pending and counts with those that ended without completion.
// QA's case: a family resource center referral sent the day after intake and never
// closed, judged two and a half years later (two years after discharge): it was pending
// forever, so an abandoned referral hid the dyad from the denominator.
func TestSupportWindowCloses(t *testing.T) {
	in := tm("2024-01-01T09:00:00Z")
	frc := referral.PartnerFamilyResourceCenter
	sent := in.Add(25 * time.Hour)
	d := Dyad{ID: "d-2", Mother: "W1", IntakeAt: in, DischargedAt: in.AddDate(0, 2, 0)}
	rv := reviewer(t)
	type got struct {
		Support                       Outcome
		Sent, Completed, Ended, Lapse int
	}
	measure := func(refs []*referral.Referral, at time.Time) got {
		m := rv.MeasureDyad(d, refs, at)
		return got{m.Support, m.SupportSent, m.SupportCompleted, m.SupportEnded, m.SupportLapsed}
	}
	open := []*referral.Referral{ref(t, "R-FRC-1", "W1", frc, sent)}
	for _, c := range []struct {
		name string
		refs []*referral.Referral
		at   time.Time
		want got
	}{
		{"QA: abandoned, 2.5 years on", open, in.AddDate(2, 6, 0), got{OutcomeUnmet, 1, 0, 0, 1}},
		// The window: 90 days of 24 hours from the sending, both ends included.
		{"open, last instant of the window", open, sent.Add(days(90)), got{OutcomePending, 1, 0, 0, 0}},
		{"open, the window closed", open, sent.Add(days(90)).Add(time.Nanosecond), got{OutcomeUnmet, 1, 0, 0, 1}},
		{"completed on the window's last day", []*referral.Referral{ref(t, "R-FRC-1", "W1", frc, sent, completed(sent.Add(days(90)))...)},
			in.AddDate(1, 0, 0), got{OutcomeMet, 1, 1, 0, 0}},
		{"completed late", []*referral.Referral{ref(t, "R-FRC-1", "W1", frc, sent, completed(sent.Add(days(91)))...)},
			in.AddDate(1, 0, 0), got{OutcomeUnmet, 1, 0, 0, 1}},
		{"rejected", []*referral.Referral{ref(t, "R-FRC-1", "W1", frc, sent, step{referral.StatusRejected, sent.Add(days(2))})},
			in.AddDate(1, 0, 0), got{OutcomeUnmet, 1, 0, 1, 0}},
	} {
		if g := measure(c.refs, c.at); g != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, g, c.want)
		}
	}
	// Over a cohort, the lapsed referral is in the denominator of the per-referral rate.
	f := Facts{Program: "prog-1", Dyads: []Dyad{d}, Referrals: open}
	rep := review(t, f, Options{At: in.AddDate(2, 6, 0)})
	want := Rate{Denominator: 1}
	if diff := cmp.Diff(want, rep.CHARM[0].SupportReferrals); diff != "" {
		t.Errorf("support referrals (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Rate{Denominator: 1}, rep.CHARM[0].Support); diff != "" {
		t.Errorf("support (-want +got):\n%s", diff)
	}
}

// TestUnknownKeyNotInError: a member name the facts format does not have is never written
// in the error, however much it looks like a schema name (QA: a sender's mapping used a
// patient's name as a key); its path shows "?" (internal/jsonin, fixed on main).
func TestUnknownKeyNotInError(t *testing.T) {
	const name = "Jane_Doe_DOB_19900401"
	_, _, err := DecodeFacts([]byte(`{"program":"prog-1","dyads":[{"id":"d-1","mother":"W-1","intake_at":"2026-01-01T00:00:00Z","` + name + `":true}]}`))
	if err == nil || strings.Contains(err.Error(), name) || strings.Contains(err.Error(), "Jane") {
		t.Fatalf("DecodeFacts: %v", err)
	}
	problemAt(t, err, "unknown_field", "dyads[0].?")
}

// TestGuidanceTextOneLine: a guidance's citations and titles are one line of printable
// text: every Unicode line break (LF, VT, FF, CR, NEL U+0085, LS U+2028, PS U+2029), every
// other control character and the invisible format characters (a bidirectional override)
// are refused, so Finding.String stays one line. QA's case put U+2028 and a forged log
// field into a citation.
func TestGuidanceTextOneLine(t *testing.T) {
	for _, bad := range []string{"\n", "\v", "\f", "\r", "\u0085", "\u2028", "\u2029", "\u202e", "\x00", "\u00a0"} {
		g := MassachusettsBSAS()
		g.Agreements[0].Cite = "MA BSAS A.2" + bad + `level=INFO msg="qsoa ok"`
		g.Title = "title" + bad
		_, err := New(g)
		if err == nil {
			t.Errorf("%U: the guidance is accepted", []rune(bad)[0])
			continue
		}
		problemAt(t, err, ProblemText, "agreements[0].cite")
		problemAt(t, err, ProblemText, "title")
	}
	// Whoever builds a Finding by hand, String writes it on one line: a citation that is
	// not one line of printable text is quoted and escaped.
	f := Finding{Code: GapNoPartner, Item: "qsoa_prenatal_care", Cites: []string{"MA BSAS A.2\u2028level=INFO", CiteQSODefinition}}
	s := f.String()
	if strings.ContainsFunc(s, func(r rune) bool { return r != ' ' && !unicode.IsPrint(r) }) {
		t.Errorf("String holds a character that is not printable: %q", s)
	}
	want := `no_partner_of_kind qsoa_prenatal_care ["MA BSAS A.2\u2028level=INFO"; 42 CFR 2.11]`
	if s != want {
		t.Errorf("String() = %s, want %s", s, want)
	}
}
