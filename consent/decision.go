package consent

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/dyad-health/dyad/internal/ident"
)

// Request asks "may Discloser give this Information about Patient to Recipient for Purpose
// at instant At?". Its JSON form is the request object of the conformance corpus.
//
// A request whose Discloser is the Part 2 program holding the records leaves Holder nil. A
// lawful holder redisclosing what it received (42 CFR 2.33) sets Holder: its kind, the
// consent it received the records under and when.
type Request struct {
	// Patient is the patient's identifier; only consents of exactly this identifier (system
	// and value) are the patient's.
	Patient Identifier `json:"patient"`
	// Discloser is the identifier of the party that would disclose.
	Discloser Identifier `json:"discloser"`
	// Holder is set when the discloser is not the Part 2 program but a holder of records it
	// received from one; nil means the discloser is the program that holds the records.
	Holder *Holder `json:"holder,omitempty"`
	// Recipient is who would receive the information.
	Recipient Party `json:"recipient"`
	// Purpose is the purpose of the disclosure.
	Purpose Purpose `json:"purpose"`
	// Information is every kind of information the disclosure would carry.
	Information []InfoKind `json:"information"`
	// Service is, for a disclosure to a QSO, the service the QSO needs the information for.
	Service Service `json:"service,omitempty"`
	// At is the instant the disclosure would be made: the instant judged. Instants are
	// compared as wall-clock instants: a monotonic clock reading (as time.Now gives) is
	// ignored.
	At time.Time `json:"at"`
	// Facts are the facts an exception needs.
	Facts Facts `json:"facts"`
}

// Holder describes a discloser that received the records from a program (42 CFR 2.33).
type Holder struct {
	// Kind is what the holder is: part2_program, covered_entity, business_associate,
	// intermediary, lawful_holder or contractor. An unknown kind denies. A Part 2 program
	// that is also a covered entity or business associate is given as such (2.33(b)(1)).
	// Whether the holder acts as an intermediary is not its own say: only a consent that
	// names it as an intermediary makes it one.
	Kind RecipientKind `json:"kind"`
	// ReceivedUnder is the ID of the consent under which the holder received the records,
	// or that ID as a basis writes it, "consent:ID" (no consent ID begins with "consent:",
	// so the two forms cannot name different consents). Empty means the holder relies only
	// on consents that name it as a discloser.
	ReceivedUnder string `json:"received_under,omitempty"`
	// ReceivedAt is when the holder received the records; the consent must have counted
	// then. Later revocation or expiry does not undo what was received (see Policy for
	// what the holder may still do with them).
	ReceivedAt time.Time `json:"received_at,omitzero"`
	// TreatingProviderRelationship: the holder has a treating provider relationship with
	// the patient (42 CFR 2.11), so that a consent designating "my treating providers"
	// reached it (2.31(a)(4)(i)). Unknown (false): a consent that reaches the holder only
	// through that designation did not reach it.
	TreatingProviderRelationship bool `json:"treating_provider_relationship,omitempty"`
}

// Party is a recipient of a request: its identifier and kind.
type Party struct {
	// ID is the recipient's identifier.
	ID Identifier `json:"id"`
	// Kind is what the recipient is.
	Kind RecipientKind `json:"kind"`
}

