package referral

import (
	"errors"
	"testing"
	"time"

	"github.com/dyad-health/dyad/perinatal"
	"github.com/dyad-health/dyad/priority"
	"github.com/google/go-cmp/cmp"
)

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDueInterimPrenatal(t *testing.T) {
	c, err := priority.Compile(priority.Federal())
	if err != nil {
		t.Fatal(err)
	}
	// A pregnant woman who sought treatment at 09:00 on 2 March is owed a prenatal-care
	// referral within 48 hours: by 09:00 on 4 March (45 CFR 96.131(d)).
	w := priority.Applicant{ID: "W1", SoughtAt: date("2026-03-02T09:00:00Z"), Pregnant: true}
	got, ok := DueInterimPrenatal(c, w, date("2026-03-02T10:00:00Z"))
	want := Due{Rule: RuleInterimPrenatal, Milestone: MilestoneSent, At: date("2026-03-04T09:00:00Z"),
		Cite: "45 CFR 96.131(d)", Source: "W1"}
	if !ok || !cmp.Equal(want, got) {
		t.Errorf("DueInterimPrenatal = %+v, %v", got, ok)
	}
	// A man who injects drugs is owed interim services but no prenatal-care referral.
	m := priority.Applicant{ID: "M1", SoughtAt: date("2026-03-02T09:00:00Z"), InjectsDrugs: true}
	if _, ok := DueInterimPrenatal(c, m, date("2026-03-02T10:00:00Z")); ok {
		t.Error("prenatal referral owed to a man")
	}
	if _, ok := DueInterimPrenatal(nil, w, date("2026-03-02T10:00:00Z")); ok {
		t.Error("nil policy owes a referral")
	}
}

func TestDueEarlyIntervention(t *testing.T) {
	// Identified at 15:30 on 10 May: referred no later than 7 days after, 15:30 on 17 May
	// (34 CFR 303.303(a)(2)(i); 7×24 h, never later than the calendar-day reading).
	got := DueEarlyIntervention(date("2026-05-10T15:30:00Z"), "I1")
	want := Due{Rule: RuleEarlyIntervention, Milestone: MilestoneSent, At: date("2026-05-17T15:30:00Z"),
		Cite: "34 CFR 303.303(a)(2)(i)", Source: "I1"}
	if !cmp.Equal(want, got) {
		t.Errorf("got %+v", got)
	}
}

func plan() perinatal.PlanOfSafeCare {
	return perinatal.PlanOfSafeCare{InfantID: "I1", CreatedAt: date("2026-05-11T12:00:00Z"),
		Services: []perinatal.Service{
			{ID: "ei", For: perinatal.RecipientInfant, Domain: perinatal.NeedDevelopmental, Party: "ei-1", Referral: true},
			{ID: "nas-care", For: perinatal.RecipientInfant, Domain: perinatal.NeedHealth, Party: "ped-1"},
		},
		Monitoring: perinatal.Monitoring{Party: "prog-1", IntervalDays: 14}}
}

func TestDuePlanOfSafeCare(t *testing.T) {
	p := plan()
	got, err := DuePlanOfSafeCare(p, "ei")
	// No next review: 14 days after the plan was made, 12:00 on 25 May.
	want := Due{Rule: RulePlanOfSafeCare, Milestone: MilestoneSent, At: date("2026-05-25T12:00:00Z"),
		Cite: "42 U.S.C. 5106a(b)(2)(B)(iii)", Source: "I1/ei"}
	if err != nil || !cmp.Equal(want, got) {
		t.Errorf("got %+v, %v", got, err)
	}
	p.Monitoring.NextReview = date("2026-05-20T00:00:00Z")
	if got, _ := DuePlanOfSafeCare(p, "ei"); !got.At.Equal(p.Monitoring.NextReview) {
		t.Errorf("next review not used: %v", got.At)
	}
	p.Monitoring = perinatal.Monitoring{}
	_, err = DuePlanOfSafeCare(p, "nas-care")
	var ve *ValidationError
	if !errors.As(err, &ve) || !cmp.Equal(ve.Codes(), []string{"plan_service_not_referral", "plan_timing_missing"}) {
		t.Errorf("err = %v", err)
	}
	if _, err := DuePlanOfSafeCare(plan(), "nope"); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown service: %v", err)
	}
	if k, ok := PartnerKindFor(perinatal.RoleEarlyIntervention); !ok || k != PartnerEarlyIntervention {
		t.Error("PartnerKindFor(early_intervention)")
	}
	if _, ok := PartnerKindFor(perinatal.RoleCoordinator); ok {
		t.Error("PartnerKindFor(coordinator)")
	}
}

