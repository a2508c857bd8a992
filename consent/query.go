package consent

import (
	"strings"
	"time"
)

// A decision that judges its request again when its reasons are read (a deny of Decide,
// any decision of Explain) keeps a query: what the rules read of the request, in a value
// that holds nothing of the caller's memory. Not the Information slice or the Holder
// pointer, whose contents the caller may change afterwards; and no string of the request
// either: were one kept, Go's escape analysis (which does not tell a struct's fields apart)
// would see the whole Request flow into the Decision, and every caller's Information slice
// would move to the heap, one allocation per decision. So the query keeps, for each string
// the rules read (identifiers, the service, the consent a holder names), the engine's own
// copy of the same string (as its index in the engine's table of strings, to keep a
// Decision small), or a stand-in equal to none of them when the engine has none: the rules
// only ever compare a request's string with the engine's (never two of the request's with
// each other) or with "", so the answer is the same. Instants are kept as seconds and
// nanoseconds; Decide and Explain drop a monotonic clock reading before judging, so that
// the first judging and every later one compare the same wall-clock instants.

// derived is what the rules read of a request's patient and information, computed once per
// decision: the patient's consents (nil: none on file) and whether an identifier of the
// patient, the discloser or the recipient is missing, or the recipient (or a redisclosing
// holder) breaks the identifier rule (kept here: a query's stand-in for a string the engine
// does not hold breaks the rule); the kinds of information requested, as bits (those below
// 32: the others are unknown), whether none was given and whether one is unknown. The rules read these from
// here, never from Request.Patient or Request.Information (a query keeps neither), nor the
// validity of the discloser's and recipient's identifiers from the request.
type derived struct {
	p                         *patient
	want                      uint32
	badParty, noInfo, badInfo bool
}

// derive fills x with what the rules read of r's patient and information.
// (It writes x field by field, after computing each in a register: a struct built on the
// stack from byte-sized writes and then copied whole costs a stalled load, measurable here.)
func (e *core) derive(r *Request, x *derived) {
	var want uint32
	bad := false
	for _, k := range r.Information {
		if k < 32 {
			want |= 1 << k
		}
		if !k.IsValid() {
			bad = true
		}
	}
	x.p, x.want = e.patient(r.Patient), want
	// Every party needs a value. The parties a consent's exclusions are compared with, the
	// recipient and a redisclosing holder (the discloser when Holder is set), must also follow
	// the identifier rule: one that breaks it ("dr-x " for "dr-x") could slip past an
	// exclusion while a class of persons or an exception still reaches it. The patient and a
	// program discloser are only ever matched exactly against what a conforming consent or
	// agreement names, which a malformed identifier never equals.
	// (validIdent is inlined here: a call of Identifier.IsValid costs more than the check.)
	rid := &r.Recipient.ID
	badParty := r.Patient.Value == "" || r.Discloser.Value == "" ||
		!validIdent(rid.Value) || rid.System != "" && !validIdent(rid.System)
	if h := r.Holder; h != nil && !badParty {
		badParty = !r.Discloser.IsValid()
	}
	x.badParty = badParty
	x.noInfo, x.badInfo = len(r.Information) == 0, bad
}

// query is what a decision keeps of its request (see above).
type query struct {
	at, receivedAt instant
	x              derived
	// The request's strings, interned: the discloser's and the recipient's system and
	// value, the service, and the consent ID the holder names (its prefix removed).
	discloser, recipient [2]str
	service, received    str
	recipientKind        RecipientKind
	holderKind           RecipientKind
	purpose              Purpose
	facts                Facts
	hasHolder            bool
	holderTreating       bool
}

// str is a string interned in an engine: its index in core.strTable, where 0 is "" and 1
// the stand-in for every string the engine does not hold.
type str uint32

const (
	strEmpty   str = 0
	strUnknown str = 1
)

// instant is a time.Time without its location and monotonic reading: the instant alone,
// all the rules compare.
type instant struct {
	sec  int64
	nsec int32
}

func instantOf(t time.Time) instant { return instant{t.Unix(), int32(t.Nanosecond())} }

func (i instant) time() time.Time { return time.Unix(i.sec, int64(i.nsec)).UTC() }

// keep fills q from the request and what was derived from it.
func (e *core) keep(q *query, r *Request, x *derived) {
	q.discloser = [2]str{e.intern(r.Discloser.System), e.internValue(r.Discloser.Value)}
	q.recipient = [2]str{e.intern(r.Recipient.ID.System), e.internValue(r.Recipient.ID.Value)}
	q.service = e.intern(string(r.Service))
	q.at, q.x = instantOf(r.At), *x
	q.recipientKind, q.purpose, q.facts = r.Recipient.Kind, r.Purpose, r.Facts
	if h := r.Holder; h != nil {
		q.hasHolder, q.holderKind, q.receivedAt, q.holderTreating = true, h.Kind, instantOf(h.ReceivedAt), h.TreatingProviderRelationship
		// receivedUnder removes the prefix of a basis; a string of the engine that still
		// has it is no consent's ID (Compile refuses them), so it stands for none.
		id := e.intern(strings.TrimPrefix(h.ReceivedUnder, basisPrefix))
		if strings.HasPrefix(e.strTable[id], basisPrefix) {
			id = strUnknown
		}
		q.received = id
	}
}

