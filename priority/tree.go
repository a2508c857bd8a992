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
// keys[0] is not used for routing. parent is the inner node holding n (nil for the root), so
// that a key can be deleted from the leaf holding it without a search from the root.
type bnode struct {
	leaf   bool
	keys   []key
	kids   []*bnode
	cnt    []int32
	parent *bnode
}

// leafBlock and innerBlock allocate a node together with the arrays its slices use, so that
// a node's header and its first keys share cache lines and a visit misses the cache fewer times.
type leafBlock struct {
	n    bnode
	keys [btMax + 1]key
}

type innerBlock struct {
	n    bnode
	cnt  [btMax + 1]int32
	kids [btMax + 1]*bnode
	keys [btMax + 1]key
}

func newLeaf() *bnode {
	b := &leafBlock{}
	b.n.leaf, b.n.keys = true, b.keys[:0]
	return &b.n
}

// newInner returns an inner node with length-l key, child and count slices.
func newInner(l int) *bnode {
	b := &innerBlock{}
	b.n.keys, b.n.kids, b.n.cnt = b.keys[:l], b.kids[:l], b.cnt[:l]
	return &b.n
}

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

// find returns the index of k in leaf n, or -1, searching from index hint: when the hint is
// close, it reads one or two cache lines of the leaf instead of a binary search's five.
func (n *bnode) find(k key, hint int) int {
	keys := n.keys
	if len(keys) == 0 {
		return -1
	}
	i := min(max(hint, 0), len(keys)-1)
	if keys[i].less(k) {
		for i++; i < len(keys) && keys[i].less(k); i++ {
		}
	} else {
		for i > 0 && !keys[i-1].less(k) {
			i--
		}
	}
	if i < len(keys) && keys[i] == k {
		return i
	}
	return -1
}

// btree is an order-statistic B+tree of unique keys: insert, delete, rank (countLess) and
// min in O(log n), an in-order walk in O(log n + visited). The zero value is empty.
//
// A caller that keeps, for each key, the leaf holding it (the leaf insert returns) can delete
// the key with deleteAt, which walks up from that leaf instead of searching down from the root.
// Such a caller sets moved: the tree calls it with each key that it moves to another leaf
// (when a leaf splits, merges or shares keys with a neighbour), the key's new leaf and its
// index there. The index is only a hint: inserts and deletes in the leaf shift the keys after
// them without telling.
type btree struct {
	root  *bnode
	n     int
	moved func(k key, leaf *bnode, i int)
}

func (t *btree) len() int { return t.n }

// insert adds k, which must not be present, and returns the leaf that holds it and its index
// in that leaf.
func (t *btree) insert(k key) (*bnode, int) {
	if t.root == nil {
		t.root = newLeaf()
	}
	leaf, i, r := t.ins(t.root, k)
	if r != nil {
		old := t.root
		t.root = newInner(2)
		t.root.keys[0], t.root.keys[1] = old.keys[0], r.keys[0]
		t.root.kids[0], t.root.kids[1] = old, r
		t.root.cnt[0], t.root.cnt[1] = int32(old.size()), int32(r.size())
		old.parent, r.parent = t.root, t.root
	}
	t.n++
	return leaf, i
}

// tellMoved calls t.moved, if set, with leaf.keys[from:to], now held by leaf.
func (t *btree) tellMoved(leaf *bnode, from, to int) {
	if t.moved == nil {
		return
	}
	for i := from; i < to; i++ {
		t.moved(leaf.keys[i], leaf, i)
	}
}

// ins inserts k under n and returns the leaf holding k, k's index there, and the new right
// sibling if n split.
func (t *btree) ins(n *bnode, k key) (leaf *bnode, at int, split *bnode) {
	if n.leaf {
		i, _ := n.search(k)
		n.keys = slices.Insert(n.keys, i, k)
		if len(n.keys) <= btMax {
			return n, i, nil
		}
		r := newLeaf()
		r.keys = append(r.keys, n.keys[btMax/2:]...)
		n.keys = n.keys[:btMax/2]
		t.tellMoved(r, 0, len(r.keys))
		if i >= btMax/2 {
			return r, i - btMax/2, r
		}
		return n, i, r
	}
	i := n.route(k)
	leaf, at, r := t.ins(n.kids[i], k)
	n.cnt[i]++
	if r == nil {
		return leaf, at, nil
	}
	r.parent = n
	rs := int32(r.size())
	n.cnt[i] -= rs
	n.keys = slices.Insert(n.keys, i+1, r.keys[0])
	n.kids = slices.Insert(n.kids, i+1, r)
	n.cnt = slices.Insert(n.cnt, i+1, rs)
	if len(n.kids) <= btMax {
		return leaf, at, nil
	}
	h := btMax / 2
	s := newInner(0)
	s.keys = append(s.keys, n.keys[h:]...)
	s.kids = append(s.kids, n.kids[h:]...)
	s.cnt = append(s.cnt, n.cnt[h:]...)
	clear(n.kids[h:])
	n.keys, n.kids, n.cnt = n.keys[:h], n.kids[:h], n.cnt[:h]
	for _, c := range s.kids {
		c.parent = s
	}
	return leaf, at, s
}

