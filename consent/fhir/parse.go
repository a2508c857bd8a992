package fhir

import (
	"encoding/json"
	"strconv"
	"strings"
	"sync"

	"github.com/dyad-health/dyad/internal/jsonin"
)

// Limits that bound the work and memory of a decode, whatever the input.
const (
	// MaxResourceBytes is the largest Consent resource Parse and Decode accept (ErrTooLarge).
	MaxResourceBytes = 1 << 20
	// MaxDepth is the deepest JSON nesting accepted.
	MaxDepth = 64
	// MaxProvisionDepth is the deepest provision nesting accepted.
	MaxProvisionDepth = 8
	// MaxProblems is the most problems one error lists; a further problem is summarised as
	// one "too_many_problems" entry.
	MaxProblems = 100
)

// parser reads the JSON of a Consent resource with the library's one JSON reader
// (internal/jsonin.Parser: the byte limit, the nesting limit, duplicate and case-variant
// member names, trailing data, problems with a path and a code and never the input's text,
// the problem cap) and fills this package's structs with hand-written decoders, one per
// struct: no reflection, and the strings that recur in consents are interned.
type parser struct {
	jsonin.Parser
	// lenient accepts one value where FHIR wants an array of them (read as a list of one),
	// recording a note; strict reading reports wrong_type.
	lenient bool
	notes   []Problem // shapes read leniently, each with its path
}

func (p *parser) problem(code ProblemCode, msg string) { p.Problem(string(code), msg) }

// atEnd reports a syntax problem when the input ends where a value belongs, and says
// whether it did (jsonin.Parser.Skip reports the end of input).
func (p *parser) atEnd() bool {
	if p.Peek() == 0 {
		p.Skip()
		return true
	}
	return false
}
func (p *parser) object(f func(key []byte)) bool { return p.Object(f) }
func (p *parser) array(f func(i int)) bool       { return p.Array(f) }

// quote32 quotes a value truncated to 32 bytes, for messages about unknown codes.
func quote32(s string) string {
	if len(s) > 32 {
		s = s[:32]
	}
	return strconv.Quote(strings.ToValidUTF8(s, ""))
}

// str reads a string into dst. FHIR forbids empty strings.
func (p *parser) str(dst *string) {
	if p.Fatal() {
		return
	}
	switch p.Peek() {
	case '"':
	case 0:
		p.Skip() // reports the end of input
		return
	default:
		p.problem(CodeWrongType, "Expected a JSON string.")
		p.Skip()
		return
	}
	b, ok := p.String()
	if !ok {
		return
	}
	if len(b) == 0 {
		p.problem(CodeEmptyValue, "FHIR does not allow empty strings.")
		return
	}
	*dst = intern(b)
}

