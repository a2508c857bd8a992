package priority

import (
	"encoding/json"
	"fmt"
	"math/bits"
	"strconv"

	"github.com/dyad-health/dyad/internal/jsonin"
)

// enumString returns names[v], or a Go-syntax placeholder for a value out of range.
func enumString(names []string, v uint8, typ string) string {
	if int(v) < len(names) {
		return names[v]
	}
	return fmt.Sprintf("%s(%d)", typ, v)
}

// enumMarshal encodes v as its code; a value out of range is an error.
func enumMarshal(names []string, v uint8, typ string) ([]byte, error) {
	if int(v) >= len(names) {
		return nil, fmt.Errorf("priority: invalid %s %d", typ, v)
	}
	return []byte(names[v]), nil
}

// enumUnmarshal decodes a code. An unknown code is a *jsonin.ValueError with code
// "unknown_code" whose message names the type, never the input.
func enumUnmarshal(names []string, b []byte, typ string) (uint8, error) {
	for i, n := range names {
		if string(b) == n {
			return uint8(i), nil
		}
	}
	return 0, &jsonin.ValueError{Code: CodeUnknownCode, Message: "Not a known " + typ + " code."}
}

// CodeUnknownCode is the problem code of an enum code the package does not know.
const CodeUnknownCode = "unknown_code"

func itoa(i int) string { return strconv.Itoa(i) }

// Condition is a documented fact about an applicant that a policy tier may require. The zero
// value is ConditionUnknown, which no tier may use.
type Condition uint8

// The conditions a tier may be built from. New conditions are added at the end, so codes and
// numeric values stay stable.
const (
	ConditionUnknown                Condition = iota
	ConditionPregnant                         // pregnant at the moment judged (not yet delivered)
	ConditionInjectsDrugs                     // injects drugs (45 CFR 96.126)
	ConditionPostpartum                       // delivered within the policy's postpartum window
	ConditionDependentChildren                // has dependent children (45 CFR 96.124(e))
	ConditionReferredByChildWelfare           // referred by the child welfare agency
	ConditionLeavingIncarceration             // leaving jail or prison
	ConditionVeteran                          // a veteran
	// ConditionWoman holds for a woman: Applicant.Woman, or any pregnancy or delivery on file.
	// Programs for pregnant women and women with dependent children (45 CFR 96.124(c), (e))
	// filter on it.
	ConditionWoman
	numConditions
)

var conditionNames = [...]string{"unknown", "pregnant", "injects_drugs", "postpartum",
	"dependent_children", "referred_by_child_welfare", "leaving_incarceration", "veteran", "woman"}

// String returns the condition's stable code, e.g. "injects_drugs".
func (c Condition) String() string { return enumString(conditionNames[:], uint8(c), "Condition") }

// IsValid reports whether c is a declared condition other than ConditionUnknown.
func (c Condition) IsValid() bool { return c > ConditionUnknown && c < numConditions }

// MarshalText encodes the condition as its stable code.
func (c Condition) MarshalText() ([]byte, error) {
	return enumMarshal(conditionNames[:], uint8(c), "condition")
}

// UnmarshalText decodes a stable code produced by MarshalText.
func (c *Condition) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal(conditionNames[:], b, "condition")
	*c = Condition(v)
	return err
}

// Conditions returns every declared condition other than ConditionUnknown, in code order.
func Conditions() []Condition {
	out := make([]Condition, 0, numConditions-1)
	for c := ConditionPregnant; c < numConditions; c++ {
		out = append(out, c)
	}
	return out
}

// ConditionSet is a set of conditions as a bit mask (bit c for Condition c). It is a comparable
// value; its zero value is the empty set. In JSON it is a list of codes in code order.
type ConditionSet uint16

// NewConditionSet returns the set holding the given conditions.
func NewConditionSet(cs ...Condition) ConditionSet {
	var s ConditionSet
	for _, c := range cs {
		s = s.With(c)
	}
	return s
}

