package fhir

import "encoding/json"

// The structs below are a minimal, dependency-free rendering of the FHIR R4 (4.0.1) Consent
// resource and the data types it uses. Every element of R4 Consent has a field, so that
// decoding with unknown fields disallowed rejects anything that is not R4 Consent, while the
// mapping decides, element by element, what it maps, what it ignores (elements that carry no
// Part 2 meaning) and what it refuses (elements it cannot map without losing meaning).

// Coding is the FHIR Coding data type: a code defined by a terminology system.
type Coding struct {
	Extension    []Extension `json:"extension,omitempty"`
	System       string      `json:"system,omitempty"`
	Version      string      `json:"version,omitempty"`
	Code         string      `json:"code,omitempty"`
	Display      string      `json:"display,omitempty"`
	UserSelected *bool       `json:"userSelected,omitempty"`
}

// CodeableConcept is the FHIR CodeableConcept data type: codings plus optional text.
type CodeableConcept struct {
	Extension []Extension `json:"extension,omitempty"`
	Coding    []Coding    `json:"coding,omitempty"`
	Text      string      `json:"text,omitempty"`
}

// Identifier is the FHIR Identifier data type, reduced to the elements the mapping reads;
// the remaining elements are accepted and ignored.
type Identifier struct {
	Extension []Extension      `json:"extension,omitempty"`
	Use       string           `json:"use,omitempty"`
	Type      *CodeableConcept `json:"type,omitempty"`
	System    string           `json:"system,omitempty"`
	Value     string           `json:"value,omitempty"`
	Period    *Period          `json:"period,omitempty"`
	Assigner  json.RawMessage  `json:"assigner,omitempty"`
}

// Reference is the FHIR Reference data type.
type Reference struct {
	Extension  []Extension `json:"extension,omitempty"`
	Reference  string      `json:"reference,omitempty"`
	Type       string      `json:"type,omitempty"`
	Identifier *Identifier `json:"identifier,omitempty"`
	Display    string      `json:"display,omitempty"`
}

// Period is the FHIR Period data type; Start and End are FHIR dateTime strings.
type Period struct {
	Extension []Extension `json:"extension,omitempty"`
	Start     string      `json:"start,omitempty"`
	End       string      `json:"end,omitempty"`
}

// Extension is the FHIR Extension data type, with the value[x] choices the mapping uses.
// An extension carries either one value or nested extensions, never both.
type Extension struct {
	URL           string      `json:"url"`
	Extension     []Extension `json:"extension,omitempty"`
	ValueBoolean  *bool       `json:"valueBoolean,omitempty"`
	ValueCode     string      `json:"valueCode,omitempty"`
	ValueString   string      `json:"valueString,omitempty"`
	ValueDateTime string      `json:"valueDateTime,omitempty"`
	ValueCoding   *Coding     `json:"valueCoding,omitempty"`
	ValueUri      string      `json:"valueUri,omitempty"`

	otherValue bool // a value[x] of a type not listed above was present (Parse only)
}

// Consent is the FHIR R4 Consent resource.
type Consent struct {
	ResourceType      string            `json:"resourceType"`
	ID                string            `json:"id,omitempty"`
	Meta              *Meta             `json:"meta,omitempty"`
	ImplicitRules     string            `json:"implicitRules,omitempty"`
	Language          string            `json:"language,omitempty"`
	Text              json.RawMessage   `json:"text,omitempty"`
	Contained         []json.RawMessage `json:"contained,omitempty"`
	Extension         []Extension       `json:"extension,omitempty"`
	ModifierExtension []Extension       `json:"modifierExtension,omitempty"`
	Identifier        []Identifier      `json:"identifier,omitempty"`
	Status            string            `json:"status"`
	Scope             *CodeableConcept  `json:"scope,omitempty"`
	Category          []CodeableConcept `json:"category,omitempty"`
	Patient           *Reference        `json:"patient,omitempty"`
	DateTime          string            `json:"dateTime,omitempty"`
	Performer         []Reference       `json:"performer,omitempty"`
	Organization      []Reference       `json:"organization,omitempty"`
	SourceAttachment  json.RawMessage   `json:"sourceAttachment,omitempty"`
	SourceReference   *Reference        `json:"sourceReference,omitempty"`
	Policy            []Policy          `json:"policy,omitempty"`
	PolicyRule        *CodeableConcept  `json:"policyRule,omitempty"`
	Verification      json.RawMessage   `json:"verification,omitempty"`
	Provision         *Provision        `json:"provision,omitempty"`
}

// Meta is the FHIR Meta element of a resource. Security holds the resource's security
// labels, the place for the Coding values Labels returns.
type Meta struct {
	Extension   []Extension `json:"extension,omitempty"`
	VersionID   string      `json:"versionId,omitempty"`
	LastUpdated string      `json:"lastUpdated,omitempty"`
	Source      string      `json:"source,omitempty"`
	Profile     []string    `json:"profile,omitempty"`
	Security    []Coding    `json:"security,omitempty"`
	Tag         []Coding    `json:"tag,omitempty"`
}

// Policy is Consent.policy: a policy the consent is made under.
type Policy struct {
	Extension         []Extension `json:"extension,omitempty"`
	ModifierExtension []Extension `json:"modifierExtension,omitempty"`
	Authority         string      `json:"authority,omitempty"`
	URI               string      `json:"uri,omitempty"`
}

// Provision is Consent.provision: a permit or deny rule, possibly with nested exceptions.
type Provision struct {
	Extension         []Extension       `json:"extension,omitempty"`
	ModifierExtension []Extension       `json:"modifierExtension,omitempty"`
	Type              string            `json:"type,omitempty"`
	Period            *Period           `json:"period,omitempty"`
	Actor             []Actor           `json:"actor,omitempty"`
	Action            []CodeableConcept `json:"action,omitempty"`
	SecurityLabel     []Coding          `json:"securityLabel,omitempty"`
	Purpose           []Coding          `json:"purpose,omitempty"`
	Class             []Coding          `json:"class,omitempty"`
	Code              []CodeableConcept `json:"code,omitempty"`
	DataPeriod        *Period           `json:"dataPeriod,omitempty"`
	Data              []Data            `json:"data,omitempty"`
	Provision         []Provision       `json:"provision,omitempty"`
}

// Actor is Consent.provision.actor: who the rule applies to, in which role.
type Actor struct {
	Extension         []Extension      `json:"extension,omitempty"`
	ModifierExtension []Extension      `json:"modifierExtension,omitempty"`
	Role              *CodeableConcept `json:"role,omitempty"`
	Reference         *Reference       `json:"reference,omitempty"`
}

// Data is Consent.provision.data: specific resources the rule applies to.
type Data struct {
	Extension         []Extension `json:"extension,omitempty"`
	ModifierExtension []Extension `json:"modifierExtension,omitempty"`
	Meaning           string      `json:"meaning,omitempty"`
	Reference         *Reference  `json:"reference,omitempty"`
}
