package perinatal

import (
	"time"

	"github.com/dyad-health/dyad/internal/ident"
)

// Recipient is whom a need or service is for: the infant, or the affected family or
// caregiver. The zero value is RecipientUnknown.
type Recipient uint8

// The recipients.
const (
	RecipientUnknown   Recipient = iota
	RecipientInfant              // the infant
	RecipientCaregiver           // the affected family or caregiver (the mother, usually)
)

var recipientNames = []string{"unknown", "infant", "caregiver"}

// String returns the recipient's stable code, e.g. "caregiver".
func (r Recipient) String() string { return enumString("Recipient", uint8(r), recipientNames) }

// IsValid reports whether r is a declared recipient other than RecipientUnknown.
func (r Recipient) IsValid() bool { return enumValid(uint8(r), recipientNames) }

// MarshalText encodes the recipient as its stable code.
func (r Recipient) MarshalText() ([]byte, error) {
	return enumMarshal("recipient", uint8(r), recipientNames)
}

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (r *Recipient) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("recipient", b, recipientNames)
	*r = Recipient(v)
	return err
}

// NeedDomain is the kind of need a plan addresses. CAPTA requires the health and the
// substance use disorder treatment needs; the others are common practice. The zero value
// is NeedUnknown.
type NeedDomain uint8

// The need domains.
const (
	NeedUnknown               NeedDomain = iota
	NeedHealth                           // physical health care (pediatric, postpartum, NAS care)
	NeedSubstanceUseTreatment            // substance use disorder treatment, including MOUD
	NeedMentalHealth                     // mental health care
	NeedDevelopmental                    // developmental: Early Intervention (IDEA Part C)
	NeedParenting                        // parenting and family support, home visiting
	NeedBasicNeeds                       // housing, food, income, transport, child care
	NeedRecoverySupport                  // recovery coaching, recovery support centers
)

var needNames = []string{"unknown", "health", "substance_use_treatment", "mental_health", "developmental", "parenting", "basic_needs", "recovery_support"}

// String returns the domain's stable code, e.g. "substance_use_treatment".
func (n NeedDomain) String() string { return enumString("NeedDomain", uint8(n), needNames) }

// IsValid reports whether n is a declared domain other than NeedUnknown.
func (n NeedDomain) IsValid() bool { return enumValid(uint8(n), needNames) }

// MarshalText encodes the domain as its stable code.
func (n NeedDomain) MarshalText() ([]byte, error) {
	return enumMarshal("need domain", uint8(n), needNames)
}

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (n *NeedDomain) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("need domain", b, needNames)
	*n = NeedDomain(v)
	return err
}

// PartyRole is a responsible party's role in a plan. The zero value is RoleUnknown.
type PartyRole uint8

// The roles.
const (
	RoleUnknown            PartyRole = iota
	RoleCoordinator                  // coordinates the plan (chosen by the client in some States)
	RoleCaregiver                    // the parent or caregiver herself
	RoleHealthCareProvider           // birth hospital, pediatrician, obstetric provider
	RoleSUDTreatment                 // substance use disorder treatment program
	RoleChildWelfare                 // child protective services / child welfare agency
	RoleEarlyIntervention            // Early Intervention program (IDEA Part C)
	RoleHomeVisiting                 // home visiting program
	RoleRecoverySupport              // recovery coach, recovery support center
	RoleOther                        // any other community partner
)

var roleNames = []string{"unknown", "coordinator", "caregiver", "health_care_provider", "sud_treatment", "child_welfare", "early_intervention", "home_visiting", "recovery_support", "other"}

// String returns the role's stable code, e.g. "coordinator".
func (r PartyRole) String() string { return enumString("PartyRole", uint8(r), roleNames) }

// IsValid reports whether r is a declared role other than RoleUnknown.
func (r PartyRole) IsValid() bool { return enumValid(uint8(r), roleNames) }

// MarshalText encodes the role as its stable code.
func (r PartyRole) MarshalText() ([]byte, error) {
	return enumMarshal("party role", uint8(r), roleNames)
}

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (r *PartyRole) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("party role", b, roleNames)
	*r = PartyRole(v)
	return err
}

