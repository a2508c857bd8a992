package fhir

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/internal/jsonin"
)

// ConsultContext is the context of a consent-decision query in the shape consent decision
// services use with CDS Hooks (the LEAP service's patient-consent-consult hook): who the
// patient is, who the actor receiving the data is, why, and which classes of data.
type ConsultContext struct {
	// PatientID holds the patient's identifiers.
	PatientID []Identifier `json:"patientId"`
	// Actor holds the identifiers of the one actor (the recipient) the query is about, as
	// the hook defines it ("identifiers of the actor"): several identifiers name the same
	// party (an NPI and a local id, say).
	Actor []Identifier `json:"actor"`
	// PurposeOfUse holds HL7 v3 ActReason purpose-of-use codes, such as TREAT. The hook
	// sends one code or an array of them; every purpose is judged.
	PurposeOfUse Purposes `json:"purposeOfUse,omitempty"`
	// Class holds the classes of data to be shared: security-label codings (v3 ActCode SUD,
	// ETH, ETHUD, OPIOIDUD or 42CFRPart2 for SUD records, or SystemInformation codes) or
	// content classes (a resource type, a format code, a MIME type), which narrow the data
	// within Query.Information.
	Class []Coding `json:"class,omitempty"`
}

// Purposes is a list of purpose-of-use codes that reads from JSON as either one string or
// an array of strings (the patient-consent-consult hook allows both), and writes one code
// as a string and several as an array.
type Purposes []string

// UnmarshalJSON reads a string or an array of strings, with the library's JSON reader;
// anything else is a *jsonin.ValueError with code wrong_type (the value is never quoted).
func (p *Purposes) UnmarshalJSON(b []byte) error {
	r := jsonin.NewParser(b, jsonin.Options{MaxDepth: 2})
	var out Purposes
	wrong := false
	switch r.Peek() {
	case '"':
		s, _ := r.String()
		out = Purposes{string(s)}
	case '[':
		out = Purposes{}
		r.Array(func(int) {
			if r.Peek() != '"' {
				wrong = true
				r.Skip()
				return
			}
			s, _ := r.String()
			out = append(out, string(s))
		})
	default:
		wrong = true
		r.Skip()
	}
	if err := r.End(); err != nil || wrong {
		return &jsonin.ValueError{Code: jsonin.CodeWrongType, Message: "A purpose of use is a string or an array of strings."}
	}
	*p = out
	return nil
}

// MarshalJSON writes one code as a string and several as an array.
func (p Purposes) MarshalJSON() ([]byte, error) {
	if len(p) == 1 {
		return json.Marshal(p[0])
	}
	return json.Marshal([]string(p))
}

// Query holds what a consent request needs beyond a ConsultContext: who discloses, what the
// recipients are, when, and the facts an exception needs.
type Query struct {
	// Discloser is the identifier of the party that would disclose.
	Discloser consent.Identifier
	// Holder is set when the discloser is a holder redisclosing records (42 CFR 2.33).
	Holder *consent.Holder
	// RecipientKind is what the actor is.
	RecipientKind consent.RecipientKind
	// At is the instant judged.
	At time.Time
	// Facts are the facts the exceptions to consent need.
	Facts consent.Facts
	// Information is the information of every request when the context has no class, and
	// the information a content class (a resource type, a format code, a MIME type) narrows.
	Information []consent.InfoKind
	// PatientSystem, when set, chooses the patient's identifier among the context's: the one
	// of this system. When empty, the context must hold exactly one patient identifier.
	PatientSystem string
	// ActorSystem, when set, is the system every actor identifier must have: an actor of
	// another system, or of none, is an error, never skipped (an answer speaks for every
	// identifier of the actor).
	ActorSystem string
}

// contentClassSystems are the systems of content classes: which resources, documents or
// formats are shared, within a kind of information. They are the content class systems of
// the LEAP consent decision service (lib/consent-valuesets.js, CONTENT_CLASS_SYSTEMS).
var contentClassSystems = [...]string{
	"http://hl7.org/fhir/resource-types",
	"http://ihe.net/fhir/ValueSet/IHE.FormatCode.codesystem",
	"urn:ietf:rfc:3986",
	"urn:ietf:bcp:13",
}

// requestInfo reads a class of the context as the kinds of information requested. A label
// that names part of a kind (ETHUD, OPIOIDUD) asks for that kind (a request is judged for
// the whole kind, which no consent for less covers); a content class asks for the
// information of the query (Query.Information) restricted to that content; anything else
// is unknown, which the engine denies.
func requestInfo(c Coding, dflt []consent.InfoKind) []consent.InfoKind {
	if c.System == SystemInformation && c.Code == "unknown" {
		return []consent.InfoKind{consent.InfoKindUnknown}
	}
	if k, _ := parseLabel(c); k != consent.InfoKindUnknown {
		return []consent.InfoKind{k}
	}
	if slices.Contains(contentClassSystems[:], c.System) && len(dflt) > 0 {
		return dflt
	}
	return []consent.InfoKind{consent.InfoKindUnknown}
}

