package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// DefaultStart returns the calendar moment virtual day 0 stands for when a Scenario gives
// no Start: 2026-01-01T00:00:00Z. Calendar time matters only for month-by-month arrival
// rates and for the timestamps handed to the priority policy's classification.
func DefaultStart() time.Time { return time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC) }

// Scenario is a simulation's whole configuration: a plain value that serializes to and from
// the JSON format of the conformance corpus, so researchers can log and diff exact
// configurations. Compile it once into a Model, then Run the model.
//
// Durations are in days of 24 elapsed hours. Only applicants who arrive at or after
// WarmupDays are counted in the results; the simulation stops at HorizonDays.
type Scenario struct {
	// Description is free text for the researcher; it is never echoed in errors.
	Description string `json:"description,omitempty"`
	// Start is the calendar moment of virtual day 0; zero means DefaultStart().
	Start time.Time `json:"start,omitzero"`
	// HorizonDays is when the simulation stops (virtual days from Start).
	HorizonDays float64 `json:"horizon_days"`
	// WarmupDays is the initial period whose arrivals are not counted.
	WarmupDays float64 `json:"warmup_days,omitempty"`
	// Replications is how many independent runs to make (at least 1; 2 or more for
	// confidence intervals).
	Replications int `json:"replications"`
	// Seed determines every random draw; the same scenario and seed give the same results.
	Seed uint64 `json:"seed"`
	// Policy is the admission preference policy, by name ("federal") or inline, in the
	// priority package's JSON format.
	Policy PolicyRef `json:"policy"`
	// Programs are the treatment programs whose beds the waitlist fills.
	Programs []Program `json:"programs"`
	// Arrivals are the streams of people seeking treatment, one group each.
	Arrivals []ArrivalStream `json:"arrivals"`
	// Dropout, if set, is the time a person waits before giving up (leaving the waitlist
	// unadmitted). A stream may override it.
	Dropout *Dist `json:"dropout,omitempty"`
	// InterimDelay, if set, is the delay between seeking treatment and interim services
	// being made available (45 CFR 96.121, 96.126(b), 96.131(d)), for those the policy
	// says are owed them. A stream may override it.
	InterimDelay *Dist `json:"interim_delay,omitempty"`
	// TermDays is the gestational age at delivery, in days (default 280, 40 weeks).
	TermDays float64 `json:"term_days,omitempty"`
	// SampleEveryDays is the spacing of the waitlist-length time series (default: the
	// counted period divided by 100).
	SampleEveryDays float64 `json:"sample_every_days,omitempty"`
}

// Program is a treatment program with a number of beds, each holding one person for a
// whole stay.
type Program struct {
	// ID identifies the program in results and errors.
	ID string `json:"id"`
	// Beds is the program's capacity.
	Beds int `json:"beds"`
	// LengthOfStay is the time a person holds a bed once admitted.
	LengthOfStay Dist `json:"length_of_stay"`
	// Reserved holds beds for applicants of a tier or a better one.
	Reserved []Reservation `json:"reserved,omitempty"`
}

// Reservation holds Beds beds of a program for applicants whose tier is Tier or a better
// (lower-ranked) one: a person of a worse tier is admitted only while more beds are free
// than the reservation still holds, where the reservation holds Beds minus the eligible
// people already in the program (never less than zero). "Two beds for pregnant women"
// is {"tier": "pregnant", "beds": 2} under the federal policy.
type Reservation struct {
	// Tier is the name of a tier of the scenario's policy.
	Tier string `json:"tier"`
	// Beds is how many beds the reservation holds.
	Beds int `json:"beds"`
}

// Facts are an arriving applicant's facts, as the priority policy reads them.
type Facts struct {
	// Pregnant: she is pregnant when she seeks treatment.
	Pregnant bool `json:"pregnant,omitempty"`
	// InjectsDrugs: the person injects drugs.
	InjectsDrugs bool `json:"injects_drugs,omitempty"`
	// DependentChildren: the person has dependent children.
	DependentChildren bool `json:"dependent_children,omitempty"`
	// ReferredByChildWelfare: the person was referred by child welfare.
	ReferredByChildWelfare bool `json:"referred_by_child_welfare,omitempty"`
}

// ArrivalStream is a Poisson stream of applicants of one group.
type ArrivalStream struct {
	// Group names the stream in results; unique within a scenario.
	Group string `json:"group"`
	// RatePerDay is the constant arrival rate (people per day).
	RatePerDay float64 `json:"rate_per_day,omitempty"`
	// MonthlyRatePerDay, if set, gives twelve rates (people per day) by calendar month,
	// January first, instead of RatePerDay.
	MonthlyRatePerDay []float64 `json:"monthly_rate_per_day,omitempty"`
	// Applicant holds the facts every applicant of the stream has.
	Applicant Facts `json:"applicant"`
	// GestationalAgeDays, for pregnant applicants, is the gestational age at arrival; she
	// delivers TermDays minus that later and is then classified again (no longer
	// pregnant, delivered that moment). Without it a pregnant applicant stays pregnant.
	GestationalAgeDays *Dist `json:"gestational_age_days,omitempty"`
	// DeliveredDaysAgo, for postpartum applicants, is how long before arrival she
	// delivered.
	DeliveredDaysAgo *Dist `json:"delivered_days_ago,omitempty"`
	// Programs, if given, are the ids of the only programs this group may enter (for
	// example the programs for pregnant women and women with dependent children of
	// 45 CFR 96.124); by default every program.
	Programs []string `json:"programs,omitempty"`
	// Dropout overrides the scenario's dropout distribution for this stream.
	Dropout *Dist `json:"dropout,omitempty"`
	// InterimDelay overrides the scenario's interim-services delay for this stream.
	InterimDelay *Dist `json:"interim_delay,omitempty"`
}

