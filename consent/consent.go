package consent

import (
	"strings"
	"time"

	"github.com/dyad-health/dyad/internal/ident"
)

// Consent is a written consent of a patient under 42 CFR 2.31, holding every element of
// 2.31(a). It is a plain value: its JSON form is the CONSENT object of the conformance
// corpus, and consent/fhir maps FHIR Consent resources to and from it.
//
// The zero Consent is empty and fails validation; a consent that fails validation never
// permits anything (42 CFR 2.31(c)(2)). Times are instants; the consent is in force from
// SignedAt (inclusive) until the first of its expiration and its revocation (exclusive).
type Consent struct {
	// ID identifies the consent within an Engine; a decision's basis names it as
	// "consent:ID". It follows the identifier rule and may not itself begin with "consent:"
	// (Compile refuses it otherwise).
	ID string `json:"id"`
	// Patient is the patient's identifier, standing for the patient's name (2.31(a)(1)).
	// The name itself is never held by this package.
	Patient Identifier `json:"patient"`
	// Kind says which of the separate consents this is (2.31(b), (d)).
	Kind Kind `json:"kind"`
	// Disclosers are the identifiers of the programs, entities or persons named as permitted
	// to make the disclosure (2.31(a)(2)).
	Disclosers []Identifier `json:"disclosers,omitempty"`
	// DiscloserDesignation is a general designation of the disclosers when they are
	// not named (2.31(a)(2)). It satisfies validation but the engine cannot match a request
	// to it: only named disclosers are matched, so a consent that designates its disclosers
	// permits nothing through Decide (fail closed). It is never quoted in messages.
	DiscloserDesignation string `json:"discloser_designation,omitempty"`
	// Recipients are the named recipients, intermediaries or general designations of a class
	// of persons (2.31(a)(4)).
	Recipients []Recipient `json:"recipients,omitempty"`
	// Exclusions are the parties the patient excludes: "not to X" (the nested deny of a FHIR
	// consent). An excluded party receives nothing under this consent, however it would
	// otherwise be reached: named, covered by a designation, as an intermediary or one of its
	// members, or by a holder's redisclosure under 42 CFR 2.33. An exclusion restricts its
	// own consent only: another consent that names the party may still permit.
	Exclusions []Exclusion `json:"exclusions,omitempty"`
	// Purposes are the purposes of the use or disclosure (2.31(a)(5)).
	Purposes []Purpose `json:"purposes,omitempty"`
	// Information is the kinds of information covered (2.31(a)(3)).
	Information []InfoKind `json:"information,omitempty"`
	// InformationDescription is the specific and meaningful description of the information,
	// including the SUD information (2.31(a)(3)). It is free text, never quoted in messages.
	InformationDescription string `json:"information_description,omitempty"`
	// Expires is the expiration date, event or condition (2.31(a)(7)).
	Expires Expiry `json:"expires"`
	// SignedAt is the date signed (2.31(a)(9)).
	SignedAt time.Time `json:"signed_at,omitzero"`
	// Signer is who signed (2.31(a)(8)).
	Signer Signer `json:"signer,omitempty"`
	// Statements records which required statements the consent contains (2.31(a)(6), (a)(10)).
	Statements Statements `json:"statements"`
	// RevokedAt is when the program received the written revocation; zero if never revoked.
	// The consent stops counting from that instant, never before (2.31(c)(3)).
	RevokedAt time.Time `json:"revoked_at,omitzero"`
	// KnownFalse records that the consent is known, or through reasonable diligence could be
	// known, to be materially false (2.31(c)(4)). Without KnownFalseAt it counts at every
	// instant (fail closed).
	KnownFalse bool `json:"known_false,omitempty"`
	// KnownFalseAt is when the falsity became known; the consent stops counting from that
	// instant, never before. Setting it implies KnownFalse.
	KnownFalseAt time.Time `json:"known_false_at,omitzero"`
}

// knownFalseFrom returns whether the consent is known false and from when (zero: always).
func (c Consent) knownFalseFrom() (bool, time.Time) {
	return c.KnownFalse || !c.KnownFalseAt.IsZero(), c.KnownFalseAt
}

