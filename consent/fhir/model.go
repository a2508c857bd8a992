package fhir

import "encoding/json"

// The structs below are a minimal, dependency-free rendering of the FHIR Consent resource
// of R4 (4.0.1) and R5 (5.0.0) and the data types they use. Every element of either version
// has a field (the two versions share one struct: their element names differ, except
// provision and sourceReference, an object in R4 and an array in R5, which the JSON type
// tells apart), so that reading rejects anything that is not a Consent of either version,
// while the mapping decides, element by element, what it maps, what it ignores (elements
// that carry no Part 2 meaning) and what it cannot map.

// Coding is the FHIR Coding data type: a code defined by a terminology system.
type Coding struct {
	// Extension holds extensions of the element.
	Extension []Extension `json:"extension,omitempty"`
	// System is the URI of the code system or identifier namespace.
	System string `json:"system,omitempty"`
	// Version is the version of the code system.
	Version string `json:"version,omitempty"`
	// Code is the code in the system.
	Code string `json:"code,omitempty"`
	// Display is the human-readable text of the code or reference; never read by the mapping.
	Display string `json:"display,omitempty"`
	// UserSelected says the user chose this coding.
	UserSelected *bool `json:"userSelected,omitempty"`
}

// CodeableConcept is the FHIR CodeableConcept data type: codings plus optional text.
type CodeableConcept struct {
	// Extension holds extensions of the element.
	Extension []Extension `json:"extension,omitempty"`
	// Coding holds the codes of the concept.
	Coding []Coding `json:"coding,omitempty"`
	// Text is the plain text of the concept.
	Text string `json:"text,omitempty"`
}

// Identifier is the FHIR Identifier data type, reduced to the elements the mapping reads;
// the remaining elements are accepted and ignored.
type Identifier struct {
	// Extension holds extensions of the element.
	Extension []Extension `json:"extension,omitempty"`
	// Use is the identifier use (usual, official, ...).
	Use string `json:"use,omitempty"`
	// Type is the kind of identifier.
	Type *CodeableConcept `json:"type,omitempty"`
	// System is the URI of the code system or identifier namespace.
	System string `json:"system,omitempty"`
	// Value is the identifier value.
	Value string `json:"value,omitempty"`
	// Period is when the identifier is valid.
	Period *Period `json:"period,omitempty"`
	// Assigner is the organization that issued the identifier, kept as JSON.
	Assigner json.RawMessage `json:"assigner,omitempty"`
}

// Reference is the FHIR Reference data type.
type Reference struct {
	// Extension holds extensions of the element.
	Extension []Extension `json:"extension,omitempty"`
	// Reference is a literal reference, "Type/id" or a URL.
	Reference string `json:"reference,omitempty"`
	// Type is the type of the resource referred to.
	Type string `json:"type,omitempty"`
	// Identifier identifies the resource referred to.
	Identifier *Identifier `json:"identifier,omitempty"`
	// Display is the human-readable text of the code or reference; never read by the mapping.
	Display string `json:"display,omitempty"`
}

// Period is the FHIR Period data type; Start and End are FHIR dateTime strings.
type Period struct {
	// Extension holds extensions of the element.
	Extension []Extension `json:"extension,omitempty"`
	// Start is the start of the period, a FHIR dateTime.
	Start string `json:"start,omitempty"`
	// End is the end of the period, a FHIR dateTime; FHIR includes it in the period.
	End string `json:"end,omitempty"`
}

// Extension is the FHIR Extension data type, with the value[x] choices the mapping uses.
// An extension carries either one value or nested extensions, never both.
type Extension struct {
	// URL identifies the extension.
	URL string `json:"url"`
	// Extension holds extensions of the element.
	Extension []Extension `json:"extension,omitempty"`
	// ValueBoolean is a boolean value.
	ValueBoolean *bool `json:"valueBoolean,omitempty"`
	// ValueCode is a code value.
	ValueCode string `json:"valueCode,omitempty"`
	// ValueString is a string value.
	ValueString string `json:"valueString,omitempty"`
	// ValueDateTime is a dateTime value.
	ValueDateTime string `json:"valueDateTime,omitempty"`
	// ValueCoding is a Coding value.
	ValueCoding *Coding `json:"valueCoding,omitempty"`
	// ValueUri is a URI value.
	ValueUri string `json:"valueUri,omitempty"`
	// ValueIdentifier is an Identifier value.
	ValueIdentifier *Identifier `json:"valueIdentifier,omitempty"`

	otherValue bool // a value[x] of a type not listed above was present (Parse only)
}

