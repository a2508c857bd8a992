//go:build !purego

package priority

import "unsafe"

// prefetchRange asks the processor to bring lines cache lines of l, from byte off, into the
// cache (prefetch_amd64.s), without waiting for them.
//
//go:noescape
func prefetchRange(l *bleaf, off, lines int)

// hasPrefetch says prefetchLeaf issues prefetch instructions (rather than loads).
const hasPrefetch = true

// prefetchLeaf has the lines of l that a look-up reads (its header and values) or, with all,
// every line of it, brought into the cache without waiting for them: the instructions that
// follow (the descent through the inner nodes) run while the memory answers.
// (A leaf is not aligned to a cache line: each range asks for one line more than its
// length.) It returns 0.
func prefetchLeaf(l *bleaf, all bool) uint64 {
	const line = 64
	if all {
		prefetchRange(l, 0, int(unsafe.Sizeof(*l))/line+1)
		return 0
	}
	prefetchRange(l, 0, int(unsafe.Offsetof(l.keys))/line+1)
	prefetchRange(l, int(unsafe.Offsetof(l.vals)), int(unsafe.Sizeof(l.vals))/line+1)
	return 0
}
