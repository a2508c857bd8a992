package referral

import (
	"time"

	"github.com/dyad-health/dyad/consent"
)

// ConsentRequest returns the request the referral's disclosure asks of the consent engine:
// may the program disclose SUD records about the patient to the partner, a recipient of the
// given kind, for the given purpose, at the given moment. Use PurposeTreatment for a referral
// for the partner's own services (consent needed), and PurposeQSOService with the service
// for a partner serving the program under a QSO agreement.
func (r *Referral) ConsentRequest(kind consent.RecipientKind, purpose consent.Purpose, service consent.Service, at time.Time) consent.Request {
	return consent.Request{
		Patient:     consent.Identifier{Value: r.draft.Patient},
		Discloser:   consent.Identifier{Value: r.draft.Program},
		Recipient:   consent.Party{ID: consent.Identifier{Value: r.draft.Partner}, Kind: kind},
		Purpose:     purpose,
		Information: []consent.InfoKind{consent.InfoKindSUDRecords},
		Service:     service,
		At:          at,
	}
}

// FromDecision records a consent decision for the request it answered. A permit resting on
// a consent keeps the consent's ID; a permit resting on the QSO exception (42 CFR 2.12(c)(4))
// keeps the ID of the agreement named by a reason or, failing that, of p's agreement with
// the discloser in force at the request's moment (p may be nil). Reasons keep their codes
// and citations; obligations their codes and citations; Until the end of the permit's basis.
// Messages are not kept. Referral identifiers have no system: an identifier with one is
// recorded as "system|value", which the record's validation refuses (fail closed).
func FromDecision(req consent.Request, d consent.Decision, p *Partner) ConsentRecord {
	// Record reads every part with one judging: a deny's reasons and citations are judged
	// again on each read, so reading them one by one would judge the request twice.
	rec := d.Record()
	c := ConsentRecord{
		Permit: d.Permit, Basis: d.Basis.Ref(),
		Patient: recordID(req.Patient), Discloser: recordID(req.Discloser), Recipient: recordID(req.Recipient.ID),
		DecidedAt: req.At, Until: rec.Until, Edition: d.Edition, Cites: rec.Citations,
	}
	reasons := rec.Reasons
	for _, r := range reasons {
		c.Reasons = append(c.Reasons, Reason{Code: string(r.Code), Cite: r.Cite})
	}
	for _, o := range rec.Obligations {
		c.Obligations = append(c.Obligations, Obligation{Code: o.Code.String(), Cite: o.Cite})
	}
	if !d.Permit {
		return c
	}
	switch {
	case d.Basis.Kind == consent.BasisKindConsent:
		c.ConsentID = d.Basis.Consent
	case d.Basis.Kind == consent.BasisKindException && d.Basis.Section == CiteQSO:
		for _, r := range reasons {
			if r.Agreement != "" {
				c.QSOAID = r.Agreement
				break
			}
		}
		if c.QSOAID == "" && p != nil {
			if a, ok := p.AgreementAt(recordID(req.Discloser), req.At); ok {
				c.QSOAID = a.ID
			}
		}
	}
	return c
}

// recordID writes a consent identifier as a referral identifier.
func recordID(id consent.Identifier) string {
	if id.System == "" {
		return id.Value
	}
	return id.System + "|" + id.Value
}

// Decider answers consent requests; *consent.Engine is one.
type Decider interface {
	Decide(consent.Request) consent.Decision
}

// AskConsent asks e about req and records the answer on the referral at req.At, permit or
// deny, returning what was recorded. The request must be this referral's (see
// ConsentRequest); the gate checks that the record names its patient, program and partner.
func (r *Referral) AskConsent(e Decider, req consent.Request, p *Partner, actor string) (ConsentRecord, error) {
	c := FromDecision(req, e.Decide(req), p)
	if err := r.RecordConsent(c, req.At, actor); err != nil {
		return ConsentRecord{}, err
	}
	return c, nil
}

// SendWith asks e, at the moment of sending, whether the program may disclose the
// referral's information to the partner (ConsentRequest with the given recipient kind,
// purpose and service), records the answer, and sends the referral if the gate then opens.
// Unlike Send, which relies on the decision and revocations already recorded on the
// referral, SendWith sees a consent revoked or expired since the last decision. A referral
// declared SUDNone is sent without asking. The recorded decision stays in the history even
// when the send is refused.
func (r *Referral) SendWith(e Decider, kind consent.RecipientKind, purpose consent.Purpose, service consent.Service, p *Partner, at time.Time, actor string) error {
	if r.draft.SUD.Gated() {
		if _, err := r.AskConsent(e, r.ConsentRequest(kind, purpose, service, at), p, actor); err != nil {
			return err
		}
	}
	return r.Send(at, actor)
}
