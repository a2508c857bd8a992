//go:build !purego

package priority

import "unsafe"

// prefetchRange asks the processor to bring lines cache lines of l, from byte off, into the
// cache (prefetch_amd64.s), without waiting for them.
//
//go:noescape
func prefetchRange(l *bleaf, off, lines int)

// prefetchLeaf has the lines of l that a look-up reads (its header and values) or, with all,
// every line of it, brought into the cache without waiting for them: the instructions that
// follow (the descent through the inner nodes) run while the memory answers.
func prefetchLeaf(l *bleaf, all bool) {
	if all {
		prefetchRange(l, 0, leafLines)
		return
	}
	prefetchRange(l, leafValsOff, leafValsLines)
}

// A leaf's lines (it starts on a line: see bleaf), and those of its values and count.
const (
	cacheLine     = 64
	leafLines     = (int(unsafe.Sizeof(bleaf{})) + cacheLine - 1) / cacheLine
	leafValsOff   = int(unsafe.Offsetof(bleaf{}.vals))
	leafValsLines = (int(unsafe.Offsetof(bleaf{}.id)) + 4 - leafValsOff + cacheLine - 1) / cacheLine
)