func TestDeadlines(t *testing.T) {
	ident := date("2026-05-10T15:30:00Z")
	due := date("2026-05-17T15:30:00Z")
	ei := Partner{ID: "partner-early_intervention", Kind: PartnerEarlyIntervention, AckWindow: 72 * time.Hour}
	newEI := func(t *testing.T) *Referral {
		d := draftNone("R1", PartnerEarlyIntervention)
		d.Subject, d.Patient = SubjectInfant, "I1"
		r := mustNew(t, d, ident.Add(time.Hour))
		if err := r.AddDue(DueEarlyIntervention(ident, "I1"), ident.Add(time.Hour), "staff-1"); err != nil {
			t.Fatal(err)
		}
		return r
	}
	dl := func(st DeadlineStatus, reached time.Time) Deadline {
		return Deadline{Referral: "R1", Partner: "partner-early_intervention", Kind: PartnerEarlyIntervention,
			Rule: RuleEarlyIntervention, Milestone: MilestoneSent, Due: due, Cite: "34 CFR 303.303(a)(2)(i)",
			State: st, ReachedAt: reached}
	}
	t.Run("open then overdue then met late", func(t *testing.T) {
		r := newEI(t)
		if d := cmp.Diff([]Deadline{dl(DeadlineOpen, time.Time{})}, r.Deadlines(&ei, due)); d != "" {
			t.Errorf("at the due time (-want +got):\n%s", d)
		}
		if d := cmp.Diff([]Deadline{dl(DeadlineOverdue, time.Time{})}, r.Deadlines(&ei, due.Add(time.Second))); d != "" {
			t.Errorf("a second late (-want +got):\n%s", d)
		}
		sent := due.Add(24 * time.Hour)
		if err := r.Send(sent, "staff-1"); err != nil {
			t.Fatal(err)
		}
		// Sent 24 h late; the partner's 72 h acknowledgement window starts at the send.
		ack := Deadline{Referral: "R1", Partner: "partner-early_intervention", Kind: PartnerEarlyIntervention,
			Rule: RulePartnerAck, Milestone: MilestoneAcknowledged, Due: sent.Add(72 * time.Hour), State: DeadlineOverdue}
		want := []Deadline{dl(DeadlineMetLate, sent), ack}
		if d := cmp.Diff(want, r.Deadlines(&ei, sent.Add(73*time.Hour))); d != "" {
			t.Errorf("after late send (-want +got):\n%s", d)
		}
		// Judged before the send, the history after the moment does not count.
		if d := cmp.Diff([]Deadline{dl(DeadlineOverdue, time.Time{})}, r.Deadlines(&ei, sent.Add(-time.Minute))); d != "" {
			t.Errorf("judged before the send (-want +got):\n%s", d)
		}
		if err := r.Transition(StatusReceived, sent.Add(80*time.Hour), "ei-1", ""); err != nil {
			t.Fatal(err)
		}
		ack.State, ack.ReachedAt = DeadlineMetLate, sent.Add(80*time.Hour)
		want = []Deadline{dl(DeadlineMetLate, sent), ack}
		if d := cmp.Diff(want, r.Deadlines(&ei, sent.Add(100*time.Hour))); d != "" {
			t.Errorf("acknowledged late (-want +got):\n%s", d)
		}
		// No partner, or another partner: no window.
		if got := r.Deadlines(nil, sent.Add(100*time.Hour)); len(got) != 1 {
			t.Errorf("window without partner: %+v", got)
		}
	})
	t.Run("met on time", func(t *testing.T) {
		r := newEI(t)
		sent := ident.Add(48 * time.Hour)
		if err := r.Send(sent, "staff-1"); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([]Deadline{dl(DeadlineMet, sent)}, r.Deadlines(nil, due.Add(30*24*time.Hour))); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
	})
	t.Run("cancelled unsent is missed", func(t *testing.T) {
		r := newEI(t)
		if err := r.Transition(StatusCancelled, ident.Add(2*time.Hour), "staff-1", "family_declined"); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff([]Deadline{dl(DeadlineMissed, time.Time{})}, r.Deadlines(nil, due.Add(time.Hour))); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
	})
}

func TestReviewAt(t *testing.T) {
	ped := Partner{ID: "partner-pediatric_care", Kind: PartnerPediatricCare, AckWindow: 48 * time.Hour}
	hv := Partner{ID: "partner-home_visiting", Kind: PartnerHomeVisiting, StallAfter: 3 * 24 * time.Hour}
	dir, err := NewDirectory(ped, hv)
	if err != nil {
		t.Fatal(err)
	}
	a := mustNew(t, draftNone("A", PartnerPediatricCare), t0)
	walk(t, a, t0, StatusRequested) // sent t0+1h, ack due t0+49h
	b := mustNew(t, draftNone("B", PartnerHomeVisiting), t0)
	walk(t, b, t0, StatusRequested, StatusAccepted) // last event t0+2h
	c := mustNew(t, draftNone("C", PartnerPediatricCare), t0)
	walk(t, c, t0, StatusRequested, StatusAccepted, StatusInProgress, StatusCompleted)
	late := mustNew(t, draftNone("D", PartnerPediatricCare), t0.Add(30*24*time.Hour))

	at := t0.Add(5 * 24 * time.Hour)
	got := ReviewAt([]*Referral{b, a, c, late, nil}, dir, at, ReviewOptions{StallAfter: 14 * 24 * time.Hour})
	want := Review{At: at,
		Overdue: []Deadline{{Referral: "A", Partner: "partner-pediatric_care", Kind: PartnerPediatricCare,
			Rule: RulePartnerAck, Milestone: MilestoneAcknowledged, Due: t0.Add(49 * time.Hour), State: DeadlineOverdue}},
		// B's partner stalls after 3 days (its own window beats the 14-day default); A is idle
		// 5 days minus 1 h, under 14 days; C is completed.
		Stalled: []Stall{{Referral: "B", Partner: "partner-home_visiting", Kind: PartnerHomeVisiting,
			Status: StatusAccepted, Since: t0.Add(2 * time.Hour), Idle: 5*24*time.Hour - 2*time.Hour}},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("review (-want +got):\n%s", d)
	}
	empty := ReviewAt(nil, nil, at, ReviewOptions{})
	if empty.Overdue == nil || empty.Stalled == nil || len(empty.Overdue)+len(empty.Stalled) != 0 {
		t.Errorf("empty review = %+v", empty)
	}
}