// Recipient is one entry of a consent's recipients (2.31(a)(4)): a named recipient (ID), a
// general designation of a class of persons (Designation), or an intermediary (ID with
// Intermediary set) with its named members or a general designation of them.
type Recipient struct {
	// ID is the recipient's identifier when it is named.
	ID Identifier `json:"id,omitzero"`
	// Designation is a general designation of a class of persons (2.31(a)(4)(i): "the
	// name(s) of the person(s), or class of persons"); the classes known are those of the
	// single TPO consent's description, "my treating providers, health plans, third-party
	// payers, and people helping to operate this program".
	Designation Designation `json:"designation,omitempty"`
	// Intermediary marks a named intermediary (2.11, 2.31(a)(4)(ii)). Setting Members or
	// MemberDesignation implies it.
	Intermediary bool `json:"intermediary,omitempty"`
	// Members are the named member participants of the intermediary (2.31(a)(4)(ii)(A)).
	Members []Identifier `json:"members,omitempty"`
	// MemberDesignation is a general designation of the intermediary's participants, which
	// must be limited to those with a treating provider relationship (2.31(a)(4)(ii)(B)).
	MemberDesignation Designation `json:"member_designation,omitempty"`
}

// IsIntermediary reports whether the entry names an intermediary.
func (r Recipient) IsIntermediary() bool {
	return r.Intermediary || len(r.Members) > 0 || r.MemberDesignation != DesignationUnknown
}

// Exclusion is a party a consent excludes: one named by identifier (ID), or every party a
// general designation covers (Designation), e.g. "not to health plans". Exactly one is set.
type Exclusion struct {
	// ID is the excluded party's identifier. It excludes every party that may be it: the
	// same value, whatever the system (one system has several spellings, such as the NPI's
	// URI and OID, which cannot be told here from two systems), the case of ASCII letters
	// and the dashes (a value has several spellings too: "DR-X", "dr-x", "drx"). Fail
	// closed for exclusions only: a permit needs the exact identifier.
	ID Identifier `json:"id,omitzero"`
	// Designation excludes every party of a kind the class may hold, whatever the purpose
	// (see Policy.PayerExclusionSparesTreatingProviders).
	Designation Designation `json:"designation,omitempty"`
}

// Expiry is a consent's expiration (2.31(a)(7)): exactly one of a date (At), an event (Event,
// with OccurredAt once it has happened) or None (allowed for a TPO consent only).
type Expiry struct {
	// At is the expiration instant; the consent does not count at or after it.
	At time.Time `json:"at,omitzero"`
	// Event names the expiration event or condition, e.g. "end of treatment". Free text,
	// never quoted in messages.
	Event string `json:"event,omitempty"`
	// OccurredAt is when the event occurred; zero while it has not.
	OccurredAt time.Time `json:"occurred_at,omitzero"`
	// None is the statement "none", sufficient for a TPO consent.
	None bool `json:"none,omitempty"`
}

// IsZero reports whether no expiration was stated.
func (e Expiry) IsZero() bool {
	return e.At.IsZero() && e.Event == "" && e.OccurredAt.IsZero() && !e.None
}

// end returns the instant from which the consent no longer counts, or the zero time.
func (e Expiry) end() time.Time {
	switch {
	case !e.At.IsZero() && !e.OccurredAt.IsZero():
		if e.OccurredAt.Before(e.At) {
			return e.OccurredAt
		}
		return e.At
	case !e.At.IsZero():
		return e.At
	default:
		return e.OccurredAt
	}
}

// Statements records which required statements a consent contains.
type Statements struct {
	// Revocation: the patient's right to revoke in writing, its exceptions and how to
	// revoke (2.31(a)(6)).
	Revocation bool `json:"revocation"`
	// Redisclosure: the potential for redisclosure once received, including by a HIPAA
	// covered entity or business associate (2.31(a)(4)(iii), (a)(10)).
	Redisclosure bool `json:"redisclosure"`
	// RefusalConsequences: the consequences of refusing to sign (2.31(a)(10)).
	RefusalConsequences bool `json:"refusal_consequences"`
}

