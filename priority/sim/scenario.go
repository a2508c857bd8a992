package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dyad-health/dyad/internal/ident"
	"github.com/dyad-health/dyad/internal/jsonin"
	"github.com/dyad-health/dyad/priority"
)

// DefaultStart returns the calendar moment virtual day 0 stands for when a Scenario gives
// no Start: 2026-01-01T00:00:00Z. Calendar time matters only for month-by-month arrival
// rates, for calendar-day deadlines of a policy with a time zone, and for the timestamps
// handed to the priority policy's classification.
func DefaultStart() time.Time { return time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC) }

// DefaultConfidence is the confidence level of intervals when a Scenario gives none.
const DefaultConfidence = 0.95

// Scenario is a simulation's whole configuration: a plain value that serializes to and from
// the JSON format of the conformance corpus, so researchers can log and diff exact
// configurations. Compile it once into a Model, then Run the model.
//
// Durations are in days of 24 elapsed hours. Only people who first seek treatment at or after
// WarmupDays are counted in the per-person results; time averages (occupancy, waitlist
// length) cover [WarmupDays, HorizonDays]; the simulation stops at HorizonDays.
type Scenario struct {
	// Name identifies the scenario in outputs (the "scenario" column); it follows the
	// library's identifier rule. Empty means "scenario".
	Name string `json:"name,omitempty"`
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
	// Confidence is the level of every confidence interval, in (0, 1); 0 means 0.95.
	Confidence float64 `json:"confidence,omitempty"`
	// Policy is the admission preference policy in force from day 0: "federal", or a
	// policy in the priority package's JSON format.
	Policy PolicyRef `json:"policy"`
	// PolicyChanges replace the policy at later days (a State adopting a new order mid-way):
	// everyone waiting is then ranked again under the new policy.
	PolicyChanges []PolicyChange `json:"policy_changes,omitempty"`
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
	// Balking, if set, lets people who cannot be admitted at once decline to join the
	// waitlist when it is long. A stream may override it.
	Balking *Balking `json:"balking,omitempty"`
	// TermDays is the gestational age at delivery, in days (default 280, 40 weeks).
	TermDays float64 `json:"term_days,omitempty"`
	// SampleEveryDays is the spacing of the waitlist-length time series, which runs from
	// day 0 (the warm-up included, for Welch's plot) to the horizon (default: the horizon
	// divided by 200).
	SampleEveryDays float64 `json:"sample_every_days,omitempty"`
}

// PolicyChange puts another policy in force from a day on.
type PolicyChange struct {
	// Day is when the new policy takes effect (virtual days, after day 0 and before the
	// horizon; changes in increasing order).
	Day float64 `json:"day"`
	// Policy is the policy in force from Day.
	Policy PolicyRef `json:"policy"`
}

// Program is a treatment program with a number of beds, each holding one person for a
// whole stay.
type Program struct {
	// ID identifies the program in results and errors (the library's identifier rule).
	ID string `json:"id"`
	// Beds is the program's capacity from day 0.
	Beds int `json:"beds"`
	// BedChanges is the program's capacity schedule: from each Day on it has Beds beds.
	// When beds are taken away, no one is discharged early: the program admits no one
	// until its occupancy falls below the new count.
	BedChanges []BedChange `json:"bed_changes,omitempty"`
	// LengthOfStay is the time a person holds a bed once admitted.
	LengthOfStay Dist `json:"length_of_stay"`
	// Reserved holds beds for applicants of a tier or a better one.
	Reserved []Reservation `json:"reserved,omitempty"`
	// Next routes people leaving the program to another program (step-down, e.g. from
	// residential to outpatient treatment): each route is taken with its probability; with
	// the remaining probability the person leaves the system. Routes may not form a cycle.
	Next []Route `json:"next,omitempty"`
}

// BedChange is one step of a program's capacity schedule.
type BedChange struct {
	// Day is when the change takes effect (after day 0, before the horizon, increasing).
	Day float64 `json:"day"`
	// Beds is the program's capacity from Day on (0 closes the program).
	Beds int `json:"beds"`
}

