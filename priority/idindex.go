package priority

import "hash/maphash"

// idIndex finds a record's slot from a patient identifier. It is an open-addressing table
// (linear probing, deletion by backward shift, so no tombstones accumulate however many
// people come and go) of 8-byte entries: the upper 32 bits of a seeded 64-bit hash of the
// identifier (the tag) and the slot of the record. An entry's home is the top bits of its
// tag, so a look-up reads one cache line of the table and then the record, which confirms
// the identifier (short ones are kept in the record itself); entries with another home
// never share a tag with the identifier sought, and those with the same home share it once
// in 2^(32-bits) look-ups (then the record tells them apart). The table doubles without
// reading any record, since the tag gives each entry's home at any size.
type idIndex struct {
	seed  maphash.Seed
	tab   []idEntry // len is a power of two, at least idMinTable
	shift uint      // 32 - log2(len(tab)): an entry's home is tag >> shift
	n     int       // entries in use
	// hash, when not nil, replaces the seeded hash (tests force collisions with it).
	hash func(string) uint64
}

// idEntry is one entry of the table; slot 0 (never a record's) marks an empty one.
type idEntry struct {
	tag, slot uint32
}

const idMinTable = 16

func newIDIndex() idIndex {
	return idIndex{seed: maphash.MakeSeed(), tab: make([]idEntry, idMinTable), shift: 32 - 4}
}

// idPrefixLen is how many bytes of an identifier a record keeps inline.
const idPrefixLen = 16

// idPrefix returns the identifier's first idPrefixLen bytes, zero-padded.
func idPrefix(id string) (p [idPrefixLen]byte) {
	copy(p[:], id)
	return p
}

func (x *idIndex) tagOf(id string) uint32 {
	if x.hash != nil {
		return uint32(x.hash(id) >> 32)
	}
	return uint32(maphash.String(x.seed, id) >> 32)
}

// find returns the table index of id's entry, or -1 and the index of the empty entry that
// ends its probe.
func (x *idIndex) find(w *Waitlist, id string, tag uint32) (int, int) {
	mask := len(x.tab) - 1
	for i := int(tag >> x.shift); ; i = (i + 1) & mask {
		e := x.tab[i]
		if e.slot == 0 {
			return -1, i
		}
		if e.tag == tag && w.idIs(&w.recs[e.slot], id) {
			return i, i
		}
	}
}

func (x *idIndex) get(w *Waitlist, id string) (uint32, bool) {
	if i, _ := x.find(w, id, x.tagOf(id)); i >= 0 {
		return x.tab[i].slot, true
	}
	return 0, false
}

// set makes id find slot (the record at slot holds id).
func (x *idIndex) set(w *Waitlist, id string, slot uint32) {
	tag := x.tagOf(id)
	i, empty := x.find(w, id, tag)
	if i >= 0 {
		x.tab[i].slot = slot
		return
	}
	if (x.n+1)*8 > len(x.tab)*5 { // keep the load at most 5/8
		x.grow()
		_, empty = x.find(w, id, tag)
	}
	x.tab[empty] = idEntry{tag: tag, slot: slot}
	x.n++
}

// grow doubles the table.
func (x *idIndex) grow() {
	old := x.tab
	x.tab = make([]idEntry, 2*len(old))
	x.shift--
	mask := len(x.tab) - 1
	for _, e := range old {
		if e.slot == 0 {
			continue
		}
		i := int(e.tag >> x.shift)
		for x.tab[i].slot != 0 {
			i = (i + 1) & mask
		}
		x.tab[i] = e
	}
}

// del makes id find nothing; slot is where it was found.
func (x *idIndex) del(id string, slot uint32) {
	tag := x.tagOf(id)
	mask := len(x.tab) - 1
	i := int(tag >> x.shift)
	for ; x.tab[i].slot != slot || x.tab[i].tag != tag; i = (i + 1) & mask {
		if x.tab[i].slot == 0 {
			return
		}
	}
	// Backward shift: move up every later entry of the run that may sit at i.
	for j := (i + 1) & mask; x.tab[j].slot != 0; j = (j + 1) & mask {
		home := int(x.tab[j].tag >> x.shift)
		// The entry at j stays when its home lies cyclically in (i, j].
		if i <= j && i < home && home <= j || i > j && (i < home || home <= j) {
			continue
		}
		x.tab[i] = x.tab[j]
		i = j
	}
	x.tab[i] = idEntry{}
	x.n--
}
