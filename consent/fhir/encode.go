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
	if !c.Patient.IsZero() {
		r.Patient = &Reference{Type: "Patient", Identifier: identifier(c.Patient)}
	}
	if !c.SignedAt.IsZero() {
		r.DateTime = formatInstant(c.SignedAt)
	}
	for i, d := range c.Disclosers {
		if d.Value == "" {
			m.add(CodeEmptyValue, idx("consent.disclosers", i), "An empty discloser cannot be written: FHIR forbids empty strings.")
			continue
		}
		r.Organization = append(r.Organization, Reference{Type: "Organization", Identifier: identifier(d)})
	}
	if c.Signer != consent.SignerUnknown {
		p := Reference{Extension: []Extension{{URL: ExtSignerRole, ValueCode: c.Signer.String()}}}
		if c.Signer == consent.SignerPatient {
			p.Type = "Patient"
			if !c.Patient.IsZero() {
				p.Identifier = identifier(c.Patient)
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
	if len(c.Exclusions) > 0 {
		deny := Provision{Type: "deny"}
		for i, x := range c.Exclusions {
			a, ok := exclusionActor(x, idx("consent.exclusions", i), &m)
			if ok {
				deny.Actor = append(deny.Actor, a)
			}
		}
		p.Provision = []Provision{deny}
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
	case !rc.ID.IsZero() && rc.Designation != consent.DesignationUnknown:
		m.add(CodeRecipient, path, "A recipient both named and designated cannot be written: the reference holds one of them.")
		return a, false
	case !rc.ID.IsZero():
		a.Reference = &Reference{Identifier: identifier(rc.ID)}
	default:
		a.Reference = &Reference{Type: "Group", Identifier: &Identifier{System: SystemDesignation, Value: rc.Designation.String()}}
	}
	if rc.IsIntermediary() {
		e := Extension{URL: ExtIntermediary}
		for j, mem := range rc.Members {
			switch {
			case mem.Value == "":
				m.add(CodeEmptyValue, idx(path+".members", j), "An empty member cannot be written: FHIR forbids empty strings.")
			case mem.System == "":
				e.Extension = append(e.Extension, Extension{URL: "member", ValueString: mem.Value})
			default:
				e.Extension = append(e.Extension, Extension{URL: "member", ValueIdentifier: identifier(mem)})
			}
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

// exclusionActor writes an exclusion as the actor of the nested deny provision.
func exclusionActor(x consent.Exclusion, path string, m *mapper) (Actor, bool) {
	a := Actor{Role: &CodeableConcept{Coding: []Coding{{System: SystemParticipationType, Code: RoleInformationRecipient, Display: "information recipient"}}}}
	switch {
	case !x.ID.IsZero() && x.Designation != consent.DesignationUnknown:
		m.add(CodeRecipient, path, "An exclusion both named and designated cannot be written: the reference holds one of them.")
		return a, false
	case x.ID.Value != "":
		a.Reference = &Reference{Identifier: identifier(x.ID)}
	case x.Designation != consent.DesignationUnknown:
		a.Reference = &Reference{Type: "Group", Identifier: &Identifier{System: SystemDesignation, Value: x.Designation.String()}}
	default:
		m.add(CodeEmptyValue, path, "An empty exclusion cannot be written: FHIR forbids empty strings.")
		return a, false
	}
	return a, true
}

// identifier writes a consent identifier as a FHIR Identifier.
func identifier(id consent.Identifier) *Identifier {
	return &Identifier{System: id.System, Value: id.Value}
}

func ptr[T any](v T) *T { return &v }

// formatInstant writes an instant as a FHIR dateTime, keeping its offset and sub-seconds.
func formatInstant(t time.Time) string {
	return t.Format(time.RFC3339Nano)
}
