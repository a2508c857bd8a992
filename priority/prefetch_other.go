//go:build !amd64 || purego

package priority

// prefetchLeaf reads one word of each cache line of l that a look-up of a value's place
// reads (its values and count) or, with all, of every line, and its link. The reads do not
// depend on one another, so their misses overlap one another and, as far as the processor's
// reorder window allows, the work that follows. (On amd64 prefetch instructions do this
// without the window's limit.)
func prefetchLeaf(l *bleaf, link *leafLink, all bool) {
	s := uint64(l.n) + uint64(l.vals[0]) + uint64(l.vals[16]) + uint64(l.vals[32]) + uint64(l.vals[48]) + uint64(link.i)
	if all {
		s += l.sum[0]
		for i := 0; i < btMax; i += 4 {
			s += l.keys[i].hi
		}
	}
	keep(s)
}

// prefetchEntries reads the entry e (a probe of the identifier index starts there) and the
// next, so that the wait for it overlaps the work that follows.
func prefetchEntries(e *idEntry) { keep(uint64(e.slot)) }

// keep uses its argument where the compiler cannot see, so that the reads that made it are
// not dropped as unused; it writes nothing (readers sharing a read lock call prefetchLeaf).
//
//go:noinline
func keep(uint64) {}
