package priority

import "slices"

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

// Node sizes of the order-statistic B+tree. A node holds at most btMax keys (leaf) or
// children (inner); a non-root node with fewer than btMin is merged with or refilled from a
// neighbour. Wide nodes keep a million keys within four levels, so an operation touches a few
// cache lines per level instead of one per level of a binary tree.
const (
	btMax = 64
	btMin = btMax / 4
)

// bnode is a node of the B+tree. In a leaf, keys are the stored keys in order. In an inner
// node, kids are the children, cnt their subtree sizes, and keys[i] (i >= 1) a separator:
// every key under kids[i-1] is less than keys[i], which is at most every key under kids[i].
// keys[0] is not used for routing.
type bnode struct {
	leaf bool
	keys []key
	kids []*bnode
	cnt  []int32
}

func newLeaf() *bnode { return &bnode{leaf: true, keys: make([]key, 0, btMax+1)} }

func (n *bnode) size() int {
	if n.leaf {
		return len(n.keys)
	}
	s := 0
	for _, c := range n.cnt {
		s += int(c)
	}
	return s
}

// route returns the child of inner node n whose range holds k.
func (n *bnode) route(k key) int {
	lo, hi := 1, len(n.keys) // first separator greater than k, among keys[1:]
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if k.less(n.keys[m]) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo - 1
}

// search returns the number of keys of leaf n less than k, and whether k is present.
func (n *bnode) search(k key) (int, bool) {
	lo, hi := 0, len(n.keys)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if n.keys[m].less(k) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(n.keys) && n.keys[lo] == k
}

// btree is an order-statistic B+tree of unique keys: insert, delete, rank (countLess) and
// min in O(log n), an in-order walk in O(log n + visited). The zero value is empty.
type btree struct {
	root *bnode
	n    int
}

func (t *btree) len() int { return t.n }

// insert adds k, which must not be present.
func (t *btree) insert(k key) {
	if t.root == nil {
		t.root = newLeaf()
	}
	if r := t.ins(t.root, k); r != nil {
		old := t.root
		t.root = &bnode{keys: make([]key, 2, btMax+1), kids: make([]*bnode, 2, btMax+1), cnt: make([]int32, 2, btMax+1)}
		t.root.keys[0], t.root.keys[1] = old.keys[0], r.keys[0]
		t.root.kids[0], t.root.kids[1] = old, r
		t.root.cnt[0], t.root.cnt[1] = int32(old.size()), int32(r.size())
	}
	t.n++
}

// ins inserts k under n and returns the new right sibling if n split.
func (t *btree) ins(n *bnode, k key) *bnode {
	if n.leaf {
		i, _ := n.search(k)
		n.keys = slices.Insert(n.keys, i, k)
		if len(n.keys) <= btMax {
			return nil
		}
		r := newLeaf()
		r.keys = append(r.keys, n.keys[btMax/2:]...)
		n.keys = n.keys[:btMax/2]
		return r
	}
	i := n.route(k)
	r := t.ins(n.kids[i], k)
	n.cnt[i]++
	if r == nil {
		return nil
	}
	rs := int32(r.size())
	n.cnt[i] -= rs
	n.keys = slices.Insert(n.keys, i+1, r.keys[0])
	n.kids = slices.Insert(n.kids, i+1, r)
	n.cnt = slices.Insert(n.cnt, i+1, rs)
	if len(n.kids) <= btMax {
		return nil
	}
	h := btMax / 2
	s := &bnode{keys: make([]key, 0, btMax+1), kids: make([]*bnode, 0, btMax+1), cnt: make([]int32, 0, btMax+1)}
	s.keys = append(s.keys, n.keys[h:]...)
	s.kids = append(s.kids, n.kids[h:]...)
	s.cnt = append(s.cnt, n.cnt[h:]...)
	clear(n.kids[h:])
	n.keys, n.kids, n.cnt = n.keys[:h], n.kids[:h], n.cnt[:h]
	return s
}

