package priority

// k128 is a key of the order index: compared as (hi, lo), unsigned. Keys in one tree are unique.
type k128 struct{ hi, lo uint64 }

func (a k128) less(b k128) bool { return a.hi < b.hi || a.hi == b.hi && a.lo < b.lo }

// Node sizes of the order-statistic B+tree: a node holds at most btMax keys (leaf) or
// children (inner); a non-root node with fewer than btMin is refilled from or merged with a
// neighbour. A leaf of 64 keys and values is 1.3 KB, so a million keys sit in four levels,
// the top two of which stay in the cache.
const (
	btMax = 64
	btMin = btMax / 4
)

// bleaf is a leaf: n keys in order, each with its value (a record's slot). sum holds the hi
// half of every eighth key, so that a search reads one cache line to find the eight keys it
// needs instead of five or six lines of a plain binary search over the leaf. id is the
// leaf's handle (where it is in the tree's arena of leaves): a value's holder keeps it, so
// that it can have the leaf read (prefetch) before the descent reaches it.
//
// The fields are laid out so that a leaf is a whole number of cache lines (a chunk of the
// arena, and so every leaf in it, starts on a line): sum is one line, each group of eight
// keys two, the values and the count the last five.
type bleaf struct {
	sum  [btMax / 8]uint64
	keys [btMax]k128
	vals [btMax]uint32
	n    int
	id   uint32
	_    [52]byte
}

// resum recomputes l.sum from the key at index from on.
func (l *bleaf) resum(from int) {
	for g := from / 8; g < btMax/8; g++ {
		if i := g * 8; i < l.n {
			l.sum[g] = l.keys[i].hi
		} else {
			l.sum[g] = ^uint64(0)
		}
	}
}

// binner is an inner node of n children: leaves (on the level above the leaves) or inner
// nodes. keys[i] is the least key under child i (keys[0] is the least under n, and only
// keys[1:] route); cnt[i] is how many keys are under child i.
//
// sum comes first, so that in a node aligned to a cache line (as the allocator places one of
// this size) it is one line and each group of eight keys two.
type binner struct {
	sum    [btMax / 8]uint64 // hi half of every eighth key, as in bleaf
	keys   [btMax]k128
	cnt    [btMax]int32
	leaves [btMax]*bleaf
	inners [btMax]*binner
	n      int
	parent *binner // nil for the root
	idx    int     // n is parent's child idx
}

// btree is an order-statistic B+tree from k128 to uint32: insert, delete, rank (countLess)
// and min in O(log n), an in-order walk in O(log n + visited). The zero value is empty.
//
// Each value's leaf has a handle (bleaf.id) that insert returns and that moves only when a
// split, merge or refill moves the value to another leaf; then the tree calls the moved
// function given to insert or delete with the value and its new leaf. A holder that keeps
// the handle (a record, for its slot) lets prefetch start reading the leaf while the descent
// goes through the inner nodes: the inner levels of a tree of a million keys are a few
// hundred nodes that stay in the cache, the leaves are not, so a search then waits for one
// memory access, not for the descent and then the leaf's lines one after another.
type btree struct {
	height int // 0: the root is a leaf
	rootL  *bleaf
	rootI  *binner
	n      int
	// chunks are the arena of leaves: leaf id is chunks[id/leafChunkLen][id%leafChunkLen],
	// so that a handle gives the leaf's address without reading a table that may not be in
	// the cache. The arena keeps the most leaves the tree ever had (as the list keeps its
	// slab of records); freeIDs are the ids of leaves not in the tree.
	chunks  []*leafChunk
	freeIDs []uint32
	// links holds each leaf's parent and its index there, by leaf id, apart from the leaves
	// so that it can be read while the leaf is (btree.rankOf, btree.deleteAt).
	links  []leafLink
	landed uint32 // the leaf of the value inserted last
}

// leafLink is where a leaf is in the tree: child i of inner node p (p is nil for a root leaf).
type leafLink struct {
	p *binner
	i int
}

// noLeaf is a handle that names no leaf.
const noLeaf = ^uint32(0)

// moveFunc is told that value v is now in leaf: the handle a holder keeps for v.
type moveFunc func(v, leaf uint32)

// leafChunkLen is how many leaves a chunk of the arena holds (87 KB).
const leafChunkLen = 64