// Requests builds the consent requests of the context: for each purpose of use (in order),
// one request per identifier of the actor (in order), each with the identifiers as given,
// system and value (the engine matches neither without the other). An unknown purpose-of-use
// code or class code is kept as an unknown value, which the engine denies with a reason.
// The error, a *MappingError, says what cannot be judged: no patient identifier (of
// PatientSystem), several that differ, no actor identifier, one without a value or of
// another system than ActorSystem, no purpose of use, or no information (no class and no
// Query.Information). No identifier is ever left out.
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
			m.add(CodeReference, idx("context.actor", i), "The actor identifier has no value; it cannot be judged.")
		case q.ActorSystem != "" && id.System != q.ActorSystem:
			m.add(CodeReference, idx("context.actor", i)+".system", "The actor's identifier is not of Query.ActorSystem; it cannot be judged.")
		default:
			actors = append(actors, consent.Identifier{System: id.System, Value: id.Value})
		}
	}
	if len(ctx.Actor) == 0 {
		m.add(CodeReference, "context.actor", "No actor identifier.")
	}
	if len(ctx.PurposeOfUse) == 0 {
		m.add(CodeUnmappable, "context.purposeOfUse", "No purpose of use; a Part 2 disclosure is judged for a purpose.")
	}
	purposes := make([]consent.Purpose, len(ctx.PurposeOfUse))
	for i, code := range ctx.PurposeOfUse {
		purposes[i], _ = ParsePurposeCoding(Coding{System: SystemActReason, Code: code})
	}
	info := make([]consent.InfoKind, 0, len(ctx.Class))
	for _, c := range ctx.Class {
		for _, k := range requestInfo(c, q.Information) {
			if !slices.Contains(info, k) {
				info = append(info, k)
			}
		}
	}
	if len(ctx.Class) == 0 {
		info = append(info, q.Information...)
	}
	if len(info) == 0 {
		m.add(CodeUnmappable, "context.class", "No class of data and no default information.")
	}
	if len(m.probs) > 0 {
		return nil, &MappingError{Problems: m.probs}
	}
	rs := make([]consent.Request, 0, len(actors)*len(purposes))
	for _, pu := range purposes {
		for _, a := range actors {
			rs = append(rs, consent.Request{
				Patient:     patient,
				Discloser:   q.Discloser,
				Holder:      q.Holder,
				Recipient:   consent.Party{ID: a, Kind: q.RecipientKind},
				Purpose:     pu,
				Information: info,
				At:          q.At,
				Facts:       q.Facts,
			})
		}
	}
	return rs, nil
}

// Answer is the answer of a consent decision service.
type Answer string

// Answers, as the LEAP consent decision service names them.
const (
	AnswerPermit    Answer = "CONSENT_PERMIT" // the actor may receive the data, for every purpose asked
	AnswerDeny      Answer = "CONSENT_DENY"   // it may not, for at least one purpose
	AnswerNoConsent Answer = "NO_CONSENT"     // denied, and the patient has no consent on file
)

// ConsultResult is the answer to a consent-decision query.
type ConsultResult struct {
	// Answer sums up the decisions.
	Answer Answer
	// Decisions holds the actor's decision for each purpose of use, in order (Engine.DecideActor:
	// the actor is permitted under one of its identifiers, and excluded or refused under
	// none).
	Decisions []consent.Decision
	// Decision is the decision the answer rests on: the first deny, or the first permit.
	Decision consent.Decision
	// BasedOn holds the ids of the consent resources the answer rests on: those of the
	// permits' bases, or those a deny names as refusing or excluding the actor. Empty when
	// none does (no consent on file, a deficient consent, an exception).
	BasedOn []string
	// Labels are the security labels the shared data must carry; nil unless permitted.
	Labels []Coding
}

// Consult answers a consent-decision query: it builds the requests (Query.Requests),
// decides the actor for each purpose (DecideActor), and answers CONSENT_PERMIT only when
// the actor is permitted for every purpose of use (an identifier that cannot be judged
// makes the query an error, never a skipped identifier). A deny for a patient with no
// consent on file (Engine.OnFile) and no resource that could not be read answers
// NO_CONSENT.
func (e *Engine) Consult(q Query, ctx ConsultContext) (ConsultResult, error) {
	rs, err := q.Requests(ctx)
	if err != nil {
		return ConsultResult{}, err
	}
	per := len(rs) / len(ctx.PurposeOfUse)
	ids := make([]consent.Identifier, per)
	for i := range ids {
		ids[i] = rs[i].Recipient.ID
	}
	res := ConsultResult{Answer: AnswerPermit, Decisions: make([]consent.Decision, 0, len(ctx.PurposeOfUse))}
	first := -1
	for i := 0; i < len(rs); i += per {
		d := e.DecideActor(rs[i], ids)
		res.Decisions = append(res.Decisions, d)
		if !d.Permit && first < 0 {
			first = len(res.Decisions) - 1
			res.Answer = AnswerDeny
		}
	}
	if first < 0 {
		first = 0
	}
	res.Decision = res.Decisions[first]
	switch {
	case res.Answer == AnswerPermit:
		res.Labels = Labels(res.Decision)
		for _, d := range res.Decisions {
			res.BasedOn = e.appendResource(res.BasedOn, d.Basis.Consent)
		}
	default:
		for _, r := range res.Decision.Reasons() {
			switch r.Code {
			case CodeLaterRefusal, CodePatientRefused, CodeActorExcluded, consent.CodeRecipientExcluded:
				res.BasedOn = e.appendResource(res.BasedOn, r.Consent)
			}
		}
		if !e.OnFile(rs[0].Patient) && !e.Doubtful(rs[0].Patient) {
			res.Answer = AnswerNoConsent
		}
	}
	return res, nil
}

// appendResource adds the resource id of a compiled consent (or a resource id) once.
func (e *Engine) appendResource(ids []string, consentID string) []string {
	if consentID == "" {
		return ids
	}
	id := consentID
	if e != nil {
		if h := e.held[consentID]; h != nil {
			id = h.resource
		} else if base, _, ok := strings.Cut(consentID, "#"); ok {
			id = base
		}
	}
	if slices.Contains(ids, id) {
		return ids
	}
	return append(ids, id)
}
