package referral

import (
	"encoding/json"
	"time"
)

// FHIR code systems and codes used by the export. Codes of this package's own vocabularies
// (partner kinds, reason codes, obligation codes) use the URNs below.
const (
	SystemTaskStatus      = "http://hl7.org/fhir/task-status"
	SystemTaskCode        = "http://hl7.org/fhir/CodeSystem/task-code"
	SystemSNOMED          = "http://snomed.info/sct"
	SystemActCode         = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
	SystemConfidentiality = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
	SystemPartnerKind     = "urn:dyad:referral:partner-kind"
	SystemReason          = "urn:dyad:referral:reason"
	SystemObligation      = "urn:dyad:consent:obligation"
	SystemInputType       = "urn:dyad:referral:input"
	// SNOMEDPatientReferral is SNOMED CT 3457005 "Patient referral", the root of the FHIR
	// referral-type value set; the ServiceRequest's category.
	SNOMEDPatientReferral = "3457005"
)

// FHIROptions configures the export. IdentifierSystem, if set, is the system of the
// business identifier (the referral's ID) on both resources.
type FHIROptions struct {
	IdentifierSystem string // system URI of the referral ID as a business identifier; "" for none
}

// FHIRPair is a referral as a FHIR R4 Task (the workflow: status, owner, history) and the
// ServiceRequest it fulfils (the referral order itself), each a JSON resource. Its JSON form
// is a Bundle of type collection holding both, in that order.
type FHIRPair struct {
	Task           json.RawMessage // the Task resource
	ServiceRequest json.RawMessage // the ServiceRequest resource
}

// MarshalJSON encodes the pair as a FHIR Bundle of type "collection".
func (p FHIRPair) MarshalJSON() ([]byte, error) {
	type entry struct {
		Resource json.RawMessage `json:"resource"`
	}
	return json.Marshal(struct {
		ResourceType string  `json:"resourceType"`
		Type         string  `json:"type"`
		Entry        []entry `json:"entry"`
	}{"Bundle", "collection", []entry{{p.Task}, {p.ServiceRequest}}})
}

type fCoding struct {
	System  string `json:"system"`
	Code    string `json:"code"`
	Display string `json:"display,omitempty"`
}

type fConcept struct {
	Coding []fCoding `json:"coding"`
}

type fIdentifier struct {
	System string `json:"system,omitempty"`
	Value  string `json:"value"`
}

type fRef struct {
	Reference  string       `json:"reference,omitempty"`
	Type       string       `json:"type,omitempty"`
	Identifier *fIdentifier `json:"identifier,omitempty"`
}

type fPeriod struct {
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
}

type fMeta struct {
	Security []fCoding `json:"security"`
}

type fInput struct {
	Type        fConcept `json:"type"`
	ValueCoding fCoding  `json:"valueCoding"`
}

type fRestriction struct {
	Period fPeriod `json:"period"`
}

type fTask struct {
	ResourceType    string        `json:"resourceType"`
	ID              string        `json:"id"`
	Meta            *fMeta        `json:"meta,omitempty"`
	Identifier      []fIdentifier `json:"identifier"`
	BasedOn         []fRef        `json:"basedOn"`
	Status          string        `json:"status"`
	StatusReason    *fConcept     `json:"statusReason,omitempty"`
	Intent          string        `json:"intent"`
	Code            fConcept      `json:"code"`
	Focus           fRef          `json:"focus"`
	For             fRef          `json:"for"`
	ExecutionPeriod *fPeriod      `json:"executionPeriod,omitempty"`
	AuthoredOn      string        `json:"authoredOn"`
	LastModified    string        `json:"lastModified"`
	Requester       fRef          `json:"requester"`
	Owner           fRef          `json:"owner"`
	Restriction     *fRestriction `json:"restriction,omitempty"`
	Input           []fInput      `json:"input,omitempty"`
}

type fServiceRequest struct {
	ResourceType string        `json:"resourceType"`
	ID           string        `json:"id"`
	Meta         *fMeta        `json:"meta,omitempty"`
	Identifier   []fIdentifier `json:"identifier"`
	Status       string        `json:"status"`
	Intent       string        `json:"intent"`
	Category     []fConcept    `json:"category"`
	Code         fConcept      `json:"code"`
	Subject      fRef          `json:"subject"`
	AuthoredOn   string        `json:"authoredOn"`
	Requester    fRef          `json:"requester"`
	Performer    []fRef        `json:"performer"`
}

// serviceRequestStatus maps a Task status to the ServiceRequest (request-status) status:
// draft stays draft; requested, received, accepted and in-progress are active; on-hold is
// on-hold; completed is completed; rejected, cancelled and failed end the request (revoked);
// entered-in-error is entered-in-error.
func serviceRequestStatus(s Status) string {
	switch s {
	case StatusDraft:
		return "draft"
	case StatusRequested, StatusReceived, StatusAccepted, StatusReady, StatusInProgress:
		return "active"
	case StatusOnHold:
		return "on-hold"
	case StatusCompleted:
		return "completed"
	case StatusRejected, StatusCancelled, StatusFailed:
		return "revoked"
	case StatusEnteredInError:
		return "entered-in-error"
	}
	return "unknown"
}

// isFHIRID reports whether s is a FHIR id: 1 to 64 of A-Z a-z 0-9 - and .
func isFHIRID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// ref refers to a resource of the type by id when the identifier is a FHIR id, and by
// business identifier otherwise.
func ref(typ, id string) fRef {
	if isFHIRID(id) {
		return fRef{Reference: typ + "/" + id}
	}
	return fRef{Type: typ, Identifier: &fIdentifier{Value: id}}
}

func fTime(t time.Time) string { return t.Format(time.RFC3339Nano) }

