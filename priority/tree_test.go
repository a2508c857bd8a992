package priority

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestBtreeAgainstModel runs random operations against a sorted slice.
func TestBtreeAgainstModel(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var tr btree
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
	for i := 0; i < 40000; i++ {
		k := key{int64(r.IntN(5)), int64(r.IntN(50)), 0, int64(r.IntN(200))}
		pos, found := slices.BinarySearchFunc(model, k, cmpKey)
		grow := 2 // grow for a while, then shrink, then grow again
		if i > 20000 && i < 34000 {
			grow = 1
		}
		switch r.IntN(3) {
		case 0, grow:
			if !found {
				tr.insert(k)
				model = slices.Insert(model, pos, k)
			}
		case 2:
			if got := tr.delete(k); got != found {
				t.Fatalf("delete(%v) = %v, want %v", k, got, found)
			}
			if found {
				model = slices.Delete(model, pos, pos+1)
			}
		}
		if tr.len() != len(model) {
			t.Fatalf("len %d, want %d", tr.len(), len(model))
		}
		if want, _ := slices.BinarySearchFunc(model, k, cmpKey); tr.countLess(k) != want {
			t.Fatalf("countLess(%v) = %d, want %d", k, tr.countLess(k), want)
		}
		if m, ok := tr.min(); ok != (len(model) > 0) || ok && m != model[0] {
			t.Fatalf("min = %v %v, want %v", m, ok, model)
		}
		if i%2999 == 0 {
			checkTree(t, &tr)
		}
	}
	checkTree(t, &tr)
	var walked []key
	tr.ascend(func(k key) bool { walked = append(walked, k); return true })
	eq(t, model, walked)
	// A walk stops when told.
	n := 0
	tr.ascend(func(key) bool { n++; return n < 3 })
	eq(t, 3, n)
}

func TestBtreeEmpty(t *testing.T) {
	var tr btree
	eq(t, false, tr.delete(key{}))
	eq(t, 0, tr.countLess(key{1}))
	_, ok := tr.min()
	eq(t, false, ok)
	tr.ascend(func(key) bool { t.Error("walked an empty tree"); return true })
}

// checkTree verifies the B+tree invariants: sizes, separators, node fill and equal leaf depth.
func checkTree(t *testing.T, tr *btree) {
	t.Helper()
	if tr.root == nil {
		return
	}
	leafDepth := -1
	var walk func(n *bnode, lo, hi *key, depth int, root bool) int
	walk = func(n *bnode, lo, hi *key, depth int, root bool) int {
		if n.leaf {
			if leafDepth < 0 {
				leafDepth = depth
			} else if leafDepth != depth {
				t.Fatalf("leaves at depths %d and %d", leafDepth, depth)
			}
			if !root && (len(n.keys) < btMin || len(n.keys) > btMax) {
				t.Fatalf("leaf with %d keys", len(n.keys))
			}
			for i, k := range n.keys {
				if i > 0 && !n.keys[i-1].less(k) || lo != nil && k.less(*lo) || hi != nil && !k.less(*hi) {
					t.Fatalf("leaf key %v out of order or range", k)
				}
			}
			return len(n.keys)
		}
		if len(n.kids) != len(n.keys) || len(n.kids) != len(n.cnt) || len(n.kids) > btMax || !root && len(n.kids) < btMin || root && len(n.kids) < 2 {
			t.Fatalf("inner node with %d kids, %d keys, %d counts", len(n.kids), len(n.keys), len(n.cnt))
		}
		total := 0
		for i, c := range n.kids {
			l, h := lo, hi
			if i > 0 {
				l = &n.keys[i]
			}
			if i+1 < len(n.kids) {
				h = &n.keys[i+1]
			}
			s := walk(c, l, h, depth+1, false)
			if s != int(n.cnt[i]) {
				t.Fatalf("count %d, subtree holds %d", n.cnt[i], s)
			}
			total += s
		}
		return total
	}
	if got := walk(tr.root, nil, nil, 0, true); got != tr.len() {
		t.Fatalf("tree holds %d keys, len says %d", got, tr.len())
	}
}