// StatusAt returns the lifecycle status of the consent at instant t. Deficiency counts at
// every instant; otherwise the consent is NotYetSigned before SignedAt, KnownFalse from
// KnownFalseAt (at every instant when KnownFalse is set without a time), Revoked from
// RevokedAt, Expired from its expiration instant or the occurrence of its expiration event,
// and InForce otherwise. Each counts from its instant, never before; when several hold, the
// first in that order is reported.
func (c Consent) StatusAt(t time.Time) Status {
	if hasErrors(c.Problems()) {
		return StatusDeficient
	}
	kf, kfAt := c.knownFalseFrom()
	return lifecycle(t, c.SignedAt, kf, kfAt, c.RevokedAt, c.Expires.end())
}

func lifecycle(t, signed time.Time, knownFalse bool, falseAt, revoked, expires time.Time) Status {
	switch {
	case knownFalse && falseAt.IsZero():
		return StatusKnownFalse
	case t.Before(signed):
		return StatusNotYetSigned
	case knownFalse && !t.Before(falseAt):
		return StatusKnownFalse
	case !revoked.IsZero() && !t.Before(revoked):
		return StatusRevoked
	case !expires.IsZero() && !t.Before(expires):
		return StatusExpired
	}
	return StatusInForce
}

// Problems returns every problem of the consent's form (42 CFR 2.31(a), (b), (d)), in a
// fixed order, or nil. It does not judge time: see StatusAt.
func (c Consent) Problems() []Problem {
	var ps []Problem
	add := func(code Code, cite, msg string) {
		ps = append(ps, Problem{Code: code, Severity: SeverityError, Cite: cite, Message: msg})
	}
	if !c.Kind.IsValid() {
		add(CodeUnknownKind, "42 CFR 2.31(a)", "The kind of consent is missing or unknown.")
	}
	switch {
	case c.Patient.Value == "":
		add(CodeMissingPatient, "42 CFR 2.31(a)(1)", "The consent does not identify the patient.")
	case !c.Patient.IsValid():
		add(CodeInvalidIdentifier, "42 CFR 2.31(a)(1)", "The patient's identifier breaks the identifier rule. "+ident.Rule)
	}
	if len(c.Disclosers) == 0 && c.DiscloserDesignation == "" {
		add(CodeMissingDiscloser, "42 CFR 2.31(a)(2)", "The consent names no one permitted to make the disclosure.")
	}
	for _, d := range c.Disclosers {
		if d.Value == "" {
			add(CodeMissingDiscloser, "42 CFR 2.31(a)(2)", "A discloser entry is empty.")
			break
		}
	}
	for _, d := range c.Disclosers {
		if d.Value != "" && !d.IsValid() {
			add(CodeInvalidIdentifier, "42 CFR 2.31(a)(2)", "A discloser's identifier breaks the identifier rule. "+ident.Rule)
			break
		}
	}
	c.infoProblems(add)
	c.recipientProblems(add)
	c.exclusionProblems(add)
	c.purposeProblems(add)
	if !c.Statements.Revocation {
		add(CodeMissingRevocation, "42 CFR 2.31(a)(6)", "The consent lacks the statement of the right to revoke in writing and how to revoke.")
	}
	c.expiryProblems(add)
	if !c.Signer.IsValid() {
		add(CodeUnknownSigner, "42 CFR 2.31(a)(8)", "The consent is not signed by the patient or a person authorized to sign in lieu of the patient.")
	}
	if c.SignedAt.IsZero() {
		add(CodeMissingSignedDate, "42 CFR 2.31(a)(9)", "The consent has no date signed.")
	}
	if !c.Statements.Redisclosure {
		add(CodeMissingRedisclosure, "42 CFR 2.31(a)(10)", "The consent lacks the statement on the potential for redisclosure once received.")
	}
	if !c.Statements.RefusalConsequences {
		add(CodeMissingRefusal, "42 CFR 2.31(a)(10)", "The consent lacks the statement of the consequences of refusing to sign.")
	}
	if !c.RevokedAt.IsZero() && !c.SignedAt.IsZero() && c.RevokedAt.Before(c.SignedAt) {
		add(CodeRevokedBeforeSigned, "42 CFR 2.31(c)(3)", "The revocation is dated before the consent was signed; the facts contradict each other.")
	}
	return ps
}