// ToFHIR exports the referral as a FHIR R4 (4.0.1) Task and ServiceRequest:
//
//   - ServiceRequest id is the referral ID; the Task id is the referral ID followed by
//     "-task". The referral ID must therefore be a FHIR id of at most 59 characters
//     (A-Z a-z 0-9 - .); otherwise a *ValidationError is returned.
//   - ServiceRequest: status from the Task status (see below), intent order, category
//     SNOMED CT 3457005 Patient referral, code the partner kind (SystemPartnerKind),
//     subject the patient, requester the program (Organization), performer the partner
//     (Organization), authoredOn the creation time.
//   - Task: status the referral's FHIR status, intent order, code "fulfill"
//     (SystemTaskCode), focus and basedOn the ServiceRequest, for the patient, requester the
//     program, owner the partner, authoredOn and lastModified the first and latest event
//     times, statusReason the latest transition's reason code (SystemReason),
//     executionPeriod from the first in-progress to completed or failed, restriction.period.end
//     the earliest due time by rule, and one input per obligation of the recorded permitting
//     consent decision (type SystemInputType "obligation", value SystemObligation code).
//   - A referral that may carry SUD information (SUD not declared none) is labelled on both
//     resources with meta.security: confidentiality R (restricted), ETH (substance abuse
//     information sensitivity) and 42CFRPart2 (v3-ActCode).
//   - Patient, program and partner are referenced as Patient/ID or Organization/ID when the
//     identifier is a FHIR id, and by business identifier otherwise.
//   - ServiceRequest status: draft → draft; requested, received, accepted, in-progress →
//     active; on-hold → on-hold; completed → completed; rejected, cancelled, failed →
//     revoked; entered-in-error → entered-in-error.
func ToFHIR(r *Referral, opt FHIROptions) (FHIRPair, error) {
	if r == nil || len(r.events) == 0 {
		return FHIRPair{}, &ValidationError{What: "FHIR export", Problems: []Problem{{Code: "referral_empty",
			Message: "The referral has no events."}}}
	}
	if !isFHIRID(r.draft.ID) || len(r.draft.ID) > 59 {
		return FHIRPair{}, &ValidationError{What: "FHIR export", Problems: []Problem{{Code: "referral_id_not_fhir_id",
			Field: "id", Cite: "HL7 FHIR R4 id", Message: "The referral ID is not a FHIR id of at most 59 characters."}}}
	}
	id := r.draft.ID
	var ident []fIdentifier
	ident = append(ident, fIdentifier{System: opt.IdentifierSystem, Value: id})
	var meta *fMeta
	if r.draft.SUD.Gated() {
		meta = &fMeta{Security: []fCoding{
			{System: SystemConfidentiality, Code: "R", Display: "restricted"},
			{System: SystemActCode, Code: "ETH", Display: "substance abuse information sensitivity"},
			{System: SystemActCode, Code: "42CFRPart2"},
		}}
	}
	patient := ref("Patient", r.draft.Patient)
	program := ref("Organization", r.draft.Program)
	partner := ref("Organization", r.draft.Partner)
	sr := fServiceRequest{
		ResourceType: "ServiceRequest", ID: id, Meta: meta, Identifier: ident,
		Status: serviceRequestStatus(r.status), Intent: "order",
		Category:   []fConcept{{Coding: []fCoding{{System: SystemSNOMED, Code: SNOMEDPatientReferral, Display: "Patient referral"}}}},
		Code:       fConcept{Coding: []fCoding{{System: SystemPartnerKind, Code: r.draft.PartnerKind.String()}}},
		Subject:    patient,
		AuthoredOn: fTime(r.created), Requester: program, Performer: []fRef{partner},
	}
	srRef := fRef{Reference: "ServiceRequest/" + id}
	t := fTask{
		ResourceType: "Task", ID: id + "-task", Meta: meta, Identifier: ident,
		BasedOn: []fRef{srRef}, Status: r.status.FHIRCode(), Intent: "order",
		Code:  fConcept{Coding: []fCoding{{System: SystemTaskCode, Code: "fulfill"}}},
		Focus: srRef, For: patient,
		AuthoredOn: fTime(r.created), LastModified: fTime(r.updated),
		Requester: program, Owner: partner,
	}
	for i := len(r.events) - 1; i >= 0; i-- {
		if e := r.events[i]; e.Kind == EventTransitioned {
			if e.Reason != "" {
				t.StatusReason = &fConcept{Coding: []fCoding{{System: SystemReason, Code: e.Reason}}}
			}
			break
		}
	}
	if start := r.first[StatusInProgress]; !start.IsZero() {
		p := fPeriod{Start: fTime(start)}
		if end := r.first[StatusCompleted]; !end.IsZero() {
			p.End = fTime(end)
		} else if end := r.first[StatusFailed]; !end.IsZero() {
			p.End = fTime(end)
		}
		t.ExecutionPeriod = &p
	}
	var earliest time.Time
	for _, d := range r.dues {
		if earliest.IsZero() || d.At.Before(earliest) {
			earliest = d.At
		}
	}
	if !earliest.IsZero() {
		t.Restriction = &fRestriction{Period: fPeriod{End: fTime(earliest)}}
	}
	for _, o := range r.Obligations() {
		t.Input = append(t.Input, fInput{
			Type:        fConcept{Coding: []fCoding{{System: SystemInputType, Code: "obligation"}}},
			ValueCoding: fCoding{System: SystemObligation, Code: o.Code},
		})
	}
	tj, err := json.Marshal(t)
	if err != nil {
		return FHIRPair{}, err
	}
	sj, err := json.Marshal(sr)
	if err != nil {
		return FHIRPair{}, err
	}
	return FHIRPair{Task: tj, ServiceRequest: sj}, nil
}
