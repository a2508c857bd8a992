package referral

import (
	"strconv"
)

// Every enum of this package is a uint8 whose zero value is Unknown, with stable snake_case
// codes held in an unexported table that is never written.

func enumString(kind string, v uint8, codes []string) string {
	if int(v) < len(codes) {
		return codes[v]
	}
	return kind + "(" + strconv.Itoa(int(v)) + ")"
}

func enumMarshal(kind string, v uint8, codes []string) ([]byte, error) {
	if v == 0 || int(v) >= len(codes) {
		return nil, &codeError{kind: kind, value: enumString(kind, v, codes)}
	}
	return []byte(codes[v]), nil
}

func enumUnmarshal(kind string, b []byte, codes []string) (uint8, error) {
	for i := 1; i < len(codes); i++ {
		if string(b) == codes[i] {
			return uint8(i), nil
		}
	}
	return 0, &codeError{kind: kind}
}

// Status is the status of a referral: the status of its FHIR R4 Task
// (http://hl7.org/fhir/task-status, 12 codes). The zero value is StatusUnknown. The text
// form is a snake_case code ("in_progress"); FHIRCode gives the FHIR code ("in-progress").
type Status uint8

// The statuses, in the order of the FHIR code system.
const (
	StatusUnknown        Status = iota
	StatusDraft                 // not yet ready to be acted upon
	StatusRequested             // ready to be acted upon; action is sought (the referral was sent)
	StatusReceived              // the partner claimed it and is evaluating whether to perform it
	StatusAccepted              // the partner agreed to perform it but has not started
	StatusRejected              // the partner decided not to perform it before any action
	StatusReady                 // FHIR: ready, used instead of requested..accepted; referrals never use it
	StatusCancelled             // not completed: withdrawn by the referring program
	StatusInProgress            // the service has started
	StatusOnHold                // the service started but is paused
	StatusFailed                // attempted but could not be completed
	StatusCompleted             // the service was delivered: the loop is closed
	StatusEnteredInError        // should never have existed
	numStatuses
)

var statusCodes = [...]string{"unknown", "draft", "requested", "received", "accepted", "rejected",
	"ready", "cancelled", "in_progress", "on_hold", "failed", "completed", "entered_in_error"}

var statusFHIR = [...]string{"", "draft", "requested", "received", "accepted", "rejected",
	"ready", "cancelled", "in-progress", "on-hold", "failed", "completed", "entered-in-error"}

// String returns the stable code, e.g. "in_progress".
func (s Status) String() string { return enumString("Status", uint8(s), statusCodes[:]) }

// IsValid reports whether s is one of the 12 FHIR statuses (not StatusUnknown).
func (s Status) IsValid() bool { return s > StatusUnknown && s < numStatuses }

// FHIRCode returns the code of http://hl7.org/fhir/task-status, e.g. "in-progress", or ""
// for StatusUnknown and undeclared values.
func (s Status) FHIRCode() string {
	if !s.IsValid() {
		return ""
	}
	return statusFHIR[s]
}

// Terminal reports whether no transition leaves s: rejected, cancelled, failed, completed
// and entered-in-error.
func (s Status) Terminal() bool {
	switch s {
	case StatusRejected, StatusCancelled, StatusFailed, StatusCompleted, StatusEnteredInError:
		return true
	}
	return false
}

// MarshalText encodes the status as its stable code; StatusUnknown is an error.
func (s Status) MarshalText() ([]byte, error) { return enumMarshal("status", uint8(s), statusCodes[:]) }

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (s *Status) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("status", b, statusCodes[:])
	*s = Status(v)
	return err
}

// ParseFHIRStatus returns the status of a http://hl7.org/fhir/task-status code such as
// "on-hold"; any other string wraps ErrUnknownCode.
func ParseFHIRStatus(code string) (Status, error) {
	v, err := enumUnmarshal("FHIR task status", []byte(code), statusFHIR[:])
	return Status(v), err
}

// Statuses returns the 12 statuses in code-system order.
func Statuses() []Status {
	out := make([]Status, 0, numStatuses-1)
	for s := StatusDraft; s < numStatuses; s++ {
		out = append(out, s)
	}
	return out
}

// PartnerKind is the kind of community partner a referral goes to. The zero value is
// PartnerKindUnknown.
type PartnerKind uint8

// The partner kinds named in perinatal practice guidance.
const (
	PartnerKindUnknown             PartnerKind = iota
	PartnerPrenatalCare                        // prenatal (obstetric) care
	PartnerPediatricCare                       // pediatric primary care
	PartnerEarlyIntervention                   // Early Intervention, IDEA Part C (34 CFR part 303)
	PartnerHomeVisiting                        // home visiting
	PartnerRecoverySupportCenter               // recovery support center
	PartnerRecoveryCoaching                    // recovery coaching
	PartnerCaseManagement                      // case management
	PartnerFamilyResourceCenter                // family resource center
	PartnerChildCare                           // child care
	PartnerChildWelfare                        // child welfare agency (e.g. DCF in Massachusetts)
	PartnerParentingFamilyServices             // parenting and family services
	PartnerIntimatePartnerViolence             // intimate partner violence services
	PartnerHIVTBServices                       // HIV and tuberculosis services
	PartnerMOUDProvider                        // medication for opioid use disorder provider
	PartnerPrimaryCare                         // primary care
	numPartnerKinds
)

