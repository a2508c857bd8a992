package consent

import (
	"time"

	"github.com/dyad-health/dyad/internal/ident"
)

// Service is a service a qualified service organization provides to a program. It is an
// open vocabulary: the constants below are the categories of the QSO definition in 42 CFR
// 2.11; any other text is kept as is (so that an agreement round-trips) but is not a QSO
// category, which validation reports as a warning and Decide never relies on.
// The zero value is the unknown (unstated) service.
type Service string

// The service categories of a qualified service organization (42 CFR 2.11).
const (
	ServiceUnknown                     Service = ""
	ServiceDataProcessing              Service = "data_processing"
	ServiceBillCollecting              Service = "bill_collecting"
	ServiceDosagePreparation           Service = "dosage_preparation"
	ServiceLaboratoryAnalyses          Service = "laboratory_analyses"
	ServiceLegal                       Service = "legal"
	ServiceAccounting                  Service = "accounting"
	ServicePopulationHealthManagement  Service = "population_health_management"
	ServiceMedicalStaffing             Service = "medical_staffing"
	ServiceOtherProfessional           Service = "other_professional"
	ServiceChildAbuseNeglectPrevention Service = "child_abuse_neglect_prevention"
)

// knownServices are the services IsValid accepts, in the order of their constants.
var knownServices = [...]Service{ServiceDataProcessing, ServiceBillCollecting, ServiceDosagePreparation,
	ServiceLaboratoryAnalyses, ServiceLegal, ServiceAccounting, ServicePopulationHealthManagement,
	ServiceMedicalStaffing, ServiceOtherProfessional, ServiceChildAbuseNeglectPrevention}

// IsValid reports whether s is one of the QSO service categories of 42 CFR 2.11.
func (s Service) IsValid() bool {
	switch s {
	case ServiceDataProcessing, ServiceBillCollecting, ServiceDosagePreparation,
		ServiceLaboratoryAnalyses, ServiceLegal, ServiceAccounting,
		ServicePopulationHealthManagement, ServiceMedicalStaffing, ServiceOtherProfessional,
		ServiceChildAbuseNeglectPrevention:
		return true
	}
	return false
}

// String returns the category code; other text is returned truncated to 32 bytes and
// quoted, and the zero value as "unknown".
func (s Service) String() string {
	switch {
	case s == ServiceUnknown:
		return "unknown"
	case s.IsValid():
		return string(s)
	}
	return quote32(string(s))
}

// MarshalText returns the service as written.
func (s Service) MarshalText() ([]byte, error) { return []byte(s), nil }

// UnmarshalText keeps any text: an unknown service is kept, not rejected.
func (s *Service) UnmarshalText(b []byte) error {
	*s = Service(b)
	return nil
}

// QSOAgreement is the written agreement between a Part 2 program and a qualified service
// organization (42 CFR 2.11, 2.12(c)(4)). Its JSON form is the QSOA object of the
// conformance corpus. The agreement is in force from the later of Effective and SignedAt,
// inclusive, until Expires, exclusive.
type QSOAgreement struct {
	// ID identifies the agreement within an Engine.
	ID string `json:"id"`
	// Program is the Part 2 program's identifier.
	Program Identifier `json:"program"`
	// Organization is the QSO's identifier.
	Organization Identifier `json:"organization"`
	// Services are the services the QSO provides to the program.
	Services []Service `json:"services,omitempty"`
	// Written records that the agreement is in writing.
	Written bool `json:"written"`
	// BoundByPart2 records the QSO's acknowledgement that in receiving, storing, processing
	// or otherwise dealing with records from the program it is fully bound by Part 2.
	BoundByPart2 bool `json:"bound_by_part2"`
	// ResistJudicialAccess records the QSO's promise to resist, if necessary, in judicial
	// proceedings any effort to obtain access to patient identifying information except as
	// Part 2 permits.
	ResistJudicialAccess bool `json:"resist_judicial_access"`
	// SignedAt is when the agreement was signed.
	SignedAt time.Time `json:"signed_at,omitzero"`
	// Effective is when the agreement takes effect; zero means when signed.
	Effective time.Time `json:"effective,omitzero"`
	// Expires is when the agreement ends; zero means it does not expire.
	Expires time.Time `json:"expires,omitzero"`
}

