package priority

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestTreapAgainstModel runs random operations against a sorted slice.
func TestTreapAgainstModel(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var tr treap
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
	for i := 0; i < 20000; i++ {
		k := key{int64(r.IntN(5)), int64(r.IntN(50)), 0, int64(r.IntN(200))}
		pos, found := slices.BinarySearchFunc(model, k, cmpKey)
		switch r.IntN(3) {
		case 0, 1:
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
	}
	var walked []key
	tr.ascend(func(k key) bool { walked = append(walked, k); return true })
	eq(t, model, walked)
	// A walk stops when told.
	n := 0
	tr.ascend(func(key) bool { n++; return n < 3 })
	eq(t, 3, n)
}

func TestTreapEmpty(t *testing.T) {
	var tr treap
	eq(t, false, tr.delete(key{}))
	eq(t, 0, tr.countLess(key{1}))
	_, ok := tr.min()
	eq(t, false, ok)
	tr.ascend(func(key) bool { t.Error("walked an empty tree"); return true })
}