// intern returns the strings that recur in consent resources without allocating.
func intern(b []byte) string {
	switch string(b) {
	case SystemActReason:
		return SystemActReason
	case SystemActCode:
		return SystemActCode
	case SystemConfidentiality:
		return SystemConfidentiality
	case SystemConsentScope:
		return SystemConsentScope
	case SystemConsentAction:
		return SystemConsentAction
	case SystemParticipationType:
		return SystemParticipationType
	case SystemLOINC:
		return SystemLOINC
	case SystemPurpose:
		return SystemPurpose
	case SystemInformation:
		return SystemInformation
	case SystemDesignation:
		return SystemDesignation
	case ExtKind:
		return ExtKind
	case ExtInformationDescription:
		return ExtInformationDescription
	case ExtStatements:
		return ExtStatements
	case ExtExpiration:
		return ExtExpiration
	case ExtSignerRole:
		return ExtSignerRole
	case ExtIntermediary:
		return ExtIntermediary
	case ExtKnownFalse:
		return ExtKnownFalse
	case Part2PolicyURI:
		return Part2PolicyURI
	case Part2PolicyAuthority:
		return Part2PolicyAuthority
	case "Consent":
		return "Consent"
	case "active":
		return "active"
	case "inactive":
		return "inactive"
	case "permit":
		return "permit"
	case "deny":
		return "deny"
	case "Patient":
		return "Patient"
	case "Organization":
		return "Organization"
	case "Group":
		return "Group"
	case "RelatedPerson":
		return "RelatedPerson"
	case "patient-privacy":
		return "patient-privacy"
	case "Privacy Consent":
		return "Privacy Consent"
	case "disclose":
		return "disclose"
	case "Disclose":
		return "Disclose"
	case "IRCP":
		return "IRCP"
	case "information recipient":
		return "information recipient"
	case "revocation":
		return "revocation"
	case "redisclosure":
		return "redisclosure"
	case "refusalConsequences":
		return "refusalConsequences"
	case "none":
		return "none"
	case "event":
		return "event"
	case "occurredAt":
		return "occurredAt"
	case "member":
		return "member"
	case "memberDesignation":
		return "memberDesignation"
	case "TREAT":
		return "TREAT"
	case "HPAYMT":
		return "HPAYMT"
	case "HOPERAT":
		return "HOPERAT"
	case "PATRQT":
		return "PATRQT"
	case "ETREAT":
		return "ETREAT"
	case "HRESCH":
		return "HRESCH"
	case "PUBHLTH":
		return "PUBHLTH"
	case "HLEGAL":
		return "HLEGAL"
	case "COC":
		return "COC"
	case "treatment":
		return "treatment"
	case "healthcare payment":
		return "healthcare payment"
	case "healthcare operations":
		return "healthcare operations"
	case "legal":
		return "legal"
	case "SUD":
		return "SUD"
	case "ETH":
		return "ETH"
	case "42CFRPart2":
		return "42CFRPart2"
	case "42 CFR Part2":
		return "42 CFR Part2"
	case "42CFRPart2CD":
		return "42CFRPart2CD"
	case "42 CFR Part 2 consent directive":
		return "42 CFR Part 2 consent directive"
	case "64292-6":
		return "64292-6"
	case "59284-0":
		return "59284-0"
	case "Release of information consent":
		return "Release of information consent"
	case "substance use disorder information sensitivity":
		return "substance use disorder information sensitivity"
	case "general":
		return "general"
	case "tpo":
		return "tpo"
	case "counseling_notes":
		return "counseling_notes"
	case "proceedings":
		return "proceedings"
	case "research":
		return "research"
	case "unknown":
		return "unknown"
	case "treating_providers":
		return "treating_providers"
	case "health_plans":
		return "health_plans"
	case "third_party_payers":
		return "third_party_payers"
	case "program_operations":
		return "program_operations"
	case "patient":
		return "patient"
	case "guardian":
		return "guardian"
	case "personal_representative":
		return "personal_representative"
	case "sud_records":
		return "sud_records"
	case "patient_identity":
		return "patient_identity"
	}
	return string(b)
}

// boolean reads true or false into dst.
func (p *parser) boolean(dst **bool) {
	if p.Fatal() || p.atEnd() {
		return
	}
	if v, ok := p.Bool(); ok {
		*dst = &v
	}
}

// raw keeps a copy of the value's JSON text.
func (p *parser) raw(dst *json.RawMessage) {
	if b, ok := p.Raw(); ok {
		*dst = append(json.RawMessage(nil), b...)
	}
}

// unknown reports a member this package does not know and skips its value. FHIR primitive
// extensions ("_name") are skipped without a problem: they carry no Part 2 element.
func (p *parser) unknown(key []byte) {
	if len(key) > 1 && key[0] == '_' {
		p.Skip()
		return
	}
	p.problem(CodeUnknownElement, "The element is not part of FHIR R4 or R5 Consent as this package reads it.")
	p.Skip()
}

func list[T any](p *parser, dst *[]T, f func(*parser, *T)) {
	if p.lenient && !p.Fatal() {
		switch p.Peek() {
		case '[', 0, 'n':
		default:
			p.notes = append(p.notes, Problem{Code: CodeNotArray, Path: p.Path(),
				Message: "A repeating element is given as one value, not an array; it is read as a list of one."})
			var zero T
			*dst = append(*dst, zero)
			f(p, &(*dst)[len(*dst)-1])
			return
		}
	}
	p.array(func(int) {
		var zero T
		*dst = append(*dst, zero)
		f(p, &(*dst)[len(*dst)-1])
	})
	if *dst == nil {
		*dst = []T{}
	}
}

func one[T any](p *parser, dst **T, f func(*parser, *T)) {
	v := new(T)
	f(p, v)
	*dst = v
}

