// Checks that held: properties tried against the package that it passed. They are kept as
// regression tests; the findings are in qa_regression_test.go.
// Run: go test -run TestHeld ./priority/
package priority_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/dyad-health/dyad/perinatal"
	"github.com/dyad-health/dyad/priority"
)

// TestHeld_PersistenceRoundTrips drives a list with random changes (arrivals, removals,
// interim elements, occupancy, State referrals, contacts, fact updates, postpartum windows
// ending) while a "registry" saves each change with EventsSince, takes snapshots and
// compacts at random points; at the end the saved events rebuild the same chain head, every
// snapshot plus the events after it restores the same list, and the saved JSON decodes to
// the same list: same order, same classifications, same obligations, same overdue list at
// three later moments. It held on the code it was written against.
func TestHeld_PersistenceRoundTrips(t *testing.T) {
	for seed := uint64(1); seed <= 8; seed++ {
		r := heldRand(seed)
		p := priority.Federal()
		p.PostpartumDays = 30
		p.Tiers = append(p.Tiers[:3:3], priority.Tier{Name: "pp", When: map[string]bool{"postpartum": true}}, p.Tiers[3])
		w := qaList(t, p)
		c := w.Policy()
		var store []priority.Event
		var snaps []priority.Snapshot
		at := qaT0
		var live []string
		for i := 0; i < 3000; i++ {
			at = at.Add(time.Duration(r.IntN(300)) * time.Minute)
			switch k := r.IntN(10); {
			case k < 4 || len(live) == 0:
				id := fmt.Sprintf("P-%d", i)
				a := priority.Applicant{ID: id, SoughtAt: at.Add(-time.Duration(r.IntN(100)) * time.Minute), Pregnant: r.IntN(3) == 0, InjectsDrugs: r.IntN(2) == 0, CapacityAtRequest: priority.Capacity(r.IntN(3))}
				if r.IntN(4) == 0 {
					a.PriorDeliveryAt = a.SoughtAt.Add(-time.Duration(r.IntN(40)) * 24 * time.Hour)
				}
				if _, err := w.Add(a, at, qaActor); err != nil {
					t.Fatal(err)
				}
				live = append(live, id)
			case k < 6:
				j := r.IntN(len(live))
				if err := w.Remove(live[j], priority.RemovalReason(1+r.IntN(2)*3), at, qaActor); err != nil {
					t.Fatal(err)
				}
				live = append(live[:j], live[j+1:]...)
			case k < 8:
				j := r.IntN(len(live))
				_ = w.DeliverInterim(live[j], priority.InterimElement(1+r.IntN(7)), at, qaActor)
			case k < 9:
				beds := 1 + r.IntN(10)
				_ = w.SetOccupancy("p1", priority.Occupancy{Beds: beds, Occupied: r.IntN(beds + 1), ServesInjecting: true}, at, qaActor)
			default:
				j := r.IntN(len(live))
				switch r.IntN(3) {
				case 0:
					_ = w.ReferToState(live[j], at, qaActor)
				case 1:
					_ = w.RecordContact(live[j], r.IntN(2) == 0, at, qaActor)
				default:
					g, _ := w.Get(live[j], at)
					a := g.Applicant
					if a.Pregnant && a.Pregnancy.DeliveredAt.IsZero() && a.PriorDeliveryAt.IsZero() {
						a.Pregnancy.DeliveredAt = at
						a.Pregnancy.Outcome = perinatal.OutcomeLiveBirth
					} else {
						a.InjectsDrugs = !a.InjectsDrugs
					}
					if _, err := w.Update(a, at, qaActor); err != nil {
						t.Fatal(err)
					}
				}
			}
			if r.IntN(50) == 0 {
				evs, err := w.EventsSince(uint64(len(store)))
				if err != nil {
					t.Fatal(err)
				}
				store = append(store, evs...)
			}
			if r.IntN(400) == 0 {
				evs, _ := w.EventsSince(uint64(len(store)))
				store = append(store, evs...)
				snaps = append(snaps, w.Snapshot())
				cs := w.LastSeq()
				if r.IntN(2) == 0 {
					cs = uint64(r.IntN(int(cs)) + 1)
				}
				if err := w.Compact(cs); err != nil {
					t.Fatal(err)
				}
			}
		}
		evs, err := w.EventsSince(uint64(len(store)))
		if err != nil {
			t.Fatal(err)
		}
		store = append(store, evs...)
		for i := range store {
			if store[i].Seq != uint64(i+1) {
				t.Fatalf("seed %d: seq %d at %d", seed, store[i].Seq, i)
			}
		}
		_, head := w.Checkpoint()
		rb, err := priority.Rebuild(c, store)
		if err != nil {
			t.Fatalf("seed %d rebuild: %v", seed, err)
		}
		_, h2 := rb.Checkpoint()
		if h2 != head {
			t.Fatalf("seed %d: rebuilt head differs", seed)
		}
		heldSameList(t, seed, w, rb, at)
		for _, s := range snaps {
			rw, err := priority.RestoreWaitlist(c, s, store[s.Seq:], priority.WaitlistOptions{})
			if err != nil {
				t.Fatalf("seed %d restore: %v", seed, err)
			}
			_, h3 := rw.Checkpoint()
			if h3 != head {
				t.Fatalf("seed %d: restored head differs", seed)
			}
			heldSameList(t, seed, w, rw, at)
		}
		b, _ := json.Marshal(w)
		dw, err := priority.DecodeWaitlist(b, priority.WaitlistDecodeOptions{})
		if err != nil {
			t.Fatalf("seed %d decode: %v", seed, err)
		}
		heldSameList(t, seed, w, dw, at)
	}
}

