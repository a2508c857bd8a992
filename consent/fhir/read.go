package fhir

import (
	"strconv"
	"time"

	"github.com/dyad-health/dyad/consent"
)

// Version is the FHIR version a resource was read as.
type Version string

// Versions of FHIR read. A resource does not say its version; Read tells it by its elements
// (subject, date, decision, grantor, manager, regulatoryBasis, ... are R5's; patient,
// dateTime, scope, performer, organization, policyRule, a provision object are R4's).
const (
	VersionR4 Version = "R4"
	VersionR5 Version = "R5"
)

// Effect says what a finding did to the consent read.
type Effect string

// Effects of findings. No finding ever makes a consent permit more than its text allows.
const (
	// EffectRead: read as written, the finding says how (an element read from another
	// place, a code read as another, an element that carries no Part 2 meaning).
	EffectRead Effect = "read"
	// EffectNarrowed: the consent permits less than its text: a deny that the consent
	// model cannot hold exactly was widened (an actor excluded entirely, a purpose or a
	// kind of information removed), a permission that cannot be held exactly was dropped,
	// or the consent grants nothing.
	EffectNarrowed Effect = "narrowed"
	// EffectDeficient: the consent lacks an element 42 CFR 2.31(a) requires (Cite names the
	// paragraph); the engine judges it and it permits nothing (2.31(c)(2)).
	EffectDeficient Effect = "deficient"
)

// Finding is one thing Read found in a resource: a stable code, the path of the element,
// what the reading did about it, the paragraph of 42 CFR part 2 when the finding is a
// missing Part 2 element, and a plain sentence. Like Problem, it never holds the resource's
// free text; unknown codes are quoted truncated to 32 bytes.
type Finding struct {
	// Code is the stable machine code: a ProblemCode of this package, or, for a missing
	// Part 2 element, the consent package's problem code (e.g. missing_signature).
	Code ProblemCode `json:"code"`
	// Path locates the element ("Consent" for the resource as a whole).
	Path string `json:"path"`
	// Effect says what the reading did.
	Effect Effect `json:"effect"`
	// Cite is the paragraph of 42 CFR part 2 a deficiency is about; "" otherwise.
	Cite string `json:"cite,omitempty"`
	// Message is a plain sentence for people.
	Message string `json:"message"`
}

// String returns "path: code (effect[, cite]): message".
func (f Finding) String() string {
	s := f.Path + ": " + string(f.Code) + " (" + string(f.Effect)
	if f.Cite != "" {
		s += ", " + f.Cite
	}
	return s + "): " + f.Message
}

// Interval bounds an instant known only to some precision (a date without a time is a
// day in some time zone): it lies in [Earliest, Latest]. An exact instant has
// Earliest == Latest; an unknown one has the zero Earliest and Latest at
// 9999-12-31T23:59:59Z, later than any instant a rule judges.
type Interval struct {
	Earliest time.Time `json:"earliest"`
	Latest   time.Time `json:"latest"`
}

// unknownInterval is the interval of an instant that is not known.
func unknownInterval() Interval {
	return Interval{Latest: time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)}
}

// SurelyAfter reports whether every instant of i is after every instant of j: the one
// test of "signed later" that leaves no doubt.
func (i Interval) SurelyAfter(j Interval) bool { return i.Earliest.After(j.Latest) }

// Scope is a set of disclosures a refusal covers (or a permission carves out of one). A
// dimension left empty covers everything of it: every recipient, every purpose, every kind
// of information.
type Scope struct {
	// Actors are the recipients covered: by identifier or by general designation (as
	// consent.Designation.Covers reads it). A refusal's identifier reaches every identifier
	// an exclusion of the consent engine would (consent.MayBeExcluded: the same value whatever
	// the system, the case of letters and the dashes); a carved-out permission covers only
	// exactly its identifier.
	Actors []consent.Exclusion `json:"actors,omitempty"`
	// Purposes are the purposes covered. A refusal naming a purpose with no Part 2 purpose
	// (such as HMARKT, or a code under an unknown system) covers every purpose (left empty).
	// consent.PurposeUnknown alone covers no request: a permission whose recipients are all
	// excluded carves nothing out.
	Purposes []consent.Purpose `json:"purposes,omitempty"`
	// Information is the kinds of information covered; a request is covered when it carries
	// any of them.
	Information []consent.InfoKind `json:"information,omitempty"`
}

// Refusal is what a consent denies: its base deny (an opt-out, or the deny around the
// permissions of an opt-in) or one of its nested denies, read as wide as the text allows
// and wider where it cannot be read exactly (a deny restricted by class, code, action,
// period or data covers every class, code, action, time and data). Except holds the
// permissions the consent itself carves out of a base deny, each read no wider than its
// text (a permission that cannot be read exactly carves out nothing).
type Refusal struct {
	// Consent is the id of the resource that says it.
	Consent string `json:"consent"`
	// Path locates the deny provision.
	Path   string  `json:"path"`
	Scope  Scope   `json:"scope"`
	Except []Scope `json:"except,omitempty"`
}