func (c *Consent) infoProblems(add func(Code, string, string)) {
	if len(c.Information) == 0 {
		add(CodeMissingInformation, "42 CFR 2.31(a)(3)", "The consent does not say what kind of information may be disclosed.")
	}
	notes, other := false, false
	for _, k := range c.Information {
		switch k {
		case InfoKindCounselingNotes:
			notes = true
		case InfoKindSUDRecords:
			other = true
		case InfoKindPatientIdentity:
		default:
			add(CodeUnknownInformation, "42 CFR 2.31(a)(3)", "An information kind is unknown; it cannot be described in a specific and meaningful way.")
		}
	}
	if c.InformationDescription == "" {
		add(CodeMissingDescription, "42 CFR 2.31(a)(3)", "The consent lacks a specific and meaningful description of the information, including the SUD information.")
	}
	switch {
	case notes && c.Kind != KindCounselingNotes:
		add(CodeCounselingNotesCombined, "42 CFR 2.31(b)", "SUD counseling notes may be covered only by a consent for counseling notes alone.")
	case c.Kind == KindCounselingNotes && other:
		add(CodeCounselingNotesCombined, "42 CFR 2.31(b)", "A consent for SUD counseling notes may not cover other records.")
	case c.Kind == KindCounselingNotes && !notes && len(c.Information) > 0:
		add(CodeCounselingNotesCombined, "42 CFR 2.31(b)", "A consent for SUD counseling notes does not cover counseling notes.")
	}
}

func (c *Consent) recipientProblems(add func(Code, string, string)) {
	if len(c.Recipients) == 0 {
		add(CodeMissingRecipient, "42 CFR 2.31(a)(4)(i)", "The consent names no recipient.")
	}
	badID := false
	for _, r := range c.Recipients {
		if r.ID.IsZero() && r.Designation == DesignationUnknown {
			add(CodeIncompleteRecipient, "42 CFR 2.31(a)(4)(i)", "A recipient entry has neither a name nor a known general designation.")
			continue
		}
		if !r.ID.IsZero() && r.Designation != DesignationUnknown {
			add(CodeIncompleteRecipient, "42 CFR 2.31(a)(4)(i)", "A recipient entry has both a name and a general designation.")
		}
		if r.Designation != DesignationUnknown && !r.Designation.IsValid() {
			add(CodeUnknownDesignation, "42 CFR 2.31(a)(4)(i)", "A recipient's general designation is unknown.")
		}
		if !r.ID.IsZero() && !r.ID.IsValid() {
			badID = true
		}
		for _, m := range r.Members {
			if !m.IsValid() {
				badID = true
			}
		}
		if r.IsIntermediary() {
			if r.ID.IsZero() {
				add(CodeIncompleteRecipient, "42 CFR 2.31(a)(4)(ii)", "An intermediary is not named.")
			}
			if len(r.Members) == 0 && r.MemberDesignation == DesignationUnknown {
				add(CodeIntermediaryNoMembers, "42 CFR 2.31(a)(4)(ii)", "An intermediary is named without its member participants or a general designation of them.")
			}
			if r.MemberDesignation != DesignationUnknown && r.MemberDesignation != DesignationTreatingProviders {
				add(CodeMemberDesignation, "42 CFR 2.31(a)(4)(ii)(B)", "A general designation of an intermediary's participants must be limited to those with a treating provider relationship with the patient.")
			}
		}
	}
	if badID {
		add(CodeInvalidIdentifier, "42 CFR 2.31(a)(4)", "A recipient's or member's identifier breaks the identifier rule. "+ident.Rule)
	}
}

// exclusionProblems checks the exclusions: each names a party or a known designation, not
// both. A malformed exclusion makes the consent deficient: what it excludes cannot be told.
func (c *Consent) exclusionProblems(add func(Code, string, string)) {
	for _, x := range c.Exclusions {
		switch {
		case x.ID.IsZero() == (x.Designation == DesignationUnknown):
			add(CodeIncompleteExclusion, "42 CFR 2.31(a)(4)", "An exclusion must name exactly one party or one known general designation.")
		case x.Designation != DesignationUnknown && !x.Designation.IsValid():
			add(CodeIncompleteExclusion, "42 CFR 2.31(a)(4)", "An excluded general designation is unknown.")
		case !x.ID.IsZero() && !x.ID.IsValid():
			add(CodeInvalidIdentifier, "42 CFR 2.31(a)(4)", "An excluded party's identifier breaks the identifier rule. "+ident.Rule)
		default:
			continue
		}
		return
	}
}