// Route sends a person leaving a program to another program's waitlist.
type Route struct {
	// Program is the id of the program she is referred to.
	Program string `json:"program"`
	// Probability is the chance she takes this route, in (0, 1]; a program's routes sum to
	// at most 1.
	Probability float64 `json:"probability"`
}

// Reservation holds Beds beds of a program for applicants whose tier is Tier or a better
// (lower-ranked) one: a person of a worse tier is admitted only while more beds are free
// than the reservation still holds, where the reservation holds Beds minus the eligible
// people already in the program (never less than zero). "Two beds for pregnant women"
// is {"tier": "pregnant", "beds": 2} under the federal policy. Under a policy change the
// tier is looked up by name in each policy.
type Reservation struct {
	// Tier is the name of a tier of the scenario's policy (of every policy in force).
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
	// LeavingIncarceration: the person is leaving incarceration.
	LeavingIncarceration bool `json:"leaving_incarceration,omitempty"`
	// Veteran: the person is a veteran.
	Veteran bool `json:"veteran,omitempty"`
	// Woman: the person is a woman (a pregnancy or a delivery says so too).
	Woman bool `json:"woman,omitempty"`
}

// ArrivalStream is a Poisson stream of applicants of one group.
type ArrivalStream struct {
	// Group names the stream in results; unique within a scenario (identifier rule).
	Group string `json:"group"`
	// RatePerDay is the constant arrival rate (people per day).
	RatePerDay float64 `json:"rate_per_day,omitempty"`
	// MonthlyRatePerDay, if set, gives twelve rates (people per day) by calendar month,
	// January first, instead of RatePerDay.
	MonthlyRatePerDay []float64 `json:"monthly_rate_per_day,omitempty"`
	// TrendPerYear makes the rate grow (or, negative, shrink) by that fraction a year,
	// compounded continuously from day 0: the rate at day t is the base rate times
	// (1 + TrendPerYear)^(t/365.25). It must be above -1.
	TrendPerYear float64 `json:"trend_per_year,omitempty"`
	// Applicant holds the facts every applicant of the stream has.
	Applicant Facts `json:"applicant"`
	// GestationalAgeDays, for pregnant applicants, is the gestational age at arrival; she
	// delivers TermDays minus that later and is then classified again (no longer
	// pregnant, delivered that moment). Without it a pregnant applicant stays pregnant.
	GestationalAgeDays *Dist `json:"gestational_age_days,omitempty"`
	// DeliveredDaysAgo, for applicants who are not pregnant, is how long before arrival
	// she delivered (an earlier pregnancy, postpartum while within the policy's window).
	DeliveredDaysAgo *Dist `json:"delivered_days_ago,omitempty"`
	// Programs, if given, are the ids of the only programs this group may enter (for
	// example the programs for pregnant women and women with dependent children of
	// 45 CFR 96.124); by default every program.
	Programs []string `json:"programs,omitempty"`
	// Apply says where a person of the group waits: "any" (the default) puts her on one
	// statewide waitlist for all of her programs, to take the first bed free for her in
	// any of them; "one" has her apply to one of her programs, drawn with probability
	// proportional to the admissions a day its beds allow at day 0 (beds over the mean
	// length of stay), and wait for that program only, as people do where each program
	// keeps its own waitlist.
	Apply string `json:"apply,omitempty"`
	// Dropout overrides the scenario's dropout distribution for this stream.
	Dropout *Dist `json:"dropout,omitempty"`
	// InterimDelay overrides the scenario's interim-services delay for this stream.
	InterimDelay *Dist `json:"interim_delay,omitempty"`
	// Balking overrides the scenario's balking rule for this stream.
	Balking *Balking `json:"balking,omitempty"`
}

// Balking is how people who cannot be admitted at once decide whether to join the
// waitlist, given n, the number of people already waiting for a program they could enter
// (Ciw's "baulking functions", simmer's queue limits). Both rules may be given; a person
// joins only if both let her.
type Balking struct {
	// MaxWaiting, when positive, is the longest waitlist a person joins: she balks when n
	// is MaxWaiting or more (an M/M/c/K system has MaxWaiting = K - c).
	MaxWaiting int `json:"max_waiting,omitempty"`
	// JoinProbability[n] is the chance she joins when n are waiting; beyond the list the
	// last value holds. Values lie in [0, 1].
	JoinProbability []float64 `json:"join_probability,omitempty"`
}