// Facts are facts about the disclosure that the rules need and the request alone can
// establish. Each defaults to false (unknown), which never permits anything.
type Facts struct {
	// TreatingProviderRelationship: the recipient has a treating provider relationship with
	// the patient (42 CFR 2.11: the patient is, agrees to be or is legally required to be
	// diagnosed, evaluated or treated by it, and it undertakes to do so). A consent's "my
	// treating providers" (2.31(a)(4)(i)), and an intermediary's participants designated as
	// those with a treating provider relationship (2.31(a)(4)(ii)(B)), reach a recipient
	// only when the request establishes it: a request for treatment or emergency treatment
	// does (the disclosure is for the recipient's own treatment of the patient); for any
	// other purpose (payment, operations) only this fact does. The kind of the recipient
	// alone never tells it.
	TreatingProviderRelationship bool `json:"treating_provider_relationship,omitempty"`
	// ContractorBound: a written contract or comparable legal instrument binds the
	// contractor, subcontractor or legal representative to Part 2 upon receipt (42 CFR
	// 2.33(c)), as a lawful holder's redisclosure to it under 2.33(b)(3) requires.
	ContractorBound bool `json:"contractor_bound,omitempty"`
	// Emergency: a bona fide medical emergency in which the patient's prior written consent
	// cannot be obtained (42 CFR 2.51(a)).
	Emergency bool `json:"emergency,omitempty"`
	// Deidentified: the information is de-identified per 45 CFR 164.514(b) (42 CFR 2.54).
	Deidentified bool `json:"deidentified,omitempty"`
	// CourtOrder: a court order meeting subpart E authorizes the disclosure (42 CFR 2.61-2.67).
	CourtOrder bool `json:"court_order,omitempty"`
	// InitialReportRequiredByStateLaw: the disclosure is the initial report of suspected
	// child abuse or neglect that State law requires (42 CFR 2.12(c)(6)).
	InitialReportRequiredByStateLaw bool `json:"initial_report_required_by_state_law,omitempty"`
	// ResearchApproved: the researcher has documented the IRB or privacy board approval or
	// waiver, or the Common Rule conditions, that 42 CFR 2.52(a) requires.
	ResearchApproved bool `json:"research_approved,omitempty"`
	// AuditAgreement: the auditor or evaluator meets the conditions of 42 CFR 2.53 and has
	// agreed in writing to its limits on redisclosure and use.
	AuditAgreement bool `json:"audit_agreement,omitempty"`
}

// Decision is the answer to a Request: a value, safe to keep, copy and share. The zero
// Decision denies: Permit is false.
//
// Its reasons, obligations and citations are read through methods that return fresh
// copies, so that no caller can change what this or any other decision says. A decision
// of Engine.Decide or Engine.Explain holds them compactly: a permit of Decide points to the
// parts of its basis precomputed at Compile; a deny, and every decision of Explain, holds
// the engine and what the rules read of the request (none of the caller's memory: nothing
// the caller does to its Request afterwards matters) and judges it again, collecting every
// reason, each time Reasons, Citations, Record, HasReason, String, Equal or MarshalJSON
// reads them: the engine is immutable, so every reading gives the same. Record returns
// every part as plain values (one judging for all), for storage, JSON or comparison;
// DecisionRecord.Decision builds a Decision from them.
type Decision struct {
	// Permit is true only when a consent, a redisclosure right or an exception permits the
	// disclosure.
	Permit bool
	// Basis is what a permit rests on; zero on a deny.
	Basis Basis
	// Edition is the rule edition that judged the request (RuleEdition).
	Edition string

	// Where the reasons, obligations, citations and end come from: rec when the decision
	// was built from a record (its own copy, never handed out); else k, the engine that
	// judged q, judging it again when they are read; else t alone, a permit of Decide (its
	// basis's reason only). t is the permit's basis, nil on a deny.
	rec *DecisionRecord
	k   *core
	t   *template
	q   query
}

// Until is, on a permit, the first instant at which its basis stops counting as far as the
// engine knew when it judged (the consent's expiry, revocation or known falsity, a QSO
// agreement's expiry); the zero time when no end is known. A permit judged at one instant
// says nothing of a disclosure made at or after Until.
func (d Decision) Until() time.Time {
	switch {
	case d.rec != nil:
		return d.rec.Until
	case d.t != nil:
		return d.t.until
	}
	return time.Time{}
}

// DecisionRecord is the plain form of a Decision: every part as ordinary values. Its JSON
// form is the JSON form of a Decision.
type DecisionRecord struct {
	Permit bool  `json:"permit"`
	Basis  Basis `json:"basis"`
	// Reasons explain the outcome, each with a stable code, a citation and a sentence.
	Reasons []Reason `json:"reasons"`
	// Obligations are what the discloser must do when it discloses; none on a deny.
	Obligations []Obligation `json:"obligations,omitempty"`
	// Citations are the distinct citations of the basis, reasons and obligations.
	Citations []string  `json:"citations"`
	Until     time.Time `json:"until,omitzero"`
	Edition   string    `json:"edition"`
}