func strList(p *parser, dst *[]string) {
	list(p, dst, func(p *parser, s *string) { p.str(s) })
}

func decCoding(p *parser, c *Coding) {
	p.object(func(k []byte) {
		switch string(k) {
		case "extension":
			list(p, &c.Extension, decExtension)
		case "system":
			p.str(&c.System)
		case "version":
			p.str(&c.Version)
		case "code":
			p.str(&c.Code)
		case "display":
			p.str(&c.Display)
		case "userSelected":
			p.boolean(&c.UserSelected)
		case "id":
			p.Skip()
		default:
			p.unknown(k)
		}
	})
}

func decConcept(p *parser, c *CodeableConcept) {
	p.object(func(k []byte) {
		switch string(k) {
		case "extension":
			list(p, &c.Extension, decExtension)
		case "coding":
			list(p, &c.Coding, decCoding)
		case "text":
			p.str(&c.Text)
		case "id":
			p.Skip()
		default:
			p.unknown(k)
		}
	})
}

func decIdentifier(p *parser, id *Identifier) {
	p.object(func(k []byte) {
		switch string(k) {
		case "extension":
			list(p, &id.Extension, decExtension)
		case "use":
			p.str(&id.Use)
		case "type":
			one(p, &id.Type, decConcept)
		case "system":
			p.str(&id.System)
		case "value":
			p.str(&id.Value)
		case "period":
			one(p, &id.Period, decPeriod)
		case "assigner":
			p.raw(&id.Assigner)
		case "id":
			p.Skip()
		default:
			p.unknown(k)
		}
	})
}

func decReference(p *parser, r *Reference) {
	p.object(func(k []byte) {
		switch string(k) {
		case "extension":
			list(p, &r.Extension, decExtension)
		case "reference":
			p.str(&r.Reference)
		case "type":
			p.str(&r.Type)
		case "identifier":
			one(p, &r.Identifier, decIdentifier)
		case "display":
			p.str(&r.Display)
		case "id":
			p.Skip()
		default:
			p.unknown(k)
		}
	})
}

func decPeriod(p *parser, v *Period) {
	p.object(func(k []byte) {
		switch string(k) {
		case "extension":
			list(p, &v.Extension, decExtension)
		case "start":
			p.str(&v.Start)
		case "end":
			p.str(&v.End)
		case "id":
			p.Skip()
		default:
			p.unknown(k)
		}
	})
}

func decExtension(p *parser, e *Extension) {
	p.object(func(k []byte) {
		switch string(k) {
		case "url":
			p.str(&e.URL)
		case "extension":
			list(p, &e.Extension, decExtension)
		case "valueBoolean":
			p.boolean(&e.ValueBoolean)
		case "valueCode":
			p.str(&e.ValueCode)
		case "valueString":
			p.str(&e.ValueString)
		case "valueDateTime":
			p.str(&e.ValueDateTime)
		case "valueCoding":
			one(p, &e.ValueCoding, decCoding)
		case "valueUri":
			p.str(&e.ValueUri)
		case "valueIdentifier":
			one(p, &e.ValueIdentifier, decIdentifier)
		case "id":
			p.Skip()
		default:
			if len(k) > 5 && string(k[:5]) == "value" {
				// Another value[x] type: kept as a marker, so an extension of ours with
				// a wrong type is refused while a foreign one may be ignored.
				e.otherValue = true
				p.Skip()
				return
			}
			p.unknown(k)
		}
	})
}

func decMeta(p *parser, m *Meta) {
	p.object(func(k []byte) {
		switch string(k) {
		case "extension":
			list(p, &m.Extension, decExtension)
		case "versionId":
			p.str(&m.VersionID)
		case "lastUpdated":
			p.str(&m.LastUpdated)
		case "source":
			p.str(&m.Source)
		case "profile":
			strList(p, &m.Profile)
		case "security":
			list(p, &m.Security, decCoding)
		case "tag":
			list(p, &m.Tag, decCoding)
		case "id":
			p.Skip()
		default:
			p.unknown(k)
		}
	})
}