// heldSameList fails unless a and b agree on order, classification, obligations and
// overdue obligations now and at two later moments.
func heldSameList(t *testing.T, seed uint64, a, b *priority.Waitlist, at time.Time) {
	t.Helper()
	for _, when := range []time.Time{at, at.Add(40 * 24 * time.Hour), at.Add(400 * 24 * time.Hour)} {
		ha, _ := a.Head(0, when, priority.Everyone)
		hb, _ := b.Head(0, when, priority.Everyone)
		if len(ha) != len(hb) {
			t.Fatalf("seed %d: len %d vs %d", seed, len(ha), len(hb))
		}
		for i := range ha {
			if ha[i].Applicant.ID != hb[i].Applicant.ID || ha[i].Classification != hb[i].Classification {
				t.Fatalf("seed %d: differ at %d: %v %v", seed, i, ha[i].Applicant.ID, hb[i].Applicant.ID)
			}
			oa, _ := a.Obligations(ha[i].Applicant.ID, when)
			ob, _ := b.Obligations(ha[i].Applicant.ID, when)
			ja, _ := json.Marshal(oa)
			jb, _ := json.Marshal(ob)
			if string(ja) != string(jb) {
				t.Fatalf("seed %d: obligations of %s differ:\n%s\n%s", seed, ha[i].Applicant.ID, ja, jb)
			}
		}
		oa, _ := a.Overdue(when)
		ob, _ := b.Overdue(when)
		ja, _ := json.Marshal(oa)
		jb, _ := json.Marshal(ob)
		if string(ja) != string(jb) {
			t.Fatalf("seed %d: overdue differ", seed)
		}
	}
}

// heldRNG is a small deterministic xorshift generator, so a failing seed replays.
type heldRNG struct{ s uint64 }

func heldRand(seed uint64) *heldRNG { return &heldRNG{s: seed*2654435761 + 1} }
func (r *heldRNG) IntN(n int) int {
	r.s ^= r.s << 13
	r.s ^= r.s >> 7
	r.s ^= r.s << 17
	return int(r.s % uint64(n))
}
