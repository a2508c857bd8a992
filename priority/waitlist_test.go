package priority

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

func ids(ws []Waiting) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Applicant.ID
	}
	return out
}

func newList(t *testing.T, p Policy) *Waitlist {
	t.Helper()
	c, err := Compile(p)
	noErr(t, err)
	w, err := NewWaitlist(c)
	noErr(t, err)
	return w
}

func TestWaitlistOrderAndChanges(t *testing.T) {
	w := newList(t, Federal())
	h := time.Hour
	add := func(a Applicant) Classification {
		t.Helper()
		c, err := w.Add(a, a.SoughtAt)
		noErr(t, err)
		return c
	}
	add(Applicant{ID: "O1", SoughtAt: t0})
	add(Applicant{ID: "I1", SoughtAt: t0.Add(h), InjectsDrugs: true})
	eq(t, 2, add(Applicant{ID: "P1", SoughtAt: t0.Add(2 * h), Pregnant: true}).Rank)
	add(Applicant{ID: "I2", SoughtAt: t0.Add(3 * h), InjectsDrugs: true})
	eq(t, []string{"P1", "I1", "I2", "O1"}, ids(w.Head(0)))
	eq(t, []string{"P1", "I1"}, ids(w.Head(2)))
	next, ok := w.Next()
	eq(t, true, ok)
	eq(t, "P1", next.Applicant.ID)
	for want, id := range []string{"P1", "I1", "I2", "O1"} {
		pos, err := w.Position(id)
		noErr(t, err)
		eq(t, want+1, pos)
	}

	// A duplicate identifier is refused (96.126(c)); so is an unknown one.
	_, err := w.Add(Applicant{ID: "I1", SoughtAt: t0.Add(4 * h)}, t0.Add(4*h))
	isErr(t, err, ErrDuplicateID)
	_, err = w.Position("nobody")
	isErr(t, err, ErrNotFound)
	isErr(t, w.RecordContact("nobody", true, t0.Add(4*h)), ErrNotFound)
	_, err = w.Update(Applicant{ID: "nobody", InjectsDrugs: true}, t0.Add(4*h))
	isErr(t, err, ErrNotFound)

	// O1 reports injecting drug use: tier 3, and she asked before I1.
	c, err := w.Update(Applicant{ID: "O1", InjectsDrugs: true}, t0.Add(5*h))
	noErr(t, err)
	eq(t, 3, c.Rank)
	eq(t, []string{"P1", "O1", "I1", "I2"}, ids(w.Head(0)))
	// The time sought cannot change.
	_, err = w.Update(Applicant{ID: "O1", SoughtAt: t0.Add(time.Minute), InjectsDrugs: true}, t0.Add(5*h))
	isErr(t, err, ErrInvalidEvent)

	// P1 delivers: under the federal order she is no longer pregnant and falls to tier 4.
	c, err = w.Update(Applicant{ID: "P1", Pregnant: true, DeliveredAt: t0.Add(6 * h)}, t0.Add(6*h))
	noErr(t, err)
	eq(t, 4, c.Rank)
	eq(t, []string{"O1", "I1", "I2", "P1"}, ids(w.Head(0)))

	// Removals: admitted; unreachable refused under the federal policy (no removal rule).
	noErr(t, w.Remove("O1", RemovalAdmitted, t0.Add(7*h)))
	isErr(t, w.Remove("I1", RemovalUnreachable, t0.Add(7*h)), ErrRemovalNotAllowed)
	isErr(t, w.Remove("I1", RemovalUnknown, t0.Add(7*h)), ErrInvalidEvent)
	noErr(t, w.Remove("I2", RemovalAdmittedElsewhere, t0.Add(8*h)))
	eq(t, []string{"I1", "P1"}, ids(w.Head(0)))
	eq(t, 2, w.Len())
	_, err = w.Get("O1")
	isErr(t, err, ErrNotFound)
	// A removed identifier may come back later as a new request.
	add(Applicant{ID: "O1", SoughtAt: t0.Add(9 * h)})
	eq(t, []string{"I1", "P1", "O1"}, ids(w.Head(0))) // both tier 4: P1 sought earlier

	// Events out of time order are refused.
	_, err = w.Add(Applicant{ID: "late", SoughtAt: t0}, t0)
	isErr(t, err, ErrOutOfOrder)
	var kinds []EventKind
	for _, e := range w.Events() {
		kinds = append(kinds, e.Kind)
	}
	eq(t, []EventKind{EventAdded, EventAdded, EventAdded, EventAdded, EventFactsUpdated, EventFactsUpdated,
		EventRemoved, EventRemoved, EventAdded}, kinds)
}

