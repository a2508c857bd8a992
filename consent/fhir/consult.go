package fhir

import (
	"time"

	"github.com/dyad-health/dyad/consent"
)

// ConsultContext is the context of a consent-decision query in the shape consent decision
// services use with CDS Hooks (the LEAP service's patient-consent-consult hook): who the
// patient is, who the actors receiving the data are, why, and which classes of data.
type ConsultContext struct {
	// PatientID holds the patient's identifiers.
	PatientID []Identifier `json:"patientId"`
	// Actor holds the identifiers of the recipients; each gets its own request.
	Actor []Identifier `json:"actor"`
	// PurposeOfUse is an HL7 v3 ActReason purpose-of-use code, such as TREAT.
	PurposeOfUse string `json:"purposeOfUse"`
	// Class holds the classes of data to be shared, as security-label codings: v3 ActCode
	// SUD, ETH or 42CFRPart2 for SUD records, or SystemInformation codes.
	Class []Coding `json:"class,omitempty"`
}

// Query holds what a consent request needs beyond a ConsultContext: who discloses, what the
// recipients are, when, and the facts an exception needs.
type Query struct {
	// Discloser is the identifier of the party that would disclose.
	Discloser consent.Identifier
	// Holder is set when the discloser is a holder redisclosing records (42 CFR 2.33).
	Holder *consent.Holder
	// RecipientKind is what the actors are.
	RecipientKind consent.RecipientKind
	// At is the instant judged.
	At time.Time
	// Facts are the facts the exceptions to consent need.
	Facts consent.Facts
	// Information is the information of every request when the context has no class.
	Information []consent.InfoKind
	// PatientSystem, when set, chooses the patient's identifier among the context's: the one
	// of this system. When empty, the context must hold exactly one patient identifier.
	PatientSystem string
	// ActorSystem, when set, is the system every actor identifier must have: an actor of
	// another system, or of none, is an error, never skipped (an answer speaks for every
	// actor of the context).
	ActorSystem string
}

// Requests builds one consent request per actor of the context, in order; each carries the
// identifiers as given, system and value, and the engine matches neither without the other.
// An unknown purpose-of-use code or class code is kept as an unknown value, which the engine
// denies with a reason. The error, a *MappingError, says what cannot be judged: no patient
// identifier (of PatientSystem), several that differ, no actor, an actor without a value or
// of another system than ActorSystem, or no information (no class and no
// Query.Information). No actor is ever left out.
func (q Query) Requests(ctx ConsultContext) ([]consent.Request, error) {
	m := mapper{}
	var patient consent.Identifier
	n := 0
	for _, id := range ctx.PatientID {
		if id.Value == "" || (q.PatientSystem != "" && id.System != q.PatientSystem) {
			continue
		}
		got := consent.Identifier{System: id.System, Value: id.Value}
		if n > 0 && got != patient {
			m.add(CodeConflict, "context.patientId", "Several patient identifiers: set Query.PatientSystem to choose the one the consents use.")
			break
		}
		patient, n = got, n+1
	}
	if n == 0 {
		m.add(CodeReference, "context.patientId", "No patient identifier of the expected system.")
	}
	actors := make([]consent.Identifier, 0, len(ctx.Actor))
	for i, id := range ctx.Actor {
		switch {
		case id.Value == "":
			m.add(CodeReference, idx("context.actor", i), "The actor has no identifier value; it cannot be judged.")
		case q.ActorSystem != "" && id.System != q.ActorSystem:
			m.add(CodeReference, idx("context.actor", i)+".system", "The actor's identifier is not of Query.ActorSystem; it cannot be judged.")
		default:
			actors = append(actors, consent.Identifier{System: id.System, Value: id.Value})
		}
	}
	if len(ctx.Actor) == 0 {
		m.add(CodeReference, "context.actor", "No actor identifier.")
	}
	purpose, _ := ParsePurposeCoding(Coding{System: SystemActReason, Code: ctx.PurposeOfUse})
	info := make([]consent.InfoKind, 0, len(ctx.Class))
	for _, c := range ctx.Class {
		k, _ := ParseInformationCoding(c)
		info = append(info, k)
	}
	if len(info) == 0 {
		info = append(info, q.Information...)
	}
	if len(info) == 0 {
		m.add(CodeUnmappable, "context.class", "No class of data and no default information.")
	}
	if len(m.probs) > 0 {
		return nil, &MappingError{Problems: m.probs}
	}
	rs := make([]consent.Request, len(actors))
	for i, a := range actors {
		rs[i] = consent.Request{
			Patient:     patient,
			Discloser:   q.Discloser,
			Holder:      q.Holder,
			Recipient:   consent.Party{ID: a, Kind: q.RecipientKind},
			Purpose:     purpose,
			Information: info,
			At:          q.At,
			Facts:       q.Facts,
		}
	}
	return rs, nil
}

// Answer is the answer of a consent decision service.
type Answer string

// Answers, as the LEAP consent decision service names them.
const (
	AnswerPermit    Answer = "CONSENT_PERMIT" // every actor may receive the data
	AnswerDeny      Answer = "CONSENT_DENY"   // at least one actor may not
	AnswerNoConsent Answer = "NO_CONSENT"     // denied, and the patient has no consent on file
)

// ConsultResult is the answer to a consent-decision query.
type ConsultResult struct {
	// Answer sums up the decisions.
	Answer Answer
	// Decisions holds one decision per actor, in the order of the context's actors.
	Decisions []consent.Decision
	// Labels are the security labels the shared data must carry; nil unless permitted.
	Labels []Coding
}

// Consult answers a consent-decision query: it builds the requests (Query.Requests), decides
// each, and answers CONSENT_PERMIT only when every actor of the context is permitted (an
// actor that cannot be judged makes the query an error, never a skipped actor). A deny for a
// patient with no consent on file (and no unmappable one) answers NO_CONSENT.
func (e *Engine) Consult(q Query, ctx ConsultContext) (ConsultResult, error) {
	rs, err := q.Requests(ctx)
	if err != nil {
		return ConsultResult{}, err
	}
	res := ConsultResult{Answer: AnswerPermit, Decisions: make([]consent.Decision, len(rs))}
	for i, r := range rs {
		res.Decisions[i] = e.Decide(r)
		if !res.Decisions[i].Permit {
			res.Answer = AnswerDeny
		}
	}
	switch {
	case res.Answer == AnswerPermit:
		res.Labels = Labels(res.Decisions[0])
	case len(e.Consents().Consents(rs[0].Patient)) == 0 && !e.Doubtful(rs[0].Patient):
		res.Answer = AnswerNoConsent
	}
	return res, nil
}
