package referral

import (
	"slices"
	"strconv"
	"time"
)

// Reason is one reason of a gate decision: a stable code (API), the citation of the rule,
// and a plain sentence (not API) that never holds patient data.
type Reason struct {
	Code    string `json:"code"`           // stable code, e.g. "consent_revoked"
	Cite    string `json:"cite,omitempty"` // the rule's citation
	Message string `json:"message"`        // a plain sentence, not API
}

// Obligation is a duty that travels with a disclosure, as data: a stable code such as
// "notice_2_32" (attach the 42 CFR 2.32 notice) or "record_disclosure" (enter it in the
// accounting of disclosures, 42 CFR 2.25), and its citation.
type Obligation struct {
	Code string `json:"code"`           // stable code, e.g. "notice_2_32"
	Cite string `json:"cite,omitempty"` // its citation
}

// ConsentRecord is a consent decision as recorded on a referral: the outcome of asking the
// consent engine whether the program may disclose this referral's information to the
// partner, with the basis it rests on and the obligations it carries. FromDecision builds
// one from a consent.Decision; it keeps only identifiers, codes and citations, and
// RecordConsent refuses a record holding anything else (ProblemNotReference: a basis,
// edition or citation not in its form, see cite.go, or a reason with a message).
type ConsentRecord struct {
	Permit bool `json:"permit"` // whether the decision permits the disclosure
	// Basis is the decision's basis as the consent engine names it, e.g. "consent:c1".
	Basis string `json:"basis,omitempty"`
	// ConsentID is the identifier of the written consent a permit rests on (42 CFR 2.31), or "".
	ConsentID string `json:"consent_id,omitempty"`
	// QSOAID is the identifier of the QSO agreement a permit rests on (42 CFR 2.12(c)(4)), or "".
	QSOAID string `json:"qsoa_id,omitempty"`
	// Patient, Discloser and Recipient are the identifiers the decision was asked about.
	Patient   string `json:"patient"`   // the patient's identifier
	Discloser string `json:"discloser"` // the program's identifier
	Recipient string `json:"recipient"` // the partner's identifier
	// DecidedAt is the moment the decision judged.
	DecidedAt time.Time `json:"decided_at"`
	// Until is, on a permit, the moment from which its basis no longer counts as the engine
	// knew it (the consent's expiry or revocation, the QSO agreement's expiry); zero when no
	// end was known. The gate refuses the permit from then on (42 CFR 2.31(c)(1)).
	Until time.Time `json:"until,omitzero"`
	// Edition names the rule edition the engine applied, e.g. "42 CFR part 2 (2024)".
	Edition     string       `json:"edition,omitempty"`
	Cites       []string     `json:"cites,omitempty"`       // the decision's citations
	Reasons     []Reason     `json:"reasons,omitempty"`     // the decision's reasons (codes and citations)
	Obligations []Obligation `json:"obligations,omitempty"` // what the discloser must do on a permit
}

func (c ConsentRecord) clone() ConsentRecord {
	c.Cites = slices.Clone(c.Cites)
	c.Reasons = slices.Clone(c.Reasons)
	c.Obligations = slices.Clone(c.Obligations)
	return c
}

func (c ConsentRecord) validate(p *problems, field string) {
	checkID(p, field, "patient", c.Patient)
	checkID(p, field, "discloser", c.Discloser)
	checkID(p, field, "recipient", c.Recipient)
	if c.ConsentID != "" {
		checkID(p, field, "consent_id", c.ConsentID)
	}
	if c.QSOAID != "" {
		checkID(p, field, "qsoa_id", c.QSOAID)
	}
	if c.DecidedAt.IsZero() {
		p.addf("decision_time_missing", field, "decided_at", "", "A consent decision records the moment it judged.")
	}
	ref := func(name string, ok bool) {
		if !ok {
			p.addf(ProblemNotReference, field, name, "", "A consent record keeps identifiers, codes and citations only; this is not a reference of its form (see cite.go).")
		}
	}
	ref("basis", c.Basis == "" || isBasisRef(c.Basis))
	ref("edition", c.Edition == "" || isEdition(c.Edition))
	for i, s := range c.Cites {
		ref("cites["+strconv.Itoa(i)+"]", isCitation(s))
	}
	for i, r := range c.Reasons {
		at := "reasons[" + strconv.Itoa(i) + "]"
		if !isCode(r.Code) {
			p.addf("reason_not_code", field, at+".code", "", "A reason code is a snake_case code.")
		}
		ref(at+".cite", r.Cite == "" || isCitation(r.Cite))
		// A recorded reason keeps its code and citation; its sentence is not kept
		// (FromDecision drops it), since nothing but a reference may enter a referral.
		ref(at+".message", r.Message == "")
	}
	for i, o := range c.Obligations {
		at := "obligations[" + strconv.Itoa(i) + "]"
		if !isCode(o.Code) {
			p.addf("obligation_not_code", field, at+".code", "", "An obligation code is a snake_case code.")
		}
		ref(at+".cite", o.Cite == "" || isCitation(o.Cite))
	}
}