// With returns s with c added.
func (s ConditionSet) With(c Condition) ConditionSet { return s | 1<<c }

// Has reports whether c is in s.
func (s ConditionSet) Has(c Condition) bool { return s&(1<<c) != 0 }

// Len returns the number of conditions in s.
func (s ConditionSet) Len() int { return bits.OnesCount16(uint16(s)) }

// Contains reports whether every condition of t is in s.
func (s ConditionSet) Contains(t ConditionSet) bool { return s&t == t }

// Slice returns the conditions in s in code order.
func (s ConditionSet) Slice() []Condition {
	out := make([]Condition, 0, s.Len())
	for c := Condition(0); c < 16; c++ {
		if s.Has(c) {
			out = append(out, c)
		}
	}
	return out
}

// String lists the codes joined by "+", e.g. "pregnant+injects_drugs", or "none".
func (s ConditionSet) String() string {
	if s == 0 {
		return "none"
	}
	out := ""
	for _, c := range s.Slice() {
		if out != "" {
			out += "+"
		}
		out += c.String()
	}
	return out
}

// MarshalJSON encodes the set as a list of condition codes.
func (s ConditionSet) MarshalJSON() ([]byte, error) {
	cs := s.Slice()
	for _, c := range cs {
		if !c.IsValid() {
			return nil, fmt.Errorf("priority: invalid condition %d in set", uint8(c))
		}
	}
	return json.Marshal(cs)
}

// UnmarshalJSON decodes a list of condition codes, through the package's one JSON reader.
func (s *ConditionSet) UnmarshalJSON(b []byte) error {
	var cs []Condition
	if err := jsonin.Decode(b, &cs, jsonin.Options{MaxBytes: setMaxBytes}); err != nil {
		return &jsonin.ValueError{Code: jsonin.CodeInvalidValue, Message: "Expected a list of condition codes."}
	}
	var out ConditionSet
	for _, c := range cs {
		if !c.IsValid() {
			return &jsonin.ValueError{Code: CodeUnknownCode, Message: "The unknown condition is not allowed in a set."}
		}
		out = out.With(c)
	}
	*s = out
	return nil
}

// setMaxBytes bounds the JSON of a condition or element set: every code once is far less.
const setMaxBytes = 4096

// ObligationKind is what is owed. The zero value is ObligationUnknown.
type ObligationKind uint8

// The kinds of obligation.
const (
	ObligationUnknown         ObligationKind = iota
	ObligationInterimServices                // interim services made available (45 CFR 96.131(d), 96.126(b))
	ObligationAdmission                      // admission of a person who injects drugs (45 CFR 96.126(b))
	ObligationStateReferral                  // refer a pregnant woman to the State (45 CFR 96.131(c))
	ObligationCapacityNotice                 // notify the State of reaching 90% capacity (45 CFR 96.126(a))
	numObligationKinds
)

var obligationKindNames = [...]string{"unknown", "interim_services", "admission", "state_referral", "capacity_notice"}

// String returns the kind's stable code, e.g. "interim_services".
func (k ObligationKind) String() string {
	return enumString(obligationKindNames[:], uint8(k), "ObligationKind")
}

// IsValid reports whether k is a declared kind other than ObligationUnknown.
func (k ObligationKind) IsValid() bool { return k > ObligationUnknown && k < numObligationKinds }

// MarshalText encodes the kind as its stable code.
func (k ObligationKind) MarshalText() ([]byte, error) {
	return enumMarshal(obligationKindNames[:], uint8(k), "obligation kind")
}

// UnmarshalText decodes a stable code produced by MarshalText.
func (k *ObligationKind) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal(obligationKindNames[:], b, "obligation kind")
	*k = ObligationKind(v)
	return err
}

// ObligationStatus says where an obligation stands at the moment judged. The zero value is
// StatusUnknown. (Statuses are named Status* so that "State" in this package always means a
// State government, as in ObligationStateReferral.)
type ObligationStatus uint8