// Need is one need the plan addresses, for the infant or the caregiver, met by the
// services whose IDs it lists.
type Need struct {
	For      Recipient  `json:"for"`
	Domain   NeedDomain `json:"domain"`
	Services []string   `json:"services"` // IDs of the plan's services that address this need
}

// Service is one service or referral the plan arranges, with the party responsible for it.
type Service struct {
	ID         string     `json:"id"`
	For        Recipient  `json:"for"`
	Domain     NeedDomain `json:"domain"`
	Party      string     `json:"party"`                // ID of the responsible party
	Referral   bool       `json:"referral"`             // a referral to another organization
	ReferredAt time.Time  `json:"referred_at,omitzero"` // when the referral was made, if made
}

// Party is a person or organization responsible for part of the plan, by identifier.
type Party struct {
	ID   string    `json:"id"`
	Role PartyRole `json:"role"`
}

// Monitoring is how the plan's referrals and services are followed up: by whom, how
// often, and when next (CiteCAPTAPlanMonitoring).
type Monitoring struct {
	Party        string    `json:"party"`         // ID of the monitoring party
	IntervalDays int       `json:"interval_days"` // days between reviews
	NextReview   time.Time `json:"next_review,omitzero"`
}

// PlanOfSafeCare is a Plan of Safe Care (CAPTA, CiteCAPTAPlan): the health and substance
// use disorder treatment needs of the infant and of the affected family or caregiver, the
// services and referrals planned for them, the responsible parties, and monitoring. It
// holds identifiers and codes only: no names or free text.
type PlanOfSafeCare struct {
	InfantID   string     `json:"infant_id"`
	CreatedAt  time.Time  `json:"created_at"`
	Needs      []Need     `json:"needs"`
	Services   []Service  `json:"services"`
	Parties    []Party    `json:"parties"`
	Monitoring Monitoring `json:"monitoring"`
}

// Problem codes of PlanOfSafeCare.Validate (stable API).
const (
	PlanMissingInfantID          = "missing_infant_id"
	PlanMissingCreatedAt         = "missing_created_at"
	PlanNoInfantHealthNeed       = "no_infant_health_need"
	PlanNoCaregiverHealthNeed    = "no_caregiver_health_need"
	PlanNoCaregiverSUDNeed       = "no_caregiver_sud_treatment_need"
	PlanUnknownRecipient         = "unknown_recipient"
	PlanUnknownDomain            = "unknown_domain"
	PlanNeedUnaddressed          = "need_without_service"
	PlanUnknownService           = "unknown_service"
	PlanServiceMismatch          = "service_does_not_match_need"
	PlanNoServices               = "no_services"
	PlanMissingServiceID         = "missing_service_id"
	PlanDuplicateService         = "duplicate_service"
	PlanServiceWithoutParty      = "service_without_party"
	PlanUnknownParty             = "unknown_party"
	PlanReferralBeforePlan       = "referral_dated_before_plan"
	PlanReferralDateWithout      = "referral_date_without_referral"
	PlanNoParties                = "no_parties"
	PlanMissingPartyID           = "missing_party_id"
	PlanDuplicateParty           = "duplicate_party"
	PlanUnknownRole              = "unknown_role"
	PlanNoCoordinator            = "no_coordinator"
	PlanManyCoordinators         = "multiple_coordinators"
	PlanNoMonitoringParty        = "no_monitoring_party"
	PlanNoMonitoringInterval     = "no_monitoring_interval"
	PlanMonitoringReviewTooEarly = "next_review_before_plan"
	// PlanMonitoringIntervalTooLong is an interval above MaxMonitoringIntervalDays.
	PlanMonitoringIntervalTooLong = "monitoring_interval_too_long"
)

