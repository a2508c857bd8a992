package priority

import "hash/maphash"

// idIndex finds a record's slot from a patient identifier. It is an open-addressing table
// (linear probing, deletion by backward shift, so no tombstones accumulate however many
// people come and go) of 12-byte entries: the upper 32 bits of a seeded 64-bit hash of the
// identifier (the tag), the slot of the record, and the handle of the order index's leaf
// that holds her while she waits. An entry's home is the top bits of its tag, so a look-up
// reads one cache line of the table; then the record, which confirms the identifier (short
// ones are kept in the record itself), and the leaf are read at the same time, neither
// waiting for the other. Entries with another home never share a tag with the identifier
// sought, and those with the same home share it once in 2^(32-bits) look-ups (then the
// record tells them apart). The table doubles without reading any record, since the tag
// gives each entry's home at any size. Each record named by the table knows where its entry
// is (rec.tpos), so that the tree can update the leaf handle when it moves her.
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
	leaf      uint32 // the leaf that holds the record while she waits (a hint: see btree.prefetch)
}

// What a look-up has prefetched of the person's leaf (btree.prefetch).
const (
	pfNone   = iota
	pfLookup // the lines a look-up of her place reads
	pfAll    // every line, for a removal
)

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
// ends its probe. When an entry's tag matches, pf says what of its leaf to prefetch while
// the record is read to confirm the identifier.
func (x *idIndex) find(w *Waitlist, id string, tag uint32, pf int) (int, int) {
	mask := len(x.tab) - 1
	for i := int(tag >> x.shift); ; i = (i + 1) & mask {
		e := x.tab[i]
		if e.slot == 0 {
			return -1, i
		}
		if e.tag == tag {
			if pf != pfNone {
				w.order.prefetch(e.leaf, pf == pfAll)
			}
			if w.idIs(&w.recs[e.slot], id) {
				return i, i
			}
		}
	}
}

func (x *idIndex) get(w *Waitlist, id string) (uint32, bool) { return x.lookup(w, id, pfNone) }

// lookup is get, prefetching (pf) the person's leaf at the same time as her record.
func (x *idIndex) lookup(w *Waitlist, id string, pf int) (uint32, bool) {
	return x.lookupTag(w, id, x.tagOf(id), pf)
}

// lookupTag is lookup of id, whose tag is tag.
func (x *idIndex) lookupTag(w *Waitlist, id string, tag uint32, pf int) (uint32, bool) {
	if i, _ := x.find(w, id, tag, pf); i >= 0 {
		return x.tab[i].slot, true
	}
	return 0, false
}

// prefetch has the line of the table where id's probe starts (and the next, where it may
// go on) brought into the cache while the caller does other work, and returns id's tag.
func (x *idIndex) prefetch(id string) uint32 {
	tag := x.tagOf(id)
	prefetchEntries(&x.tab[tag>>x.shift])
	return tag
}

// set makes id find slot (the record at slot holds id).
func (x *idIndex) set(w *Waitlist, id string, slot uint32) {
	tag := x.tagOf(id)
	i, empty := x.find(w, id, tag, pfNone)
	if i < 0 {
		if (x.n+1)*8 > len(x.tab)*5 { // keep the load at most 5/8
			x.grow(w)
			_, empty = x.find(w, id, tag, pfNone)
		}
		i = empty
		x.n++
	}
	x.tab[i] = idEntry{tag: tag, slot: slot, leaf: noLeaf}
	w.recs[slot].tpos = uint32(i)
}

// leafOf returns the leaf handle of the record at slot, which the table names.
func (x *idIndex) leafOf(r *rec) uint32 { return x.tab[r.tpos].leaf }

// setLeaf records that the record r, which the table names, is in leaf.
func (x *idIndex) setLeaf(r *rec, leaf uint32) { x.tab[r.tpos].leaf = leaf }

// grow doubles the table.
func (x *idIndex) grow(w *Waitlist) {
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
		w.recs[e.slot].tpos = uint32(i)
	}
}

// del makes id find nothing; slot is where it was found.
func (x *idIndex) del(w *Waitlist, id string, slot uint32) {
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
		w.recs[x.tab[i].slot].tpos = uint32(i)
		i = j
	}
	x.tab[i] = idEntry{}
	x.n--
}
