package priority

import (
	"math"
	"slices"
)

// wheel is an index of records by a moment (a deadline, or when a classification changes),
// kept in buckets of one hour: adding a record appends it to its bucket, removing one marks
// its place dead (a bucket is packed when it holds more dead places than live ones), and
// walking the records whose moment is before t visits those buckets in order, so its cost is
// what it returns plus one bucket. The moments within a bucket are not ordered; callers sort
// what they return.
type wheel struct {
	buckets map[int32]*wbucket
	order   []int32 // the bucket numbers in use, ascending
}

type wbucket struct {
	items []witem
	live  int
	min   int64 // no live item's moment is less (it may be less than all of them)
}

type witem struct {
	ns   int64  // the moment, Unix nanoseconds
	slot uint32 // deadSlot for a place freed by a removal
}

const deadSlot = math.MaxUint32

// wheelPos is where a record is in a wheel.
type wheelPos struct {
	bucket int32 // notInWheel when the record is not in the wheel
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

func (w *wheel) add(slot uint32, ns int64, p *wheelPos) {
	if w.buckets == nil {
		w.buckets = make(map[int32]*wbucket)
	}
	b := bucketOf(ns)
	bk := w.buckets[b]
	if bk == nil {
		bk = &wbucket{min: ns}
		w.buckets[b] = bk
		if n := len(w.order); n == 0 || w.order[n-1] < b {
			w.order = append(w.order, b)
		} else {
			i, _ := slices.BinarySearch(w.order, b)
			w.order = slices.Insert(w.order, i, b)
		}
	}
	bk.min = min(bk.min, ns)
	*p = wheelPos{bucket: b, pos: uint32(len(bk.items))}
	bk.items = append(bk.items, witem{ns: ns, slot: slot})
	bk.live++
}

// remove takes the record at p out. When its bucket is packed, moved is called with the
// slot of every record whose place changed, and its new position.
func (w *wheel) remove(p *wheelPos, moved func(slot uint32, p wheelPos)) {
	if !p.in() {
		return
	}
	bk := w.buckets[p.bucket]
	bk.items[p.pos].slot = deadSlot
	bk.live--
	b := p.bucket
	*p = noPos
	switch {
	case bk.live == 0:
		delete(w.buckets, b)
		if i, ok := slices.BinarySearch(w.order, b); ok {
			w.order = slices.Delete(w.order, i, i+1)
		}
	case len(bk.items) >= 32 && bk.live*2 < len(bk.items):
		items := make([]witem, 0, bk.live+bk.live/4)
		for _, it := range bk.items {
			if it.slot != deadSlot {
				moved(it.slot, wheelPos{bucket: b, pos: uint32(len(items))})
				items = append(items, it)
			}
		}
		bk.items = items
	}
}

// before calls f with every live item whose moment is before ns, bucket by bucket in order
// (not in order within a bucket), while f returns true. It skips a bucket whose least moment
// is not before ns. f must not change the wheel. With tighten (callers holding the write
// lock), it records the exact least moment of each bucket it reads whole.
func (w *wheel) before(ns int64, tighten bool, f func(witem) bool) {
	for _, b := range w.order {
		if bucketStart(b) >= ns {
			return
		}
		bk := w.buckets[b]
		if bk.min >= ns {
			continue
		}
		least := int64(math.MaxInt64)
		for _, it := range bk.items {
			if it.slot == deadSlot {
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