// GateDecision is the consent gate's answer for a move to requested at a moment: whether it
// is allowed, every reason, and the obligations that travel with the referral when it is.
// The zero value denies.
type GateDecision struct {
	Allow       bool         `json:"allow"`                 // whether the move to requested is allowed
	Reasons     []Reason     `json:"reasons"`               // every reason, in a fixed order
	Obligations []Obligation `json:"obligations,omitempty"` // what travels with the referral on allow
}

// Gate reason codes (stable API).
const (
	GateSUDNone         = "sud_none_declared"        // allowed: the referral explicitly carries no Part 2 information
	GateSUDUndeclared   = "sud_undeclared"           // the referral does not say whether it carries SUD information: treated as carrying it
	GateConsentMissing  = "consent_missing"          // no consent decision is recorded
	GateConsentDenied   = "consent_denied"           // the recorded decision denies
	GateBasisNotAllowed = "basis_not_consent_or_qso" // the permit rests on neither a consent nor a QSO agreement
	GateWrongPatient    = "consent_other_patient"    // the decision was asked for another patient
	GateWrongDiscloser  = "consent_other_discloser"  // the decision was asked for another discloser
	GateWrongRecipient  = "consent_other_recipient"  // the decision was asked for another recipient
	GateDecidedLater    = "consent_decided_later"    // the decision judged a moment after the one being judged
	GateRevoked         = "consent_revoked"          // the consent or QSO agreement relied on was revoked before this moment
	GateExpired         = "consent_expired"          // the basis of the recorded permit had stopped counting (expired) by this moment
	GateConsentPermits  = "consent_permits"          // allowed by a written consent
	GateQSOAPermits     = "qso_agreement_permits"    // allowed by a QSO agreement
)

// Gate judges, at the given moment, whether the referral may move to requested. A referral
// declared SUDNone passes and says so. Any other referral needs a recorded permitting
// decision, asked for this patient, this program and this partner, judged no later than
// at, resting on a written consent (42 CFR 2.31) or a QSO agreement (42 CFR 2.12(c)(4)),
// whose basis had not stopped counting by at (the record's Until: an expired consent or
// agreement, 42 CFR 2.31(c)(1)), and not relying on a consent or agreement revoked at or
// before at. Every failing condition is listed. On allow, the decision's obligations travel with the referral.
func (r *Referral) Gate(at time.Time) GateDecision {
	if r.draft.SUD == SUDNone {
		return GateDecision{Allow: true, Reasons: []Reason{{Code: GateSUDNone,
			Message: "The referral is declared to carry no substance use disorder information."}}}
	}
	var rs []Reason
	deny := func(code, cite, msg string) { rs = append(rs, Reason{Code: code, Cite: cite, Message: msg}) }
	if r.draft.SUD != SUDCarries {
		deny(GateSUDUndeclared, CiteConsent, "The referral does not declare whether it carries SUD information, so it is treated as carrying it.")
	}
	c := r.consent
	if c == nil {
		deny(GateConsentMissing, CiteConsent, "No consent decision is recorded on the referral.")
		return GateDecision{Reasons: rs}
	}
	if !c.Permit {
		deny(GateConsentDenied, firstCite(c.Cites, CiteConsent), "The recorded consent decision denies the disclosure.")
	}
	if c.Permit && c.ConsentID == "" && c.QSOAID == "" {
		deny(GateBasisNotAllowed, CiteConsent, "The recorded permit rests on neither a written consent nor a QSO agreement.")
	}
	if c.Patient != r.draft.Patient {
		deny(GateWrongPatient, CiteConsent, "The recorded decision was asked for another patient.")
	}
	if c.Discloser != r.draft.Program {
		deny(GateWrongDiscloser, CiteConsent, "The recorded decision was asked for another discloser.")
	}
	if c.Recipient != r.draft.Partner {
		deny(GateWrongRecipient, CiteConsent, "The recorded decision was asked for another recipient.")
	}
	if c.DecidedAt.After(at) {
		deny(GateDecidedLater, CiteConsent, "The recorded decision judged a later moment than the one being judged.")
	}
	if c.Permit && !c.Until.IsZero() && !at.Before(c.Until) {
		deny(GateExpired, CiteConsentInvalid, "The consent or agreement the decision rests on no longer counted at this moment (it had expired).")
	}
	for _, v := range r.revoked {
		if !v.at.After(at) && (v.id == c.ConsentID || v.id == c.QSOAID) {
			deny(GateRevoked, CiteConsentInvalid, "The consent or agreement the decision rests on was revoked.")
			break
		}
	}
	if len(rs) > 0 {
		return GateDecision{Reasons: rs}
	}
	ok := Reason{Code: GateConsentPermits, Cite: CiteConsent, Message: "A written consent permits the disclosure to the partner."}
	if c.ConsentID == "" {
		ok = Reason{Code: GateQSOAPermits, Cite: CiteQSO, Message: "A QSO agreement permits the disclosure to the partner."}
	}
	return GateDecision{Allow: true, Reasons: []Reason{ok}, Obligations: slices.Clone(c.Obligations)}
}

func firstCite(cs []string, def string) string {
	if len(cs) > 0 {
		return cs[0]
	}
	return def
}