// start returns the instant the agreement takes effect: the later of Effective and
// SignedAt (an agreement cannot cover disclosures before it was signed).
func (a *QSOAgreement) start() time.Time {
	if a.Effective.After(a.SignedAt) {
		return a.Effective
	}
	return a.SignedAt
}

// InForceAt reports whether the agreement conforms (no error-level problem) and is in force
// at t: from the later of its effective date and date signed, inclusive, to its expiry,
// exclusive.
func (a QSOAgreement) InForceAt(t time.Time) bool {
	return !hasErrors(a.Problems()) && a.inForce(t)
}

func (a QSOAgreement) inForce(t time.Time) bool {
	s := a.start()
	return !s.IsZero() && !t.Before(s) && (a.Expires.IsZero() || t.Before(a.Expires))
}

// Problems returns every problem of the agreement, errors and warnings, in a fixed order,
// or nil. A service outside the categories of 42 CFR 2.11 is a warning: the agreement
// stays valid for its other services, but disclosures for that service need consent.
func (a QSOAgreement) Problems() []Problem {
	var ps []Problem
	add := func(sev Severity, code Code, cite, msg string) {
		ps = append(ps, Problem{Code: code, Severity: sev, Cite: cite, Message: msg})
	}
	const def = "42 CFR 2.11"
	if a.Program.Value == "" {
		add(SeverityError, CodeMissingProgram, def, "The agreement does not identify the Part 2 program.")
	}
	if a.Organization.Value == "" {
		add(SeverityError, CodeMissingOrganization, def, "The agreement does not identify the qualified service organization.")
	}
	if (a.Program.Value != "" && !a.Program.IsValid()) || (a.Organization.Value != "" && !a.Organization.IsValid()) {
		add(SeverityError, CodeInvalidIdentifier, def, "The program's or the organization's identifier breaks the identifier rule. "+ident.Rule)
	}
	if a.Program.Value != "" && mayBeSame(a.Program, a.Organization) {
		add(SeverityError, CodeSameParty, def, "A program cannot be its own qualified service organization.")
	}
	if len(a.Services) == 0 {
		add(SeverityError, CodeNoServices, def, "The agreement lists no service the organization provides to the program.")
	}
	for _, s := range a.Services {
		if !s.IsValid() {
			add(SeverityWarning, CodeServiceOutsideQSO, def,
				"A listed service is not a qualified service organization category; disclosures for it need the patient's consent.")
		}
	}
	if !a.Written {
		add(SeverityError, CodeNotWritten, def, "The agreement is not in writing.")
	}
	if !a.BoundByPart2 {
		add(SeverityError, CodeMissingBoundAck, def, "The organization does not acknowledge that it is fully bound by Part 2 in dealing with the records.")
	}
	if !a.ResistJudicialAccess {
		add(SeverityError, CodeMissingResistClause, def, "The organization does not undertake to resist in judicial proceedings any effort to obtain access to patient identifying information except as Part 2 permits.")
	}
	if a.SignedAt.IsZero() {
		add(SeverityError, CodeMissingSignature, def, "The agreement has no date signed.")
	}
	if !a.Expires.IsZero() && !a.start().IsZero() && !a.Expires.After(a.start()) {
		add(SeverityError, CodeExpiresBeforeEffect, def, "The agreement expires before or when it takes effect.")
	}
	if !a.Effective.IsZero() && !a.SignedAt.IsZero() && a.Effective.Before(a.SignedAt) {
		add(SeverityWarning, CodeEffectiveBeforeSigned, def, "The agreement is effective before it was signed; disclosures before signature are not covered.")
	}
	return ps
}

// Validate returns nil if the agreement has no problem, and otherwise a *ValidationError
// listing every problem, warnings included (it matches ErrInvalidAgreement). Use Problems
// and the Severity of each to tell an invalid agreement from a valid one with warnings;
// Valid does that for you.
func (a QSOAgreement) Validate() error {
	ps := a.Problems()
	if len(ps) == 0 {
		return nil
	}
	return &ValidationError{What: whatAgreement, ID: a.ID, Problems: ps}
}

// Valid reports whether the agreement has no error-level problem (warnings allowed).
func (a QSOAgreement) Valid() bool { return !hasErrors(a.Problems()) }
