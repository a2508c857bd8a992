package priority

import (
	"cmp"
	"math"
	"slices"
)

// wheel is an index of records by a moment (a deadline, or when a classification changes),
// kept in buckets of one hour. Adding a record appends it to its bucket; walking the records
// whose moment is before t visits those buckets in order, so its cost is what it returns
// plus one bucket. The moments within a bucket are not ordered; callers sort what they
// return.
//
// A record knows its place (a wheelPos: its bucket's index in a slab, and its position in
// the bucket), and the wheel asks the record, through an alive function, whether a place is
// still its own: removing a record writes nothing in its bucket, only the bucket's counts
// in a small array (fill), so a removal reads no memory that its record and those counts
// do not. A place no record claims is dead: walks skip it, and a bucket is packed (its live
// places moved down, the records told) when it holds more dead places than live ones, and
// dropped when none is live. Places are appended and never reused within a bucket, and a
// bucket is reused only once all its places are dead and dropped, so no record can claim a
// dead place.
type wheel struct {
	bks    []wbucket       // by index; those of free are not in use
	fill   []wfill         // by index, beside bks, so that a removal reads only this
	free   []int32         // indexes of bks not in use
	byHour map[int32]int32 // the index of each hour's bucket
	order  []int32         // the indexes of the buckets in use, by hour ascending
}

type wbucket struct {
	items []witem
	min   int64 // no live item's moment is less (it may be less than all of them)
	hour  int32 // the hour it holds (bucketOf)
}

// wfill counts a bucket's places: live ones and all (len(items)).
type wfill struct {
	live, n int32
}

type witem struct {
	ns   int64  // the moment, Unix nanoseconds
	slot uint32 // the record's slot
}

// aliveFunc reports whether the record at slot is at place p of the wheel.
type aliveFunc func(slot uint32, p wheelPos) bool

// wheelPos is where a record is in a wheel.
type wheelPos struct {
	bucket int32 // index of the bucket in wheel.bks; notInWheel when the record is not in the wheel
	pos    uint32
}

const notInWheel = math.MinInt32

var noPos = wheelPos{bucket: notInWheel}

func (p wheelPos) in() bool { return p.bucket != notInWheel }

// bucketOf returns the bucket of a moment given in Unix nanoseconds: the hour it falls in.
// Moments are within jsonin.TimeInRange (and a little beyond), so the hour fits an int32.
func bucketOf(ns int64) int32 {
	const hour = 3600e9
	b := ns / hour
	if ns < 0 && ns%hour != 0 {
		b--
	}
	return int32(b)
}

// bucketStart returns the first nanosecond of bucket b.
func bucketStart(b int32) int64 { return int64(b) * 3600e9 }

// add puts the record at slot in the wheel at moment ns and sets *p to its place.
func (w *wheel) add(slot uint32, ns int64, p *wheelPos) {
	if w.byHour == nil {
		w.byHour = make(map[int32]int32)
	}
	h := bucketOf(ns)
	b, ok := w.byHour[h]
	if !ok {
		if n := len(w.free); n > 0 {
			b = w.free[n-1]
			w.free = w.free[:n-1]
		} else {
			b = int32(len(w.bks))
			w.bks = append(w.bks, wbucket{})
			w.fill = append(w.fill, wfill{})
		}
		w.bks[b] = wbucket{min: ns, hour: h}
		w.fill[b] = wfill{}
		w.byHour[h] = b
		if n := len(w.order); n == 0 || w.bks[w.order[n-1]].hour < h {
			w.order = append(w.order, b)
		} else {
			w.order = slices.Insert(w.order, w.orderIndex(h), b)
		}
	}
	bk := &w.bks[b]
	bk.min = min(bk.min, ns)
	*p = wheelPos{bucket: b, pos: uint32(len(bk.items))}
	bk.items = append(bk.items, witem{ns: ns, slot: slot})
	w.fill[b].live++
	w.fill[b].n++
}

// orderIndex returns where hour h is, or would be, in w.order.
func (w *wheel) orderIndex(h int32) int {
	i, _ := slices.BinarySearchFunc(w.order, h, func(b, h int32) int { return cmp.Compare(w.bks[b].hour, h) })
	return i
}

// remove takes the record whose place is *p out and sets *p to noPos: its place is dead from
// then on. When its bucket is packed, moved is called with the slot of every record whose
// place changed, and its new place; alive tells the live places.
func (w *wheel) remove(p *wheelPos, alive aliveFunc, moved func(slot uint32, p wheelPos)) {
	if !p.in() {
		return
	}
	b := p.bucket
	*p = noPos
	f := &w.fill[b]
	f.live--
	switch {
	case f.live == 0:
		bk := &w.bks[b]
		delete(w.byHour, bk.hour)
		if i := w.orderIndex(bk.hour); i < len(w.order) && w.order[i] == b {
			w.order = slices.Delete(w.order, i, i+1)
		}
		*bk = wbucket{}
		*f = wfill{}
		w.free = append(w.free, b)
	case f.n >= 32 && f.live*2 < f.n:
		w.pack(b, alive, moved)
	}
}

// pack moves bucket b's live places down over its dead ones.
func (w *wheel) pack(b int32, alive aliveFunc, moved func(slot uint32, p wheelPos)) {
	bk := &w.bks[b]
	items := make([]witem, 0, w.fill[b].live+w.fill[b].live/4)
	for i, it := range bk.items {
		if alive(it.slot, wheelPos{bucket: b, pos: uint32(i)}) {
			items = append(items, it)
		}
	}
	// The records are told their new places once every place was judged by the old ones.
	for j, it := range items {
		moved(it.slot, wheelPos{bucket: b, pos: uint32(j)})
	}
	bk.items = items
	w.fill[b] = wfill{live: int32(len(items)), n: int32(len(items))}
}

// before calls f with every live item whose moment is before ns, bucket by bucket in order
// (not in order within a bucket), while f returns true. It skips a bucket whose least moment
// is not before ns. f must not change the wheel. With tighten (callers holding the write
// lock), it records the exact least moment of each bucket it reads whole.
func (w *wheel) before(ns int64, tighten bool, alive aliveFunc, f func(witem) bool) {
	for _, b := range w.order {
		bk := &w.bks[b]
		if bucketStart(bk.hour) >= ns {
			return
		}
		if bk.min >= ns {
			continue
		}
		least := int64(math.MaxInt64)
		for i, it := range bk.items {
			if it.ns >= ns && !tighten {
				continue // not asked for: its record need not be read
			}
			if !alive(it.slot, wheelPos{bucket: b, pos: uint32(i)}) {
				continue
			}
			least = min(least, it.ns)
			if it.ns < ns && !f(it) {
				return
			}
		}
		if tighten {
			bk.min = least
		}
	}
}
