package referral

import (
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/dyad-health/dyad/internal/ident"
	"github.com/dyad-health/dyad/internal/jsonin"
)

// Draft is what a referral is made of when it is drafted: who it is for, who makes it and
// to whom it goes. Every field is an identifier or a code, never a name or free text.
type Draft struct {
	ID          string      `json:"id"`           // the referral's identifier
	Patient     string      `json:"patient"`      // the patient's identifier (the woman, infant or caregiver)
	Subject     Subject     `json:"subject"`      // whom the referral is for
	Program     string      `json:"program"`      // the referring program's identifier (the discloser)
	Partner     string      `json:"partner"`      // the partner's identifier (the recipient)
	PartnerKind PartnerKind `json:"partner_kind"` // the partner's kind
	// SUD says whether the referral would carry 42 CFR part 2 information. It must be
	// declared: SUDUnknown is treated as SUDCarries by the consent gate.
	SUD SUDContent `json:"sud,omitzero"`
}

func (d Draft) validate(p *problems, field string) {
	checkID(p, field, "id", d.ID)
	checkID(p, field, "patient", d.Patient)
	checkID(p, field, "program", d.Program)
	checkID(p, field, "partner", d.Partner)
	if !d.Subject.IsValid() {
		p.addf("subject_unknown", field, "subject", "", "The referral's subject is not a known subject.")
	}
	if !d.PartnerKind.IsValid() {
		p.addf("partner_kind_unknown", field, "partner_kind", "", "The partner kind is not a known kind.")
	}
	if d.SUD != SUDUnknown && !d.SUD.IsValid() {
		p.addf("sud_unknown", field, "sud", "", "The SUD-content declaration is not a known code.")
	}
}

// Due is a due time attached to a referral by a rule: the referral must reach Milestone by
// At. Source optionally names what the rule was applied to (an applicant, a plan of safe
// care), by identifier.
type Due struct {
	Rule      Rule      `json:"rule"`             // the rule
	Milestone Milestone `json:"milestone"`        // what must be reached
	At        time.Time `json:"at"`               // by when
	Cite      string    `json:"cite,omitempty"`   // the rule's citation
	Source    string    `json:"source,omitempty"` // identifier of what the rule was applied to
}

func (d Due) validate(p *problems, field string) {
	if !d.Rule.IsValid() || d.Rule == RulePartnerAck {
		p.addf("due_rule_invalid", field, "rule", "", "A due time needs a known rule; partner acknowledgement windows come from the partner.")
	}
	if !d.Milestone.IsValid() {
		p.addf("due_milestone_unknown", field, "milestone", "", "A due time needs a known milestone.")
	}
	if d.At.IsZero() {
		p.addf("due_time_missing", field, "at", "", "A due time needs a time.")
	} else {
		checkTime(p, field, "at", d.At)
	}
	if d.Source != "" {
		checkID(p, field, "source", d.Source)
	}
	checkText(p, field, "cite", d.Cite)
}

// Event is one fact in a referral's history: its time, who acted (an identifier of a staff
// member, system or partner), what happened, and why (a stable snake_case reason code, never
// free text). A referral is exactly the result of applying its events in order.
type Event struct {
	Seq    int       `json:"seq"`              // 1 for the first event, then one more each
	At     time.Time `json:"at"`               // never before the previous event's time
	Actor  string    `json:"actor"`            // identifier of who acted
	Kind   EventKind `json:"kind"`             // what happened
	Reason string    `json:"reason,omitempty"` // stable snake_case code (e.g. "no_capacity")
	From   Status    `json:"from,omitzero"`    // EventTransitioned: the status left
	To     Status    `json:"to,omitzero"`      // EventCreated: draft; EventTransitioned: the status entered

	Draft   *Draft         `json:"draft,omitempty"`   // EventCreated
	Consent *ConsentRecord `json:"consent,omitempty"` // EventConsentRecorded
	Revoked string         `json:"revoked,omitempty"` // EventConsentRevoked: the consent or QSO agreement identifier
	Due     *Due           `json:"due,omitempty"`     // EventDueAdded

	// Prev is the hash of the event before this one (lowercase hex SHA-256 of its canonical
	// form, see chain.go), "" for the first event. Append fills it in when it is empty and
	// refuses an event whose Prev is not the hash of the referral's latest event; a saved
	// referral is read back only if every event's Prev holds.
	Prev string `json:"prev,omitempty"`
}