// Validate checks the plan and returns a *ValidationError listing every missing or
// inconsistent part, in a fixed order (plan, needs, services, parties, monitoring):
//
//   - the infant's health needs, and the caregiver's health and substance use disorder
//     treatment needs, must each be present (CiteCAPTAPlanNeeds);
//   - every need has a known recipient and domain and is met by at least one of the plan's
//     services, for the same recipient;
//   - there is at least one service; each has a unique ID, a known recipient and domain,
//     and a responsible party that the plan lists; a referral date is not before the plan
//     and is set only on referrals (CiteCAPTAPlanMonitoring);
//   - parties have unique IDs and known roles, and exactly one is the coordinator
//     (CitePlanCoordinator);
//   - monitoring names a listed party and a positive interval (at most
//     MaxMonitoringIntervalDays), and its next review is not before the plan
//     (CiteCAPTAPlanMonitoring);
//   - every identifier (the infant's, each service's and party's, and every reference to
//     one) follows the library's one rule (ProblemIdentifierInvalid), and every time lies
//     from 1900-01-01 to 2199-12-31 UTC (ProblemTimeOutOfRange).
//
// At most 100 problems are listed (see ValidationError).
func (p PlanOfSafeCare) Validate() error {
	ps := problems{what: "plan of safe care"}
	p.validate(&ps)
	return ps.err()
}

