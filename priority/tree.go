package priority

// key orders entries of an index lexicographically. Keys in one tree are unique.
type key [4]int64

func (a key) less(b key) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

type tnode struct {
	k    key
	l, r int32
	size int32
	pri  uint32
}

// treap is an order-statistic treap in an arena: insert, delete, rank and in-order walks in
// O(log n) expected time. Node 0 is the nil sentinel. Priorities come from a SplitMix64
// sequence owned by the tree, so its shape is deterministic.
type treap struct {
	nodes []tnode
	free  []int32
	root  int32
	rng   uint64
}

func (t *treap) init() {
	if len(t.nodes) == 0 {
		t.nodes = append(t.nodes, tnode{})
	}
}

func (t *treap) next() uint32 {
	t.rng += 0x9e3779b97f4a7c15
	z := t.rng
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return uint32((z ^ (z >> 31)) >> 32)
}

func (t *treap) len() int {
	if len(t.nodes) == 0 {
		return 0
	}
	return int(t.nodes[t.root].size)
}

func (t *treap) fix(n int32) {
	t.nodes[n].size = 1 + t.nodes[t.nodes[n].l].size + t.nodes[t.nodes[n].r].size
}

// split divides the subtree n into keys < k and keys >= k.
func (t *treap) split(n int32, k key) (int32, int32) {
	if n == 0 {
		return 0, 0
	}
	if t.nodes[n].k.less(k) {
		a, b := t.split(t.nodes[n].r, k)
		t.nodes[n].r = a
		t.fix(n)
		return n, b
	}
	a, b := t.split(t.nodes[n].l, k)
	t.nodes[n].l = b
	t.fix(n)
	return a, n
}

// merge joins a and b, every key of a being less than every key of b.
func (t *treap) merge(a, b int32) int32 {
	if a == 0 {
		return b
	}
	if b == 0 {
		return a
	}
	if t.nodes[a].pri > t.nodes[b].pri {
		t.nodes[a].r = t.merge(t.nodes[a].r, b)
		t.fix(a)
		return a
	}
	t.nodes[b].l = t.merge(a, t.nodes[b].l)
	t.fix(b)
	return b
}

// insert adds k, which must not be present.
func (t *treap) insert(k key) {
	t.init()
	var n int32
	if l := len(t.free); l > 0 {
		n = t.free[l-1]
		t.free = t.free[:l-1]
	} else {
		t.nodes = append(t.nodes, tnode{})
		n = int32(len(t.nodes) - 1)
	}
	t.nodes[n] = tnode{k: k, size: 1, pri: t.next()}
	t.root = t.ins(t.root, n)
}

func (t *treap) ins(root, n int32) int32 {
	if root == 0 {
		return n
	}
	if t.nodes[n].pri > t.nodes[root].pri {
		t.nodes[n].l, t.nodes[n].r = t.split(root, t.nodes[n].k)
		t.fix(n)
		return n
	}
	if t.nodes[n].k.less(t.nodes[root].k) {
		t.nodes[root].l = t.ins(t.nodes[root].l, n)
	} else {
		t.nodes[root].r = t.ins(t.nodes[root].r, n)
	}
	t.fix(root)
	return root
}

// delete removes k and reports whether it was present.
func (t *treap) delete(k key) bool {
	if len(t.nodes) == 0 {
		return false
	}
	var found bool
	t.root = t.del(t.root, k, &found)
	return found
}

func (t *treap) del(n int32, k key, found *bool) int32 {
	if n == 0 {
		return 0
	}
	nk := t.nodes[n].k
	switch {
	case k.less(nk):
		t.nodes[n].l = t.del(t.nodes[n].l, k, found)
	case nk.less(k):
		t.nodes[n].r = t.del(t.nodes[n].r, k, found)
	default:
		*found = true
		m := t.merge(t.nodes[n].l, t.nodes[n].r)
		t.nodes[n] = tnode{}
		t.free = append(t.free, n)
		return m
	}
	t.fix(n)
	return n
}

// countLess returns the number of keys less than k.
func (t *treap) countLess(k key) int {
	if len(t.nodes) == 0 {
		return 0
	}
	c := 0
	for n := t.root; n != 0; {
		if t.nodes[n].k.less(k) {
			c += int(t.nodes[t.nodes[n].l].size) + 1
			n = t.nodes[n].r
		} else {
			n = t.nodes[n].l
		}
	}
	return c
}

// min returns the least key.
func (t *treap) min() (key, bool) {
	if len(t.nodes) == 0 || t.root == 0 {
		return key{}, false
	}
	n := t.root
	for t.nodes[n].l != 0 {
		n = t.nodes[n].l
	}
	return t.nodes[n].k, true
}

// ascend calls f with each key in order while f returns true; keys are visited from the
// least, and the walk costs O(log n + visited). It does not modify t, so readers holding a
// read lock may call it concurrently.
func (t *treap) ascend(f func(key) bool) {
	if len(t.nodes) == 0 {
		return
	}
	var buf [64]int32 // deep enough for any likely treap; append grows it otherwise
	stack := buf[:0]
	n := t.root
	for n != 0 || len(stack) > 0 {
		for n != 0 {
			stack = append(stack, n)
			n = t.nodes[n].l
		}
		n = stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !f(t.nodes[n].k) {
			break
		}
		n = t.nodes[n].r
	}
}