// PolicyRef names a built-in priority policy or holds one inline. In JSON it is a string
// ("federal") or an object in the priority package's policy format, read strictly with its
// field paths (a misspelt "whne" in the second tier is reported at policy.tiers[1].?, with
// the name it may stand for, "when").
type PolicyRef struct {
	// Name is a built-in policy's name ("federal"), used when Policy is nil.
	Name string
	// Policy is an inline policy.
	Policy *priority.Policy
}

// FederalPolicy returns a reference to the federal order of 45 CFR 96.131(a).
func FederalPolicy() PolicyRef { return PolicyRef{Name: "federal"} }

// PolicyOf returns a reference holding a copy of p.
func PolicyOf(p priority.Policy) PolicyRef {
	c := p.Clone()
	return PolicyRef{Policy: &c}
}

// MarshalJSON encodes the reference as a string or as the inline policy object.
func (p PolicyRef) MarshalJSON() ([]byte, error) {
	if p.Policy != nil {
		return json.Marshal(*p.Policy)
	}
	return json.Marshal(p.Name)
}

// UnmarshalJSON decodes a string (a policy name) or an object (an inline policy, read
// strictly through the library's one reader). Problems of an inline policy are returned
// as a *jsonin.Error, so that DecodeScenario reports them at their paths.
func (p *PolicyRef) UnmarshalJSON(b []byte) error {
	*p = PolicyRef{}
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	switch {
	case i < len(b) && b[i] == '"':
		return jsonin.Decode(b, &p.Name, jsonin.Options{MaxBytes: len(b)})
	case i < len(b) && b[i] == '{':
		var pol priority.Policy
		if err := jsonin.Decode(b, &pol, jsonin.Options{MaxBytes: len(b)}); err != nil {
			return err
		}
		p.Policy = &pol
		return nil
	case string(b[i:]) == "null":
		return nil
	}
	return &jsonin.ValueError{Code: jsonin.CodeWrongType, Message: "A policy is a name (a string) or a policy object."}
}

// String returns the policy's name ("inline" for an inline policy without one).
func (p PolicyRef) String() string {
	if p.Policy != nil {
		if p.Policy.Name == "" {
			return "inline"
		}
		return p.Policy.Name
	}
	return p.Name
}

// ErrInvalidScenario is matched (errors.Is) by every error reporting a bad scenario,
// including *ValidationError.
var ErrInvalidScenario = errors.New("sim: invalid scenario")

// ErrConservation is returned by Run if a replication's counts do not balance
// (arrivals = admitted + dropped out + balked + still waiting, per group; the same for
// step-down requests). It signals a bug, never bad input.
var ErrConservation = errors.New("sim: conservation check failed")

