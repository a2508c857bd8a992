package priority

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
	"unsafe"

	"github.com/dyad-health/dyad/perinatal"
)

// TestIndexesAgreeWithRecords drives a list large enough for a tree whose root is two levels above its leaves and hour
// buckets of hundreds of places (people join seconds apart), with removals at random,
// updates that reclassify, interim services that move deadlines, time-driven
// reclassifications and compactions, and checks after each stretch that every record and the
// indexes agree: a waiting person's leaf handle names the leaf that holds her under her key,
// her places in the two wheels are live places holding her slot at her moment, every live
// place is claimed by exactly the records counted for its bucket, no departed or freed record
// claims a place, and her position is her rank in the order. (The handles and the wheels'
// places are what let Remove and Position reach the leaf and the bucket without a search,
// and removal write nothing in the bucket; a place or handle left stale would answer wrong
// or, worse, name another person's place.)
func TestIndexesAgreeWithRecords(t *testing.T) {
	p := Federal()
	p.PostpartumDays = 2 // postpartum windows end within the test: reclassifications by time
	p.Tiers = []Tier{p.Tiers[0], p.Tiers[1], p.Tiers[2], {Name: "postpartum", When: map[string]bool{"postpartum": true}}, p.Tiers[3]}
	w := newList(t, p)
	r := rand.New(rand.NewPCG(11, 12))
	at := t0
	var live []string
	n := 60_000
	if testing.Short() {
		n = 15_000
	}
	for step := range n {
		at = at.Add(time.Duration(r.IntN(8)) * time.Second)
		switch k := r.IntN(20); {
		case k < 11 || len(live) < 100:
			id := fmt.Sprintf("P%d", step)
			a := Applicant{ID: id, SoughtAt: at.Add(-time.Duration(r.IntN(3600*24*3)) * time.Second), Pregnant: r.IntN(3) == 0,
				InjectsDrugs: r.IntN(2) == 0, CapacityAtRequest: Capacity(r.IntN(3))}
			if r.IntN(6) == 0 {
				a.PriorDeliveryAt = a.SoughtAt.Add(-time.Duration(r.IntN(60)) * time.Hour)
			}
			if _, err := w.Add(a, at, actor); err != nil {
				t.Fatal(err)
			}
			live = append(live, id)
		case k < 16:
			i := r.IntN(len(live))
			noErr(t, w.Remove(live[i], RemovalAdmitted, at, actor))
			live[i] = live[len(live)-1]
			live = live[:len(live)-1]
		case k < 18:
			noErr(t, w.DeliverInterim(live[r.IntN(len(live))], InterimElement(1+r.IntN(7)), at, actor))
		case k < 19:
			id := live[r.IntN(len(live))]
			g, err := w.Get(id, at)
			noErr(t, err)
			a := g.Applicant
			if a.Pregnant && a.Pregnancy.DeliveredAt.IsZero() {
				a.Pregnancy = perinatal.Pregnancy{DeliveredAt: at, Outcome: perinatal.OutcomeLiveBirth}
			} else {
				a.InjectsDrugs = !a.InjectsDrugs
			}
			if _, err := w.Update(a, at, actor); err != nil {
				t.Fatal(err)
			}
		default:
			if _, err := w.Refresh(at); err != nil {
				t.Fatal(err)
			}
		}
		if step%7000 == 6999 {
			noErr(t, w.Compact(w.LastSeq()-uint64(r.IntN(50))))
		}
		if step%5000 == 4999 || step == n-1 {
			checkIndexes(t, w, at, len(live))
		}
	}
	t.Logf("height %d, %d waiting, %d leaves in arena, dl buckets %d, recs %d, log %d", w.order.height, w.Len(), len(w.order.chunks)*leafChunkLen, len(w.dl.order), len(w.recs), w.LastSeq())
	if w.order.height < 2 {
		t.Fatalf("the tree has %d levels above its leaves: too small to test", w.order.height)
	}
}