// delete removes k and reports whether it was present.
func (t *btree) delete(k key) bool {
	if t.root == nil || !t.del(t.root, k) {
		return false
	}
	t.n--
	t.shrinkRoot()
	return true
}

// shrinkRoot makes the only child of an inner root the root.
func (t *btree) shrinkRoot() {
	if !t.root.leaf && len(t.root.kids) == 1 {
		t.root = t.root.kids[0]
		t.root.parent = nil
	}
}

// deleteAt removes k, which leaf is believed to hold near index hint, walking up from leaf to
// fix the counts and rebalance; it falls back to delete if leaf is nil or does not hold k. It
// reports whether k was present.
func (t *btree) deleteAt(leaf *bnode, hint int, k key) bool {
	if leaf == nil || !leaf.leaf {
		return t.delete(k)
	}
	i := leaf.find(k, hint)
	if i < 0 {
		return t.delete(k)
	}
	leaf.keys = slices.Delete(leaf.keys, i, i+1)
	for c := leaf; c.parent != nil; {
		p := c.parent
		j := slices.Index(p.kids, c)
		p.cnt[j]--
		t.fix(p, j)
		c = p
	}
	t.n--
	t.shrinkRoot()
	return true
}

// fix rebalances child i of inner node n if it has too few entries.
func (t *btree) fix(n *bnode, i int) {
	c := n.kids[i]
	if (c.leaf && len(c.keys) < btMin) || (!c.leaf && len(c.kids) < btMin) {
		if i+1 < len(n.kids) {
			t.rebalance(n, i)
		} else if i > 0 {
			t.rebalance(n, i-1)
		}
	}
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
	t.fix(n, i)
	return true
}

// rebalance merges children a and a+1 of n if they fit in one node, or else shares their
// entries evenly between them. It keeps parent links and tells t.moved of the keys that
// changed leaf.
func (t *btree) rebalance(n *bnode, a int) {
	l, r := n.kids[a], n.kids[a+1]
	if l.leaf {
		if len(l.keys)+len(r.keys) <= btMax {
			// Move the smaller leaf's keys into the larger, so fewer keys change leaf (each
			// one a call to t.moved). The emptied leaf leaves the tree: it must not look like
			// a key's leaf.
			if nl := len(l.keys); nl < len(r.keys) {
				r.keys = slices.Insert(r.keys, 0, l.keys...)
				t.tellMoved(r, 0, nl)
				n.kids[a] = r // r takes l's place, under l's separator; dropKid drops the old slot
				n.dropKid(a)
				l.keys, l.parent = nil, nil
				return
			}
			nl := len(l.keys)
			l.keys = append(l.keys, r.keys...)
			t.tellMoved(l, nl, len(l.keys))
			n.dropKid(a)
			r.keys, r.parent = nil, nil
			return
		}
		nl := len(l.keys)
		all := append(slices.Clone(l.keys), r.keys...)
		h := len(all) / 2
		l.keys = append(l.keys[:0], all[:h]...)
		r.keys = append(r.keys[:0], all[h:]...)
		if h > nl {
			t.tellMoved(l, nl, h)
		} else {
			t.tellMoved(r, 0, nl-h)
		}
	} else {
		if len(l.kids)+len(r.kids) <= btMax {
			for _, c := range r.kids {
				c.parent = l
			}
			l.keys = append(l.keys, r.keys...)
			l.kids = append(l.kids, r.kids...)
			l.cnt = append(l.cnt, r.cnt...)
			n.dropKid(a)
			r.kids, r.parent = nil, nil
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
		for _, c := range l.kids {
			c.parent = l
		}
		for _, c := range r.kids {
			c.parent = r
		}
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