func TestDirectory(t *testing.T) {
	_, err := NewDirectory(Partner{ID: "p 1"}, Partner{ID: "x", Kind: PartnerChildCare, AckWindow: -1},
		Partner{ID: "x", Kind: PartnerChildCare})
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatal(err)
	}
	want := []string{"identifier_invalid", "partner_kind_unknown", "window_negative", "partner_duplicate"}
	if d := cmp.Diff(want, ve.Codes()); d != "" {
		t.Errorf("codes (-want +got):\n%s", d)
	}
	d, err := NewDirectory(Partner{ID: "b", Kind: PartnerChildCare}, Partner{ID: "a", Kind: PartnerPrimaryCare})
	if err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(d.IDs(), []string{"a", "b"}) {
		t.Errorf("IDs = %v", d.IDs())
	}
	if p, ok := d.Lookup("a"); !ok || p.Kind != PartnerPrimaryCare {
		t.Error("Lookup")
	}
	var nilDir *Directory
	if _, ok := nilDir.Lookup("a"); ok || nilDir.IDs() != nil {
		t.Error("nil directory")
	}
}

// TestDeadlinesEnteredInError is QA's reproducer as a regression test. An infant
// identified at 09:00 on 2 March is owed an Early Intervention referral by 09:00 on 9 March
// (34 CFR 303.303(a)(2)(i)); the referral is sent at 10:00, then marked entered-in-error
// at 11:00 (sent for the wrong patient). FHIR R4 task-status: an entered-in-error task
// "should never have existed and is retained only because of the possibility it may have
// been used" (CiteTaskStatus), so it reached no milestone: judged after 11:00 its
// deadline is missed (the referral ended without reaching it), never met, and the
// partner's acknowledgement window, which runs from a sending that did not count, is no
// longer listed. Judged between 10:00 and 11:00, before anyone knew, the history as it
// stood then says met, and the acknowledgement window is open.
func TestDeadlinesEnteredInError(t *testing.T) {
	identified := date("2026-03-02T09:00:00Z")
	r := mustNew(t, draftNone("R1", PartnerEarlyIntervention), identified)
	if err := r.AddDue(DueEarlyIntervention(identified, "I-1"), identified, "staff-1"); err != nil {
		t.Fatal(err)
	}
	sent, eie := identified.Add(time.Hour), identified.Add(2*time.Hour)
	if err := r.Send(sent, "staff-1"); err != nil {
		t.Fatal(err)
	}
	if err := r.Transition(StatusEnteredInError, eie, "staff-1", "wrong_patient"); err != nil {
		t.Fatal(err)
	}
	p := &Partner{ID: r.Partner(), Kind: PartnerEarlyIntervention, AckWindow: 72 * time.Hour}
	due := date("2026-03-09T09:00:00Z")
	ei := Deadline{Referral: "R1", Partner: r.Partner(), Kind: PartnerEarlyIntervention, Rule: RuleEarlyIntervention,
		Milestone: MilestoneSent, Due: due, Cite: CiteEarlyIntervention}
	for _, c := range []struct {
		at   time.Time
		want []Deadline
	}{
		{eie, []Deadline{with(ei, DeadlineMissed, time.Time{})}},
		{date("2026-03-12T09:00:00Z"), []Deadline{with(ei, DeadlineMissed, time.Time{})}},
		{sent.Add(30 * time.Minute), []Deadline{with(ei, DeadlineMet, sent),
			{Referral: "R1", Partner: r.Partner(), Kind: PartnerEarlyIntervention, Rule: RulePartnerAck,
				Milestone: MilestoneAcknowledged, Due: sent.Add(72 * time.Hour), State: DeadlineOpen}}},
	} {
		if d := cmp.Diff(c.want, r.Deadlines(p, c.at)); d != "" {
			t.Errorf("at %s (-want +got):\n%s", c.at.Format(time.RFC3339), d)
		}
	}
	if rv := ReviewAt([]*Referral{r}, nil, date("2026-03-12T09:00:00Z"), ReviewOptions{}); len(rv.Overdue) != 0 {
		t.Errorf("ReviewAt lists an overdue deadline of a referral entered in error: %+v", rv.Overdue)
	}
}

func with(d Deadline, s DeadlineStatus, reached time.Time) Deadline {
	d.State, d.ReachedAt = s, reached
	return d
}