func (p *PlanOfSafeCare) validate(ps *problems) {
	checkID(ps, "infant_id", p.InfantID, PlanMissingInfantID, CiteCAPTAPlan, "The plan does not name the infant's identifier.")
	if p.CreatedAt.IsZero() {
		ps.add(PlanMissingCreatedAt, "created_at", CiteCAPTAPlan, "The plan has no creation time.")
	} else {
		checkTime(ps, "created_at", p.CreatedAt)
	}

	// Needs.
	var infantHealth, cgHealth, cgSUD bool
	services := make(map[string]int, len(p.Services))
	for i, s := range p.Services {
		if _, dup := services[s.ID]; !dup && s.ID != "" {
			services[s.ID] = i
		}
	}
	for i, n := range p.Needs {
		f := "needs[" + itoa(i) + "]"
		if !n.For.IsValid() {
			ps.add(PlanUnknownRecipient, f+".for", CiteCAPTAPlanNeeds, "A need is not for the infant nor for the caregiver.")
		}
		if !n.Domain.IsValid() {
			ps.add(PlanUnknownDomain, f+".domain", CiteCAPTAPlanNeeds, "A need has no known domain.")
		}
		switch {
		case n.For == RecipientInfant && n.Domain == NeedHealth:
			infantHealth = true
		case n.For == RecipientCaregiver && n.Domain == NeedHealth:
			cgHealth = true
		case n.For == RecipientCaregiver && n.Domain == NeedSubstanceUseTreatment:
			cgSUD = true
		}
		if len(n.Services) == 0 {
			ps.add(PlanNeedUnaddressed, f+".services", CiteCAPTAPlanNeeds, "A need is not met by any service of the plan.")
		}
		for j, id := range n.Services {
			g := f + ".services[" + itoa(j) + "]"
			k, ok := services[id]
			switch {
			case !ident.Valid(id):
				ps.add(ProblemIdentifierInvalid, g, "", ident.Rule)
			case !ok:
				ps.add(PlanUnknownService, g, CiteCAPTAPlanNeeds, "A need refers to a service the plan does not list.")
			case p.Services[k].For != n.For:
				ps.add(PlanServiceMismatch, g, CiteCAPTAPlanNeeds, "A need refers to a service planned for the other recipient.")
			}
		}
	}
	if !infantHealth {
		ps.add(PlanNoInfantHealthNeed, "needs", CiteCAPTAPlanNeeds, "The plan does not address the infant's health needs.")
	}
	if !cgHealth {
		ps.add(PlanNoCaregiverHealthNeed, "needs", CiteCAPTAPlanNeeds, "The plan does not address the caregiver's health needs.")
	}
	if !cgSUD {
		ps.add(PlanNoCaregiverSUDNeed, "needs", CiteCAPTAPlanNeeds, "The plan does not address the caregiver's substance use disorder treatment needs.")
	}

	// Services.
	parties := make(map[string]bool, len(p.Parties))
	for _, q := range p.Parties {
		if q.ID != "" {
			parties[q.ID] = true
		}
	}
	if len(p.Services) == 0 {
		ps.add(PlanNoServices, "services", CiteCAPTAPlanMonitoring, "The plan arranges no services or referrals.")
	}
	for i, s := range p.Services {
		f := "services[" + itoa(i) + "]"
		if checkID(ps, f+".id", s.ID, PlanMissingServiceID, CiteCAPTAPlan, "A service has no identifier.") && services[s.ID] != i {
			ps.add(PlanDuplicateService, f+".id", CiteCAPTAPlan, "Two services share an identifier.")
		}
		if !s.For.IsValid() {
			ps.add(PlanUnknownRecipient, f+".for", CiteCAPTAPlanNeeds, "A service is not for the infant nor for the caregiver.")
		}
		if !s.Domain.IsValid() {
			ps.add(PlanUnknownDomain, f+".domain", CiteCAPTAPlanNeeds, "A service has no known domain.")
		}
		if checkID(ps, f+".party", s.Party, PlanServiceWithoutParty, CiteCAPTAPlanMonitoring, "A service has no responsible party.") && !parties[s.Party] {
			ps.add(PlanUnknownParty, f+".party", CiteCAPTAPlanMonitoring, "A service's responsible party is not listed in the plan.")
		}
		if !s.ReferredAt.IsZero() {
			checkTime(ps, f+".referred_at", s.ReferredAt)
			if !s.Referral {
				ps.add(PlanReferralDateWithout, f+".referred_at", CiteCAPTAPlanMonitoring, "A referral date is set on a service that is not a referral.")
			}
			if !p.CreatedAt.IsZero() && civilDay(s.ReferredAt) < civilDay(p.CreatedAt) {
				ps.add(PlanReferralBeforePlan, f+".referred_at", CiteCAPTAPlanMonitoring, "A referral is dated before the plan was created.")
			}
		}
	}

	// Parties.
	if len(p.Parties) == 0 {
		ps.add(PlanNoParties, "parties", CiteCAPTAPlan, "The plan names no responsible parties.")
	}
	seen := make(map[string]bool, len(p.Parties))
	coordinators := 0
	for i, q := range p.Parties {
		f := "parties[" + itoa(i) + "]"
		if checkID(ps, f+".id", q.ID, PlanMissingPartyID, CiteCAPTAPlan, "A party has no identifier.") && seen[q.ID] {
			ps.add(PlanDuplicateParty, f+".id", CiteCAPTAPlan, "Two parties share an identifier.")
		}
		seen[q.ID] = true
		if !q.Role.IsValid() {
			ps.add(PlanUnknownRole, f+".role", CiteCAPTAPlan, "A party has no known role.")
		}
		if q.Role == RoleCoordinator {
			coordinators++
		}
	}
	switch {
	case coordinators == 0:
		ps.add(PlanNoCoordinator, "parties", CitePlanCoordinator, "No party coordinates the plan.")
	case coordinators > 1:
		ps.add(PlanManyCoordinators, "parties", CitePlanCoordinator, "More than one party is named coordinator.")
	}

	// Monitoring.
	if checkID(ps, "monitoring.party", p.Monitoring.Party, PlanNoMonitoringParty, CiteCAPTAPlanMonitoring, "No party monitors the plan.") && !parties[p.Monitoring.Party] {
		ps.add(PlanUnknownParty, "monitoring.party", CiteCAPTAPlanMonitoring, "The monitoring party is not listed in the plan.")
	}
	switch {
	case p.Monitoring.IntervalDays <= 0:
		ps.add(PlanNoMonitoringInterval, "monitoring.interval_days", CiteCAPTAPlanMonitoring, "The plan sets no monitoring interval.")
	case p.Monitoring.IntervalDays > MaxMonitoringIntervalDays:
		ps.add(PlanMonitoringIntervalTooLong, "monitoring.interval_days", "", "The monitoring interval is longer than 3,660 days (ten years).")
	}
	if !p.Monitoring.NextReview.IsZero() {
		checkTime(ps, "monitoring.next_review", p.Monitoring.NextReview)
		if !p.CreatedAt.IsZero() && p.Monitoring.NextReview.Before(p.CreatedAt) {
			ps.add(PlanMonitoringReviewTooEarly, "monitoring.next_review", CiteCAPTAPlanMonitoring, "The next review is dated before the plan was created.")
		}
	}
}

// MaxMonitoringIntervalDays is the longest monitoring interval Validate accepts: 3,660
// days (ten years), far beyond the life of any plan. It is a bound on input, not a
// clinical rule: it keeps a plan's dates exact (IntervalDays×24 h would overflow a
// time.Duration beyond 106,751 days).
const MaxMonitoringIntervalDays = 3660