var partnerKindCodes = [...]string{"unknown", "prenatal_care", "pediatric_care",
	"early_intervention", "home_visiting", "recovery_support_center", "recovery_coaching",
	"case_management", "family_resource_center", "child_care", "child_welfare",
	"parenting_family_services", "intimate_partner_violence", "hiv_tb_services",
	"moud_provider", "primary_care"}

// String returns the stable code, e.g. "early_intervention".
func (k PartnerKind) String() string {
	return enumString("PartnerKind", uint8(k), partnerKindCodes[:])
}

// IsValid reports whether k is a declared kind other than PartnerKindUnknown.
func (k PartnerKind) IsValid() bool { return k > PartnerKindUnknown && k < numPartnerKinds }

// MarshalText encodes the kind as its stable code; PartnerKindUnknown is an error.
func (k PartnerKind) MarshalText() ([]byte, error) {
	return enumMarshal("partner kind", uint8(k), partnerKindCodes[:])
}

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (k *PartnerKind) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("partner kind", b, partnerKindCodes[:])
	*k = PartnerKind(v)
	return err
}

// PartnerKinds returns every declared kind in code order.
func PartnerKinds() []PartnerKind {
	out := make([]PartnerKind, 0, numPartnerKinds-1)
	for k := PartnerPrenatalCare; k < numPartnerKinds; k++ {
		out = append(out, k)
	}
	return out
}

// Subject says whom a referral is for. The zero value is SubjectUnknown.
type Subject uint8

// The subjects of a referral.
const (
	SubjectUnknown   Subject = iota
	SubjectWoman             // the pregnant or postpartum woman
	SubjectInfant            // her infant
	SubjectCaregiver         // another caregiver or family member
	numSubjects
)

var subjectCodes = [...]string{"unknown", "woman", "infant", "caregiver"}

// String returns the stable code, e.g. "infant".
func (s Subject) String() string { return enumString("Subject", uint8(s), subjectCodes[:]) }

// IsValid reports whether s is a declared subject other than SubjectUnknown.
func (s Subject) IsValid() bool { return s > SubjectUnknown && s < numSubjects }

// MarshalText encodes the subject as its stable code; SubjectUnknown is an error.
func (s Subject) MarshalText() ([]byte, error) {
	return enumMarshal("subject", uint8(s), subjectCodes[:])
}

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (s *Subject) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("subject", b, subjectCodes[:])
	*s = Subject(v)
	return err
}

// SUDContent says whether a referral would carry substance use disorder information
// protected by 42 CFR part 2. The zero value, SUDUnknown, is treated as carrying it (fail
// closed): a referral must say explicitly that it carries none.
type SUDContent uint8

// The SUD-content declarations.
const (
	SUDUnknown SUDContent = iota // not declared: treated as SUDCarries
	SUDNone                      // explicitly carries no Part 2 information
	SUDCarries                   // carries Part 2 information: the consent gate applies
	numSUDContents
)

var sudCodes = [...]string{"unknown", "none", "carries"}

// String returns the stable code, e.g. "carries".
func (c SUDContent) String() string { return enumString("SUDContent", uint8(c), sudCodes[:]) }

// IsValid reports whether c is SUDNone or SUDCarries.
func (c SUDContent) IsValid() bool { return c > SUDUnknown && c < numSUDContents }

// Gated reports whether the consent gate applies: every value but SUDNone.
func (c SUDContent) Gated() bool { return c != SUDNone }

// MarshalText encodes the declaration as its stable code; SUDUnknown is an error.
func (c SUDContent) MarshalText() ([]byte, error) {
	return enumMarshal("SUD content", uint8(c), sudCodes[:])
}

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (c *SUDContent) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("SUD content", b, sudCodes[:])
	*c = SUDContent(v)
	return err
}

// EventKind is what a referral event records. The zero value is EventUnknown.
type EventKind uint8

// The kinds of referral event.
const (
	EventUnknown         EventKind = iota
	EventCreated                   // the referral was drafted (always the first event)
	EventTransitioned              // the status changed
	EventConsentRecorded           // a consent decision was recorded on the referral
	EventConsentRevoked            // a consent the referral relied on was revoked
	EventDueAdded                  // a due time was attached by rule
	numEventKinds
)

var eventKindCodes = [...]string{"unknown", "created", "transitioned", "consent_recorded",
	"consent_revoked", "due_added"}

// String returns the stable code, e.g. "consent_recorded".
func (k EventKind) String() string { return enumString("EventKind", uint8(k), eventKindCodes[:]) }