func (c *Consent) purposeProblems(add func(Code, string, string)) {
	if len(c.Purposes) == 0 {
		add(CodeMissingPurpose, "42 CFR 2.31(a)(5)", "The consent states no purpose.")
	}
	proceedings := false
	for _, p := range c.Purposes {
		if !p.IsValid() {
			add(CodeUnknownPurpose, "42 CFR 2.31(a)(5)", "A purpose is unknown.")
			continue
		}
		if p == PurposeProceedings {
			proceedings = true
		}
		switch c.Kind {
		case KindTPO:
			if p != PurposeTreatment && p != PurposePayment && p != PurposeOperations {
				add(CodePurposeOutsideKind, "42 CFR 2.31(a)(5)", "A single TPO consent covers only treatment, payment and health care operations.")
			}
		case KindProceedings:
			if p != PurposeProceedings {
				add(CodeProceedingsCombined, "42 CFR 2.31(d)", "A consent for use in proceedings may not be combined with any other purpose.")
			}
		case KindResearch:
			if p != PurposeResearch {
				add(CodePurposeOutsideKind, "42 CFR 2.31(a)(5)", "A research consent covers only research.")
			}
		}
	}
	if proceedings && c.Kind != KindProceedings && c.Kind.IsValid() {
		add(CodeProceedingsCombined, "42 CFR 2.31(d)", "Use in proceedings needs a separate consent that is never combined with another.")
	}
}

func (c *Consent) expiryProblems(add func(Code, string, string)) {
	e := c.Expires
	set := 0
	if !e.At.IsZero() {
		set++
	}
	if e.Event != "" {
		set++
	}
	if e.None {
		set++
	}
	switch {
	case e.IsZero():
		add(CodeMissingExpiration, "42 CFR 2.31(a)(7)", "The consent has no expiration date, event or condition.")
		return
	case set != 1 || (!e.OccurredAt.IsZero() && e.Event == ""):
		add(CodeExpirationAmbiguous, "42 CFR 2.31(a)(7)", "The expiration must be exactly one of a date, an event or \"none\".")
	}
	if e.None && c.Kind != KindTPO {
		add(CodeExpirationNoneNotAllowed, "42 CFR 2.31(a)(7)", "An expiration of \"none\" is sufficient only for a single TPO consent.")
	}
	if !e.At.IsZero() && !c.SignedAt.IsZero() && !e.At.After(c.SignedAt) {
		add(CodeExpiresBeforeSigned, "42 CFR 2.31(a)(7)", "The consent expires before or when it is signed.")
	}
}

// Validate returns nil if the consent conforms to 42 CFR 2.31(a), (b) and (d), and otherwise
// a *ValidationError listing every problem (it matches ErrInvalidConsent).
func (c Consent) Validate() error {
	ps := c.Problems()
	if len(ps) == 0 {
		return nil
	}
	return &ValidationError{What: "consent", ID: c.ID, Problems: ps}
}

// checkID checks a consent's or agreement's own ID for Compile: present, under the
// identifier rule, and, for a consent, not beginning with "consent:" (a basis is written
// "consent:ID", and ReceivedUnder accepts that form: an ID with the prefix would be
// confusable with another consent's basis).
func checkID(what, id string, i int, isConsent bool) error {
	switch {
	case id == "":
		return &compileError{sentinel: ErrMissingID, what: what, index: i}
	case !ident.Valid(id), isConsent && strings.HasPrefix(id, basisPrefix):
		return &compileError{sentinel: ErrInvalidID, what: what, index: i, id: id}
	}
	return nil
}

func hasErrors(ps []Problem) bool {
	for _, p := range ps {
		if p.Severity == SeverityError {
			return true
		}
	}
	return false
}