// Record returns the decision's parts as plain values; the slices are the caller's own.
func (d Decision) Record() DecisionRecord {
	rs, cites := d.parts()
	return DecisionRecord{Permit: d.Permit, Basis: d.Basis, Reasons: rs, Obligations: d.Obligations(),
		Citations: cites, Until: d.Until(), Edition: d.Edition}
}

// Decision returns the decision the record holds; it copies the slices.
func (r DecisionRecord) Decision() Decision {
	own := DecisionRecord{Reasons: slices.Clone(r.Reasons), Obligations: slices.Clone(r.Obligations),
		Citations: slices.Clone(r.Citations)}
	if !r.Until.IsZero() {
		own.Until = r.Until
	}
	return Decision{Permit: r.Permit, Basis: r.Basis, Edition: r.Edition, rec: &own}
}

// parts returns fresh copies of the reasons and the citations, judging the request again
// (once for both) when the decision holds its engine.
func (d *Decision) parts() ([]Reason, []string) {
	switch {
	case d.rec != nil:
		return slices.Clone(d.rec.Reasons), slices.Clone(d.rec.Citations)
	case d.k != nil:
		var c collector
		t := d.k.rejudge(&d.q, &c)
		return d.k.reasons(t, &c), d.k.citations(t, &c)
	case d.t != nil:
		return slices.Clone(d.t.reasons), slices.Clone(d.t.citations)
	}
	return nil, nil
}

// Reasons returns a copy of the reasons: each with a stable code, a citation and a sentence.
func (d Decision) Reasons() []Reason {
	if d.k != nil && d.rec == nil {
		var c collector
		return d.k.reasons(d.k.rejudge(&d.q, &c), &c)
	}
	rs, _ := d.parts()
	return rs
}

// Obligations returns a copy of the obligations; none on a deny.
func (d Decision) Obligations() []Obligation {
	switch {
	case d.rec != nil:
		return slices.Clone(d.rec.Obligations)
	case d.t != nil:
		return slices.Clone(d.t.obligations)
	}
	return nil
}

// Citations returns a copy of the distinct citations of the basis, reasons and obligations.
func (d Decision) Citations() []string {
	if d.k != nil && d.rec == nil {
		var c collector
		return d.k.citations(d.k.rejudge(&d.q, &c), &c)
	}
	_, cites := d.parts()
	return cites
}

// codes calls f with the code of each reason, in order, until f returns false; it
// materialises nothing.
func (d *Decision) codes(f func(Code) bool) {
	var rs []Reason
	switch {
	case d.rec != nil:
		rs = d.rec.Reasons
	case d.k != nil:
		var c collector
		if t := d.k.rejudge(&d.q, &c); t != nil {
			rs = t.reasons
		}
		for _, r := range rs {
			if !f(r.Code) {
				return
			}
		}
		for i := 0; i < c.n; i++ {
			if !f(d.k.rt.reasons[c.at(i).id].Code) {
				return
			}
		}
		return
	case d.t != nil:
		rs = d.t.reasons
	}
	for _, r := range rs {
		if !f(r.Code) {
			return
		}
	}
}

// MarshalJSON writes the decision's record.
func (d Decision) MarshalJSON() ([]byte, error) { return json.Marshal(d.Record()) }

// UnmarshalJSON reads a decision's record.
func (d *Decision) UnmarshalJSON(b []byte) error {
	var r DecisionRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return err
	}
	*d = r.Decision()
	return nil
}