type leafChunk [leafChunkLen]bleaf

// newLeaf returns an empty leaf of the arena.
func (t *btree) newLeaf() *bleaf {
	var id uint32
	if n := len(t.freeIDs); n > 0 {
		id = t.freeIDs[n-1]
		t.freeIDs = t.freeIDs[:n-1]
	} else {
		id = uint32(len(t.chunks)) * leafChunkLen
		t.chunks = append(t.chunks, new(leafChunk))
		t.links = append(t.links, make([]leafLink, leafChunkLen)...)
		for j := leafChunkLen - 1; j > 0; j-- {
			t.freeIDs = append(t.freeIDs, id+uint32(j))
		}
	}
	l := t.leaf(id)
	*l = bleaf{id: id}
	l.resum(0)
	return l
}

// freeLeaf returns a leaf taken out of the tree to the arena.
func (t *btree) freeLeaf(l *bleaf) {
	l.n = 0
	clear(l.keys[:]) // not needed, but a freed leaf holds nothing
	t.freeIDs = append(t.freeIDs, l.id)
}

// leaf returns the leaf of handle id (a leaf in the tree, or a free one), or nil when the
// arena has no such leaf.
func (t *btree) leaf(id uint32) *bleaf {
	c := id / leafChunkLen
	if int64(c) >= int64(len(t.chunks)) {
		return nil
	}
	return &t.chunks[c][id%leafChunkLen]
}

// prefetch has the lines of leaf id that a look-up reads (its header and values) or, with
// all, that a removal reads (its keys too) brought into the cache, and changes nothing
// (prefetchLeaf). The reads do not wait for one another, and the descent through the inner
// nodes that follows runs while the memory answers; the leaf is then in the cache, or on
// its way, when the descent reaches it. A wrong or stale id costs only the reads. It writes
// nothing, so readers sharing a read lock may call it.
func (t *btree) prefetch(id uint32, all bool) {
	if l := t.leaf(id); l != nil {
		prefetchLeaf(l, &t.links[id], all)
	}
}

// relink records where n's children from index from on are (their parent and index).
func (t *btree) relink(n *binner, from int) {
	for j := from; j < n.n; j++ {
		if l := n.leaves[j]; l != nil {
			t.links[l.id] = leafLink{p: n, i: j}
		} else {
			n.inners[j].parent, n.inners[j].idx = n, j
		}
	}
}

func (t *btree) len() int { return t.n }

// resum recomputes n.sum.
func (n *binner) resum() {
	for g := range n.sum {
		if i := g * 8; i < n.n {
			n.sum[g] = n.keys[i].hi
		} else {
			n.sum[g] = ^uint64(0)
		}
	}
}