// IsValid reports whether k is a declared kind other than EventUnknown.
func (k EventKind) IsValid() bool { return k > EventUnknown && k < numEventKinds }

// MarshalText encodes the kind as its stable code; EventUnknown is an error.
func (k EventKind) MarshalText() ([]byte, error) {
	return enumMarshal("event kind", uint8(k), eventKindCodes[:])
}

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (k *EventKind) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("event kind", b, eventKindCodes[:])
	*k = EventKind(v)
	return err
}

// Rule is the rule a due time comes from. The zero value is RuleUnknown.
type Rule uint8

// The rules that make a referral due.
const (
	RuleUnknown           Rule = iota
	RuleInterimPrenatal        // prenatal-care referral of interim services: 48 h after she sought treatment (45 CFR 96.131(d), 96.121)
	RuleEarlyIntervention      // Early Intervention referral: 7 days after identification (34 CFR 303.303(a)(2)(i))
	RulePlanOfSafeCare         // a referral a Plan of Safe Care lists, by the plan's date (CAPTA, 42 U.S.C. 5106a(b)(2)(B)(iii))
	RulePartnerAck             // the partner acknowledges within its window after the referral is sent
	RuleProgram                // a due time the program set itself
	numRules
)

var ruleCodes = [...]string{"unknown", "interim_prenatal", "early_intervention",
	"plan_of_safe_care", "partner_ack", "program"}

// String returns the stable code, e.g. "early_intervention".
func (r Rule) String() string { return enumString("Rule", uint8(r), ruleCodes[:]) }

// IsValid reports whether r is a declared rule other than RuleUnknown.
func (r Rule) IsValid() bool { return r > RuleUnknown && r < numRules }

// MarshalText encodes the rule as its stable code; RuleUnknown is an error.
func (r Rule) MarshalText() ([]byte, error) { return enumMarshal("rule", uint8(r), ruleCodes[:]) }

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (r *Rule) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("rule", b, ruleCodes[:])
	*r = Rule(v)
	return err
}

// Milestone is what a due time asks to have happened. The zero value is MilestoneUnknown.
type Milestone uint8

// The milestones of a referral, each reached the first time the referral enters one of the
// statuses listed.
const (
	MilestoneUnknown      Milestone = iota
	MilestoneSent                   // requested: the referral was made
	MilestoneAcknowledged           // received, accepted or rejected: the partner answered
	MilestoneAccepted               // accepted (or in-progress, which implies it)
	MilestoneCompleted              // completed: the loop is closed
	numMilestones
)

var milestoneCodes = [...]string{"unknown", "sent", "acknowledged", "accepted", "completed"}

// String returns the stable code, e.g. "acknowledged".
func (m Milestone) String() string {
	return enumString("Milestone", uint8(m), milestoneCodes[:])
}

// IsValid reports whether m is a declared milestone other than MilestoneUnknown.
func (m Milestone) IsValid() bool { return m > MilestoneUnknown && m < numMilestones }

// MarshalText encodes the milestone as its stable code; MilestoneUnknown is an error.
func (m Milestone) MarshalText() ([]byte, error) {
	return enumMarshal("milestone", uint8(m), milestoneCodes[:])
}

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (m *Milestone) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("milestone", b, milestoneCodes[:])
	*m = Milestone(v)
	return err
}

// DeadlineStatus is where a due time stands at the moment judged, as priority.ObligationStatus
// is for an obligation (the same codes). The zero value is DeadlineUnknown. It was named
// DeadlineState, a word this library keeps for the State government.
type DeadlineStatus uint8

// The statuses of a deadline.
const (
	DeadlineUnknown DeadlineStatus = iota
	DeadlineOpen                   // not reached, and the due time has not passed
	DeadlineOverdue                // not reached, and the moment judged is after the due time
	DeadlineMet                    // reached at or before the due time
	DeadlineMetLate                // reached after the due time
	DeadlineMissed                 // the referral ended (rejected, cancelled, failed, in error) without reaching it
	numDeadlineStates
)

var deadlineStateCodes = [...]string{"unknown", "open", "overdue", "met", "met_late", "missed"}

// String returns the stable code, e.g. "overdue".
func (s DeadlineStatus) String() string {
	return enumString("DeadlineStatus", uint8(s), deadlineStateCodes[:])
}

// IsValid reports whether s is a declared status other than DeadlineUnknown.
func (s DeadlineStatus) IsValid() bool { return s > DeadlineUnknown && s < numDeadlineStates }

// MarshalText encodes the status as its stable code; DeadlineUnknown is an error.
func (s DeadlineStatus) MarshalText() ([]byte, error) {
	return enumMarshal("deadline status", uint8(s), deadlineStateCodes[:])
}

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (s *DeadlineStatus) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("deadline status", b, deadlineStateCodes[:])
	*s = DeadlineStatus(v)
	return err
}