// checkIndexes checks that w's records and indexes agree (see TestIndexesAgreeWithRecords).
func checkIndexes(t *testing.T, w *Waitlist, at time.Time, waiting int) {
	t.Helper()
	rank := map[uint32]int{}
	w.order.ascend(func(k k128, slot uint32) bool {
		if _, dup := rank[slot]; dup {
			t.Fatalf("slot %d twice in the order", slot)
		}
		rank[slot] = len(rank)
		return true
	})
	if len(rank) != waiting || w.Len() != waiting {
		t.Fatalf("%d in the order, %d waiting, %d expected", len(rank), w.Len(), waiting)
	}
	claims := func(wh *wheel, slot uint32, p wheelPos, ns int64) {
		t.Helper()
		if p.bucket < 0 || int(p.bucket) >= len(wh.bks) || int(p.pos) >= len(wh.bks[p.bucket].items) {
			t.Fatalf("slot %d claims place %v, which does not exist", slot, p)
		}
		if it := wh.bks[p.bucket].items[p.pos]; it.slot != slot || ns != noTime && it.ns != ns {
			t.Fatalf("slot %d at %d claims place %v, which holds slot %d at %d", slot, ns, p, it.slot, it.ns)
		}
	}
	claimed := [2]map[wheelPos]bool{{}, {}}
	for slot := uint32(1); int(slot) < len(w.recs); slot++ {
		r := &w.recs[slot]
		if !r.waiting() {
			if r.dl.in() || r.chg.in() {
				t.Fatalf("slot %d, not waiting, claims a place", slot)
			}
			if _, in := rank[slot]; in {
				t.Fatalf("slot %d, not waiting, is in the order", slot)
			}
			continue
		}
		if e := w.byID.tab[r.tpos]; e.slot != slot {
			t.Fatalf("slot %d: its entry in the identifier index, %d, names slot %d", slot, r.tpos, e.slot)
		}
		l := w.order.leaf(w.byID.leafOf(r))
		j := slices.Index(l.vals[:l.n], slot)
		if j < 0 || l.keys[j] != r.orderKey() {
			t.Fatalf("slot %d: its handle names leaf %d, which does not hold it under its key", slot, w.byID.leafOf(r))
		}
		if d := w.nextDue(r); d != noTime || r.dl.in() {
			claims(&w.dl, slot, r.dl, d)
			claimed[0][r.dl] = true
		}
		if r.chg.in() {
			claims(&w.chg, slot, r.chg, noTime)
			claimed[1][r.chg] = true
		}
		if rank[slot]%97 == 0 {
			pos, err := w.Position(w.idOf(r), at)
			noErr(t, err)
			if want := rank[slot] + 1; pos != want && len(w.pendingAt(at)) == 0 {
				t.Fatalf("slot %d: Position %d, rank %d", slot, pos, want)
			}
		}
	}
	for k, wh := range []*wheel{&w.dl, &w.chg} {
		inOrder := map[int32]bool{}
		for i, b := range wh.order {
			inOrder[b] = true
			if i > 0 && wh.bks[wh.order[i-1]].hour >= wh.bks[b].hour {
				t.Fatalf("wheel %d: hours out of order", k)
			}
			if wh.byHour[wh.bks[b].hour] != b {
				t.Fatalf("wheel %d: bucket %d not found by its hour", k, b)
			}
			live := 0
			for pos := range wh.bks[b].items {
				if claimed[k][wheelPos{bucket: b, pos: uint32(pos)}] {
					live++
				}
			}
			if f := wh.fill[b]; int(f.live) != live || int(f.n) != len(wh.bks[b].items) || live == 0 {
				t.Fatalf("wheel %d bucket %d: counts %+v, %d live of %d places", k, b, f, live, len(wh.bks[b].items))
			}
		}
		if len(wh.byHour) != len(wh.order) || len(wh.order)+len(wh.free) != len(wh.bks) {
			t.Fatalf("wheel %d: %d hours, %d buckets in order, %d free of %d", k, len(wh.byHour), len(wh.order), len(wh.free), len(wh.bks))
		}
		for _, b := range wh.free {
			if inOrder[b] {
				t.Fatalf("wheel %d: bucket %d free and in use", k, b)
			}
		}
	}
}

// TestRecordSize: a record stays 88 bytes (what BENCHMARKS.md's memory per person counts).
func TestRecordSize(t *testing.T) {
	if s := unsafe.Sizeof(rec{}); s != 88 {
		t.Errorf("a record is %d bytes, not 88", s)
	}
}