// route returns the child of n whose range holds k, narrowing the search with n.sum as
// bleaf.search does.
func (n *binner) route(k k128) int {
	glo, ghi := 0, 0
	for g := 1; g < btMax/8; g++ {
		if n.sum[g] < k.hi {
			glo = g
		}
		if n.sum[g] <= k.hi {
			ghi = g
		}
	}
	lo, hi := max(1, glo*8), min(ghi*8+8, n.n)
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

// search returns the number of keys of l less than k, and whether k is present. It narrows
// the search to the groups of eight keys whose first key's hi half allows k, from l.sum.
func (l *bleaf) search(k k128) (int, bool) {
	glo, ghi := 0, 0 // groups: the last whose first hi is < k.hi, the last whose first hi is <= k.hi
	for g := 1; g < btMax/8; g++ {
		if l.sum[g] < k.hi {
			glo = g
		}
		if l.sum[g] <= k.hi {
			ghi = g
		}
	}
	lo, hi := glo*8, min(ghi*8+8, l.n)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if l.keys[m].less(k) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < l.n && l.keys[lo] == k
}

// insert adds k with value v (k must not be present) and returns v's leaf. Values that it
// moves to another leaf are told to mv (when not nil).
func (t *btree) insert(k k128, v uint32, mv moveFunc) uint32 {
	if t.rootL == nil && t.rootI == nil {
		t.rootL = t.newLeaf()
		t.links[t.rootL.id] = leafLink{}
	}
	if t.height == 0 {
		if r := t.insLeaf(t.rootL, k, v, mv); r != nil {
			old := t.rootL
			t.rootL = nil
			t.rootI = &binner{n: 2}
			t.rootI.leaves[0], t.rootI.leaves[1] = old, r
			t.rootI.keys[0], t.rootI.keys[1] = old.keys[0], r.keys[0]
			t.rootI.cnt[0], t.rootI.cnt[1] = int32(old.n), int32(r.n)
			t.rootI.resum()
			t.relink(t.rootI, 0)
			t.height = 1
		}
	} else if r := t.insInner(t.rootI, t.height, k, v, mv); r != nil {
		old := t.rootI
		t.rootI = &binner{n: 2}
		t.rootI.inners[0], t.rootI.inners[1] = old, r
		t.rootI.keys[0], t.rootI.keys[1] = old.keys[0], r.keys[0]
		t.rootI.cnt[0], t.rootI.cnt[1] = old.total(), r.total()
		t.rootI.resum()
		t.relink(t.rootI, 0)
		t.height++
	}
	t.n++
	return t.landed
}

func (n *binner) total() int32 {
	var s int32
	for _, c := range n.cnt[:n.n] {
		s += c
	}
	return s
}

// splitAt chooses where a full node of btMax entries that receives one more at index i
// splits: after the new entry when it lands in the last quarter (keys arrive in order within
// a tier, so the left node stays full instead of half empty), else in the middle.
func splitAt(i int) int {
	if i >= btMax*3/4 {
		return min(i, btMax+1-btMin)
	}
	return btMax / 2
}

// insLeaf inserts into leaf l and returns its new right sibling if it split.
func (t *btree) insLeaf(l *bleaf, k k128, v uint32, mv moveFunc) *bleaf {
	i, _ := l.search(k)
	if l.n < btMax {
		copy(l.keys[i+1:l.n+1], l.keys[i:l.n])
		copy(l.vals[i+1:l.n+1], l.vals[i:l.n])
		l.keys[i], l.vals[i] = k, v
		l.n++
		l.resum(i)
		t.landed = l.id
		return nil
	}
	s := splitAt(i)
	r := t.newLeaf()
	// The btMax+1 entries are the old ones with (k, v) at i; the left keeps the first s.
	if i < s {
		r.n = copy(r.keys[:], l.keys[s-1:l.n])
		copy(r.vals[:], l.vals[s-1:l.n])
		copy(l.keys[i+1:s], l.keys[i:s-1])
		copy(l.vals[i+1:s], l.vals[i:s-1])
		l.keys[i], l.vals[i] = k, v
	} else {
		j := i - s
		m := copy(r.keys[:], l.keys[s:i])
		copy(r.vals[:], l.vals[s:i])
		r.keys[j], r.vals[j] = k, v
		copy(r.keys[j+1:], l.keys[i:l.n])
		copy(r.vals[j+1:], l.vals[i:l.n])
		r.n = m + 1 + (l.n - i)
	}
	clear(l.keys[s:])
	l.n = s
	l.resum(0)
	r.resum(0)
	t.landed = l.id
	if i >= s {
		t.landed = r.id
	}
	if mv != nil {
		for _, x := range r.vals[:r.n] {
			if x != v {
				mv(x, r.id)
			}
		}
	}
	return r
}

// insInner inserts under inner node n of height h and returns its new right sibling if it split.
func (t *btree) insInner(n *binner, h int, k k128, v uint32, mv moveFunc) *binner {
	i := n.route(k)
	n.cnt[i]++
	if k.less(n.keys[i]) {
		n.keys[i] = k // only for i == 0: k is the least key under n
		n.sum[0] = k.hi
	}
	var rk k128
	var rl *bleaf
	var ri *binner
	var rc int32
	if h == 1 {
		if rl = t.insLeaf(n.leaves[i], k, v, mv); rl == nil {
			return nil
		}
		rk, rc = rl.keys[0], int32(rl.n)
	} else {
		if ri = t.insInner(n.inners[i], h-1, k, v, mv); ri == nil {
			return nil
		}
		rk, rc = ri.keys[0], ri.total()
	}
	n.cnt[i] -= rc
	// Insert the new child at i+1.
	j := i + 1
	if n.n < btMax {
		n.insertKid(j, rk, rc, rl, ri)
		t.relink(n, j)
		return nil
	}
	s := splitAt(j)
	r := &binner{}
	// Move children s.. (counting the new one) to r.
	if j < s {
		r.takeFrom(n, s-1, n.n)
		n.n = s - 1
		n.insertKid(j, rk, rc, rl, ri)
	} else {
		r.takeFrom(n, s, n.n)
		n.n = s
		r.insertKid(j-s, rk, rc, rl, ri)
	}
	clear(n.leaves[n.n:])
	clear(n.inners[n.n:])
	n.resum()
	r.resum()
	t.relink(n, 0)
	t.relink(r, 0)
	return r
}

// insertKid inserts a child at index j of n, which has room.
func (n *binner) insertKid(j int, k k128, c int32, l *bleaf, in *binner) {
	copy(n.keys[j+1:n.n+1], n.keys[j:n.n])
	copy(n.cnt[j+1:n.n+1], n.cnt[j:n.n])
	copy(n.leaves[j+1:n.n+1], n.leaves[j:n.n])
	copy(n.inners[j+1:n.n+1], n.inners[j:n.n])
	n.keys[j], n.cnt[j], n.leaves[j], n.inners[j] = k, c, l, in
	n.n++
	n.resum()
}

// takeFrom sets r's children to src's children [from, to).
func (r *binner) takeFrom(src *binner, from, to int) {
	r.n = copy(r.keys[:], src.keys[from:to])
	copy(r.cnt[:], src.cnt[from:to])
	copy(r.leaves[:], src.leaves[from:to])
	copy(r.inners[:], src.inners[from:to])
	r.resum()
}

// delete removes k and reports whether it was present. Values that it moves to another leaf
// are told to mv (when not nil).
func (t *btree) delete(k k128, mv moveFunc) bool {
	switch {
	case t.n == 0:
		return false
	case t.height == 0:
		i, ok := t.rootL.search(k)
		if !ok {
			return false
		}
		t.rootL.remove(i)
	default:
		if !t.delInner(t.rootI, t.height, k, mv) {
			return false
		}
		t.shrink()
	}
	t.n--
	return true
}

// shrink replaces a root of one child by the child.
func (t *btree) shrink() {
	if t.height == 0 || t.rootI.n > 1 {
		return
	}
	if t.height == 1 {
		t.rootL, t.rootI = t.rootI.leaves[0], nil
		t.links[t.rootL.id] = leafLink{}
	} else {
		t.rootI = t.rootI.inners[0]
		t.rootI.parent, t.rootI.idx = nil, 0
	}
	t.height--
}

// leafIndex returns where value v is in leaf id, or nil and -1.
func (t *btree) leafIndex(id, v uint32) (*bleaf, int) {
	l := t.leaf(id)
	if l == nil {
		return nil, -1
	}
	for j, x := range l.vals[:l.n] {
		if x == v {
			return l, j
		}
	}
	return nil, -1
}

// rankOf returns the number of keys less than the key of value v, whose leaf is id, from
// the leaf up (links) rather than by a descent: the leaf (v's place among its values), its
// link and its parent's counts are all the memory read that is not in the cache, and
// prefetch(id, false) has had the first two read. It returns -1 if v is not in leaf id (a
// stale handle).
func (t *btree) rankOf(id, v uint32) int {
	_, j := t.leafIndex(id, v)
	if j < 0 {
		return -1
	}
	c := j
	lk := t.links[id]
	for p, i := lk.p, lk.i; p != nil; p, i = p.parent, p.idx {
		for _, x := range p.cnt[:i] {
			c += int(x)
		}
	}
	return c
}

// deleteAt removes key k, of value v, whose leaf is id, from the leaf up: the same changes
// as delete makes on its way back from the leaf, without the descent. With a stale handle
// it is delete.
func (t *btree) deleteAt(id, v uint32, k k128, mv moveFunc) bool {
	l, j := t.leafIndex(id, v)
	if j < 0 || l.keys[j] != k {
		return t.delete(k, mv)
	}
	l.remove(j)
	t.n--
	lk := t.links[id]
	p, i := lk.p, lk.i
	if p == nil {
		return true // the root is a leaf
	}
	if j == 0 && l.n > 0 {
		p.keys[i] = l.keys[0]
		if i%8 == 0 {
			p.sum[i/8] = p.keys[i].hi
		}
	}
	p.cnt[i]--
	if l.n < btMin {
		t.fixLeaf(p, i, mv)
	}
	for c := p; c.parent != nil; c = c.parent {
		q, i := c.parent, c.idx
		q.keys[i] = c.keys[0]
		if i%8 == 0 {
			q.sum[i/8] = q.keys[i].hi
		}
		q.cnt[i]--
		if c.n < btMin {
			t.fixInner(q, i)
		}
	}
	t.shrink()
	return true
}

func (l *bleaf) remove(i int) {
	copy(l.keys[i:l.n-1], l.keys[i+1:l.n])
	copy(l.vals[i:l.n-1], l.vals[i+1:l.n])
	l.n--
	l.keys[l.n] = k128{}
	l.resum(i)
}

func (t *btree) delInner(n *binner, h int, k k128, mv moveFunc) bool {
	i := n.route(k)
	if h == 1 {
		l := n.leaves[i]
		j, ok := l.search(k)
		if !ok {
			return false
		}
		l.remove(j)
		if j == 0 && l.n > 0 {
			n.keys[i] = l.keys[0]
			if i%8 == 0 {
				n.sum[i/8] = n.keys[i].hi
			}
		}
		n.cnt[i]--
		if l.n < btMin {
			t.fixLeaf(n, i, mv)
		}
		return true
	}
	c := n.inners[i]
	if !t.delInner(c, h-1, k, mv) {
		return false
	}
	n.keys[i] = c.keys[0]
	if i%8 == 0 {
		n.sum[i/8] = n.keys[i].hi
	}
	n.cnt[i]--
	if c.n < btMin {
		t.fixInner(n, i)
	}
	return true
}

// fixLeaf refills or merges leaf child i of n, which has too few keys.
func (t *btree) fixLeaf(n *binner, i int, mv moveFunc) {
	a := i
	if i+1 >= n.n {
		a = i - 1
	}
	if a < 0 {
		return // the only child: the root will shrink
	}
	l, r := n.leaves[a], n.leaves[a+1]
	if l.n+r.n <= btMax {
		copy(l.keys[l.n:], r.keys[:r.n])
		copy(l.vals[l.n:], r.vals[:r.n])
		if mv != nil {
			for _, x := range r.vals[:r.n] {
				mv(x, l.id)
			}
		}
		l.n += r.n
		l.resum(0)
		n.cnt[a] += n.cnt[a+1]
		n.dropKid(a + 1)
		t.relink(n, a+1)
		t.freeLeaf(r)
		return
	}
	// Share evenly.
	total := l.n + r.n
	h := total / 2
	if l.n < h {
		m := h - l.n
		copy(l.keys[l.n:], r.keys[:m])
		copy(l.vals[l.n:], r.vals[:m])
		if mv != nil {
			for _, x := range r.vals[:m] {
				mv(x, l.id)
			}
		}
		copy(r.keys[:], r.keys[m:r.n])
		copy(r.vals[:], r.vals[m:r.n])
		l.n, r.n = h, r.n-m
	} else {
		m := l.n - h
		copy(r.keys[m:], r.keys[:r.n])
		copy(r.vals[m:], r.vals[:r.n])
		copy(r.keys[:m], l.keys[h:l.n])
		copy(r.vals[:m], l.vals[h:l.n])
		if mv != nil {
			for _, x := range r.vals[:m] {
				mv(x, r.id)
			}
		}
		l.n, r.n = h, r.n+m
	}
	clear(l.keys[l.n:])
	clear(r.keys[r.n:])
	l.resum(0)
	r.resum(0)
	n.cnt[a], n.cnt[a+1] = int32(l.n), int32(r.n)
	n.keys[a], n.keys[a+1] = l.keys[0], r.keys[0]
	n.resum()
}

// fixInner refills or merges inner child i of n, which has too few children.
func (t *btree) fixInner(n *binner, i int) {
	a := i
	if i+1 >= n.n {
		a = i - 1
	}
	if a < 0 {
		return
	}
	l, r := n.inners[a], n.inners[a+1]
	if l.n+r.n <= btMax {
		copy(l.keys[l.n:], r.keys[:r.n])
		copy(l.cnt[l.n:], r.cnt[:r.n])
		copy(l.leaves[l.n:], r.leaves[:r.n])
		copy(l.inners[l.n:], r.inners[:r.n])
		l.keys[l.n] = r.keys[0]
		from := l.n
		l.n += r.n
		l.resum()
		n.cnt[a] += n.cnt[a+1]
		n.dropKid(a + 1)
		t.relink(l, from)
		t.relink(n, a+1)
		return
	}
	total := l.n + r.n
	h := total / 2
	if l.n < h {
		m := h - l.n
		copy(l.keys[l.n:], r.keys[:m])
		copy(l.cnt[l.n:], r.cnt[:m])
		copy(l.leaves[l.n:], r.leaves[:m])
		copy(l.inners[l.n:], r.inners[:m])
		r.shiftLeft(m)
		l.n = h
	} else {
		m := l.n - h
		r.shiftRight(m)
		copy(r.keys[:m], l.keys[h:l.n])
		copy(r.cnt[:m], l.cnt[h:l.n])
		copy(r.leaves[:m], l.leaves[h:l.n])
		copy(r.inners[:m], l.inners[h:l.n])
		clear(l.leaves[h:l.n])
		clear(l.inners[h:l.n])
		l.n = h
	}
	n.cnt[a], n.cnt[a+1] = l.total(), r.total()
	n.keys[a], n.keys[a+1] = l.keys[0], r.keys[0]
	l.resum()
	r.resum()
	n.resum()
	t.relink(l, 0)
	t.relink(r, 0)
}

func (n *binner) shiftLeft(m int) {
	copy(n.keys[:], n.keys[m:n.n])
	copy(n.cnt[:], n.cnt[m:n.n])
	copy(n.leaves[:], n.leaves[m:n.n])
	copy(n.inners[:], n.inners[m:n.n])
	clear(n.leaves[n.n-m : n.n])
	clear(n.inners[n.n-m : n.n])
	n.n -= m
	n.resum()
}

func (n *binner) shiftRight(m int) {
	copy(n.keys[m:], n.keys[:n.n])
	copy(n.cnt[m:], n.cnt[:n.n])
	copy(n.leaves[m:], n.leaves[:n.n])
	copy(n.inners[m:], n.inners[:n.n])
	n.n += m
	n.resum()
}

// dropKid removes child j of n.
func (n *binner) dropKid(j int) {
	copy(n.keys[j:], n.keys[j+1:n.n])
	copy(n.cnt[j:], n.cnt[j+1:n.n])
	copy(n.leaves[j:], n.leaves[j+1:n.n])
	copy(n.inners[j:], n.inners[j+1:n.n])
	n.n--
	n.leaves[n.n], n.inners[n.n] = nil, nil
	n.resum()
}

// countLess returns the number of keys less than k.
func (t *btree) countLess(k k128) int {
	if t.n == 0 {
		return 0
	}
	c := 0
	n, h := t.rootI, t.height
	l := t.rootL
	for h > 0 {
		i := n.route(k)
		for _, x := range n.cnt[:i] {
			c += int(x)
		}
		if h == 1 {
			l = n.leaves[i]
		} else {
			n = n.inners[i]
		}
		h--
	}
	i, _ := l.search(k)
	return c + i
}

// min returns the least key and its value.
func (t *btree) min() (k128, uint32, bool) {
	if t.n == 0 {
		return k128{}, 0, false
	}
	l := t.rootL
	n := t.rootI
	for h := t.height; h > 0; h-- {
		if h == 1 {
			l = n.leaves[0]
		} else {
			n = n.inners[0]
		}
	}
	return l.keys[0], l.vals[0], true
}

// ascend calls f with each key and value in order while f returns true. It does not modify
// t, so readers holding a read lock may call it concurrently.
func (t *btree) ascend(f func(k128, uint32) bool) {
	if t.n == 0 {
		return
	}
	if t.height == 0 {
		ascendLeaf(t.rootL, f)
		return
	}
	ascendInner(t.rootI, t.height, f)
}

func ascendLeaf(l *bleaf, f func(k128, uint32) bool) bool {
	for i := 0; i < l.n; i++ {
		if !f(l.keys[i], l.vals[i]) {
			return false
		}
	}
	return true
}

func ascendInner(n *binner, h int, f func(k128, uint32) bool) bool {
	for i := 0; i < n.n; i++ {
		var ok bool
		if h == 1 {
			ok = ascendLeaf(n.leaves[i], f)
		} else {
			ok = ascendInner(n.inners[i], h-1, f)
		}
		if !ok {
			return false
		}
	}
	return true
}