// Referral is one referral of a patient to a community partner, tracked until the loop
// closes. It is built only by applying events (New, Transition, RecordConsent, ...), so
// Rebuild(r.Events()) reproduces it exactly. Methods that change it either apply one event
// or change nothing and return an error. A Referral is not safe for concurrent mutation.
type Referral struct {
	draft   Draft
	status  Status
	created time.Time
	updated time.Time
	first   [numStatuses]time.Time // when each status was first entered
	consent *ConsentRecord         // the latest recorded decision
	carried []Obligation           // the obligations the gate attached when the referral was sent
	revoked []revocation
	dues    []Due
	events  []Event
	head    [32]byte // the hash of the latest event (zero before the first)
}

type revocation struct {
	id string
	at time.Time
}

// New drafts a referral at the given time: its first event, EventCreated, into status draft.
// An invalid draft returns a *ValidationError listing every problem.
func New(d Draft, at time.Time, actor string) (*Referral, error) {
	r := &Referral{}
	dd := d
	if err := r.Append(Event{Seq: 1, At: at, Actor: actor, Kind: EventCreated, To: StatusDraft, Draft: &dd}); err != nil {
		return nil, err
	}
	return r, nil
}

// Rebuild applies events in order to an empty referral and returns the result: the first
// must be EventCreated, sequence numbers run 1, 2, 3..., times never go backwards, every
// transition is legal, every move to requested passes the consent gate as it stood, and
// every event that carries a Prev carries the hash of the event before it (events without
// one are chained as they are applied).
func Rebuild(events []Event) (*Referral, error) {
	r := &Referral{}
	for _, e := range events {
		if err := r.Append(e); err != nil {
			return nil, err
		}
	}
	if len(events) == 0 {
		return nil, &ValidationError{What: "event history", Problems: []Problem{{
			Code: "events_empty", Field: "events", Message: "A referral needs at least its creation event."}}}
	}
	return r, nil
}

// ID returns the referral's identifier.
func (r *Referral) ID() string { return r.draft.ID }

// Draft returns what the referral was drafted with.
func (r *Referral) Draft() Draft { return r.draft }

// Patient returns the patient's identifier.
func (r *Referral) Patient() string { return r.draft.Patient }

// Partner returns the partner's identifier.
func (r *Referral) Partner() string { return r.draft.Partner }

// PartnerKind returns the partner's kind.
func (r *Referral) PartnerKind() PartnerKind { return r.draft.PartnerKind }

// Status returns the current status.
func (r *Referral) Status() Status { return r.status }

// CreatedAt returns when the referral was drafted.
func (r *Referral) CreatedAt() time.Time { return r.created }

// UpdatedAt returns the time of the latest event.
func (r *Referral) UpdatedAt() time.Time { return r.updated }

// FirstAt returns when the referral first entered status s, and whether it ever did.
func (r *Referral) FirstAt(s Status) (time.Time, bool) {
	if !s.IsValid() {
		return time.Time{}, false
	}
	t := r.first[s]
	return t, !t.IsZero()
}

// SentAt returns when the referral was sent (first entered requested), if it was.
func (r *Referral) SentAt() (time.Time, bool) { return r.FirstAt(StatusRequested) }

// Consent returns the latest consent decision recorded on the referral, if any.
func (r *Referral) Consent() (ConsentRecord, bool) {
	if r.consent == nil {
		return ConsentRecord{}, false
	}
	return r.consent.clone(), true
}

