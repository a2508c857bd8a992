package fhir

import (
	"encoding/json"
	"time"

	"github.com/dyad-health/dyad/consent"
)

// Encode maps a consent to a FHIR R4 Consent resource and returns its JSON. The error, if
// any, is a *MappingError naming each element of the consent that FHIR cannot carry.
func Encode(c consent.Consent) ([]byte, error) {
	r, err := ToResource(c)
	if err != nil {
		return nil, err
	}
	return json.Marshal(r)
}

// ToResource maps a consent to a FHIR R4 Consent resource. doc.go documents the mapping;
// FromResource(ToResource(c)) equals c for every consent ToResource accepts.
func ToResource(c consent.Consent) (*Consent, error) {
	m := mapper{}
	r := &Consent{
		ResourceType: "Consent",
		ID:           c.ID,
		Status:       "active",
		Scope:        &CodeableConcept{Coding: []Coding{{System: SystemConsentScope, Code: ScopePatientPrivacy, Display: "Privacy Consent"}}},
		Category: []CodeableConcept{
			{Coding: []Coding{{System: SystemLOINC, Code: CategoryLOINCReleaseOfInformation, Display: "Release of information consent"}}},
			{Coding: []Coding{{System: SystemActCode, Code: Category42CFRPart2CD, Display: "42 CFR Part 2 consent directive"}}},
		},
		Policy:     []Policy{{Authority: Part2PolicyAuthority, URI: Part2PolicyURI}},
		PolicyRule: &CodeableConcept{Coding: []Coding{{System: SystemActCode, Code: Law42CFRPart2, Display: "42 CFR Part2"}}},
	}
	if c.Patient != "" {
		r.Patient = &Reference{Type: "Patient", Identifier: &Identifier{Value: c.Patient}}
	}
	if !c.SignedAt.IsZero() {
		r.DateTime = formatInstant(c.SignedAt)
	}
	for i, d := range c.Disclosers {
		if d == "" {
			m.add(CodeEmptyValue, idx("consent.disclosers", i), "An empty discloser cannot be written: FHIR forbids empty strings.")
			continue
		}
		r.Organization = append(r.Organization, Reference{Type: "Organization", Identifier: &Identifier{Value: d}})
	}
	if c.Signer != consent.SignerUnknown {
		p := Reference{Extension: []Extension{{URL: ExtSignerRole, ValueCode: c.Signer.String()}}}
		if c.Signer == consent.SignerPatient {
			p.Type = "Patient"
			if c.Patient != "" {
				p.Identifier = &Identifier{Value: c.Patient}
			}
		} else {
			p.Type = "RelatedPerson"
		}
		r.Performer = []Reference{p}
	}

	r.Extension = append(r.Extension, Extension{URL: ExtKind, ValueCode: c.Kind.String()})
	if c.InformationDescription != "" {
		r.Extension = append(r.Extension, Extension{URL: ExtInformationDescription, ValueString: c.InformationDescription})
	}
	if c.DiscloserDesignation != "" {
		r.Extension = append(r.Extension, Extension{URL: ExtDiscloserDesignation, ValueString: c.DiscloserDesignation})
	}
	r.Extension = append(r.Extension, Extension{URL: ExtStatements, Extension: []Extension{
		{URL: "revocation", ValueBoolean: ptr(c.Statements.Revocation)},
		{URL: "redisclosure", ValueBoolean: ptr(c.Statements.Redisclosure)},
		{URL: "refusalConsequences", ValueBoolean: ptr(c.Statements.RefusalConsequences)},
	}})
	if x := c.Expires; x.None || x.Event != "" || !x.OccurredAt.IsZero() {
		e := Extension{URL: ExtExpiration}
		if x.None {
			e.Extension = append(e.Extension, Extension{URL: "none", ValueBoolean: ptr(true)})
		}
		if x.Event != "" {
			e.Extension = append(e.Extension, Extension{URL: "event", ValueString: x.Event})
		}
		if !x.OccurredAt.IsZero() {
			e.Extension = append(e.Extension, Extension{URL: "occurredAt", ValueDateTime: formatInstant(x.OccurredAt)})
		}
		r.Extension = append(r.Extension, e)
	}
	if !c.RevokedAt.IsZero() {
		r.Status = "inactive"
		r.Extension = append(r.Extension, Extension{URL: ExtRevokedAt, ValueDateTime: formatInstant(c.RevokedAt)})
	}
	if c.KnownFalse {
		r.Extension = append(r.Extension, Extension{URL: ExtKnownFalse, ValueBoolean: ptr(true)})
	}
	if !c.KnownFalseAt.IsZero() {
		r.Extension = append(r.Extension, Extension{URL: ExtKnownFalseAt, ValueDateTime: formatInstant(c.KnownFalseAt)})
	}

	p := &Provision{
		Type:   "permit",
		Action: []CodeableConcept{{Coding: []Coding{{System: SystemConsentAction, Code: ActionDisclose, Display: "Disclose"}}}},
	}
	if !c.Expires.At.IsZero() {
		p.Period = &Period{End: formatInstant(c.Expires.At)}
	}
	for i, rc := range c.Recipients {
		a, ok := recipientActor(rc, idx("consent.recipients", i), &m)
		if ok {
			p.Actor = append(p.Actor, a)
		}
	}
	for _, k := range c.Information {
		p.SecurityLabel = append(p.SecurityLabel, InformationCoding(k))
	}
	for _, pu := range c.Purposes {
		p.Purpose = append(p.Purpose, PurposeCoding(pu))
	}
	r.Provision = p
	if len(m.probs) > 0 {
		return nil, &MappingError{Problems: m.probs}
	}
	return r, nil
}

func recipientActor(rc consent.Recipient, path string, m *mapper) (Actor, bool) {
	a := Actor{Role: &CodeableConcept{Coding: []Coding{{System: SystemParticipationType, Code: RoleInformationRecipient, Display: "information recipient"}}}}
	switch {
	case rc.ID != "" && rc.Designation != consent.DesignationUnknown:
		m.add(CodeRecipient, path, "A recipient both named and designated cannot be written: the reference holds one of them.")
		return a, false
	case rc.ID != "":
		a.Reference = &Reference{Identifier: &Identifier{Value: rc.ID}}
	default:
		a.Reference = &Reference{Type: "Group", Identifier: &Identifier{System: SystemDesignation, Value: rc.Designation.String()}}
	}
	if rc.IsIntermediary() {
		e := Extension{URL: ExtIntermediary}
		for j, mem := range rc.Members {
			if mem == "" {
				m.add(CodeEmptyValue, idx(path+".members", j), "An empty member cannot be written: FHIR forbids empty strings.")
				continue
			}
			e.Extension = append(e.Extension, Extension{URL: "member", ValueString: mem})
		}
		if rc.MemberDesignation != consent.DesignationUnknown {
			e.Extension = append(e.Extension, Extension{URL: "memberDesignation", ValueCode: rc.MemberDesignation.String()})
		}
		if len(e.Extension) == 0 {
			e.ValueBoolean = ptr(true)
		}
		a.Extension = []Extension{e}
	}
	return a, true
}

func ptr[T any](v T) *T { return &v }

// formatInstant writes an instant as a FHIR dateTime, keeping its offset and sub-seconds.
func formatInstant(t time.Time) string {
	return t.Format(time.RFC3339Nano)
}