// Problem codes reported by Compile and DecodeScenario. They are stable API. A decoding
// problem carries the library reader's code instead (jsonin: unknown_field,
// duplicate_key, trailing_data, wrong_type, input_too_large, ...).
const (
	CodeName            = "name"              // scenario name, group or program id not under the identifier rule
	CodeHorizon         = "horizon"           // horizon missing, negative, not finite or above MaxHorizonDays
	CodeWarmup          = "warmup"            // warm-up negative or not before the horizon
	CodeReplications    = "replications"      // replications below 1 or above MaxReplications
	CodeConfidence      = "confidence"        // confidence level outside (0, 1)
	CodePolicy          = "policy"            // policy missing, unknown or invalid
	CodeUnsupported     = "unsupported"       // a policy option the simulator cannot honour
	CodePolicyChange    = "policy_change"     // policy change outside the horizon or out of order
	CodeNoPrograms      = "no_programs"       // no program
	CodeProgramID       = "program_id"        // program id missing, duplicated or unknown
	CodeBeds            = "beds"              // beds below 0 or 1, or above MaxBeds
	CodeBedChange       = "bed_change"        // a capacity change outside the horizon or out of order
	CodeRoute           = "route"             // a route to an unknown program, with a bad probability, or on a cycle
	CodeReservation     = "reservation"       // reservation names no tier, or holds too many beds
	CodeNoArrivals      = "no_arrivals"       // no arrival stream
	CodeGroup           = "group"             // group name missing or duplicated
	CodeApply           = "apply"             // apply is neither "any" nor "one", or no program has beds
	CodeRate            = "rate"              // arrival rate missing, negative, not finite, or both kinds given
	CodeTrend           = "trend"             // trend at or below -1, or too steep for the horizon
	CodeDist            = "dist"              // distribution unknown or its parameters invalid
	CodeBalking         = "balking"           // balking rule invalid
	CodeFacts           = "facts"             // facts contradict (e.g. a delivery date for a pregnant woman)
	CodeTerm            = "term"              // term_days invalid
	CodeSample          = "sample"            // sample_every_days invalid or too small
	CodeTooManyArrivals = "too_many_arrivals" // expected arrivals per replication above MaxArrivals
)

// Limits guarding against scenarios that would exhaust memory.
const (
	MaxReplications   = 100000
	MaxBeds           = 1000000
	MaxArrivals       = 50000000 // expected arrivals per replication
	MaxSamples        = 100000   // time-series samples
	MaxHorizonDays    = 1000000  // about 2,700 years
	MaxScenarioBytes  = 4 << 20  // largest scenario document DecodeScenario reads
	MaxChanges        = 10000    // policy changes, or capacity changes of one program
	MaxJoinSteps      = 10000    // entries of a balking join_probability list
	MaxEmpiricalSteps = 100000   // values of an empirical distribution
)

// Problem is one thing wrong with a scenario.
type Problem struct {
	// Code is the problem's stable machine code (one of the Code constants, or the
	// library reader's code for a decoding problem).
	Code string `json:"code"`
	// Field is the JSON path of the offending field, e.g. "programs[2].beds".
	Field string `json:"field"`
	// Message is a plain sentence; it names fields, codes and quoted identifiers, never
	// free text.
	Message string `json:"message"`
	// Cite is a citation when the problem comes from a rule; usually empty.
	Cite string `json:"cite,omitempty"`
}

// ValidationError lists every problem found in a scenario at once.
type ValidationError struct {
	Problems []Problem // every problem, in the order the scenario is read
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

// quote quotes an identifier for a message: bare of nothing that is not an identifier (an
// identifier that breaks the rule is not quoted, it is left out).
func quote(s string) string {
	if !ident.Valid(s) {
		return "(an invalid identifier)"
	}
	return ident.Quote(s)
}

// DecodeScenario decodes a scenario from JSON through the library's one reader: at most
// MaxScenarioBytes (checked before parsing), members matched exactly, and unknown members,
// duplicate or case-variant keys, trailing data and values of the wrong type refused. Every
// problem is listed in a *ValidationError (errors.Is(err, ErrInvalidScenario)) with the
// reader's code and the JSON path ("programs[1].length_of_stay.?" for a misspelt member,
// which the message names by what it may stand for, "mean_days"); no message holds the
// input's text. It does not validate the scenario's meaning: Compile does.
func DecodeScenario(data []byte) (Scenario, error) {
	var s Scenario
	if err := jsonin.Decode(data, &s, jsonin.Options{MaxBytes: MaxScenarioBytes}); err != nil {
		return Scenario{}, decodeError(err)
	}
	return s, nil
}

// decodeError converts a reader's error into a *ValidationError.
func decodeError(err error) error {
	var je *jsonin.Error
	if !errors.As(err, &je) {
		return &ValidationError{Problems: []Problem{{Code: jsonin.CodeInvalidValue, Message: "the scenario cannot be read"}}}
	}
	ps := make([]Problem, 0, len(je.Problems))
	for _, q := range je.Problems {
		ps = append(ps, Problem{Code: q.Code, Field: q.Path, Message: q.Message})
	}
	return &ValidationError{Problems: ps}
}
