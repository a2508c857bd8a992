package priority

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// checkParents verifies that every node's parent link names the inner node holding it.
func checkParents(t *testing.T, tr *btree) {
	t.Helper()
	if tr.root == nil {
		return
	}
	if tr.root.parent != nil {
		t.Fatal("the root has a parent")
	}
	var walk func(n *bnode)
	walk = func(n *bnode) {
		for _, c := range n.kids {
			if c.parent != n {
				t.Fatal("a child's parent link names another node")
			}
			walk(c)
		}
	}
	walk(tr.root)
}

// checkHeld verifies that leaf is in tr and holds k.
func checkHeld(t *testing.T, tr *btree, leaf *bnode, k key) {
	t.Helper()
	if leaf == nil || !leaf.leaf || leaf.find(k, 0) < 0 {
		t.Fatalf("the handle of %v names a leaf that does not hold it", k)
	}
	n := leaf
	for n.parent != nil {
		n = n.parent
	}
	if n != tr.root {
		t.Fatalf("the handle of %v names a leaf no longer in the tree", k)
	}
}

// TestBtreeDeleteAtAgainstModel runs random inserts and handle deletes against a sorted
// slice, keeping each key's leaf through the moved hook, and checks the handles, the parent
// links and the B+tree invariants.
func TestBtreeDeleteAtAgainstModel(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	handles := map[key]handle{}
	tr := btree{moved: func(k key, leaf *bnode, i int) { handles[k] = handle{leaf, i} }}
	var model []key
	cmpKey := func(a, b key) int {
		if a.less(b) {
			return -1
		}
		if b.less(a) {
			return 1
		}
		return 0
	}
	for i := 0; i < 60000; i++ {
		k := key{int64(r.IntN(5)), int64(r.IntN(80)), 0, int64(r.IntN(300))}
		pos, found := slices.BinarySearchFunc(model, k, cmpKey)
		insert := r.IntN(3) != 0
		if i > 25000 && i < 45000 {
			insert = r.IntN(3) == 0 // shrink for a while
		}
		switch {
		case insert && !found:
			leaf, at := tr.insert(k)
			handles[k] = handle{leaf, at}
			if leaf.keys[at] != k {
				t.Fatalf("insert(%v) returned index %d holding %v", k, at, leaf.keys[at])
			}
			model = slices.Insert(model, pos, k)
		case !insert && found:
			h := handles[k]
			if !tr.deleteAt(h.leaf, h.i+r.IntN(7)-3, k) { // a hint a little off still finds k
				t.Fatalf("deleteAt(%v) = false", k)
			}
			delete(handles, k)
			model = slices.Delete(model, pos, pos+1)
		case !insert:
			if tr.deleteAt(nil, 0, k) {
				t.Fatalf("deleteAt(%v) of an absent key = true", k)
			}
		}
		if tr.len() != len(model) {
			t.Fatalf("len %d, want %d", tr.len(), len(model))
		}
		if i%1999 == 0 {
			checkTree(t, &tr)
			checkParents(t, &tr)
			for _, k := range model {
				checkHeld(t, &tr, handles[k].leaf, k)
			}
		}
	}
	checkTree(t, &tr)
	checkParents(t, &tr)
	var walked []key
	tr.ascend(func(k key) bool { walked = append(walked, k); return true })
	eq(t, model, walked)
	// A stale handle (a leaf that does not hold the key) falls back to a search from the root.
	k := model[len(model)/2]
	other := handles[model[0]].leaf
	if other == handles[k].leaf {
		other = handles[model[len(model)-1]].leaf
	}
	eq(t, true, tr.deleteAt(other, 0, k))
	eq(t, len(model)-1, tr.len())
	checkTree(t, &tr)
}

