package priority

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/dyad-health/dyad/perinatal"
)

// mPerson is a person of the naive model of a waitlist: her facts and what was done, judged
// by the stateless rules (Classify, Compiled.Obligations) and sorted by hand. It knows no
// index, no wheel and no log: it is what the list must agree with.
type mPerson struct {
	a        Applicant
	arrival  int
	interim  InterimRecord
	referred time.Time
	program  Program // whether the list's programs had a free bed when she joined
	done     Progress
	left     bool
}

type model struct {
	c      *Compiled
	people map[string]*mPerson
	order  []string // arrival order of the current stays
	free   bool     // some program has a free bed
}

func (m *model) waiting() []*mPerson {
	var out []*mPerson
	for _, id := range m.order {
		if p := m.people[id]; !p.left {
			out = append(out, p)
		}
	}
	return out
}

// head sorts the people waiting at at by (rank, time sought, arrival).
func (m *model) head(at time.Time) []string {
	ps := m.waiting()
	slices.SortFunc(ps, func(a, b *mPerson) int {
		return cmp.Or(cmp.Compare(m.c.Classify(a.a, at).Rank, m.c.Classify(b.a, at).Rank), a.a.SoughtAt.Compare(b.a.SoughtAt), cmp.Compare(a.arrival, b.arrival))
	})
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.a.ID
	}
	return out
}

func (m *model) obligations(t testing.TB, p *mPerson, at time.Time) []Obligation {
	done := p.done
	done.InterimAt = p.interim.CompleteAt(m.c.InterimElements(p.a, at))
	done.StateReferredAt = p.referred
	obs, err := m.c.Obligations(p.a, done, p.program, at)
	if err != nil {
		t.Fatalf("model: %v", err)
	}
	return obs
}

// randomList drives a waitlist and its model with seeded random changes. Facts only grow
// (a pregnancy ends, injecting is reported, children are recorded), so the stateless rules
// judge the final facts as the list judges the history.
func randomList(t testing.TB, w *Waitlist, seed uint64, n int) *model {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 7))
	m := &model{c: w.Policy(), people: map[string]*mPerson{}}
	at := t0
	if w.last != noTime {
		at = nsTime(w.last)
	}
	var live []string
	for i := 0; i < n; i++ {
		at = at.Add(time.Duration(r.IntN(180)) * time.Minute)
		if r.IntN(25) == 0 {
			beds := 1 + r.IntN(4)
			occ := r.IntN(beds + 1)
			if err := w.SetOccupancy("p1", Occupancy{Beds: beds, Occupied: occ, ServesInjecting: true}, at, actor); err != nil {
				t.Fatal(err)
			}
			m.free = occ < beds
			continue
		}
		if len(live) == 0 || r.IntN(3) == 0 {
			a := Applicant{ID: fmt.Sprintf("P%d-%d", seed, i), SoughtAt: at.Add(-time.Duration(r.IntN(600)) * time.Minute),
				Pregnant: r.IntN(3) == 0, InjectsDrugs: r.IntN(2) == 0, DependentChildren: r.IntN(4) == 0,
				CapacityAtRequest: Capacity(r.IntN(3))}
			if r.IntN(5) == 0 {
				a.PriorDeliveryAt = a.SoughtAt.Add(-time.Duration(r.IntN(400)) * 24 * time.Hour)
			}
			if r.IntN(8) == 0 && len(m.order) > 0 { // someone who left comes back
				old := m.people[m.order[r.IntN(len(m.order))]]
				if old.left {
					a.ID = old.a.ID
				}
			}
			if _, err := w.Add(a, at, actor); err != nil {
				t.Fatal(err)
			}
			p := &mPerson{a: a, arrival: i, program: Program{Beds: 1, Occupied: 1}}
			if m.free {
				p.program.Occupied = 0
			}
			if _, back := m.people[a.ID]; back {
				m.order = slices.DeleteFunc(m.order, func(s string) bool { return s == a.ID })
			}
			m.people[a.ID] = p
			m.order = append(m.order, a.ID)
			live = append(live, a.ID)
			continue
		}
		id := live[r.IntN(len(live))]
		p := m.people[id]
		var err error
		switch r.IntN(7) {
		case 0:
			err = w.RecordContact(id, r.IntN(2) == 0, at, actor)
		case 1:
			e := InterimElement(1 + r.IntN(7))
			if err = w.DeliverInterim(id, e, at, actor); err == nil {
				p.interim = p.interim.Deliver(e, at)
			}
		case 2:
			if err = w.ReferToState(id, at, actor); err == nil && p.referred.IsZero() {
				p.referred = at
			}
		case 3:
			a := p.a
			switch {
			case a.Pregnant && a.Pregnancy.DeliveredAt.IsZero():
				a.Pregnancy = perinatal.Pregnancy{DeliveredAt: at, Outcome: perinatal.PregnancyOutcome(r.IntN(4))}
			case !a.InjectsDrugs:
				a.InjectsDrugs = true
			default:
				a.DependentChildren = true
			}
			if _, err = w.Update(a, at, actor); err == nil {
				if a.Pregnant && !p.a.Pregnant && !m.free {
					p.program = Program{Beds: 1, Occupied: 1}
				}
				p.a = a
			}
		case 4, 5:
			reason := RemovalReason(1 + r.IntN(4))
			err = w.Remove(id, reason, at, actor)
			if errors.Is(err, ErrRemovalNotAllowed) {
				err = nil
			} else if err == nil {
				p.left = true
				if reason == RemovalAdmitted {
					p.done.AdmittedAt = at
				} else {
					p.done.LeftAt, p.done.LeftReason = at, reason
				}
				live = slices.DeleteFunc(live, func(s string) bool { return s == id })
			}
		case 6:
			_, err = w.Refresh(at)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return m
}

// check compares the list with the model at at: the order, every position, every person's
// obligations, what is overdue and what is due before a later moment.
func (m *model) check(t *testing.T, w *Waitlist, at time.Time) { m.checkAll(t, w, at, true) }

// checkAll is check; departed says whether the list still holds the people who left (a list
// restored from a snapshot does not).
func (m *model) checkAll(t *testing.T, w *Waitlist, at time.Time, departed bool) {
	t.Helper()
	want := m.head(at)
	got := head(t, w, at)
	if !slices.Equal(want, got) {
		t.Fatalf("at %s: order differs from the model:\nwant %v\ngot  %v", at, want, got)
	}
	for i, id := range want {
		pos, err := w.Position(id, at)
		noErr(t, err)
		if pos != i+1 {
			t.Fatalf("at %s: Position(%s) = %d, want %d", at, id, pos, i+1)
		}
	}
	var overdueWant, dueWant []Obligation
	later := at.Add(36 * time.Hour)
	arrival := map[string]int{}
	for _, id := range m.order {
		p := m.people[id]
		arrival[id] = p.arrival
		if p.left && !departed {
			_, err := w.Obligations(id, at)
			isErr(t, err, ErrNotFound)
			continue
		}
		want := m.obligations(t, p, at)
		got, err := w.Obligations(id, at)
		noErr(t, err)
		eq(t, want, got)
		if p.left {
			continue
		}
		for _, o := range want {
			if o.Status == StatusOverdue {
				overdueWant = append(overdueWant, o)
			}
			if o.Status.Pending() && o.Due.Before(later) {
				dueWant = append(dueWant, o)
			}
		}
	}
	sortObs := func(os []Obligation) {
		slices.SortStableFunc(os, func(a, b Obligation) int {
			return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(arrival[a.Subject], arrival[b.Subject]), cmp.Compare(a.Kind, b.Kind))
		})
	}
	sortObs(overdueWant)
	sortObs(dueWant)
	od, err := w.Overdue(at)
	noErr(t, err)
	eq(t, overdueWant, od)
	db, err := w.DueBefore(later, at)
	noErr(t, err)
	eq(t, dueWant, db)
}

