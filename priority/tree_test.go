package priority

import (
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"
)

// checkTree verifies the tree's invariants: keys in order, separators equal to each child's
// least key, counts equal to the keys below, node sizes within bounds (the root aside), every
// leaf found by its handle and no freed handle naming a leaf, and (when handles is not nil)
// every value's handle, as insert returned it and the moved functions updated it, naming the
// leaf that holds it.
func checkTree(t *testing.T, tr *btree, handles map[uint32]uint32) []k128 {
	t.Helper()
	var keys []k128
	var walk func(n *binner, h int, root bool) int
	var parent *binner // of the node walked, with its index there
	var index int
	leaves := 0
	inTree := map[uint32]bool{}
	walkLeaf := func(l *bleaf, root bool) int {
		inTree[l.id] = true
		if lk := tr.links[l.id]; lk.p != parent || lk.i != index {
			t.Fatalf("leaf %d linked to %p child %d, is %p child %d", l.id, lk.p, lk.i, parent, index)
		}
		if !root && l.n < btMin {
			t.Fatalf("leaf with %d keys", l.n)
		}
		leaves++
		if tr.leaf(l.id) != l {
			t.Fatalf("leaf %d not found by its handle", l.id)
		}
		for _, v := range l.vals[:l.n] {
			if h, ok := handles[v]; handles != nil && (!ok || h != l.id) {
				t.Fatalf("value %d: handle %d (%v), in leaf %d", v, h, ok, l.id)
			}
		}
		keys = append(keys, l.keys[:l.n]...)
		for g := range l.sum {
			want := ^uint64(0)
			if g*8 < l.n {
				want = l.keys[g*8].hi
			}
			if l.sum[g] != want {
				t.Fatalf("leaf summary %d is %x, want %x", g, l.sum[g], want)
			}
		}
		return l.n
	}
	walk = func(n *binner, h int, root bool) int {
		if !root && n.n < btMin || n.n < 2 && root {
			t.Fatalf("inner node with %d children (root %v)", n.n, root)
		}
		if n.parent != parent || n.idx != index {
			t.Fatalf("inner node linked to %p child %d, is %p child %d", n.parent, n.idx, parent, index)
		}
		total := 0
		for i := 0; i < n.n; i++ {
			first := len(keys)
			var c int
			parent, index = n, i
			if h == 1 {
				c = walkLeaf(n.leaves[i], false)
			} else {
				c = walk(n.inners[i], h-1, false)
			}
			parent, index = n.parent, n.idx
			if int(n.cnt[i]) != c {
				t.Fatalf("count %d, holds %d", n.cnt[i], c)
			}
			if keys[first] != n.keys[i] {
				t.Fatalf("separator %v, least key %v", n.keys[i], keys[first])
			}
			if i%8 == 0 && n.sum[i/8] != n.keys[i].hi {
				t.Fatalf("inner summary %d is %x, key %x", i/8, n.sum[i/8], n.keys[i].hi)
			}
			total += c
		}
		return total
	}
	var n int
	switch {
	case tr.height == 0 && tr.rootL != nil:
		n = walkLeaf(tr.rootL, true)
	case tr.height > 0:
		n = walk(tr.rootI, tr.height, true)
	}
	if n != tr.n {
		t.Fatalf("tree says %d keys, holds %d", tr.n, n)
	}
	free := map[uint32]bool{}
	for _, id := range tr.freeIDs {
		if free[id] {
			t.Fatalf("handle %d freed twice", id)
		}
		free[id] = true
		if inTree[id] {
			t.Fatalf("handle %d is free and in the tree", id)
		}
		if l := tr.leaf(id); l == nil || l.n != 0 {
			t.Fatalf("free handle %d names a leaf with keys", id)
		}
	}
	if leaves != 0 && leaves+len(free) != len(tr.chunks)*leafChunkLen {
		t.Fatalf("%d leaves and %d free handles, %d in the arena", leaves, len(free), len(tr.chunks)*leafChunkLen)
	}
	if !slices.IsSortedFunc(keys, func(a, b k128) int {
		if a.less(b) {
			return -1
		}
		if b.less(a) {
			return 1
		}
		return 0
	}) {
		t.Fatal("keys out of order")
	}
	return keys
}

