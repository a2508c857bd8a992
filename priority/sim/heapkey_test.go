package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGridFromSkipsOnlyPointsBelow: the admission's search for the first grid point at or
// above a wait starts at gridFrom[binOf(w)]; it must skip only points below w, so that it
// finds what a search from the first point finds. Waits at, just below and just above every
// grid point and bin edge, and random waits, are checked.
func TestGridFromSkipsOnlyPointsBelow(t *testing.T) {
	first := func(w float64) int {
		i := 0
		for i < nGrid && cdfDays[i] < w {
			i++
		}
		return i
	}
	var ws []float64
	for _, d := range cdfDays {
		ws = append(ws, d, math.Nextafter(d, 0), math.Nextafter(d, math.Inf(1)))
	}
	for b := range nBins {
		lo, _ := binRange(b)
		ws = append(ws, lo, math.Nextafter(lo, 0), math.Nextafter(lo, math.Inf(1)))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		ws = append(ws, rng.ExpFloat64()*50, rng.Float64()*4000)
	}
	for _, w := range ws {
		if w < 0 {
			continue
		}
		b := binOf(w)
		i := int(gridFrom[b])
		if i > first(w) {
			t.Fatalf("wait %v (bin %d): gridFrom %d skips grid point %d (%v days), which is at or above the wait", w, b, i, first(w), cdfDays[first(w)])
		}
	}
}

// TestLessBitIsTheTimeThenKeyOrder: the heap's branchless order (time bits and key as one
// 128-bit number) is the order t < t' || t == t' && key < key' for every event time the
// engine makes (not negative, +0 for zero, +Inf for none), including equal times, adjacent
// floats, zero and infinity.
func TestLessBitIsTheTimeThenKeyOrder(t *testing.T) {
	ts := []float64{0, math.SmallestNonzeroFloat64, 1e-300, 0.5, 1, math.Nextafter(1, 2), 2, 14, 365.25, 3650, 1e300, math.MaxFloat64, math.Inf(1)}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		ts = append(ts, rng.ExpFloat64()*100)
	}
	keys := []uint64{0, 1, 2, 8, 9, 1 << 40, math.MaxUint64 - 1, math.MaxUint64}
	for _, ta := range ts {
		for _, tb := range []float64{ta, math.Nextafter(ta, math.Inf(1)), ts[rng.IntN(len(ts))]} {
			for _, ka := range keys {
				for _, kb := range keys {
					a, b := event{t: ta, key: ka}, event{t: tb, key: kb}
					want := a.t < b.t || a.t == b.t && a.key < b.key
					if got := lessBit(&a, &b) != 0; got != want {
						t.Fatalf("(%v, %d) before (%v, %d): %v, want %v", ta, ka, tb, kb, got, want)
					}
				}
			}
		}
	}
	// -0 would order after every positive time by its bits: schedule makes it +0 (an event
	// at day -0, as a scenario may write it, is an event at day 0).
	m, err := Compile(federal100())
	if err != nil {
		t.Fatal(err)
	}
	r := newRunner(m)
	r.reset(0)
	r.schedule(math.Copysign(0, -1), evBeds, 0)
	r.schedule(1, evPolicy, 0)
	if math.Signbit(r.h[0].t) || r.h[0].t != 0 || r.h[0].kind() != evBeds {
		t.Fatalf("an event scheduled at -0: heap top at %v (sign bit %v), kind %d; want +0, the bed change", r.h[0].t, math.Signbit(r.h[0].t), r.h[0].kind())
	}
}

// TestMinChildIsTheEarliest: the branchless tournament of minChild returns the earliest of
// up to four children, as a scan does, on heaps of every short length and random keys with
// many equal times.
func TestMinChildIsTheEarliest(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		n := 1 + rng.IntN(9)
		h := make([]event, n)
		for i := range h {
			h[i] = event{t: float64(rng.IntN(3)), key: uint64(i)*7919%97 + uint64(i)<<20}
		}
		c := rng.IntN(n)
		want := c
		for j := c + 1; j < min(c+4, n); j++ {
			if h[j].t < h[want].t || h[j].t == h[want].t && h[j].key < h[want].key {
				want = j
			}
		}
		if got := minChild(h[:min(c+4, n)], c); got != want {
			t.Fatalf("children %v from %d: got %d, want %d", h, c, got, want)
		}
	}
}
