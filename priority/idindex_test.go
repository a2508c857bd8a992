package priority

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestIDIndexCollisions: identifiers of one hash are told apart by their records (a long
// identifier compared whole, not by its inline prefix), and deleting one leaves the others
// found, whichever was entered first.
func TestIDIndexCollisions(t *testing.T) {
	w := newWaitlist(MustCompile(Federal()))
	w.byID.hash = func(string) uint64 { return 0xdead_beef << 32 } // every identifier collides
	long := "b-very-long-identifier-over-16-bytes"
	ids := []string{"a", long, "c", long[:len(long)-1] + "y"}
	w.recs = make([]rec, len(ids)+1)
	for i, id := range ids {
		w.setID(&w.recs[i+1], id)
		w.byID.set(w, id, uint32(i+1))
	}
	for i, id := range ids {
		s, ok := w.byID.get(w, id)
		eq(t, true, ok)
		eq(t, uint32(i+1), s)
	}
	_, ok := w.byID.get(w, long[:len(long)-1]+"z") // same prefix and length as two of them
	eq(t, false, ok)
	eq(t, false, w.idIs(&w.recs[2], long[:len(long)-1]+"z"))
	_, ok = w.byID.get(w, "d")
	eq(t, false, ok)
	w.byID.del(w, "a", 1) // the first of the run: the others move back and stay found
	_, ok = w.byID.get(w, "a")
	eq(t, false, ok)
	for i, id := range ids[1:] {
		s, ok := w.byID.get(w, id)
		eq(t, true, ok)
		eq(t, uint32(i+2), s)
	}
	w.byID.del(w, long, 2)
	_, ok = w.byID.get(w, long)
	eq(t, false, ok)
	s, ok := w.byID.get(w, ids[3])
	eq(t, true, ok)
	eq(t, uint32(4), s)
	eq(t, 2, w.byID.n)
}

// TestIDIndexAgainstModel drives the table and a Go map with the same random sets, replacements
// and deletions, under hashes of few distinct homes and tags (long runs that wrap around
// the end of the table, many equal tags) and under the real hash, through several doublings,
// and compares every answer; after each step every entry must be reachable from its home
// without crossing an empty entry (what backward-shift deletion keeps).
func TestIDIndexAgainstModel(t *testing.T) {
	hashes := map[string]func(string) uint64{
		"real": nil,
		// 4 tags, all homed near the table's end, so runs wrap to its start.
		"fewtags": func(id string) uint64 { return uint64(0xffff_fff0|uint32(len(id)%4)) << 32 },
		// 64 tags spread over the table.
		"spread": func(id string) uint64 {
			var h uint32
			for _, c := range []byte(id) {
				h = h*31 + uint32(c)
			}
			return uint64((h%64)*0x0400_0000+h%3) << 32
		},
	}
	for name, hash := range hashes {
		t.Run(name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(5, uint64(len(name))))
			w := newWaitlist(MustCompile(Federal()))
			w.byID.hash = hash
			model := map[string]uint32{}
			w.recs = make([]rec, 1)
			idOf := func(i int) string { return fmt.Sprintf("p%d", i) + string(make([]byte, i%5)) }
			for step := range 6000 {
				id := idOf(r.IntN(1500))
				switch slot, held := model[id]; {
				case !held || r.IntN(4) == 0: // a new record for id (a new stay, or a first one)
					w.recs = append(w.recs, rec{})
					s := uint32(len(w.recs) - 1)
					w.setID(&w.recs[s], id)
					w.byID.set(w, id, s)
					model[id] = s
				default:
					w.byID.del(w, id, slot)
					delete(model, id)
				}
				if step%50 == 0 || step > 5900 {
					checkIDIndex(t, w, model)
				}
			}
			for id, s := range model {
				w.byID.del(w, id, s)
			}
			checkIDIndex(t, w, map[string]uint32{})
		})
	}
}

func checkIDIndex(t *testing.T, w *Waitlist, model map[string]uint32) {
	t.Helper()
	x := &w.byID
	if x.n != len(model) {
		t.Fatalf("%d entries, model %d", x.n, len(model))
	}
	if x.n*8 > len(x.tab)*5 {
		t.Fatalf("load %d/%d above 5/8", x.n, len(x.tab))
	}
	for id, s := range model {
		if got, ok := x.get(w, id); !ok || got != s {
			t.Fatalf("get(%q) = %d, %v; want %d", id, got, ok, s)
		}
	}
	mask := len(x.tab) - 1
	used := 0
	for i, e := range x.tab {
		if e.slot == 0 {
			continue
		}
		used++
		for j := int(e.tag >> x.shift); j != i; j = (j + 1) & mask {
			if x.tab[j].slot == 0 {
				t.Fatalf("entry %d unreachable from its home %d", i, e.tag>>x.shift)
			}
		}
		if id := w.idOf(&w.recs[e.slot]); model[id] != e.slot {
			t.Fatalf("entry %d holds slot %d for %q, model %d", i, e.slot, id, model[id])
		}
		if w.recs[e.slot].tpos != uint32(i) {
			t.Fatalf("entry %d names slot %d, whose record says its entry is %d", i, e.slot, w.recs[e.slot].tpos)
		}
	}
	if used != x.n {
		t.Fatalf("%d entries used, n = %d", used, x.n)
	}
	if _, ok := x.get(w, "absent"); ok {
		t.Fatal("found an identifier never entered")
	}
}