// Reading is what Read made of one FHIR Consent resource.
type Reading struct {
	// ID is the resource's id ("" when it has none; see SetID).
	ID string `json:"id"`
	// Version is the FHIR version the resource was read as.
	Version Version `json:"version"`
	// Status is the resource's status as written.
	Status string `json:"status"`
	// Patient is the patient's identifier.
	Patient consent.Identifier `json:"patient"`
	// Signed bounds when the consent was signed (exact for a full dateTime; a day, month or
	// year for a date; every instant when unknown).
	Signed Interval `json:"signed"`
	// Consents are the Part 2 consents the resource grants, each no wider than the text:
	// none when it grants nothing (an opt-out, a status or an element that leaves nothing
	// granted), one for a consent with one permission, one per permission of a base deny
	// with several (ids "<id>#1", "<id>#2", ...). A consent that lacks a 2.31(a) element is
	// here, and deficient: the engine judges it and it permits nothing.
	Consents []consent.Consent `json:"consents,omitempty"`
	// Refusals are what the resource denies, for the rule that the most recent consent wins
	// (see Engine).
	Refusals []Refusal `json:"refusals,omitempty"`
	// OnFile says whether the resource is a consent directive of the patient's on file
	// (status active, inactive or unknown): a patient with one is answered CONSENT_DENY, not
	// NO_CONSENT, when nothing permits.
	OnFile bool `json:"on_file"`
	// Findings lists what was read, what is missing for Part 2 (with its paragraph) and
	// what could not be mapped, in document order.
	Findings []Finding `json:"findings,omitempty"`
	// Refused is true when the resource could not be read at all (it is not a FHIR Consent,
	// or cannot be attributed to a patient); Findings then hold the problems, and Read
	// returns them as a *MappingError.
	Refused bool `json:"refused,omitempty"`
	// parties holds the identifiers each actor of the resource that names itself in several
	// ways is known by (see mapper.collectParties): CompileReadings lets another resource's
	// refusal of one of them reach them all.
	parties [][]consent.Identifier
	// patients holds every identifier the resource names its patient by (the identifier and
	// the id of the literal reference, of patient and subject): CompileReadings attributes
	// refusals through them.
	patients []consent.Identifier
}

// SetID names a reading whose resource has no id (a file of a folder, say, named after
// the file): it sets ID and the ids of the consents and refusals. A reading that has an id
// keeps it. id must be a FHIR id.
func (r *Reading) SetID(id string) {
	if r.ID != "" || !validID(id) {
		return
	}
	r.ID = id
	for i := range r.Consents {
		r.Consents[i].ID = grantID(id, i, len(r.Consents))
	}
	for i := range r.Refusals {
		r.Refusals[i].Consent = id
	}
}

// grantID names the i-th of n consents a resource grants.
func grantID(id string, i, n int) string {
	if n <= 1 || id == "" {
		return id
	}
	return id + "#" + strconv.Itoa(i+1)
}

// Deficiencies returns the findings that are missing Part 2 elements.
func (r Reading) Deficiencies() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Effect == EffectDeficient {
			out = append(out, f)
		}
	}
	return out
}

// Read reads a FHIR R4 or R5 Consent resource in JSON leniently with the zero Options.
func Read(data []byte) (Reading, error) { return Options{}.Read(data) }

// Read reads a FHIR R4 or R5 Consent resource in JSON leniently and judges it strictly: it
// maps every well-formed Consent to the consent model with findings, and refuses only a
// resource that is not a FHIR Consent (not JSON, another resourceType, an element neither
// version has, a value of the wrong type, an invalid id, no status) or that names no
// patient it can read. A consent with findings never permits more than its text allows:
// what cannot be mapped exactly is narrowed (doc.go lists every reading), and a consent
// that lacks a 42 CFR 2.31(a) element is kept, deficient, with a finding naming the
// paragraph.
//
// The error, when the resource is refused, is a *MappingError; the Reading then has
// Refused set, the problems as findings and, when it could be read, the patient.
func (o Options) Read(data []byte) (Reading, error) {
	r, notes, err := parse(data, true)
	if err != nil {
		me := err.(*MappingError)
		rd := Reading{Refused: true}
		for _, p := range me.Problems {
			rd.Findings = append(rd.Findings, Finding{Code: p.Code, Path: p.Path, Effect: EffectNarrowed, Message: p.Message})
		}
		return rd, err
	}
	return o.readResource(r, notes)
}

// ReadResource reads a parsed resource leniently, as Read does (Parse refuses one value where
// FHIR wants an array; Read reads it as a list of one).
func (o Options) ReadResource(r *Consent) (Reading, error) { return o.readResource(r, nil) }

// readResource reads a parsed resource leniently; notes are findings of the JSON reading
// (one value where an array belongs) to put first.
func (o Options) readResource(r *Consent, notes []Problem) (Reading, error) {
	m := mapper{loc: o.Location, lenient: true}
	for _, n := range notes {
		m.note(n.Code, n.Path, EffectRead, false, n.Message)
	}
	rd, _ := m.read(r, o)
	if len(m.probs) > 0 {
		rd.Refused = true
		rd.Consents, rd.Refusals, rd.OnFile = nil, nil, false
		for _, p := range m.probs {
			rd.Findings = append(rd.Findings, Finding{Code: p.Code, Path: p.Path, Effect: EffectNarrowed, Message: p.Message})
		}
		return rd, &MappingError{Problems: m.probs}
	}
	rd.Findings = m.finds
	rd.parties = m.parties
	if m.omitted > 0 {
		rd.Findings = append(rd.Findings, Finding{Code: CodeTooManyProblems, Path: "Consent", Effect: EffectRead,
			Message: strconv.Itoa(m.omitted) + " further findings were not listed."})
	}
	return rd, nil
}