// Obligations returns the obligations that travel with the referral (for example the
// 42 CFR 2.32 notice and the accounting entry): once sent, those of the permit the gate
// relied on when the referral was first sent, whatever is recorded later (what was
// disclosed stays disclosed); before, those of the recorded permit; nil when there is none.
func (r *Referral) Obligations() []Obligation {
	if !r.first[StatusRequested].IsZero() {
		return slices.Clone(r.carried)
	}
	if r.consent == nil || !r.consent.Permit {
		return nil
	}
	return slices.Clone(r.consent.Obligations)
}

// Dues returns the due times attached by rule, in the order added.
func (r *Referral) Dues() []Due { return slices.Clone(r.dues) }

// Events returns a copy of the referral's events, in order.
func (r *Referral) Events() []Event {
	out := make([]Event, len(r.events))
	for i, e := range r.events {
		out[i] = e.clone()
	}
	return out
}

// Transition moves the referral to status to at the given time, for the given reason code
// (a snake_case code; required to enter rejected, cancelled, failed, on_hold or
// entered_in_error).
// An illegal move returns a *TransitionError; a move to requested that the consent gate
// refuses returns a *GateError; a malformed actor, reason or time a *ValidationError.
func (r *Referral) Transition(to Status, at time.Time, actor, reason string) error {
	return r.Append(Event{Seq: len(r.events) + 1, At: at, Actor: actor, Kind: EventTransitioned,
		Reason: reason, From: r.status, To: to})
}

// Send moves a draft to requested: Transition(StatusRequested, ...).
func (r *Referral) Send(at time.Time, actor string) error {
	return r.Transition(StatusRequested, at, actor, "")
}

// RecordConsent records a consent decision on the referral (see FromDecision). A later
// record replaces an earlier one for the gate; both stay in the history.
func (r *Referral) RecordConsent(c ConsentRecord, at time.Time, actor string) error {
	cc := c.clone()
	return r.Append(Event{Seq: len(r.events) + 1, At: at, Actor: actor, Kind: EventConsentRecorded, Consent: &cc})
}

// RecordRevocation records that the consent (or QSO agreement) with the given identifier
// was revoked or ended: from then on no decision resting on it opens the gate
// (42 CFR 2.31(c)). A referral already sent stays sent: what was disclosed stays disclosed.
func (r *Referral) RecordRevocation(id string, at time.Time, actor, reason string) error {
	return r.Append(Event{Seq: len(r.events) + 1, At: at, Actor: actor, Kind: EventConsentRevoked,
		Reason: reason, Revoked: id})
}

// AddDue attaches a due time by rule (see the Due... constructors).
func (r *Referral) AddDue(d Due, at time.Time, actor string) error {
	dd := d
	return r.Append(Event{Seq: len(r.events) + 1, At: at, Actor: actor, Kind: EventDueAdded, Due: &dd})
}