func TestWaitlistContactsAndRemovalRule(t *testing.T) {
	p := Policy{Name: "s", Removal: RemovalRule{AfterFailedContacts: 2}, Tiers: []Tier{{Name: "all"}}}
	w := newList(t, p)
	_, err := w.Add(Applicant{ID: "A", SoughtAt: t0}, t0)
	noErr(t, err)
	noErr(t, w.RecordContact("A", false, t0.Add(time.Hour)))
	ok, err := w.Removable("A", t0.Add(time.Hour))
	noErr(t, err)
	eq(t, false, ok)
	isErr(t, w.Remove("A", RemovalUnreachable, t0.Add(time.Hour)), ErrRemovalNotAllowed)
	noErr(t, w.RecordContact("A", false, t0.Add(2*time.Hour)))
	got, err := w.Get("A")
	noErr(t, err)
	eq(t, Contacts{Attempts: 2, FailedInRow: 2, LastAttemptAt: t0.Add(2 * time.Hour)}, got.Contacts)
	noErr(t, w.Remove("A", RemovalUnreachable, t0.Add(3*time.Hour)))
	eq(t, 0, w.Len())
}

func TestWaitlistOverdueAndInterim(t *testing.T) {
	w := newList(t, Federal())
	h, d := time.Hour, 24*time.Hour
	for _, a := range []Applicant{
		{ID: "M1", SoughtAt: t0, InjectsDrugs: true},
		{ID: "W1", SoughtAt: t0.Add(h), Pregnant: true},
		{ID: "O1", SoughtAt: t0.Add(2 * h)},
		{ID: "M2", SoughtAt: t0.Add(3 * h), InjectsDrugs: true},
	} {
		_, err := w.Add(a, a.SoughtAt)
		noErr(t, err)
	}
	// M2 gets every element at 40 h: interim met, admission moves to 120 days.
	for _, e := range BaseElements.Slice() {
		noErr(t, w.DeliverInterim("M2", e, t0.Add(40*h)))
	}
	isErr(t, w.DeliverInterim("M2", ElementUnknown, t0.Add(40*h)), ErrInvalidEvent)
	// W1 gets five of seven.
	for _, e := range BaseElements.Slice() {
		noErr(t, w.DeliverInterim("W1", e, t0.Add(41*h)))
	}
	noErr(t, w.ReferToState("W1", t0.Add(41*h)))
	ic, err := w.InterimCompliance("W1", t0.Add(50*h))
	noErr(t, err)
	eq(t, InterimCompliance{Owed: BaseElements | PregnancyElements, Delivered: BaseElements, Missing: PregnancyElements,
		Due: t0.Add(49 * h), State: StateOverdue}, ic)

	// At 48 h 30 m only M1's interim (due 48 h) is overdue; W1's is due at 49 h.
	type ko struct {
		ID   string
		Kind ObligationKind
		Due  time.Time
	}
	brief := func(os []Obligation) []ko {
		var out []ko
		for _, o := range os {
			if o.State != StateOverdue {
				t.Errorf("Overdue returned %s in state %s", o.Subject, o.State)
			}
			out = append(out, ko{o.Subject, o.Kind, o.Due})
		}
		return out
	}
	eq(t, []ko{{"M1", ObligationInterimServices, t0.Add(48 * h)}}, brief(w.Overdue(t0.Add(48*h+30*time.Minute))))
	eq(t, []ko(nil), brief(w.Overdue(t0.Add(48*h))))
	// At day 15: both interim obligations and M1's 14-day admission; M2 has 120 days.
	eq(t, []ko{
		{"M1", ObligationInterimServices, t0.Add(48 * h)},
		{"W1", ObligationInterimServices, t0.Add(49 * h)},
		{"M1", ObligationAdmission, t0.Add(14 * d)},
	}, brief(w.Overdue(t0.Add(15*d))))
	eq(t, []ko{
		{"M1", ObligationInterimServices, t0.Add(48 * h)},
		{"W1", ObligationInterimServices, t0.Add(49 * h)},
		{"M1", ObligationAdmission, t0.Add(14 * d)},
		{"M2", ObligationAdmission, t0.Add(3*h + 120*d)},
	}, brief(w.Overdue(t0.Add(200*d))))

	// The list's obligations for W1 agree with the policy's, given what the list recorded.
	obs, err := w.Obligations("W1", Program{Beds: 1, Occupied: 1}, t0.Add(50*h))
	noErr(t, err)
	eq(t, w.Policy().Obligations(Applicant{ID: "W1", SoughtAt: t0.Add(h), Pregnant: true}, Progress{StateReferredAt: t0.Add(41 * h)},
		Program{Beds: 1, Occupied: 1}, t0.Add(50*h)), obs)
	_, err = w.Obligations("nobody", Program{}, t0)
	isErr(t, err, ErrNotFound)

	// Admitting M1 clears his deadlines from the overdue list.
	noErr(t, w.Remove("M1", RemovalAdmitted, t0.Add(15*d)))
	eq(t, []ko{{"W1", ObligationInterimServices, t0.Add(49 * h)}}, brief(w.Overdue(t0.Add(15*d))))
}