// TestWaitlistAgainstModel: after random changes, at the last event and at moments after it
// (where postpartum windows end without a change), the list answers as the model does.
func TestWaitlistAgainstModel(t *testing.T) {
	p := Federal()
	p.PostpartumDays = 20
	p.Tiers = []Tier{p.Tiers[0], p.Tiers[1], p.Tiers[2], {Name: "postpartum", When: map[string]bool{"postpartum": true}},
		{Name: "children", When: map[string]bool{"dependent_children": true}}, p.Tiers[3]}
	for seed := range uint64(6) {
		w := newList(t, p)
		m := randomList(t, w, seed, 700)
		last := nsTime(w.last)
		for _, d := range []time.Duration{0, time.Hour, 3 * 24 * time.Hour, 16 * 24 * time.Hour, 400 * 24 * time.Hour} {
			m.check(t, w, last.Add(d))
		}
		// The same list rebuilt from its events, restored from a snapshot, decoded from its
		// JSON: the same answers, the departed records included (a snapshot keeps the
		// records the list still holds).
		last = last.Add(30 * 24 * time.Hour)
		for name, other := range copies(t, w) {
			t.Run(fmt.Sprintf("seed %d %s", seed, name), func(t *testing.T) { m.checkAll(t, other, last, true) })
		}
	}
}

// copies returns w rebuilt from its events, restored from a snapshot (as JSON), and decoded
// from its JSON.
func copies(t *testing.T, w *Waitlist) map[string]*Waitlist {
	t.Helper()
	out := map[string]*Waitlist{}
	evs, err := w.EventsSince(0)
	noErr(t, err)
	re, err := Rebuild(w.Policy(), evs)
	noErr(t, err)
	out["rebuilt"] = re
	snapJSON, err := json.Marshal(w.Snapshot())
	noErr(t, err)
	snap, err := DecodeSnapshot(snapJSON, DecodeOptions{MaxBytes: 1 << 30})
	noErr(t, err)
	restored, err := RestoreWaitlist(w.Policy(), snap, nil, WaitlistOptions{})
	noErr(t, err)
	out["restored"] = restored
	b, err := json.Marshal(w)
	noErr(t, err)
	dec, err := DecodeWaitlist(b, WaitlistDecodeOptions{})
	noErr(t, err)
	out["decoded"] = dec
	return out
}