func decPolicy(p *parser, v *Policy) {
	p.object(func(k []byte) {
		switch string(k) {
		case "extension":
			list(p, &v.Extension, decExtension)
		case "modifierExtension":
			list(p, &v.ModifierExtension, decExtension)
		case "authority":
			p.str(&v.Authority)
		case "uri":
			p.str(&v.URI)
		case "id":
			p.Skip()
		default:
			p.unknown(k)
		}
	})
}

func decPolicyBasis(p *parser, v *PolicyBasis) {
	p.object(func(k []byte) {
		switch string(k) {
		case "extension":
			list(p, &v.Extension, decExtension)
		case "modifierExtension":
			list(p, &v.ModifierExtension, decExtension)
		case "reference":
			one(p, &v.Reference, decReference)
		case "url":
			p.str(&v.URL)
		case "id":
			p.Skip()
		default:
			p.unknown(k)
		}
	})
}

func decActor(p *parser, a *Actor) {
	p.object(func(k []byte) {
		switch string(k) {
		case "extension":
			list(p, &a.Extension, decExtension)
		case "modifierExtension":
			list(p, &a.ModifierExtension, decExtension)
		case "role":
			one(p, &a.Role, decConcept)
		case "reference":
			one(p, &a.Reference, decReference)
		case "id":
			p.Skip()
		default:
			p.unknown(k)
		}
	})
}

func decData(p *parser, d *Data) {
	p.object(func(k []byte) {
		switch string(k) {
		case "extension":
			list(p, &d.Extension, decExtension)
		case "modifierExtension":
			list(p, &d.ModifierExtension, decExtension)
		case "meaning":
			p.str(&d.Meaning)
		case "reference":
			one(p, &d.Reference, decReference)
		case "id":
			p.Skip()
		default:
			p.unknown(k)
		}
	})
}

func decProvision(p *parser, v *Provision) {
	p.provisionDepth(v, 1)
}

func (p *parser) provisionDepth(v *Provision, depth int) {
	if depth > MaxProvisionDepth {
		p.problem(CodeTooDeep, "Provisions are nested deeper than allowed.")
		p.Skip()
		return
	}
	p.object(func(k []byte) {
		switch string(k) {
		case "extension":
			list(p, &v.Extension, decExtension)
		case "modifierExtension":
			list(p, &v.ModifierExtension, decExtension)
		case "type":
			p.str(&v.Type)
		case "period":
			one(p, &v.Period, decPeriod)
		case "actor":
			list(p, &v.Actor, decActor)
		case "action":
			list(p, &v.Action, decConcept)
		case "securityLabel":
			list(p, &v.SecurityLabel, decCoding)
		case "purpose":
			list(p, &v.Purpose, decCoding)
		case "class":
			list(p, &v.Class, decCoding)
		case "code":
			list(p, &v.Code, decConcept)
		case "documentType":
			list(p, &v.DocumentType, decCoding)
		case "resourceType":
			list(p, &v.ResourceType, decCoding)
		case "expression":
			p.raw(&v.Expression)
		case "dataPeriod":
			one(p, &v.DataPeriod, decPeriod)
		case "data":
			list(p, &v.Data, decData)
		case "provision":
			list(p, &v.Provision, func(p *parser, c *Provision) {
				p.provisionDepth(c, depth+1)
			})
		case "id":
			p.Skip()
		default:
			p.unknown(k)
		}
	})
}