func TestWaitlistRefreshPostpartumWindow(t *testing.T) {
	p := Policy{Name: "s", PostpartumDays: 30, Tiers: []Tier{
		{Name: "postpartum", When: map[string]bool{"postpartum": true}},
		{Name: "injecting", When: map[string]bool{"injects_drugs": true}},
		{Name: "all"}}}
	w := newList(t, p)
	d := 24 * time.Hour
	_, err := w.Add(Applicant{ID: "PP", SoughtAt: t0, Pregnant: true, DeliveredAt: t0.Add(-20 * d)}, t0)
	noErr(t, err)
	_, err = w.Add(Applicant{ID: "INJ", SoughtAt: t0.Add(d), InjectsDrugs: true}, t0.Add(d))
	noErr(t, err)
	eq(t, []string{"PP", "INJ"}, ids(w.Head(0)))
	n, err := w.Refresh(t0.Add(10 * d)) // window ends exactly now: still postpartum
	noErr(t, err)
	eq(t, 0, n)
	n, err = w.Refresh(t0.Add(10*d + time.Nanosecond))
	noErr(t, err)
	eq(t, 1, n)
	eq(t, []string{"INJ", "PP"}, ids(w.Head(0)))
	got, err := w.Get("PP")
	noErr(t, err)
	eq(t, Classification{Rank: 3, Tier: "all", Conditions: 0}, got.Classification)
	ev := w.Events()
	eq(t, Event{Seq: 3, Kind: EventReclassified, At: t0.Add(10*d + time.Nanosecond), ID: "PP"}, ev[len(ev)-1])
}