// TestWaitlistHandles checks, after random changes to a list, that each person's handles name
// the leaves holding her keys, and that positions agree with the admission order.
func TestWaitlistHandles(t *testing.T) {
	p := Policy{Name: "s", PostpartumDays: 60, InterimAlsoWhen: []string{"postpartum"},
		Removal: RemovalRule{AfterFailedContacts: 1}, Tiers: []Tier{
			{Name: "pregnant", When: map[string]bool{"pregnant": true}},
			{Name: "postpartum", When: map[string]bool{"postpartum": true}},
			{Name: "injecting", When: map[string]bool{"injects_drugs": true}},
			{Name: "children", When: map[string]bool{"dependent_children": true}}}}
	w := newList(t, p)
	randomList(t, w, 9, 6000)
	for _, tr := range []*btree{&w.order, &w.deadlines, &w.changes} {
		checkTree(t, tr)
		checkParents(t, tr)
	}
	if w.Len() < 500 {
		t.Fatalf("only %d people left; the test wants many leaves", w.Len())
	}
	for _, e := range w.byID {
		checkHeld(t, &w.order, e.order.leaf, e.orderKey())
		if !e.interimDue.IsZero() {
			checkHeld(t, &w.deadlines, e.interimDL.leaf, deadlineKey(e.interimDue, e.arrival, dlInterim))
		}
		if !e.admissionDue.IsZero() {
			checkHeld(t, &w.deadlines, e.admissionDL.leaf, deadlineKey(e.admissionDue, e.arrival, dlAdmission))
		}
		if !e.changeAt.IsZero() {
			s, ns := timeKey(e.changeAt)
			checkHeld(t, &w.changes, e.change.leaf, key{s, ns, e.arrival, 0})
		}
	}
	for i, x := range w.Head(0) {
		pos, err := w.Position(x.Applicant.ID)
		noErr(t, err)
		eq(t, i+1, pos)
	}
	// Removing everyone empties every index.
	at := w.Events()[len(w.Events())-1].At
	for _, x := range w.Head(0) {
		noErr(t, w.Remove(x.Applicant.ID, RemovalAdmitted, at.Add(time.Minute)))
	}
	eq(t, []int{0, 0, 0}, []int{w.order.len(), w.deadlines.len(), w.changes.len()})
}

// TestBtreeDeleteAtFromEachEnd empties a tree from its largest and from its smallest key, so
// that leaves merge into their left and into their right neighbour, checking the handles and
// the invariants after every delete.
func TestBtreeDeleteAtFromEachEnd(t *testing.T) {
	for _, fromTop := range []bool{true, false} {
		handles := map[key]handle{}
		tr := btree{moved: func(k key, leaf *bnode, i int) { handles[k] = handle{leaf, i} }}
		const n = 3000
		for i := range n {
			k := key{int64(i)}
			leaf, at := tr.insert(k)
			handles[k] = handle{leaf, at}
		}
		for j := range n {
			i := j
			if fromTop {
				i = n - 1 - j
			}
			k := key{int64(i)}
			if h := handles[k]; !tr.deleteAt(h.leaf, h.i, k) {
				t.Fatalf("deleteAt(%v) = false", k)
			}
			delete(handles, k)
			if j%97 == 0 {
				checkTree(t, &tr)
				checkParents(t, &tr)
				for k, h := range handles {
					checkHeld(t, &tr, h.leaf, k)
				}
			}
		}
		eq(t, 0, tr.len())
	}
}

// TestBtreeDeleteAtShareToRight makes the last leaf underflow next to a nearly full left
// neighbour, which then hands keys to the right, and checks the moved keys' handles.
func TestBtreeDeleteAtShareToRight(t *testing.T) {
	handles := map[key]handle{}
	tr := btree{moved: func(k key, leaf *bnode, i int) { handles[k] = handle{leaf, i} }}
	ins := func(k key) {
		leaf, at := tr.insert(k)
		handles[k] = handle{leaf, at}
	}
	for i := range 1000 {
		ins(key{int64(i)})
	}
	root := tr.root
	if root.leaf || !root.kids[0].leaf {
		t.Fatal("want a root over leaves")
	}
	l, r := root.kids[len(root.kids)-2], root.kids[len(root.kids)-1]
	last := l.keys[len(l.keys)-1][0]
	for j := 1; len(l.keys) < 60; j++ { // between l's last key and r's first: into l
		ins(key{last, int64(j)})
	}
	rkeys := slices.Clone(r.keys)
	for _, k := range slices.Backward(rkeys) {
		if len(r.keys) < btMin {
			break
		}
		h := handles[k]
		eq(t, true, tr.deleteAt(h.leaf, h.i, k))
		delete(handles, k)
	}
	if len(l.keys) >= 60 {
		t.Fatalf("the left leaf kept %d keys: no share happened", len(l.keys))
	}
	checkTree(t, &tr)
	checkParents(t, &tr)
	for k, h := range handles {
		checkHeld(t, &tr, h.leaf, k)
	}
}