// Consent is the FHIR R4 Consent resource.
type Consent struct {
	// ResourceType is always "Consent".
	ResourceType string `json:"resourceType"`
	// ID is the logical id of the resource.
	ID string `json:"id,omitempty"`
	// Meta holds the resource metadata, including its security labels.
	Meta *Meta `json:"meta,omitempty"`
	// ImplicitRules names rules the resource was made under; Decode refuses it.
	ImplicitRules string `json:"implicitRules,omitempty"`
	// Language is the language of the resource.
	Language string `json:"language,omitempty"`
	// Text is the narrative, kept as JSON.
	Text json.RawMessage `json:"text,omitempty"`
	// Contained holds contained resources, kept as JSON.
	Contained []json.RawMessage `json:"contained,omitempty"`
	// Extension holds extensions of the element.
	Extension []Extension `json:"extension,omitempty"`
	// ModifierExtension holds extensions that change the meaning of the element; Decode refuses them.
	ModifierExtension []Extension `json:"modifierExtension,omitempty"`
	// Identifier lists business identifiers of the consent.
	Identifier []Identifier `json:"identifier,omitempty"`
	// Status is draft, proposed, active, rejected, inactive or entered-in-error.
	Status string `json:"status"`
	// Scope says which kind of consent this is (patient-privacy).
	Scope *CodeableConcept `json:"scope,omitempty"`
	// Category classifies the consent.
	Category []CodeableConcept `json:"category,omitempty"`
	// Patient is who the consent applies to.
	Patient *Reference `json:"patient,omitempty"`
	// DateTime is when the consent was issued: for Part 2, the date signed.
	DateTime string `json:"dateTime,omitempty"`
	// Performer is who agreed to the consent: for Part 2, the signer.
	Performer []Reference `json:"performer,omitempty"`
	// Organization is the custodian of the consent: for Part 2, the disclosers.
	Organization []Reference `json:"organization,omitempty"`
	// SourceAttachment is the source document, kept as JSON.
	SourceAttachment json.RawMessage `json:"sourceAttachment,omitempty"`
	// SourceReference is a reference to the source document (R4: one reference).
	SourceReference *Reference `json:"sourceReference,omitempty"`
	// SourceReferences are the references to the source documents of an R5 resource
	// (Consent.sourceReference, an array in R5). Written as "sourceReference".
	SourceReferences []Reference `json:"-"`
	// Policy lists the policies the consent is made under.
	Policy []Policy `json:"policy,omitempty"`
	// PolicyRule is the regulation the consent is made under.
	PolicyRule *CodeableConcept `json:"policyRule,omitempty"`
	// Verification records verifications of the consent, kept as JSON.
	Verification json.RawMessage `json:"verification,omitempty"`
	// Provision is the rule of an R4 consent (one object), with nested exceptions.
	Provision *Provision `json:"provision,omitempty"`

	// The elements below are R5's (5.0.0).

	// Subject is who the consent applies to (R5; R4: patient).
	Subject *Reference `json:"subject,omitempty"`
	// Date is when the consent was agreed to, a FHIR date (R5; R4: dateTime).
	Date string `json:"date,omitempty"`
	// Period is when the consent is in force (R5; R4: provision.period of the root).
	Period *Period `json:"period,omitempty"`
	// Grantor is who grants the rights: for Part 2, the signer (R5; R4: performer).
	Grantor []Reference `json:"grantor,omitempty"`
	// Grantee is who must comply with the consent (R5); it names no recipient.
	Grantee []Reference `json:"grantee,omitempty"`
	// Manager manages the consent through its lifecycle (R5; R4: organization).
	Manager []Reference `json:"manager,omitempty"`
	// Controller enforces the consent (R5).
	Controller []Reference `json:"controller,omitempty"`
	// RegulatoryBasis holds the regulations the consent is made under (R5; R4: policyRule).
	RegulatoryBasis []CodeableConcept `json:"regulatoryBasis,omitempty"`
	// PolicyBasis is the policy the consent is made under (R5; R4: policy).
	PolicyBasis *PolicyBasis `json:"policyBasis,omitempty"`
	// PolicyText holds references to the human-readable policy, kept as JSON (R5).
	PolicyText json.RawMessage `json:"policyText,omitempty"`
	// Decision is the base decision of an R5 consent, permit or deny; its provisions are
	// exceptions to it.
	Decision string `json:"decision,omitempty"`
	// Provisions are the provisions of an R5 consent (Consent.provision, an array in R5):
	// exceptions to Decision. Written as "provision".
	Provisions []Provision `json:"-"`
}

// MarshalJSON writes the resource; the R5 arrays Provisions and SourceReferences are
// written under their FHIR names, provision and sourceReference.
func (r Consent) MarshalJSON() ([]byte, error) {
	type plain Consent
	if r.Provisions == nil && r.SourceReferences == nil {
		return json.Marshal(plain(r))
	}
	return json.Marshal(struct {
		plain
		Provision       []Provision `json:"provision,omitempty"`
		SourceReference []Reference `json:"sourceReference,omitempty"`
	}{plain(r), r.Provisions, r.SourceReferences})
}