func TestWaitlistApplyRefusesBadEvents(t *testing.T) {
	w := newList(t, Federal())
	a := Applicant{ID: "A", SoughtAt: t0}
	noErr(t, w.Apply(Event{Seq: 1, Kind: EventAdded, At: t0, ID: "A", Facts: a}))
	tests := []struct {
		name string
		ev   Event
		want error
	}{
		{"wrong seq", Event{Seq: 5, Kind: EventContactAttempted, At: t0, ID: "A"}, ErrOutOfOrder},
		{"earlier time", Event{Seq: 2, Kind: EventContactAttempted, At: t0.Add(-time.Second), ID: "A"}, ErrOutOfOrder},
		{"no time", Event{Seq: 2, Kind: EventContactAttempted, ID: "A"}, ErrInvalidEvent},
		{"unknown kind", Event{Seq: 2, Kind: EventKind(99), At: t0, ID: "A"}, ErrInvalidEvent},
		{"no id", Event{Seq: 2, Kind: EventContactAttempted, At: t0}, ErrInvalidEvent},
		{"facts on a contact", Event{Seq: 2, Kind: EventContactAttempted, At: t0, ID: "A", Facts: a}, ErrInvalidEvent},
		{"added without facts", Event{Seq: 2, Kind: EventAdded, At: t0, ID: "B"}, ErrInvalidEvent},
		{"facts of another id", Event{Seq: 2, Kind: EventAdded, At: t0, ID: "B", Facts: a}, ErrInvalidEvent},
		{"invalid facts", Event{Seq: 2, Kind: EventAdded, At: t0, ID: "B", Facts: Applicant{ID: "B"}}, ErrInvalidApplicant},
		{"reached on a removal", Event{Seq: 2, Kind: EventRemoved, At: t0, ID: "A", Reached: true, Reason: RemovalAdmitted}, ErrInvalidEvent},
		{"element on a contact", Event{Seq: 2, Kind: EventContactAttempted, At: t0, ID: "A", Element: ElementHIVTBEducation}, ErrInvalidEvent},
		{"bad element", Event{Seq: 2, Kind: EventInterimDelivered, At: t0, ID: "A", Element: InterimElement(77)}, ErrInvalidEvent},
		{"bad reason", Event{Seq: 2, Kind: EventRemoved, At: t0, ID: "A", Reason: RemovalReason(77)}, ErrInvalidEvent},
		{"duplicate", Event{Seq: 2, Kind: EventAdded, At: t0, ID: "A", Facts: a}, ErrDuplicateID},
		{"unknown id", Event{Seq: 2, Kind: EventStateReferred, At: t0, ID: "Z"}, ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { isErr(t, w.Apply(tt.ev), tt.want) })
	}
	eq(t, 1, len(w.Events()))
	_, err := NewWaitlist(nil)
	isErr(t, err, ErrInvalidPolicy)
	var zero Waitlist
	_, err = zero.Add(a, t0)
	isErr(t, err, ErrInvalidPolicy)
	isErr(t, zero.Apply(Event{Seq: 1, Kind: EventAdded, At: t0, ID: "A", Facts: a}), ErrInvalidPolicy)
	_, err = zero.Refresh(t0)
	noErr(t, err)
	eq(t, 0, zero.Len())
	_, ok := zero.Next()
	eq(t, false, ok)
	eq(t, 0, len(zero.Overdue(t0)))
	_, err = json.Marshal(&zero)
	isErr(t, err, ErrInvalidPolicy)
}