// TestBtreeAgainstModel drives the tree and a sorted slice with the same random operations
// (inserts in order, in reverse and at random; deletes at random) and compares everything
// each query answers.
func TestBtreeAgainstModel(t *testing.T) {
	for _, mode := range []string{"ascending", "descending", "random", "tiers"} {
		t.Run(mode, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(len(mode))))
			var tr btree
			model := map[k128]uint32{}
			handles := map[uint32]uint32{}
			mv := func(v, leaf uint32) { handles[v] = leaf }
			next := uint64(0)
			key := func() k128 {
				next++
				switch mode {
				case "ascending":
					return k128{0, next}
				case "descending":
					return k128{0, 1<<40 - next}
				case "tiers":
					return k128{uint64(r.IntN(4)), next}
				}
				return k128{r.Uint64N(1 << 20), r.Uint64()}
			}
			for step := 0; step < 40000; step++ {
				if r.IntN(3) > 0 || len(model) == 0 {
					k := key()
					if _, dup := model[k]; dup {
						continue
					}
					v := uint32(step)
					handles[v] = tr.insert(k, v, mv)
					model[k] = v
				} else {
					var k k128
					for k = range model {
						break
					}
					// Half the deletions from the leaf up (as the list removes people), a
					// few of those with a stale handle; half by a descent.
					v := model[k]
					switch step % 10 {
					case 0:
						if !tr.deleteAt(handles[v]+1, v, k, mv) {
							t.Fatalf("delete with a stale handle failed")
						}
					case 1, 3, 5, 7:
						if !tr.deleteAt(handles[v], v, k, mv) {
							t.Fatalf("delete from the leaf up failed")
						}
					default:
						if !tr.delete(k, mv) {
							t.Fatalf("delete of a present key failed")
						}
					}
					delete(handles, model[k])
					delete(model, k)
					if tr.delete(k, mv) {
						t.Fatalf("second delete succeeded")
					}
				}
				if step%997 == 0 || step > 39900 {
					keys := checkTree(t, &tr, handles)
					if len(keys) != len(model) {
						t.Fatalf("%d keys, model %d", len(keys), len(model))
					}
					for i, k := range keys {
						if got := tr.countLess(k); got != i {
							t.Fatalf("countLess = %d, want %d", got, i)
						}
						v := model[k]
						tr.prefetch(handles[v], i%2 == 0)
						if got := tr.rankOf(handles[v], v); got != i {
							t.Fatalf("rankOf = %d, want %d", got, i)
						}
						// A stale handle (another leaf's, or none) is told apart.
						if got := tr.rankOf(handles[v]+1, v); got != -1 {
							t.Fatalf("rankOf, wrong handle = %d, want -1", got)
						}
						if got := tr.rankOf(noLeaf, v); got != -1 {
							t.Fatalf("rankOf, no handle = %d, want -1", got)
						}
					}
					if len(keys) > 0 {
						mk, mv, ok := tr.min()
						if !ok || mk != keys[0] || mv != model[keys[0]] {
							t.Fatalf("min wrong")
						}
					}
					i := 0
					tr.ascend(func(k k128, v uint32) bool {
						if k != keys[i] || v != model[k] {
							t.Fatalf("ascend %d wrong", i)
						}
						i++
						return true
					})
				}
			}
			// Drain, checking as the tree shrinks level by level.
			drained := 0
			for k, v := range model {
				if !tr.deleteAt(handles[v], v, k, mv) {
					t.Fatal("drain failed")
				}
				delete(handles, v)
				if drained++; drained%500 == 0 {
					checkTree(t, &tr, handles)
				}
			}
			checkTree(t, &tr, nil)
			if _, _, ok := tr.min(); ok || tr.len() != 0 {
				t.Fatal("not empty after drain")
			}
		})
	}
}

func TestBtreeEmpty(t *testing.T) {
	var tr btree
	tr.prefetch(0, true)
	tr.prefetch(noLeaf, false)
	if tr.delete(k128{}, nil) || tr.deleteAt(0, 1, k128{}, nil) || tr.countLess(k128{1, 1}) != 0 || tr.rankOf(0, 1) != -1 {
		t.Fatal("empty tree answered")
	}
	tr.ascend(func(k128, uint32) bool { t.Fatal("visited"); return false })
}

// TestNodeLayout: a leaf is a whole number of cache lines (so that every leaf of a chunk of
// the arena starts on one, and prefetch asks for exactly its lines), and the summaries come
// first in both kinds of node.
func TestNodeLayout(t *testing.T) {
	if s := unsafe.Sizeof(bleaf{}); s%64 != 0 {
		t.Errorf("a leaf is %d bytes, not a whole number of 64-byte lines", s)
	}
	if unsafe.Offsetof(bleaf{}.sum) != 0 || unsafe.Offsetof(binner{}.sum) != 0 {
		t.Error("the summaries are not first")
	}
}