// PolicyBasis is R5 Consent.policyBasis: a reference to or the URL of the policy the
// consent is made under.
type PolicyBasis struct {
	// Extension holds extensions of the element.
	Extension []Extension `json:"extension,omitempty"`
	// ModifierExtension holds extensions that change the meaning of the element.
	ModifierExtension []Extension `json:"modifierExtension,omitempty"`
	// Reference is the policy as a resource.
	Reference *Reference `json:"reference,omitempty"`
	// URL is the policy's URL.
	URL string `json:"url,omitempty"`
}

// Meta is the FHIR Meta element of a resource. Security holds the resource's security
// labels, the place for the Coding values Labels returns.
type Meta struct {
	// Extension holds extensions of the element.
	Extension []Extension `json:"extension,omitempty"`
	// VersionID is the version of the resource.
	VersionID string `json:"versionId,omitempty"`
	// LastUpdated is when the resource last changed.
	LastUpdated string `json:"lastUpdated,omitempty"`
	// Source identifies where the resource came from.
	Source string `json:"source,omitempty"`
	// Profile lists profiles the resource claims to conform to.
	Profile []string `json:"profile,omitempty"`
	// Security holds the security labels of the resource.
	Security []Coding `json:"security,omitempty"`
	// Tag holds tags of the resource.
	Tag []Coding `json:"tag,omitempty"`
}

// Policy is Consent.policy: a policy the consent is made under.
type Policy struct {
	// Extension holds extensions of the element.
	Extension []Extension `json:"extension,omitempty"`
	// ModifierExtension holds extensions that change the meaning of the element; Decode refuses them.
	ModifierExtension []Extension `json:"modifierExtension,omitempty"`
	// Authority is the enforcement source of the policy.
	Authority string `json:"authority,omitempty"`
	// URI is the specific policy.
	URI string `json:"uri,omitempty"`
}

// Provision is Consent.provision: a permit or deny rule, possibly with nested exceptions.
type Provision struct {
	// Extension holds extensions of the element.
	Extension []Extension `json:"extension,omitempty"`
	// ModifierExtension holds extensions that change the meaning of the element; Decode refuses them.
	ModifierExtension []Extension `json:"modifierExtension,omitempty"`
	// Type is permit or deny (R4). An R5 provision has no type: it is an exception to what
	// holds above it, the opposite of the consent's decision or of its parent provision.
	Type string `json:"type,omitempty"`
	// Period is when the rule is in force.
	Period *Period `json:"period,omitempty"`
	// Actor lists who the rule applies to.
	Actor []Actor `json:"actor,omitempty"`
	// Action lists the actions controlled (collect, access, use, disclose, correct).
	Action []CodeableConcept `json:"action,omitempty"`
	// SecurityLabel lists the security labels of the data the rule applies to.
	SecurityLabel []Coding `json:"securityLabel,omitempty"`
	// Purpose lists the purposes of use the rule applies to.
	Purpose []Coding `json:"purpose,omitempty"`
	// Class lists the classes of data the rule applies to (R4).
	Class []Coding `json:"class,omitempty"`
	// Code lists codes of the data the rule applies to.
	Code []CodeableConcept `json:"code,omitempty"`
	// DocumentType lists the document types the rule applies to (R5).
	DocumentType []Coding `json:"documentType,omitempty"`
	// ResourceType lists the resource types the rule applies to (R5; R4: class).
	ResourceType []Coding `json:"resourceType,omitempty"`
	// Expression is a computable expression of the rule, kept as JSON (R5).
	Expression json.RawMessage `json:"expression,omitempty"`
	// DataPeriod is the timeframe of the data the rule applies to.
	DataPeriod *Period `json:"dataPeriod,omitempty"`
	// Data lists the specific resources the rule applies to.
	Data []Data `json:"data,omitempty"`
	// Provision lists nested rules, exceptions to this one.
	Provision []Provision `json:"provision,omitempty"`
}

// Actor is Consent.provision.actor: who the rule applies to, in which role.
type Actor struct {
	// Extension holds extensions of the element.
	Extension []Extension `json:"extension,omitempty"`
	// ModifierExtension holds extensions that change the meaning of the element; Decode refuses them.
	ModifierExtension []Extension `json:"modifierExtension,omitempty"`
	// Role is how the actor is involved.
	Role *CodeableConcept `json:"role,omitempty"`
	// Reference is the actor.
	Reference *Reference `json:"reference,omitempty"`
}

// Data is Consent.provision.data: specific resources the rule applies to.
type Data struct {
	// Extension holds extensions of the element.
	Extension []Extension `json:"extension,omitempty"`
	// ModifierExtension holds extensions that change the meaning of the element; Decode refuses them.
	ModifierExtension []Extension `json:"modifierExtension,omitempty"`
	// Meaning is how the resource relates to the rule (instance, related, dependents, authoredby).
	Meaning string `json:"meaning,omitempty"`
	// Reference is the resource.
	Reference *Reference `json:"reference,omitempty"`
}
