//go:build !purego

package priority

import "unsafe"

// prefetchRange asks the processor to bring lines cache lines from p into the cache
// (prefetch_amd64.s), without waiting for them.
//
//go:noescape
func prefetchRange(p unsafe.Pointer, lines int)

// prefetchLeaf has the lines of l that a look-up of a value's place reads (its values and
// count) or, with all, every line of it, and the line of its link, brought into the cache
// without waiting for them: the instructions that follow (the record's) run while the
// memory answers.
func prefetchLeaf(l *bleaf, link *leafLink, all bool) {
	prefetchRange(unsafe.Pointer(link), 1)
	if all {
		prefetchRange(unsafe.Pointer(l), leafLines)
		return
	}
	prefetchRange(unsafe.Pointer(&l.vals), leafValsLines)
}

// prefetchEntries has the line of the identifier index that holds e, and the next, brought
// into the cache without waiting for them.
func prefetchEntries(e *idEntry) { prefetchRange(unsafe.Pointer(e), 2) }

// A leaf's lines (it starts on a line: see bleaf), and those of its values and count.
const (
	cacheLine     = 64
	leafLines     = (int(unsafe.Sizeof(bleaf{})) + cacheLine - 1) / cacheLine
	leafValsOff   = int(unsafe.Offsetof(bleaf{}.vals))
	leafValsLines = (int(unsafe.Offsetof(bleaf{}.id)) + 4 - leafValsOff + cacheLine - 1) / cacheLine
)