// The statuses of an obligation.
const (
	StatusUnknown ObligationStatus = iota
	StatusOpen                     // not met, and its due time has not passed
	StatusOverdue                  // not met, the person still waiting, and the moment judged is after its due time
	StatusMet                      // met at or before its due time
	StatusMetLate                  // met, but after its due time
	StatusMissed                   // never met: the person was admitted or left the list after its due time without it
	StatusClosed                   // no longer owed: the person was admitted or left the list before its due time
	numObligationStatuses
)

var obligationStatusNames = [...]string{"unknown", "open", "overdue", "met", "met_late", "missed", "closed"}

// String returns the status's stable code, e.g. "overdue".
func (s ObligationStatus) String() string {
	return enumString(obligationStatusNames[:], uint8(s), "ObligationStatus")
}

// IsValid reports whether s is a declared status other than StatusUnknown.
func (s ObligationStatus) IsValid() bool { return s > StatusUnknown && s < numObligationStatuses }

// Pending reports whether the obligation still has to be met (open or overdue).
func (s ObligationStatus) Pending() bool { return s == StatusOpen || s == StatusOverdue }

// Final reports whether the obligation's status can no longer change: met, met late,
// missed or closed.
func (s ObligationStatus) Final() bool { return s >= StatusMet && s < numObligationStatuses }

// MarshalText encodes the status as its stable code.
func (s ObligationStatus) MarshalText() ([]byte, error) {
	return enumMarshal(obligationStatusNames[:], uint8(s), "obligation status")
}

// UnmarshalText decodes a stable code produced by MarshalText.
func (s *ObligationStatus) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal(obligationStatusNames[:], b, "obligation status")
	*s = ObligationStatus(v)
	return err
}

// ObligationState is the former name of ObligationStatus.
//
// Deprecated: use ObligationStatus; "State" in this package means a State government. The
// alias will be removed in the release after next.
type ObligationState = ObligationStatus

// The former names of the statuses.
//
// Deprecated: use StatusUnknown, StatusOpen, StatusOverdue, StatusMet and StatusMetLate.
const (
	StateUnknown = StatusUnknown
	StateOpen    = StatusOpen
	StateOverdue = StatusOverdue
	StateMet     = StatusMet
	StateMetLate = StatusMetLate
)

// InterimElement is one element of interim services as defined in 45 CFR 96.121. The zero
// value is ElementUnknown.
type InterimElement uint8

// The interim-services elements of 45 CFR 96.121. The first five are owed to everyone owed
// interim services; the last two to pregnant women as well.
const (
	ElementUnknown                          InterimElement = iota
	ElementHIVTBEducation                                  // counseling and education about HIV and tuberculosis
	ElementNeedleSharingRisks                              // about the risks of needle-sharing
	ElementTransmissionToPartnersAndInfants                // about the risks of transmission to sexual partners and infants
	ElementTransmissionPreventionSteps                     // about steps that ensure HIV and TB transmission does not occur
	ElementHIVTBTreatmentReferral                          // referral for HIV and TB treatment services if necessary
	ElementFetalEffectsCounseling                          // pregnant women: effects of alcohol and other drugs on the fetus
	ElementPrenatalCareReferral                            // pregnant women: referral for prenatal care
	numElements
)

var elementNames = [...]string{"unknown", "hiv_tb_education", "needle_sharing_risks",
	"transmission_to_partners_and_infants", "transmission_prevention_steps",
	"hiv_tb_treatment_referral", "fetal_effects_counseling", "prenatal_care_referral"}

// String returns the element's stable code, e.g. "prenatal_care_referral".
func (e InterimElement) String() string {
	return enumString(elementNames[:], uint8(e), "InterimElement")
}

// IsValid reports whether e is a declared element other than ElementUnknown.
func (e InterimElement) IsValid() bool { return e > ElementUnknown && e < numElements }

// MarshalText encodes the element as its stable code.
func (e InterimElement) MarshalText() ([]byte, error) {
	return enumMarshal(elementNames[:], uint8(e), "interim element")
}