// rejudge judges the kept request again, collecting every reason into c (see judge).
func (e *core) rejudge(q *query, c *collector) *template {
	s := e.strTable
	r := Request{
		Discloser: Identifier{System: s[q.discloser[0]], Value: s[q.discloser[1]]},
		Recipient: Party{ID: Identifier{System: s[q.recipient[0]], Value: s[q.recipient[1]]}, Kind: q.recipientKind},
		Purpose:   q.purpose, Service: Service(s[q.service]), At: q.at.time(), Facts: q.facts}
	var h Holder
	if q.hasHolder {
		h = Holder{Kind: q.holderKind, ReceivedUnder: s[q.received], ReceivedAt: q.receivedAt.time(), TreatingProviderRelationship: q.holderTreating}
		r.Holder = &h
	}
	return e.judge(&r, &q.x, c)
}

// intern returns the index of s in the engine's table of strings: strEmpty for "",
// strUnknown when the engine does not hold s.
func (e *core) intern(s string) str {
	if s == "" {
		return strEmpty
	}
	if i, ok := e.strs[s]; ok {
		return i
	}
	return strUnknown
}

// internValue interns an identifier value as intern does, except that a value the engine
// does not hold but an exclusion may reach (see mayBeExcludedValue: "DR-X" for "dr-x")
// stands for a stand-in of the same folded spelling that is none of the engine's strings:
// the rules compare it as they compare the value, exactly with the engine's strings and
// folded with its exclusions.
func (e *core) internValue(s string) str {
	i := e.intern(s)
	if i != strUnknown || len(e.excludedSpelling) == 0 {
		return i
	}
	var buf [128]byte
	n, ok := foldValue(&buf, s)
	if !ok {
		return i
	}
	if j, ok := e.excludedSpelling[string(buf[:n])]; ok {
		return j
	}
	return i
}

// foldValue writes v folded for an exclusion's comparison (ASCII letters in lower case,
// dashes dropped) into buf, and reports false when it does not fit (a value longer than
// an identifier may be).
func foldValue(buf *[128]byte, v string) (int, bool) {
	n := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '-' {
			continue
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if n == len(buf) {
			return 0, false
		}
		buf[n] = c
		n++
	}
	return n, true
}

// internStrings fills the table of the strings the rules compare a request's with: the
// identifiers (systems and values) of the consents' disclosers, recipients, members and
// exclusions, the consents' IDs, the agreements' parties and services, and the known
// services. The table's second entry, the stand-in, is a string none of them is.
func (e *core) internStrings() {
	e.strs = make(map[string]str)
	e.strTable = []string{"", ""}
	add := func(s string) {
		if _, ok := e.strs[s]; !ok && s != "" {
			e.strs[s] = str(len(e.strTable))
			e.strTable = append(e.strTable, s)
		}
	}
	addID := func(id Identifier) { add(id.System); add(id.Value) }
	for i := range e.consents {
		c := &e.consents[i].c
		add(c.ID)
		for _, id := range c.Disclosers {
			addID(id)
		}
		for _, r := range c.Recipients {
			addID(r.ID)
			for _, m := range r.Members {
				addID(m)
			}
		}
		for _, x := range c.Exclusions {
			addID(x.ID)
		}
	}
	for i := range e.qsoas {
		a := &e.qsoas[i].a
		addID(a.Program)
		addID(a.Organization)
		for _, s := range a.Services {
			add(string(s))
		}
	}
	for _, s := range knownServices {
		add(string(s))
	}
	unknown := "\x00unknown"
	for e.strs[unknown] != 0 {
		unknown += "\x00"
	}
	e.strTable[strUnknown] = unknown
	// A stand-in per folded spelling of an excluded value: the value with dashes put before
	// it (folded the same, and none of the engine's strings).
	e.excludedSpelling = nil
	for i := range e.consents {
		for _, x := range e.consents[i].c.Exclusions {
			var buf [128]byte
			n, ok := foldValue(&buf, x.ID.Value)
			if x.ID.Value == "" || !ok {
				continue
			}
			key := string(buf[:n])
			if _, done := e.excludedSpelling[key]; done {
				continue
			}
			stand := "-" + x.ID.Value
			for e.strs[stand] != 0 {
				stand = "-" + stand
			}
			if e.excludedSpelling == nil {
				e.excludedSpelling = make(map[string]str)
			}
			e.excludedSpelling[key] = str(len(e.strTable))
			e.strTable = append(e.strTable, stand)
		}
	}
}