// randomList drives a waitlist with seeded random mutations.
func randomList(t testing.TB, w *Waitlist, seed uint64, n int) {
	r := rand.New(rand.NewPCG(seed, 7))
	at := t0
	var live []string
	for i := 0; i < n; i++ {
		at = at.Add(time.Duration(r.IntN(180)) * time.Minute)
		if len(live) == 0 || r.IntN(3) == 0 {
			a := Applicant{ID: fmt.Sprintf("P%d", i), SoughtAt: at.Add(-time.Duration(r.IntN(600)) * time.Minute),
				Pregnant: r.IntN(3) == 0, InjectsDrugs: r.IntN(2) == 0, DependentChildren: r.IntN(4) == 0}
			if a.Pregnant && r.IntN(4) == 0 {
				a.DeliveredAt = at.Add(-time.Duration(r.IntN(400)) * 24 * time.Hour)
			}
			if _, err := w.Add(a, at); err != nil {
				t.Fatal(err)
			}
			live = append(live, a.ID)
			continue
		}
		id := live[r.IntN(len(live))]
		var err error
		switch r.IntN(6) {
		case 0:
			err = w.RecordContact(id, r.IntN(2) == 0, at)
		case 1:
			err = w.DeliverInterim(id, InterimElement(1+r.IntN(7)), at)
		case 2:
			err = w.ReferToState(id, at)
		case 3:
			cur, _ := w.Get(id)
			a := cur.Applicant
			a.InjectsDrugs = !a.InjectsDrugs
			_, err = w.Update(a, at)
		case 4:
			err = w.Remove(id, RemovalReason(1+r.IntN(4)), at)
			if errors.Is(err, ErrRemovalNotAllowed) {
				err = nil
			} else if err == nil {
				for j, x := range live {
					if x == id {
						live = append(live[:j], live[j+1:]...)
						break
					}
				}
			}
		case 5:
			_, err = w.Refresh(at)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestWaitlistRebuildAndJSONRoundTrip(t *testing.T) {
	p := Policy{Name: "s", Citations: []string{"State Reg. 4"}, PostpartumDays: 60, InterimAlsoWhen: []string{"postpartum"},
		Removal: RemovalRule{AfterFailedContacts: 2}, Tiers: []Tier{
			{Name: "pregnant", When: map[string]bool{"pregnant": true}},
			{Name: "postpartum", When: map[string]bool{"postpartum": true}},
			{Name: "injecting", When: map[string]bool{"injects_drugs": true}},
			{Name: "children", When: map[string]bool{"dependent_children": true}}}}
	w := newList(t, p)
	randomList(t, w, 42, 600)

	re, err := Rebuild(w.Policy(), w.Events())
	noErr(t, err)
	eq(t, w.Head(0), re.Head(0))
	eq(t, w.Events(), re.Events())

	b, err := json.Marshal(w)
	noErr(t, err)
	var back Waitlist
	noErr(t, json.Unmarshal(b, &back))
	eq(t, w.Head(0), back.Head(0))
	eq(t, w.Events(), back.Events())
	eq(t, p, back.Policy().Policy())
	end := w.Events()[len(w.Events())-1].At.Add(100 * 24 * time.Hour)
	eq(t, w.Overdue(end), back.Overdue(end))
	b2, err := json.Marshal(&back)
	noErr(t, err)
	eq(t, string(b), string(b2))
	for _, x := range w.Head(0) {
		p1, _ := w.Position(x.Applicant.ID)
		p2, _ := back.Position(x.Applicant.ID)
		eq(t, p1, p2)
	}

	// Positions agree with the order.
	for i, x := range w.Head(0) {
		pos, err := w.Position(x.Applicant.ID)
		noErr(t, err)
		eq(t, i+1, pos)
	}
}

func TestWaitlistUnmarshalRejects(t *testing.T) {
	for _, s := range []string{
		`{"policy":{"name":"x","tiers":[]},"events":[]}`,
		`{"policy":{"name":"x","tiers":[{"name":"all"}]},"events":[],"extra":1}`,
		`{"policy":{"name":"x","tiers":[{"name":"all"}]},"events":[{"seq":2,"kind":"added","at":"2026-01-01T00:00:00Z","id":"a"}]}`,
		`{"policy":{"name":"x","tiers":[{"name":"all"}]},"events":[]} {}`,
		`[]`,
	} {
		var w Waitlist
		if err := json.Unmarshal([]byte(s), &w); err == nil {
			t.Errorf("decoded %s", s)
		}
	}
}

func TestWaitlistConcurrentReaders(t *testing.T) {
	w := newList(t, Federal())
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				w.Next()
				w.Head(5)
				w.Overdue(t0.Add(1000 * time.Hour))
				_, _ = w.Position("P3")
				w.Len()
			}
		}()
	}
	randomList(t, w, 3, 300)
	close(stop)
	wg.Wait()
}