// UnmarshalText decodes a stable code produced by MarshalText.
func (e *InterimElement) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal(elementNames[:], b, "interim element")
	*e = InterimElement(v)
	return err
}

// ElementSet is a set of interim-services elements as a bit mask (bit e for element e). Its
// zero value is the empty set. In JSON it is a list of codes in code order.
type ElementSet uint8

// The element sets of 45 CFR 96.121.
const (
	// BaseElements are the five elements owed to everyone owed interim services.
	BaseElements ElementSet = 1<<ElementHIVTBEducation | 1<<ElementNeedleSharingRisks |
		1<<ElementTransmissionToPartnersAndInfants | 1<<ElementTransmissionPreventionSteps |
		1<<ElementHIVTBTreatmentReferral
	// PregnancyElements are the two elements owed to pregnant women in addition.
	PregnancyElements ElementSet = 1<<ElementFetalEffectsCounseling | 1<<ElementPrenatalCareReferral
)

// Has reports whether e is in s.
func (s ElementSet) Has(e InterimElement) bool { return e < 8 && s&(1<<e) != 0 }

// With returns s with e added.
func (s ElementSet) With(e InterimElement) ElementSet { return s | 1<<e }

// Len returns the number of elements in s.
func (s ElementSet) Len() int { return bits.OnesCount8(uint8(s)) }

// Slice returns the elements of s in code order (never nil).
func (s ElementSet) Slice() []InterimElement {
	out := make([]InterimElement, 0, s.Len())
	for e := InterimElement(0); e < 8; e++ {
		if s.Has(e) {
			out = append(out, e)
		}
	}
	return out
}

// String lists the codes joined by "+", or "none".
func (s ElementSet) String() string {
	if s == 0 {
		return "none"
	}
	out := ""
	for _, e := range s.Slice() {
		if out != "" {
			out += "+"
		}
		out += e.String()
	}
	return out
}

// MarshalJSON encodes the set as a list of element codes.
func (s ElementSet) MarshalJSON() ([]byte, error) {
	es := s.Slice()
	for _, e := range es {
		if !e.IsValid() {
			return nil, fmt.Errorf("priority: invalid interim element %d in set", uint8(e))
		}
	}
	return json.Marshal(es)
}

// UnmarshalJSON decodes a list of element codes, through the package's one JSON reader.
func (s *ElementSet) UnmarshalJSON(b []byte) error {
	var es []InterimElement
	if err := jsonin.Decode(b, &es, jsonin.Options{MaxBytes: setMaxBytes}); err != nil {
		return &jsonin.ValueError{Code: jsonin.CodeInvalidValue, Message: "Expected a list of interim element codes."}
	}
	var out ElementSet
	for _, e := range es {
		if !e.IsValid() {
			return &jsonin.ValueError{Code: CodeUnknownCode, Message: "The unknown element is not allowed in a set."}
		}
		out = out.With(e)
	}
	*s = out
	return nil
}

// RemovalReason is why a person left the waitlist. The zero value is RemovalUnknown.
type RemovalReason uint8

// The reasons a person leaves the waitlist.
const (
	RemovalUnknown           RemovalReason = iota
	RemovalAdmitted                        // admitted to this program
	RemovalDeclined                        // declined treatment
	RemovalUnreachable                     // could not be reached, as the policy's removal rule allows
	RemovalAdmittedElsewhere               // admitted to another program
	numRemovalReasons
)

var removalNames = [...]string{"unknown", "admitted", "declined", "unreachable", "admitted_elsewhere"}

// String returns the reason's stable code, e.g. "admitted_elsewhere".
func (r RemovalReason) String() string {
	return enumString(removalNames[:], uint8(r), "RemovalReason")
}

// IsValid reports whether r is a declared reason other than RemovalUnknown.
func (r RemovalReason) IsValid() bool { return r > RemovalUnknown && r < numRemovalReasons }

// MarshalText encodes the reason as its stable code.
func (r RemovalReason) MarshalText() ([]byte, error) {
	return enumMarshal(removalNames[:], uint8(r), "removal reason")
}