// Equal reports whether two decisions say the same: outcome, basis, end, edition, and the
// same reasons, obligations and citations in the same order. (go-cmp uses it to compare
// decisions whole.)
func (d Decision) Equal(o Decision) bool {
	if d.Permit != o.Permit || d.Basis != o.Basis || !d.Until().Equal(o.Until()) || d.Edition != o.Edition {
		return false
	}
	if d.k == nil && o.k == nil && d.rec == o.rec && d.t == o.t {
		return true // the same parts
	}
	dr, dc := d.parts()
	or, oc := o.parts()
	return slices.Equal(dr, or) && slices.Equal(d.Obligations(), o.Obligations()) && slices.Equal(dc, oc)
}

// HasReason reports whether the decision carries a reason with the code.
func (d Decision) HasReason(c Code) bool {
	found := false
	d.codes(func(x Code) bool {
		found = x == c
		return !found
	})
	return found
}

// HasObligation reports whether the decision carries an obligation with the code.
func (d Decision) HasObligation(c ObligationCode) bool {
	var obs []Obligation
	switch {
	case d.rec != nil:
		obs = d.rec.Obligations
	case d.t != nil:
		obs = d.t.obligations
	}
	for _, o := range obs {
		if o.Code == c {
			return true
		}
	}
	return false
}

// String returns a one-line summary: outcome, basis and reason codes. Identifiers are
// quoted (ident.Quote): no consent ID can forge a line.
func (d Decision) String() string {
	var b strings.Builder
	if d.Permit {
		b.WriteString("permit")
	} else {
		b.WriteString("deny")
	}
	if d.Basis.Kind != BasisKindUnknown {
		b.WriteString(" on ")
		b.WriteString(d.Basis.String())
	}
	first := true
	d.codes(func(c Code) bool {
		if first {
			b.WriteString(":")
			first = false
		}
		b.WriteString(" ")
		b.WriteString(safeCode(string(c)))
		return true
	})
	return b.String()
}

// Basis is what a permit rests on: a consent (Consent holds its ID), an exception (Section
// holds its citation), or a redisclosure (Section holds the 2.33 paragraph and Consent the
// consent the holder received the records under).
type Basis struct {
	Kind    BasisKind `json:"kind"`
	Consent string    `json:"consent,omitempty"`
	Section string    `json:"section,omitempty"`
}

// basisPrefix is the prefix of a consent basis, "consent:ID".
const basisPrefix = "consent:"

// String returns the basis for a message: consent:"ID" for a consent (the ID quoted), the
// section (e.g. "42 CFR 2.51") for an exception, the section and the consent for a
// redisclosure (42 CFR 2.33(b)(1) under consent:"ID"), and "" for none.
func (b Basis) String() string {
	switch b.Kind {
	case BasisKindConsent:
		return basisPrefix + ident.Quote(b.Consent)
	case BasisKindException:
		return safeText(b.Section)
	case BasisKindRedisclosure:
		return safeText(b.Section) + " under " + basisPrefix + ident.Quote(b.Consent)
	}
	return ""
}

// Ref returns the basis as the conformance corpus writes it: "consent:ID" for a consent, the
// section for an exception or a redisclosure, "" for none. An ID or section that breaks the
// identifier rule (not one Compile accepts) comes out quoted, so Ref is safe in a log line.
func (b Basis) Ref() string {
	switch b.Kind {
	case BasisKindConsent:
		if ident.Valid(b.Consent) {
			return basisPrefix + b.Consent
		}
		return basisPrefix + ident.Quote(b.Consent)
	case BasisKindException, BasisKindRedisclosure:
		return safeText(b.Section)
	}
	return ""
}

// Reason is one reason of a decision. Consent or Agreement names the consent or QSO
// agreement the reason is about, if any. Message never holds a patient's name or free text.
type Reason struct {
	Code      Code   `json:"code"`
	Cite      string `json:"cite"`
	Message   string `json:"message"`
	Consent   string `json:"consent,omitempty"`
	Agreement string `json:"agreement,omitempty"`
}

// Obligation is something the discloser must do when it makes a permitted disclosure.
type Obligation struct {
	Code    ObligationCode `json:"code"`
	Cite    string         `json:"cite"`
	Message string         `json:"message"`
}