// Append applies one event: it is checked in full and either applied or refused with an
// error that lists every problem, leaving the referral unchanged. Its time, and the times
// it carries, must lie from 1900-01-01 to 2199-12-31 (UTC) with a UTC offset of whole
// minutes (ProblemTimeOutOfRange): what cannot be saved as RFC 3339 is refused. Its Prev,
// when set, must be the hash of the latest event (ProblemEventChain); when empty it is
// filled in.
func (r *Referral) Append(e Event) error {
	p := problems{what: "event"}
	if e.Seq != len(r.events)+1 {
		p.add("event_out_of_sequence", "seq", "", "The event's sequence number is not the next one.")
	}
	switch {
	case e.At.IsZero():
		p.add("event_time_missing", "at", "", "The event has no time.")
	case !checkTime(&p, "", "at", e.At):
	case len(r.events) > 0 && e.At.Before(r.updated):
		p.add("event_before_previous", "at", "", "The event is earlier than the event before it.")
	}
	checkID(&p, "", "actor", e.Actor)
	if e.Reason != "" && !isCode(e.Reason) {
		p.add("reason_not_code", "reason", "", "A reason is a snake_case code of at most 64 bytes, never free text.")
	}
	prev := ""
	if len(r.events) > 0 {
		prev = hexHash(r.head)
	}
	if e.Prev != "" && e.Prev != prev {
		p.add(ProblemEventChain, "prev", "", "The event does not follow the referral's latest event: its hash of its predecessor differs.")
	}
	e.Prev = prev
	first := len(r.events) == 0
	if first != (e.Kind == EventCreated) {
		p.add("event_kind_out_of_place", "kind", "", "The first event, and only the first, records the creation.")
	}
	want := struct{ draft, consent, revoked, due, from, to bool }{}
	switch e.Kind {
	case EventCreated:
		want.draft, want.to = true, true
		if e.Draft != nil {
			e.Draft.validate(&p, "draft.")
		}
		if e.To != StatusDraft {
			p.add("created_not_draft", "to", CiteTaskStatus, "A referral is created in status draft.")
		}
	case EventTransitioned:
		want.from, want.to = true, true
		if e.From != r.status {
			p.add("from_mismatch", "from", "", "The status left is not the referral's current status.")
		}
		if !e.To.IsValid() {
			p.add("status_unknown", "to", CiteTaskStatus, "The status entered is not a FHIR Task status.")
		}
		if e.Reason == "" && needsReason(e.To) {
			p.add("reason_required", "reason", CiteTaskStatus, "A referral rejected, cancelled, failed, put on hold or entered in error needs a reason code.")
		}
	case EventConsentRecorded:
		want.consent = true
		if c := e.Consent; c != nil {
			c.validate(&p, "consent.")
			if !c.DecidedAt.IsZero() {
				checkTime(&p, "consent.", "decided_at", c.DecidedAt)
			}
			if !c.Until.IsZero() {
				checkTime(&p, "consent.", "until", c.Until)
			}
		}
	case EventConsentRevoked:
		want.revoked = true
		if e.Revoked != "" {
			checkID(&p, "", "revoked", e.Revoked)
		}
	case EventDueAdded:
		want.due = true
		if e.Due != nil {
			e.Due.validate(&p, "due.")
		}
	default:
		p.add("event_kind_unknown", "kind", "", "The event kind is not a known kind.")
	}
	if e.Kind.IsValid() {
		shape := func(has, wanted bool, field string) {
			if has != wanted {
				if wanted {
					p.add("event_field_missing", field, "", "This kind of event needs this field.")
				} else {
					p.add("event_field_unexpected", field, "", "This kind of event does not take this field.")
				}
			}
		}
		shape(e.Draft != nil, want.draft, "draft")
		shape(e.Consent != nil, want.consent, "consent")
		shape(e.Revoked != "", want.revoked, "revoked")
		shape(e.Due != nil, want.due, "due")
		shape(e.From != StatusUnknown, want.from, "from")
		shape(e.To != StatusUnknown, want.to, "to")
	}
	if err := p.err(); err != nil {
		return err
	}
	if e.Kind == EventTransitioned {
		if !CanTransition(r.status, e.To) {
			return &TransitionError{Referral: r.draft.ID, From: r.status, To: e.To}
		}
		if e.To == StatusRequested {
			g := r.Gate(e.At)
			if !g.Allow {
				return &GateError{Referral: r.draft.ID, Decision: g}
			}
			if r.first[StatusRequested].IsZero() {
				r.carried = g.Obligations
			}
		}
	}
	r.apply(e.clone())
	return nil
}

// needsReason reports whether entering s needs a reason code: the statuses that stop or
// pause the referral, whose reason is the FHIR Task's statusReason.
func needsReason(s Status) bool {
	switch s {
	case StatusRejected, StatusCancelled, StatusFailed, StatusOnHold, StatusEnteredInError:
		return true
	}
	return false
}

