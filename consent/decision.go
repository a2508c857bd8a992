package consent

import (
	"strings"
	"time"
)

// Request asks "may Discloser give this Information about Patient to Recipient for Purpose
// at instant At?". Its JSON form is the request object of the conformance corpus.
//
// A request whose Discloser is the Part 2 program holding the records leaves Holder nil. A
// lawful holder redisclosing what it received (42 CFR 2.33) sets Holder: its kind, the
// consent it received the records under and when.
type Request struct {
	// Patient is the patient's identifier.
	Patient string `json:"patient"`
	// Discloser is the identifier of the party that would disclose.
	Discloser string `json:"discloser"`
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
	// At is the instant the disclosure would be made: the instant judged.
	At time.Time `json:"at"`
	// Facts are the facts an exception needs.
	Facts Facts `json:"facts"`
}

// Holder describes a discloser that received the records from a program (42 CFR 2.33).
type Holder struct {
	// Kind is what the holder is: part2_program, covered_entity, business_associate,
	// intermediary, lawful_holder or contractor. An unknown kind denies.
	Kind RecipientKind `json:"kind"`
	// ReceivedUnder is the ID of the consent under which the holder received the records
	// (a "consent:" prefix is allowed). Empty means the holder relies only on consents that
	// name it as a discloser.
	ReceivedUnder string `json:"received_under,omitempty"`
	// ReceivedAt is when the holder received the records; the consent must have been in
	// force then. Later revocation or expiry does not undo what was received.
	ReceivedAt time.Time `json:"received_at,omitzero"`
}

// Party is a recipient of a request: its identifier and kind.
type Party struct {
	ID   string        `json:"id"`
	Kind RecipientKind `json:"kind"`
}

// Facts are the facts the exceptions to consent need. Each defaults to false, which never
// permits anything.
type Facts struct {
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

// Decision is the answer to a Request. The zero Decision denies: Permit is false.
//
// The slices of a Decision returned by an Engine may share storage with the Engine (that is
// how the permit path avoids allocating): treat them as read-only, and copy before changing.
type Decision struct {
	// Permit is true only when a consent or an exception permits the disclosure.
	Permit bool `json:"permit"`
	// Basis is what a permit rests on; zero on a deny.
	Basis Basis `json:"basis"`
	// Reasons explain the outcome, each with a stable code, a citation and a sentence.
	Reasons []Reason `json:"reasons"`
	// Obligations are what the discloser must do when it discloses; none on a deny.
	Obligations []Obligation `json:"obligations,omitempty"`
	// Citations are the distinct citations of the basis, reasons and obligations.
	Citations []string `json:"citations"`
	// Edition is the rule edition that judged the request (RuleEdition).
	Edition string `json:"edition"`
}

// HasReason reports whether the decision carries a reason with the code.
func (d Decision) HasReason(c Code) bool {
	for _, r := range d.Reasons {
		if r.Code == c {
			return true
		}
	}
	return false
}

// HasObligation reports whether the decision carries an obligation with the code.
func (d Decision) HasObligation(c ObligationCode) bool {
	for _, o := range d.Obligations {
		if o.Code == c {
			return true
		}
	}
	return false
}

// String returns a one-line summary: outcome, basis and reason codes.
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
	if len(d.Reasons) > 0 {
		b.WriteString(":")
		for _, r := range d.Reasons {
			b.WriteString(" ")
			b.WriteString(string(r.Code))
		}
	}
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

// String returns "consent:ID" for a consent, the section (e.g. "42 CFR 2.51") for an
// exception or a redisclosure, and "" for none.
func (b Basis) String() string {
	switch b.Kind {
	case BasisKindConsent:
		return "consent:" + b.Consent
	case BasisKindException, BasisKindRedisclosure:
		return b.Section
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