func decConsent(p *parser, c *Consent) {
	p.object(func(k []byte) {
		switch string(k) {
		case "resourceType":
			p.str(&c.ResourceType)
		case "id":
			p.str(&c.ID)
		case "meta":
			one(p, &c.Meta, decMeta)
		case "implicitRules":
			p.str(&c.ImplicitRules)
		case "language":
			p.str(&c.Language)
		case "text":
			p.raw(&c.Text)
		case "contained":
			list(p, &c.Contained, func(p *parser, r *json.RawMessage) { p.raw(r) })
		case "extension":
			list(p, &c.Extension, decExtension)
		case "modifierExtension":
			list(p, &c.ModifierExtension, decExtension)
		case "identifier":
			list(p, &c.Identifier, decIdentifier)
		case "status":
			p.str(&c.Status)
		case "scope":
			one(p, &c.Scope, decConcept)
		case "category":
			list(p, &c.Category, decConcept)
		case "patient":
			one(p, &c.Patient, decReference)
		case "dateTime":
			p.str(&c.DateTime)
		case "performer":
			list(p, &c.Performer, decReference)
		case "organization":
			list(p, &c.Organization, decReference)
		case "sourceAttachment":
			p.raw(&c.SourceAttachment)
		case "sourceReference":
			if p.Peek() == '[' {
				list(p, &c.SourceReferences, decReference)
			} else {
				one(p, &c.SourceReference, decReference)
			}
		case "policy":
			list(p, &c.Policy, decPolicy)
		case "policyRule":
			one(p, &c.PolicyRule, decConcept)
		case "verification":
			p.raw(&c.Verification)
		case "provision":
			if p.Peek() == '[' {
				list(p, &c.Provisions, decProvision)
			} else {
				one(p, &c.Provision, decProvision)
			}
		case "subject":
			one(p, &c.Subject, decReference)
		case "date":
			p.str(&c.Date)
		case "period":
			one(p, &c.Period, decPeriod)
		case "grantor":
			list(p, &c.Grantor, decReference)
		case "grantee":
			list(p, &c.Grantee, decReference)
		case "manager":
			list(p, &c.Manager, decReference)
		case "controller":
			list(p, &c.Controller, decReference)
		case "regulatoryBasis":
			list(p, &c.RegulatoryBasis, decConcept)
		case "policyBasis":
			one(p, &c.PolicyBasis, decPolicyBasis)
		case "policyText":
			p.raw(&c.PolicyText)
		case "decision":
			p.str(&c.Decision)
		default:
			p.unknown(k)
		}
	})
}

// Parse reads a FHIR R4 or R5 Consent resource in JSON. It checks the JSON form only
// (syntax, element names and types, duplicates, nesting and size limits); Decode also maps
// it. The error, if any, is a *MappingError listing every problem with its JSON path.
func Parse(data []byte) (*Consent, error) {
	r, _, err := parse(data, false)
	return r, err
}

// parsers holds readers between documents, so that reading one allocates no reader.
var parsers = sync.Pool{New: func() any { return new(parser) }}

// parse reads a resource; lenient reading accepts one value where an array belongs and
// returns a note for each.
func parse(data []byte, lenient bool) (*Consent, []Problem, error) {
	p := parsers.Get().(*parser)
	p.Reset(data, jsonin.Options{MaxBytes: MaxResourceBytes, MaxDepth: MaxDepth, MaxProblems: MaxProblems, Root: "Consent"})
	p.lenient, p.notes = lenient, nil
	var c Consent
	if !p.Fatal() {
		decConsent(p, &c)
	}
	err := p.End()
	notes := p.notes
	p.notes = nil
	p.Release()
	parsers.Put(p)
	if err != nil {
		return nil, nil, mappingError(err)
	}
	return &c, notes, nil
}

// jsonCodes maps the codes of the library's JSON reader to this package's problem codes.
var jsonCodes = map[string]ProblemCode{
	jsonin.CodeTooLarge:        CodeTooLarge,
	jsonin.CodeEmpty:           CodeSyntax,
	jsonin.CodeSyntax:          CodeSyntax,
	jsonin.CodeTooDeep:         CodeTooDeep,
	jsonin.CodeTrailingData:    CodeSyntax,
	jsonin.CodeDuplicateKey:    CodeDuplicate,
	jsonin.CodeUnknownField:    CodeUnknownElement,
	jsonin.CodeWrongType:       CodeWrongType,
	jsonin.CodeTooManyProblems: CodeTooManyProblems,
}

// mappingError converts the reader's error into a *MappingError: the reader's codes become
// this package's (codes of this package pass as they are), and the problem-cap summary is
// placed at the resource.
func mappingError(err error) *MappingError {
	je, ok := err.(*jsonin.Error)
	if !ok {
		return &MappingError{Problems: []Problem{{Code: CodeSyntax, Path: "Consent", Message: "The resource could not be read."}}}
	}
	ps := make([]Problem, len(je.Problems))
	for i, q := range je.Problems {
		code, ok := jsonCodes[q.Code]
		if !ok {
			code = ProblemCode(q.Code)
		}
		path := q.Path
		if path == "" {
			path = "Consent"
		}
		ps[i] = Problem{Code: code, Path: path, Message: q.Message}
	}
	return &MappingError{Problems: ps}
}