// UnmarshalText decodes a stable code produced by MarshalText.
func (r *RemovalReason) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal(removalNames[:], b, "removal reason")
	*r = RemovalReason(v)
	return err
}

// EventKind is what a waitlist event records. The zero value is EventUnknown.
type EventKind uint8

// The kinds of waitlist event.
const (
	EventUnknown          EventKind = iota
	EventAdded                      // a person joined the waitlist
	EventFactsUpdated               // a person's facts changed (she delivered, he reports injecting)
	EventContactAttempted           // an attempt to contact a person, reached or not
	EventInterimDelivered           // one interim-services element was made available
	EventStateReferred              // a pregnant woman was referred to the State (96.131(c))
	EventRemoved                    // a person left the waitlist, with a reason
	EventReclassified               // the passage of time changed a person's tier (postpartum window ended)
	EventOccupancy                  // a program's beds and occupancy (45 CFR 96.126(a))
	EventCapacityNotified           // a program notified the State of reaching 90% of capacity (96.126(a))
	EventPolicyChanged              // the list moved to another policy (Waitlist.ChangePolicy)
	numEventKinds
)

var eventKindNames = [...]string{"unknown", "added", "facts_updated", "contact_attempted",
	"interim_delivered", "state_referred", "removed", "reclassified", "occupancy", "capacity_notified", "policy_changed"}

// String returns the kind's stable code, e.g. "contact_attempted".
func (k EventKind) String() string { return enumString(eventKindNames[:], uint8(k), "EventKind") }

// IsValid reports whether k is a declared kind other than EventUnknown.
func (k EventKind) IsValid() bool { return k > EventUnknown && k < numEventKinds }

// MarshalText encodes the kind as its stable code.
func (k EventKind) MarshalText() ([]byte, error) {
	return enumMarshal(eventKindNames[:], uint8(k), "event kind")
}

// UnmarshalText decodes a stable code produced by MarshalText.
func (k *EventKind) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal(eventKindNames[:], b, "event kind")
	*k = EventKind(v)
	return err
}

// Capacity is whether a program could admit a person on the day she sought treatment: the
// fact 45 CFR 96.126(b)(2) ("if no such program has the capacity to admit the individual on
// the date of such request") and 96.131(d) ("if no treatment facility has the capacity to
// admit the woman") turn on. The caller, who knows the State's capacity records, gives it.
// The zero value is CapacityUnknown, read the way that owes the person more: interim
// services owed, admission within 14 days. In JSON it is true (a program could admit), false
// (none could) or absent/null (unknown).
type Capacity uint8

// The capacity facts.
const (
	CapacityUnknown   Capacity = iota // not known
	CapacityAvailable                 // a program could admit her on the day of the request
	CapacityNone                      // no program could admit her on the day of the request
	numCapacities
)

var capacityNames = [...]string{"unknown", "available", "none"}

// String returns the fact's stable code: "unknown", "available" or "none".
func (c Capacity) String() string { return enumString(capacityNames[:], uint8(c), "Capacity") }

// IsValid reports whether c is CapacityAvailable or CapacityNone.
func (c Capacity) IsValid() bool { return c > CapacityUnknown && c < numCapacities }

// MarshalJSON encodes true, false or null.
func (c Capacity) MarshalJSON() ([]byte, error) {
	switch c {
	case CapacityAvailable:
		return []byte("true"), nil
	case CapacityNone:
		return []byte("false"), nil
	case CapacityUnknown:
		return []byte("null"), nil
	}
	return nil, fmt.Errorf("priority: invalid capacity %d", uint8(c))
}

// UnmarshalJSON decodes true, false or null.
func (c *Capacity) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "true":
		*c = CapacityAvailable
	case "false":
		*c = CapacityNone
	case "null":
		*c = CapacityUnknown
	default:
		return &jsonin.ValueError{Code: jsonin.CodeWrongType, Message: "Expected true, false or null."}
	}
	return nil
}