// apply changes the referral by one checked event.
func (r *Referral) apply(e Event) {
	switch e.Kind {
	case EventCreated:
		r.draft = *e.Draft
		r.created = e.At
		r.status = StatusDraft
		r.first[StatusDraft] = e.At
	case EventTransitioned:
		r.status = e.To
		if r.first[e.To].IsZero() {
			r.first[e.To] = e.At
		}
	case EventConsentRecorded:
		c := e.Consent.clone()
		r.consent = &c
	case EventConsentRevoked:
		r.revoked = append(r.revoked, revocation{id: e.Revoked, at: e.At})
	case EventDueAdded:
		r.dues = append(r.dues, *e.Due)
	}
	r.updated = e.At
	r.events = append(r.events, e)
	r.head = hashEvent(&r.events[len(r.events)-1])
}

func (e Event) clone() Event {
	if e.Draft != nil {
		d := *e.Draft
		e.Draft = &d
	}
	if e.Consent != nil {
		c := e.Consent.clone()
		e.Consent = &c
	}
	if e.Due != nil {
		d := *e.Due
		e.Due = &d
	}
	return e
}

// Head returns the hash of the referral's latest event (lowercase hex SHA-256, see
// chain.go), "" before the first. A saved referral carries it; a caller that keeps it
// apart from the saved file (a database row, a signed audit record) can compare it with
// the Head of what it reads back, and so detect a file rewritten whole.
func (r *Referral) Head() string {
	if len(r.events) == 0 {
		return ""
	}
	return hexHash(r.head)
}

// String names the referral by identifier, partner kind and status, e.g.
// `referral "R1" (early_intervention) in_progress`, the identifier quoted and escaped
// (ident.Quote) so that it stays on one line. It never holds patient data.
func (r *Referral) String() string {
	return "referral " + ident.Quote(r.draft.ID) + " (" + r.draft.PartnerKind.String() + ") " + r.status.String()
}

// checkID adds a problem unless s is an identifier under the library's one rule
// (ident.Valid: 1 to 128 bytes of letters, digits and . _ - : / @ #). Identifiers may
// appear in errors (quoted by ident.Quote); names and free text may not, and this
// character set keeps spaces (and so most free text) out.
func checkID(p *problems, prefix, field, s string) {
	if !ident.Valid(s) {
		p.addf(ProblemIdentifierInvalid, prefix, field, "", ident.Rule)
	}
}

func isID(s string) bool { return ident.Valid(s) }

// checkTime adds ProblemTimeOutOfRange and reports false unless t lies in the range every
// part of the library accepts (jsonin.TimeInRange: 1900-01-01 to 2199-12-31 UTC) with a
// UTC offset of whole minutes (RFC 3339 cannot write seconds of offset, so such a time
// would change on saving). t must not be zero.
func checkTime(p *problems, prefix, field string, t time.Time) bool {
	if _, off := t.Zone(); jsonin.TimeInRange(t) && off%60 == 0 {
		return true
	}
	p.addf(ProblemTimeOutOfRange, prefix, field, "", "The time is outside the range accepted, "+jsonin.TimeRange+", or its UTC offset is not whole minutes.")
	return false
}

// isCode reports whether s is a stable snake_case code: 1 to 64 bytes of a-z, 0-9 and _.
func isCode(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// maxCite is the longest citation or similar reference text, in bytes.
const maxCite = 128

// checkText adds a problem if s (a due time's citation: a rule's, or a program's own
// policy's) is longer than maxCite bytes or is not one line of printable text
// (ident.OneLine: valid UTF-8, no control character, no Unicode line or paragraph
// separator, no invisible format character). Valid UTF-8 matters beyond readability:
// JSON cannot carry anything else, and an event must read back as it was hashed.
func checkText(p *problems, prefix, field, s string) {
	switch {
	case len(s) > maxCite:
		p.addf("text_too_long", prefix, field, "", "A citation is at most "+strconv.Itoa(maxCite)+" bytes.")
	case !utf8.ValidString(s):
		p.addf("text_invalid_utf8", prefix, field, "", "The text is not valid UTF-8.")
	case !ident.OneLine(s):
		p.addf("text_control_character", prefix, field, "", "A citation is one line of printable text: "+ident.OneLineRule)
	}
}
