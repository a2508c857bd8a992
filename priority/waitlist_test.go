package priority

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dyad-health/dyad/perinatal"
)

const actor = "nurse-1"

func ids(ws []Waiting) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Applicant.ID
	}
	return out
}

// head is Head(0, at, Everyone) failing the test on an error.
func head(t testing.TB, w *Waitlist, at time.Time) []string {
	t.Helper()
	hd, err := w.Head(0, at, Everyone)
	if err != nil {
		t.Fatal(err)
	}
	return ids(hd)
}

func add(t testing.TB, w *Waitlist, a Applicant) Classification {
	t.Helper()
	c, err := w.Add(a, a.SoughtAt, actor)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestWaitlistOrderAndChanges(t *testing.T) {
	w := newList(t, Federal())
	h := time.Hour
	add(t, w, Applicant{ID: "O1", SoughtAt: t0})
	add(t, w, Applicant{ID: "I1", SoughtAt: t0.Add(h), InjectsDrugs: true})
	eq(t, 2, add(t, w, Applicant{ID: "P1", SoughtAt: t0.Add(2 * h), Pregnant: true}).Rank)
	add(t, w, Applicant{ID: "I2", SoughtAt: t0.Add(3 * h), InjectsDrugs: true})
	now := t0.Add(3 * h)
	eq(t, []string{"P1", "I1", "I2", "O1"}, head(t, w, now))
	hd, err := w.Head(2, now, Everyone)
	noErr(t, err)
	eq(t, []string{"P1", "I1"}, ids(hd))
	next, ok, err := w.Next(now, Everyone)
	noErr(t, err)
	eq(t, true, ok)
	eq(t, "P1", next.Applicant.ID)
	for want, id := range []string{"P1", "I1", "I2", "O1"} {
		pos, err := w.Position(id, now)
		noErr(t, err)
		eq(t, want+1, pos)
	}

	// A duplicate identifier is refused (96.126(c)); so is an unknown one.
	_, err = w.Add(Applicant{ID: "I1", SoughtAt: t0.Add(4 * h)}, t0.Add(4*h), actor)
	isErr(t, err, ErrDuplicateID)
	// The identifier is judged before the facts: a duplicate (or unknown) identifier is
	// reported as such even when the facts are invalid too (sought after the event).
	_, err = w.Add(Applicant{ID: "I1", SoughtAt: t0.Add(5 * h)}, t0.Add(4*h), actor)
	isErr(t, err, ErrDuplicateID)
	_, err = w.Update(Applicant{ID: "nobody", SoughtAt: t0.Add(5 * h)}, t0.Add(4*h), actor)
	isErr(t, err, ErrNotFound)
	_, err = w.Add(Applicant{ID: "new", SoughtAt: t0.Add(5 * h)}, t0.Add(4*h), actor)
	isErr(t, err, ErrInvalidApplicant)
	_, err = w.Position("nobody", now)
	isErr(t, err, ErrNotFound)
	isErr(t, w.RecordContact("nobody", true, t0.Add(4*h), actor), ErrNotFound)
	_, err = w.Update(Applicant{ID: "nobody", InjectsDrugs: true}, t0.Add(4*h), actor)
	isErr(t, err, ErrNotFound)

	// O1 reports injecting drug use: tier 3, and she asked before I1.
	c, err := w.Update(Applicant{ID: "O1", InjectsDrugs: true}, t0.Add(5*h), actor)
	noErr(t, err)
	eq(t, 3, c.Rank)
	eq(t, []string{"P1", "O1", "I1", "I2"}, head(t, w, t0.Add(5*h)))
	// The time sought cannot change.
	_, err = w.Update(Applicant{ID: "O1", SoughtAt: t0.Add(time.Minute), InjectsDrugs: true}, t0.Add(5*h), actor)
	isErr(t, err, ErrInvalidEvent)

	// P1 delivers: under the federal order she is no longer pregnant and falls to tier 4.
	c, err = w.Update(Applicant{ID: "P1", Pregnant: true, Pregnancy: perinatal.Pregnancy{DeliveredAt: t0.Add(6 * h), Outcome: perinatal.OutcomeLiveBirth}}, t0.Add(6*h), actor)
	noErr(t, err)
	eq(t, 4, c.Rank)
	eq(t, []string{"O1", "I1", "I2", "P1"}, head(t, w, t0.Add(6*h)))

	// Removals: admitted; unreachable refused under the federal policy (no removal rule).
	noErr(t, w.Remove("O1", RemovalAdmitted, t0.Add(7*h), actor))
	isErr(t, w.Remove("I1", RemovalUnreachable, t0.Add(7*h), actor), ErrRemovalNotAllowed)
	isErr(t, w.Remove("I1", RemovalUnknown, t0.Add(7*h), actor), ErrInvalidEvent)
	noErr(t, w.Remove("I2", RemovalAdmittedElsewhere, t0.Add(8*h), actor))
	eq(t, []string{"I1", "P1"}, head(t, w, t0.Add(8*h)))
	eq(t, 2, w.Len())
	// A person who left is still answerable, and not waiting.
	got, err := w.Get("O1", t0.Add(8*h))
	noErr(t, err)
	eq(t, t0.Add(7*h), got.LeftAt)
	eq(t, RemovalAdmitted, got.LeftReason)
	eq(t, Classification{}, got.Classification)
	_, err = w.Position("O1", t0.Add(8*h))
	isErr(t, err, ErrNotWaiting)
	isErr(t, w.RecordContact("O1", true, t0.Add(8*h), actor), ErrNotWaiting)
	// A removed identifier may come back later as a new request.
	add(t, w, Applicant{ID: "O1", SoughtAt: t0.Add(9 * h)})
	eq(t, []string{"I1", "P1", "O1"}, head(t, w, t0.Add(9*h))) // both tier 4: P1 sought earlier

	// Events out of time order are refused.
	_, err = w.Add(Applicant{ID: "late", SoughtAt: t0}, t0, actor)
	isErr(t, err, ErrOutOfOrder)
	var kinds []EventKind
	evs, err := w.EventsSince(0)
	noErr(t, err)
	for _, e := range evs {
		kinds = append(kinds, e.Kind)
		eq(t, Federal().ID(), e.Policy)
		eq(t, actor, e.Actor)
	}
	eq(t, []EventKind{EventAdded, EventAdded, EventAdded, EventAdded, EventFactsUpdated, EventFactsUpdated,
		EventRemoved, EventRemoved, EventAdded}, kinds)
}

// TestWaitlistActorsAndDoor: every change names its actor; identifiers and times are checked
// at the door (issue 13).
func TestWaitlistActorsAndDoor(t *testing.T) {
	w := newList(t, Federal())
	for _, bad := range []string{"", "Jane Doe", " nurse "} {
		_, err := w.Add(Applicant{ID: "A", SoughtAt: t0}, t0, bad)
		isErr(t, err, ErrInvalidEvent)
	}
	for _, id := range []string{"Jane Doe", " a-1 ", "a\nb", strings.Repeat("x", 200)} {
		_, err := w.Add(Applicant{ID: id, SoughtAt: t0}, t0, actor)
		isErr(t, err, ErrInvalidApplicant)
		if strings.Contains(err.Error(), "Jane") || strings.Contains(err.Error(), "xxxxxxxxxx") {
			t.Errorf("the error quotes the input: %v", err)
		}
	}
	y20260 := time.Date(20260, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err := w.Add(Applicant{ID: "Y", SoughtAt: y20260}, y20260, actor)
	isErr(t, err, ErrInvalidEvent)
	_, err = w.Add(Applicant{ID: "Y", SoughtAt: y20260}, t0, actor)
	isErr(t, err, ErrInvalidApplicant)
	// Sought after the moment recorded, or a delivery recorded before it happened.
	_, err = w.Add(Applicant{ID: "S", SoughtAt: t0.Add(time.Hour)}, t0, actor)
	isErr(t, err, ErrInvalidApplicant)
	_, err = w.Add(Applicant{ID: "D", SoughtAt: t0, Pregnant: true, Pregnancy: perinatal.Pregnancy{DeliveredAt: t0.Add(time.Hour)}}, t0, actor)
	isErr(t, err, ErrInvalidApplicant)
	_, err = w.Add(Applicant{ID: "A", SoughtAt: t0, Pregnant: true, DeliveredAt: t0.Add(-time.Hour)}, t0, actor)
	isErr(t, err, ErrInvalidApplicant) // ambiguous_delivery
	eq(t, uint64(0), w.LastSeq())      // nothing refused was recorded
}

// TestWaitlistFutureEvent: a change dated far ahead of the clock is refused, so it cannot
// make every later change fail as out of order (issue 13).
func TestWaitlistFutureEvent(t *testing.T) {
	ck := &clock{now: t0}
	w, err := NewWaitlist(MustCompile(Federal()), WaitlistOptions{Now: ck.Now})
	noErr(t, err)
	f := time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err = w.Add(Applicant{ID: "F", SoughtAt: t0}, f, actor)
	isErr(t, err, ErrFutureEvent)
	// Within the tolerance (five minutes by default) is accepted: clocks differ a little.
	_, err = w.Add(Applicant{ID: "G", SoughtAt: t0}, t0.Add(4*time.Minute), actor)
	noErr(t, err)
	_, err = w.Add(Applicant{ID: "H", SoughtAt: t0}, t0.Add(6*time.Minute), actor)
	isErr(t, err, ErrFutureEvent)
	ck.now = t0.Add(time.Hour)
	_, err = w.Add(Applicant{ID: "H", SoughtAt: t0}, t0.Add(6*time.Minute), actor)
	noErr(t, err)
	_, err = w.Refresh(f)
	isErr(t, err, ErrFutureEvent)
	_, err = NewWaitlist(MustCompile(Federal()), WaitlistOptions{})
	isErr(t, err, ErrInvalidOptions)
	_, err = NewWaitlist(MustCompile(Federal()), WaitlistOptions{Now: ck.Now, FutureTolerance: -time.Second})
	isErr(t, err, ErrInvalidOptions)
	_, err = NewWaitlist(nil, WaitlistOptions{Now: ck.Now})
	isErr(t, err, ErrInvalidPolicy)
}

func TestWaitlistContactsAndRemovalRule(t *testing.T) {
	p := Federal()
	p.Removal = RemovalRule{AfterFailedContacts: 2}
	w := newList(t, p)
	add(t, w, Applicant{ID: "A", SoughtAt: t0})
	noErr(t, w.RecordContact("A", false, t0.Add(time.Hour), actor))
	ok, err := w.Removable("A", t0.Add(time.Hour))
	noErr(t, err)
	eq(t, false, ok)
	isErr(t, w.Remove("A", RemovalUnreachable, t0.Add(time.Hour), actor), ErrRemovalNotAllowed)
	noErr(t, w.RecordContact("A", false, t0.Add(2*time.Hour), actor))
	got, err := w.Get("A", t0.Add(2*time.Hour))
	noErr(t, err)
	eq(t, Contacts{Attempts: 2, FailedInRow: 2, LastAttemptAt: t0.Add(2 * time.Hour)}, got.Contacts)
	noErr(t, w.Remove("A", RemovalUnreachable, t0.Add(3*time.Hour), actor))
	eq(t, 0, w.Len())
}

type ko struct {
	ID     string
	Kind   ObligationKind
	Due    time.Time
	Status ObligationStatus
}

func brief(os []Obligation) []ko {
	var out []ko
	for _, o := range os {
		out = append(out, ko{o.Subject, o.Kind, o.Due, o.Status})
	}
	return out
}

func overdue(t testing.TB, w *Waitlist, at time.Time) []ko {
	t.Helper()
	os, err := w.Overdue(at)
	if err != nil {
		t.Fatal(err)
	}
	return brief(os)
}

func TestWaitlistOverdueAndInterim(t *testing.T) {
	w := newList(t, Federal())
	h, d := time.Hour, 24*time.Hour
	noErr(t, w.SetOccupancy("p1", Occupancy{Beds: 10, Occupied: 10}, t0.Add(-h), actor))
	for _, a := range []Applicant{
		{ID: "M1", SoughtAt: t0, InjectsDrugs: true},
		{ID: "W1", SoughtAt: t0.Add(h), Pregnant: true},
		{ID: "O1", SoughtAt: t0.Add(2 * h)},
		{ID: "M2", SoughtAt: t0.Add(3 * h), InjectsDrugs: true, CapacityAtRequest: CapacityNone},
	} {
		add(t, w, a)
	}
	// M2 gets every element at 40 h: interim met, and (no program could admit him on the day
	// he asked) admission moves to 120 days (96.126(b)(2)).
	for _, e := range BaseElements.Slice() {
		noErr(t, w.DeliverInterim("M2", e, t0.Add(40*h), actor))
	}
	isErr(t, w.DeliverInterim("M2", ElementUnknown, t0.Add(40*h), actor), ErrInvalidEvent)
	// W1 gets five of seven, and is referred to the State.
	for _, e := range BaseElements.Slice() {
		noErr(t, w.DeliverInterim("W1", e, t0.Add(41*h), actor))
	}
	noErr(t, w.ReferToState("W1", t0.Add(41*h), actor))
	ic, err := w.InterimCompliance("W1", t0.Add(50*h))
	noErr(t, err)
	eq(t, InterimCompliance{Owed: BaseElements | PregnancyElements, Delivered: BaseElements, Missing: PregnancyElements,
		Due: t0.Add(49 * h), Status: StatusOverdue}, ic)

	// At 48 h 30 m only M1's interim (due 48 h) is overdue; W1's is due at 49 h.
	eq(t, []ko{{"M1", ObligationInterimServices, t0.Add(48 * h), StatusOverdue}}, overdue(t, w, t0.Add(48*h+30*time.Minute)))
	eq(t, []ko(nil), overdue(t, w, t0.Add(48*h)))
	// At day 15: both interim obligations and M1's 14-day admission; M2 has 120 days.
	eq(t, []ko{
		{"M1", ObligationInterimServices, t0.Add(48 * h), StatusOverdue},
		{"W1", ObligationInterimServices, t0.Add(49 * h), StatusOverdue},
		{"M1", ObligationAdmission, t0.Add(14 * d), StatusOverdue},
	}, overdue(t, w, t0.Add(15*d)))
	eq(t, []ko{
		{"M1", ObligationInterimServices, t0.Add(48 * h), StatusOverdue},
		{"W1", ObligationInterimServices, t0.Add(49 * h), StatusOverdue},
		{"M1", ObligationAdmission, t0.Add(14 * d), StatusOverdue},
		{"M2", ObligationAdmission, t0.Add(3*h + 120*d), StatusOverdue},
	}, overdue(t, w, t0.Add(200*d)))
	// DueBefore: what falls due within the next day, judged now.
	due, err := w.DueBefore(t0.Add(49*h+time.Minute), t0.Add(47*h))
	noErr(t, err)
	eq(t, []ko{
		{"M1", ObligationInterimServices, t0.Add(48 * h), StatusOpen},
		{"W1", ObligationInterimServices, t0.Add(49 * h), StatusOpen},
	}, brief(due))

	// The list's obligations for W1 agree with the policy's, given what the list recorded.
	obs, err := w.Obligations("W1", t0.Add(50*h))
	noErr(t, err)
	direct, err := w.Policy().Obligations(Applicant{ID: "W1", SoughtAt: t0.Add(h), Pregnant: true}, Progress{StateReferredAt: t0.Add(41 * h)},
		Program{Beds: 1, Occupied: 1}, t0.Add(50*h))
	noErr(t, err)
	eq(t, direct, obs)
	_, err = w.Obligations("nobody", t0.Add(50*h))
	isErr(t, err, ErrNotFound)

	// Admitting M1 on day 15 clears him from the overdue list; his obligations stay
	// answerable: interim services missed, admission met late (issue 12).
	noErr(t, w.Remove("M1", RemovalAdmitted, t0.Add(15*d), actor))
	eq(t, []ko{{"W1", ObligationInterimServices, t0.Add(49 * h), StatusOverdue}}, overdue(t, w, t0.Add(15*d)))
	obs, err = w.Obligations("M1", t0.Add(16*d))
	noErr(t, err)
	eq(t, []ko{{"M1", ObligationInterimServices, t0.Add(48 * h), StatusMissed}, {"M1", ObligationAdmission, t0.Add(14 * d), StatusMetLate}}, brief(obs))
	cr, err := w.Compliance("M1", t0.Add(16*d))
	noErr(t, err)
	eq(t, false, cr.Waiting)
	eq(t, t0.Add(15*d), cr.AdmittedAt)
	eq(t, StatusMissed, cr.Interim.Status)
	eq(t, AdmissionDays, cr.AdmissionDays)
	cr, err = w.Compliance("M2", t0.Add(16*d))
	noErr(t, err)
	eq(t, ExtendedAdmissionDays, cr.AdmissionDays)
	eq(t, StatusMet, cr.Interim.Status)
}

// TestWaitlistReadsTakeTheMoment: Next, Head, Position and Get judge the moment given, so a
// postpartum window that ended since the last change counts without a Refresh (issue 12).
func TestWaitlistReadsTakeTheMoment(t *testing.T) {
	p := Federal()
	p.PostpartumDays = 30
	p.Tiers = []Tier{p.Tiers[0], p.Tiers[1], p.Tiers[2], {Name: "postpartum", When: map[string]bool{"postpartum": true}}, p.Tiers[3]}
	w := newList(t, p)
	d := 24 * time.Hour
	add(t, w, Applicant{ID: "O", SoughtAt: t0.Add(-time.Hour)})
	add(t, w, Applicant{ID: "PP", SoughtAt: t0, PriorDeliveryAt: t0.Add(-20 * d)})
	add(t, w, Applicant{ID: "INJ", SoughtAt: t0.Add(d), InjectsDrugs: true})
	eq(t, []string{"INJ", "PP", "O"}, head(t, w, t0.Add(d)))
	// Her window ends at t0 + 10 d: the same list read later has her behind O (who asked first).
	later := t0.Add(10*d + time.Nanosecond)
	eq(t, []string{"INJ", "O", "PP"}, head(t, w, later))
	pos, err := w.Position("PP", later)
	noErr(t, err)
	eq(t, 3, pos)
	pos, err = w.Position("O", later)
	noErr(t, err)
	eq(t, 2, pos)
	g, err := w.Get("PP", later)
	noErr(t, err)
	eq(t, 5, g.Classification.Rank)
	hd, err := w.Head(2, later, Eligibility{NoneOf: NewConditionSet(ConditionInjectsDrugs)})
	noErr(t, err)
	eq(t, []string{"O", "PP"}, ids(hd))
	// At the last instant of the window she is still postpartum.
	eq(t, []string{"INJ", "PP", "O"}, head(t, w, t0.Add(10*d)))
	// Nothing was recorded by reading.
	eq(t, uint64(3), w.LastSeq())
	n, err := w.Refresh(later)
	noErr(t, err)
	eq(t, 1, n)
	eq(t, []string{"INJ", "O", "PP"}, head(t, w, later))
	evs, err := w.EventsSince(3)
	noErr(t, err)
	eq(t, 1, len(evs))
	eq(t, EventReclassified, evs[0].Kind)
	eq(t, "", evs[0].Actor)
	// A moment before the last event is refused, by every read alike.
	before := later.Add(-time.Nanosecond)
	_, _, err = w.Next(before, Everyone)
	isErr(t, err, ErrPastMoment)
	_, err = w.Overdue(before)
	isErr(t, err, ErrPastMoment)
	_, err = w.Obligations("PP", before)
	isErr(t, err, ErrPastMoment)
	_, err = w.Position("PP", before)
	isErr(t, err, ErrPastMoment)
}

// TestWaitlistOverdueAgreesWithObligations: at every moment a list answers for, Overdue lists
// exactly the overdue obligations that Obligations gives (issue 12: they disagreed about a
// past moment; such moments are now refused by both).
func TestWaitlistOverdueAgreesWithObligations(t *testing.T) {
	w := newList(t, Federal())
	randomList(t, w, 11, 400)
	last := nsTime(w.last)
	for _, at := range []time.Time{last, last.Add(30 * time.Hour), last.Add(15 * 24 * time.Hour), last.Add(200 * 24 * time.Hour)} {
		got, err := w.Overdue(at)
		noErr(t, err)
		var want []Obligation
		seen := map[string]bool{}
		for i := 1; i < len(w.recs); i++ {
			id := w.idOf(&w.recs[i])
			if id == "" || seen[id] {
				continue
			}
			seen[id] = true
			obs, err := w.Obligations(id, at)
			noErr(t, err)
			for _, o := range obs {
				if o.Status == StatusOverdue {
					want = append(want, o)
				}
			}
		}
		key := func(o Obligation) string { return o.Subject + "/" + o.Kind.String() }
		eq(t, sortedKeys(want, key), sortedKeys(got, key))
	}
}

// TestWaitlistPregnancyLossKeepsOverdue: recording that she is no longer pregnant, whether as
// the end of the episode or by clearing the flag, never erases an obligation already overdue
// (issue 12).
func TestWaitlistPregnancyLossKeepsOverdue(t *testing.T) {
	for _, tt := range []struct {
		name  string
		facts Applicant
	}{
		{"the episode ends in a loss", Applicant{ID: "W", Pregnant: true, Pregnancy: perinatal.Pregnancy{DeliveredAt: t0.Add(72 * time.Hour), Outcome: perinatal.OutcomePregnancyLoss}}},
		{"the flag is cleared", Applicant{ID: "W"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newList(t, Federal())
			add(t, w, Applicant{ID: "W", SoughtAt: t0, Pregnant: true})
			late := t0.Add(72 * time.Hour)
			eq(t, 2, len(overdue(t, w, late))) // interim services and the State referral
			_, err := w.Update(tt.facts, late, actor)
			noErr(t, err)
			eq(t, []ko{{"W", ObligationInterimServices, t0.Add(48 * time.Hour), StatusOverdue}, {"W", ObligationStateReferral, t0.Add(48 * time.Hour), StatusOverdue}},
				overdue(t, w, late.Add(time.Minute)))
			ic, err := w.InterimCompliance("W", late.Add(time.Minute))
			noErr(t, err)
			eq(t, BaseElements|PregnancyElements, ic.Owed)
		})
	}
}

// TestWaitlistCapacityNoticeFromOccupancy: the notice runs from the moment the occupancy
// events show 90% reached (96.126(a)), without a field to remember (issue 12).
func TestWaitlistCapacityNoticeFromOccupancy(t *testing.T) {
	w := newList(t, Federal())
	d := 24 * time.Hour
	occ := func(n int, at time.Time) {
		t.Helper()
		noErr(t, w.SetOccupancy("p1", Occupancy{Beds: 20, Occupied: n, ServesInjecting: true}, at, actor))
	}
	occ(10, t0)
	obs, err := w.ProgramObligations("p1", t0.Add(d))
	noErr(t, err)
	eq(t, 0, len(obs))
	occ(18, t0.Add(2*d)) // 90%
	occ(17, t0.Add(3*d)) // below
	occ(19, t0.Add(4*d)) // above again, before any notice: the first reach still counts
	obs, err = w.ProgramObligations("p1", t0.Add(10*d))
	noErr(t, err)
	eq(t, []ko{{"program", ObligationCapacityNotice, t0.Add(9 * d), StatusOverdue}}, brief(obs))
	noErr(t, w.NotifyCapacity("p1", t0.Add(10*d), actor))
	obs, _ = w.ProgramObligations("p1", t0.Add(11*d))
	eq(t, []ko{{"program", ObligationCapacityNotice, t0.Add(9 * d), StatusMetLate}}, brief(obs))
	occ(10, t0.Add(12*d))
	occ(20, t0.Add(13*d)) // a new reach after the notice: a new notice is owed
	obs, _ = w.ProgramObligations("p1", t0.Add(14*d))
	eq(t, []ko{{"program", ObligationCapacityNotice, t0.Add(20 * d), StatusOpen}}, brief(obs))
	p, err := w.ProgramAt("p1", t0.Add(14*d))
	noErr(t, err)
	eq(t, Program{Beds: 20, Occupied: 20, ServesInjecting: true, Reached90At: t0.Add(13 * d), NotifiedAt: t0.Add(10 * d)}, p)
	// The list's Program value gives the same notice to the stateless rule.
	direct, err := w.Policy().ProgramObligations(p, t0.Add(14*d))
	noErr(t, err)
	eq(t, obs, direct)
	isErr(t, w.SetOccupancy("p1", Occupancy{Beds: 5, Occupied: 6}, t0.Add(15*d), actor), ErrInvalidEvent)
	isErr(t, w.SetOccupancy("p1", Occupancy{Beds: -1}, t0.Add(15*d), actor), ErrInvalidEvent)
	isErr(t, w.NotifyCapacity("p2", t0.Add(15*d), actor), ErrNotFound)
	_, err = w.ProgramAt("p2", t0.Add(15*d))
	isErr(t, err, ErrNotFound)
}

// TestWaitlistStateReferralFromOccupancy: the list owes a pregnant woman the referral to the
// State when no program it records has a free bed when she joins (or nothing is recorded).
func TestWaitlistStateReferralFromOccupancy(t *testing.T) {
	w := newList(t, Federal())
	h := time.Hour
	noErr(t, w.SetOccupancy("p1", Occupancy{Beds: 10, Occupied: 9}, t0, actor))
	add(t, w, Applicant{ID: "FREE", SoughtAt: t0, Pregnant: true, CapacityAtRequest: CapacityAvailable})
	noErr(t, w.SetOccupancy("p1", Occupancy{Beds: 10, Occupied: 10}, t0.Add(h), actor))
	add(t, w, Applicant{ID: "FULL", SoughtAt: t0.Add(h), Pregnant: true})
	// A woman who becomes pregnant while waiting is owed it from then on.
	add(t, w, Applicant{ID: "LATER", SoughtAt: t0.Add(h)})
	_, err := w.Update(Applicant{ID: "LATER", Pregnant: true}, t0.Add(2*h), actor)
	noErr(t, err)
	at := t0.Add(50 * h)
	eq(t, []ko{
		{"FULL", ObligationInterimServices, t0.Add(49 * h), StatusOverdue}, {"FULL", ObligationStateReferral, t0.Add(49 * h), StatusOverdue},
		{"LATER", ObligationInterimServices, t0.Add(49 * h), StatusOverdue}, {"LATER", ObligationStateReferral, t0.Add(49 * h), StatusOverdue},
	}, overdue(t, w, at))
}

// TestWaitlistNextEligibility: the bed of a program for pregnant women and women with
// dependent children (45 CFR 96.124(e)) goes to the first eligible woman.
func TestWaitlistNextEligibility(t *testing.T) {
	w := newList(t, Federal())
	h := time.Hour
	add(t, w, Applicant{ID: "M", SoughtAt: t0, InjectsDrugs: true})
	add(t, w, Applicant{ID: "F", SoughtAt: t0.Add(h), DependentChildren: true}) // a father: not a woman
	add(t, w, Applicant{ID: "W", SoughtAt: t0.Add(2 * h), Woman: true, DependentChildren: true})
	add(t, w, Applicant{ID: "X", SoughtAt: t0.Add(3 * h), Woman: true})
	at := t0.Add(3 * h)
	next, ok, err := w.Next(at, WomensProgram())
	noErr(t, err)
	eq(t, true, ok)
	eq(t, "W", next.Applicant.ID)
	add(t, w, Applicant{ID: "P", SoughtAt: t0.Add(4 * h), Pregnant: true})
	next, _, _ = w.Next(t0.Add(4*h), WomensProgram())
	eq(t, "P", next.Applicant.ID)
	_, ok, err = w.Next(t0.Add(4*h), Eligibility{AllOf: NewConditionSet(ConditionVeteran)})
	noErr(t, err)
	eq(t, false, ok)
}

func TestWaitlistApplyRefusesBadEvents(t *testing.T) {
	w := newList(t, Federal())
	a := Applicant{ID: "A", SoughtAt: t0}
	pol := Federal().ID()
	ev := Event{Seq: 1, Kind: EventAdded, At: t0, Policy: pol, Actor: actor, ID: "A", Facts: a, Prev: GenesisPrev}
	noErr(t, w.Apply(ev))
	_, prev := w.Checkpoint()
	base := Event{Seq: 2, Kind: EventContactAttempted, At: t0, Policy: pol, Actor: actor, ID: "A", Prev: prev}
	with := func(f func(e *Event)) Event { e := base; f(&e); return e }
	tests := []struct {
		name string
		ev   Event
		want error
	}{
		{"wrong seq", with(func(e *Event) { e.Seq = 5 }), ErrOutOfOrder},
		{"earlier time", with(func(e *Event) { e.At = t0.Add(-time.Second) }), ErrOutOfOrder},
		{"no time", with(func(e *Event) { e.At = time.Time{} }), ErrInvalidEvent},
		{"another policy", with(func(e *Event) { e.Policy = "sha256:" + strings.Repeat("0", 64) }), ErrPolicyMismatch},
		{"wrong prev", with(func(e *Event) { e.Prev = GenesisPrev }), ErrBrokenChain},
		{"no actor", with(func(e *Event) { e.Actor = "" }), ErrInvalidEvent},
		{"an actor on a reclassification", with(func(e *Event) { e.Kind = EventReclassified }), ErrInvalidEvent},
		{"unknown kind", with(func(e *Event) { e.Kind = EventKind(99) }), ErrInvalidEvent},
		{"no id", with(func(e *Event) { e.ID = "" }), ErrInvalidEvent},
		{"facts on a contact", with(func(e *Event) { e.Facts = a }), ErrInvalidEvent},
		{"added without facts", with(func(e *Event) { e.Kind, e.ID = EventAdded, "B" }), ErrInvalidEvent},
		{"facts of another id", with(func(e *Event) { e.Kind, e.ID, e.Facts = EventAdded, "B", a }), ErrInvalidApplicant},
		{"invalid facts", with(func(e *Event) { e.Kind, e.ID, e.Facts = EventAdded, "B", Applicant{ID: "B"} }), ErrInvalidApplicant},
		{"reached on a removal", with(func(e *Event) { e.Kind, e.Reached, e.Reason = EventRemoved, true, RemovalAdmitted }), ErrInvalidEvent},
		{"element on a contact", with(func(e *Event) { e.Element = ElementHIVTBEducation }), ErrInvalidEvent},
		{"bad element", with(func(e *Event) { e.Kind, e.Element = EventInterimDelivered, InterimElement(77) }), ErrInvalidEvent},
		{"bad reason", with(func(e *Event) { e.Kind, e.Reason = EventRemoved, RemovalReason(77) }), ErrInvalidEvent},
		{"duplicate", with(func(e *Event) { e.Kind, e.Facts = EventAdded, a }), ErrDuplicateID},
		{"unknown id", with(func(e *Event) { e.Kind, e.ID = EventStateReferred, "Z" }), ErrNotFound},
		{"a program on a person's event", with(func(e *Event) { e.Program = "p1" }), ErrInvalidEvent},
		{"occupancy without a program", with(func(e *Event) { e.Kind, e.ID, e.Occupancy = EventOccupancy, "", Occupancy{Beds: 1} }), ErrInvalidEvent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { isErr(t, w.Apply(tt.ev), tt.want) })
	}
	eq(t, uint64(1), w.LastSeq())
	noErr(t, w.Apply(base))

	var zero Waitlist
	_, err := zero.Add(a, t0, actor)
	isErr(t, err, ErrInvalidPolicy)
	isErr(t, zero.Apply(ev), ErrInvalidPolicy)
	_, err = zero.Refresh(t0)
	isErr(t, err, ErrInvalidPolicy)
	eq(t, 0, zero.Len())
	_, _, err = zero.Next(t0, Everyone)
	isErr(t, err, ErrInvalidPolicy)
	_, err = zero.Overdue(t0)
	isErr(t, err, ErrInvalidPolicy)
	_, err = json.Marshal(&zero)
	isErr(t, err, ErrInvalidPolicy)
}

// TestWaitlistRefreshAtTheLastMoment: a delivery at the last moment in range, then a refresh
// there, returns (issue 13: Refresh with DeliveredAt at the maximum time looped for ever).
func TestWaitlistRefreshAtTheLastMoment(t *testing.T) {
	p := Federal()
	p.Tiers = append(p.Tiers[:3:3], Tier{Name: "pp", When: map[string]bool{"postpartum": true}}, p.Tiers[3])
	last := time.Date(2199, 12, 31, 23, 59, 59, 999999999, time.UTC)
	w := newList(t, p)
	ck := &clock{now: last}
	noErr(t, w.SetOptions(WaitlistOptions{Now: ck.Now}))
	add(t, w, Applicant{ID: "M", SoughtAt: last.Add(-time.Hour), PriorDeliveryAt: last.Add(-time.Hour)})
	_, err := w.Update(Applicant{ID: "M", Pregnant: true, Pregnancy: perinatal.Pregnancy{DeliveredAt: last}}, last, actor)
	noErr(t, err)
	done := make(chan error, 1)
	go func() { _, err := w.Refresh(last); done <- err }()
	select {
	case err := <-done:
		noErr(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("Refresh at the last moment in range has not returned")
	}
	_, err = w.Overdue(last)
	noErr(t, err)
}

// TestWaitlistConcurrentReaders: readers share the read lock with one another while a writer
// changes the list (run with -race). Position and Get ask for people who are there, so that
// their look-ups go the whole way (the identifier table, the prefetch of the leaf, the
// record), which must write nothing.
func TestWaitlistConcurrentReaders(t *testing.T) {
	w := newList(t, Federal())
	for _, id := range []string{"R1", "R2"} {
		add(t, w, Applicant{ID: id, SoughtAt: t0.Add(-time.Hour), InjectsDrugs: true})
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	far := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				_, _, _ = w.Next(far, Everyone)
				_, _ = w.Head(5, far, Everyone)
				_, _ = w.Overdue(far)
				_, _ = w.Position("P3", far)
				_, _ = w.Position("R1", far)
				_, _ = w.Get("R2", far)
				_, _ = w.EventsSince(0)
				w.Len()
			}
		}()
	}
	randomList(t, w, 3, 300)
	close(stop)
	wg.Wait()
}

// TestWaitlistErrorsQuoteIdentifiers: an identifier under the rule is quoted in errors; one
// that is not (it may be a name, a line break) is left out (issue 13).
func TestWaitlistErrorsQuoteIdentifiers(t *testing.T) {
	w := newList(t, Federal())
	_, err := w.Position("a-1", t0)
	eq(t, fmt.Sprintf("%s: %s", ErrNotFound, `"a-1"`), err.Error())
	for _, id := range []string{"a\"\nb", "Jane Doe"} {
		_, err = w.Position(id, t0)
		isErr(t, err, ErrNotFound)
		if strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "Jane") {
			t.Errorf("got %q", err)
		}
		err = w.RecordContact(id, true, t0, actor)
		isErr(t, err, ErrInvalidEvent)
		if strings.Contains(err.Error(), "Jane") {
			t.Errorf("got %q", err)
		}
		_, err = w.Update(Applicant{ID: id}, t0, actor)
		if err == nil || strings.Contains(err.Error(), "Jane") {
			t.Errorf("got %v", err)
		}
	}
}

// TestLongIdentifiersAndArena: identifiers longer than the inline prefix live in the arena,
// which is packed once freed ones are most of it; the list answers the same before and after.
func TestLongIdentifiersAndArena(t *testing.T) {
	w := newList(t, Federal())
	at := t0
	long := func(i int) string { return fmt.Sprintf("urn:oid:2.16.840.1.113883.4.%08d", i) }
	for i := range 6000 {
		at = at.Add(time.Second)
		add(t, w, Applicant{ID: long(i), SoughtAt: at, InjectsDrugs: i%2 == 0})
		if i%3 != 0 {
			noErr(t, w.Remove(long(i), RemovalDeclined, at, actor))
		}
	}
	before := head(t, w, at)
	noErr(t, w.Compact(w.LastSeq()))
	if w.idGarbage != 0 {
		t.Errorf("arena not packed: %d bytes of freed identifiers", w.idGarbage)
	}
	eq(t, before, head(t, w, at))
	for i := range 6000 {
		_, err := w.Get(long(i), at)
		if i%3 == 0 {
			noErr(t, err)
		} else {
			isErr(t, err, ErrNotFound)
		}
	}
}
