package priority

import "hash/maphash"

// idIndex finds a record's slot from a patient identifier. It is keyed by a 64-bit hash of the
// identifier (seeded at random per list), so a look-up reads the map's own memory, not the
// identifier's bytes elsewhere in the heap; the record then confirms the identifier (short
// ones are kept in the record itself). Two identifiers with one hash (rare) put the second
// in an overflow map keyed by the identifier.
type idIndex struct {
	seed maphash.Seed
	m    map[uint64]uint32
	over map[string]uint32
}

func newIDIndex() idIndex {
	return idIndex{seed: maphash.MakeSeed(), m: make(map[uint64]uint32)}
}

// idPrefixLen is how many bytes of an identifier a record keeps inline.
const idPrefixLen = 16

// idPrefix returns the identifier's first idPrefixLen bytes, zero-padded.
func idPrefix(id string) (p [idPrefixLen]byte) {
	copy(p[:], id)
	return p
}

func (x *idIndex) get(w *Waitlist, id string) (uint32, bool) {
	if s, ok := x.m[maphash.String(x.seed, id)]; ok && w.idIs(&w.recs[s], id) {
		return s, true
	}
	if x.over != nil {
		s, ok := x.over[id]
		return s, ok
	}
	return 0, false
}

// set makes id find slot.
func (x *idIndex) set(w *Waitlist, id string, slot uint32) {
	h := maphash.String(x.seed, id)
	if s, ok := x.m[h]; ok && !w.idIs(&w.recs[s], id) {
		if x.over == nil {
			x.over = make(map[string]uint32)
		}
		x.over[id] = slot
		return
	}
	x.m[h] = slot
}

// del makes id find nothing; slot is where it was found.
func (x *idIndex) del(id string, slot uint32) {
	h := maphash.String(x.seed, id)
	if s, ok := x.m[h]; ok && s == slot {
		delete(x.m, h)
		for other, s := range x.over { // promote an identifier of the same hash, if any
			if maphash.String(x.seed, other) == h {
				x.m[h] = s
				delete(x.over, other)
				break
			}
		}
		return
	}
	delete(x.over, id)
}