// PolicyRef names a priority policy ("federal") or holds one inline as JSON in the
// priority package's format. In JSON it is either a string or an object.
type PolicyRef struct {
	// Name is a built-in policy's name, used when Inline is empty.
	Name string
	// Inline is a policy object in the priority package's JSON format.
	Inline json.RawMessage
}

// MarshalJSON encodes the reference as a string or as the inline object.
func (p PolicyRef) MarshalJSON() ([]byte, error) {
	if len(p.Inline) > 0 {
		return p.Inline, nil
	}
	return json.Marshal(p.Name)
}

// UnmarshalJSON decodes a string (a policy name) or an object (an inline policy).
func (p *PolicyRef) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*p = PolicyRef{}
	switch {
	case len(b) > 0 && b[0] == '"':
		return json.Unmarshal(b, &p.Name)
	case len(b) > 0 && b[0] == '{':
		p.Inline = append(json.RawMessage(nil), b...)
		return nil
	case string(b) == "null":
		return nil
	}
	return fmt.Errorf("sim: policy must be a name or an object: %w", ErrInvalidScenario)
}

// String returns the policy's name, or "inline" for an inline policy.
func (p PolicyRef) String() string {
	if len(p.Inline) > 0 {
		return "inline"
	}
	return p.Name
}

// ErrInvalidScenario is matched (errors.Is) by every error reporting a bad scenario,
// including *ValidationError.
var ErrInvalidScenario = errors.New("sim: invalid scenario")

// ErrConservation is returned by Run if a replication's counts do not balance
// (arrivals = admitted + dropped out + still waiting). It signals a bug, never bad input.
var ErrConservation = errors.New("sim: conservation check failed")

// Problem codes reported by Validate. They are stable API.
const (
	CodeHorizon         = "horizon"           // horizon missing, negative or not finite
	CodeWarmup          = "warmup"            // warm-up negative or not before the horizon
	CodeReplications    = "replications"      // replications below 1 or above MaxReplications
	CodePolicy          = "policy"            // policy missing, unknown or invalid
	CodeNoPrograms      = "no_programs"       // no program
	CodeProgramID       = "program_id"        // program id missing or duplicated
	CodeBeds            = "beds"              // beds below 1 or above MaxBeds
	CodeReservation     = "reservation"       // reservation names no tier, or holds too many beds
	CodeNoArrivals      = "no_arrivals"       // no arrival stream
	CodeGroup           = "group"             // group name missing or duplicated
	CodeRate            = "rate"              // arrival rate missing, negative, not finite, or both kinds given
	CodeDist            = "dist"              // distribution unknown or its parameters invalid
	CodeFacts           = "facts"             // facts contradict (e.g. a delivery date for a man)
	CodeTerm            = "term"              // term_days invalid
	CodeSample          = "sample"            // sample_every_days invalid or too small
	CodeTooManyArrivals = "too_many_arrivals" // expected arrivals per replication above MaxArrivals
)

// Limits guarding against scenarios that would exhaust memory.
const (
	MaxReplications = 100000
	MaxBeds         = 10_000_000
	MaxSamples      = 100000
	MaxArrivals     = 5e7 // expected arrivals per replication (the statewide scenario has 150,000)
)

// Problem is one thing wrong with a scenario.
type Problem struct {
	// Code is the problem's stable machine code (one of the Code constants).
	Code string `json:"code"`
	// Field is the JSON path of the offending field, e.g. "programs[2].beds".
	Field string `json:"field"`
	// Message is a plain sentence; it names fields and codes, never free text.
	Message string `json:"message"`
	// Cite is a citation when the problem comes from a rule; usually empty.
	Cite string `json:"cite,omitempty"`
}

// ValidationError lists every problem found in a scenario at once.
type ValidationError struct {
	Problems []Problem
}

// Error summarises the problems.
func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sim: invalid scenario: %d problem(s)", len(e.Problems))
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "; %s: %s (%s)", p.Field, p.Message, p.Code)
	}
	return b.String()
}

// Is reports that a ValidationError matches ErrInvalidScenario.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidScenario }

// truncate shortens an untrusted string for quoting in a message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// DecodeScenario decodes a scenario from JSON, rejecting unknown fields.
func DecodeScenario(data []byte) (Scenario, error) {
	var s Scenario
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return Scenario{}, fmt.Errorf("%w: %v", ErrInvalidScenario, err)
	}
	if dec.More() {
		return Scenario{}, fmt.Errorf("%w: trailing data after the scenario", ErrInvalidScenario)
	}
	return s, nil
}