// delete removes k and reports whether it was present.
func (t *btree) delete(k key) bool {
	if t.root == nil || !t.del(t.root, k) {
		return false
	}
	t.n--
	if !t.root.leaf && len(t.root.kids) == 1 {
		t.root = t.root.kids[0]
	}
	return true
}

func (t *btree) del(n *bnode, k key) bool {
	if n.leaf {
		i, ok := n.search(k)
		if ok {
			n.keys = slices.Delete(n.keys, i, i+1)
		}
		return ok
	}
	i := n.route(k)
	if !t.del(n.kids[i], k) {
		return false
	}
	n.cnt[i]--
	c := n.kids[i]
	if (c.leaf && len(c.keys) < btMin) || (!c.leaf && len(c.kids) < btMin) {
		if i+1 < len(n.kids) {
			n.rebalance(i)
		} else if i > 0 {
			n.rebalance(i - 1)
		}
	}
	return true
}

// rebalance merges children a and a+1 of n if they fit in one node, or else shares their
// entries evenly between them.
func (n *bnode) rebalance(a int) {
	l, r := n.kids[a], n.kids[a+1]
	if l.leaf {
		if len(l.keys)+len(r.keys) <= btMax {
			l.keys = append(l.keys, r.keys...)
			n.dropKid(a)
			return
		}
		all := append(slices.Clone(l.keys), r.keys...)
		h := len(all) / 2
		l.keys = append(l.keys[:0], all[:h]...)
		r.keys = append(r.keys[:0], all[h:]...)
	} else {
		if len(l.kids)+len(r.kids) <= btMax {
			l.keys = append(l.keys, r.keys...)
			l.kids = append(l.kids, r.kids...)
			l.cnt = append(l.cnt, r.cnt...)
			n.dropKid(a)
			return
		}
		keys := append(slices.Clone(l.keys), r.keys...)
		kids := append(slices.Clone(l.kids), r.kids...)
		cnt := append(slices.Clone(l.cnt), r.cnt...)
		h := len(kids) / 2
		clear(l.kids)
		clear(r.kids)
		l.keys, l.kids, l.cnt = append(l.keys[:0], keys[:h]...), append(l.kids[:0], kids[:h]...), append(l.cnt[:0], cnt[:h]...)
		r.keys, r.kids, r.cnt = append(r.keys[:0], keys[h:]...), append(r.kids[:0], kids[h:]...), append(r.cnt[:0], cnt[h:]...)
	}
	n.keys[a+1] = r.keys[0]
	n.cnt[a], n.cnt[a+1] = int32(l.size()), int32(r.size())
}

// dropKid removes child a+1 of n after its entries were merged into child a.
func (n *bnode) dropKid(a int) {
	n.cnt[a] += n.cnt[a+1]
	n.keys = slices.Delete(n.keys, a+1, a+2)
	n.kids = slices.Delete(n.kids, a+1, a+2)
	n.cnt = slices.Delete(n.cnt, a+1, a+2)
}

// countLess returns the number of keys less than k.
func (t *btree) countLess(k key) int {
	c := 0
	n := t.root
	if n == nil {
		return 0
	}
	for !n.leaf {
		i := n.route(k)
		for _, x := range n.cnt[:i] {
			c += int(x)
		}
		n = n.kids[i]
	}
	i, _ := n.search(k)
	return c + i
}

// min returns the least key.
func (t *btree) min() (key, bool) {
	if t.n == 0 {
		return key{}, false
	}
	n := t.root
	for !n.leaf {
		n = n.kids[0]
	}
	return n.keys[0], true
}

// ascend calls f with each key in order while f returns true. It does not modify t, so
// readers holding a read lock may call it concurrently.
func (t *btree) ascend(f func(key) bool) {
	if t.root != nil {
		ascend(t.root, f)
	}
}

func ascend(n *bnode, f func(key) bool) bool {
	if n.leaf {
		for _, k := range n.keys {
			if !f(k) {
				return false
			}
		}
		return true
	}
	for _, c := range n.kids {
		if !ascend(c, f) {
			return false
		}
	}
	return true
}
