package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Estimate is a mean over replications with its confidence interval (Student's t over the
// replication values, at the run's confidence level). N is the number of replications in
// which the quantity was defined (a mean wait is undefined in a replication that admitted
// nobody of the group); with N 1, Low and High equal Mean; with N 0 all three are NaN
// (empty in CSV, null in JSON). In a Contrast it estimates a difference.
type Estimate struct {
	Mean float64 // the mean over the replications where the value is defined
	Low  float64 // the interval's lower end
	High float64 // the interval's upper end
	N    int     // the replications where the value is defined
}

// HalfWidth returns half the confidence interval's width.
func (e Estimate) HalfWidth() float64 { return (e.High - e.Low) / 2 }

// Defined reports whether the quantity was defined in at least one replication.
func (e Estimate) Defined() bool { return e.N > 0 }

type estimateJSON struct {
	Mean *float64 `json:"mean"` // null when undefined
	Low  *float64 `json:"low"`  // null when undefined
	High *float64 `json:"high"` // null when undefined
	N    int      `json:"n"`    // as Estimate.N
}

func finitePtr(x float64) *float64 {
	if !finite(x) {
		return nil
	}
	return &x
}

func nanIfNil(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// MarshalJSON writes {"mean", "low", "high", "n"}, with null for an undefined value.
func (e Estimate) MarshalJSON() ([]byte, error) {
	return json.Marshal(estimateJSON{Mean: finitePtr(e.Mean), Low: finitePtr(e.Low), High: finitePtr(e.High), N: e.N})
}

// UnmarshalJSON reads what MarshalJSON writes (null as NaN).
func (e *Estimate) UnmarshalJSON(b []byte) error {
	var j estimateJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*e = Estimate{Mean: nanIfNil(j.Mean), Low: nanIfNil(j.Low), High: nanIfNil(j.High), N: j.N}
	return nil
}

// GroupStats holds one group's metrics (or the overall metrics): GroupResult holds
// estimates over replications, GroupValues one replication's values, and a Contrast the
// estimated differences between two policies.
//
// Counts (Arrivals, Admitted, ...) are per replication and count only people who first
// sought treatment in the counted period [WarmupDays, HorizonDays]; the ...PerYear fields
// are the same counts per 365.25 days of that period. Waits are in days, among people
// admitted: the wait is admission time minus the time sought. Median and percentile waits
// are read from a histogram with hourly bins below 14 days, quarter-day bins to 180 days and
// 5-day bins beyond (exact to within a bin; the trace gives exact quantiles). A share
// "within" d days counts, among people who sought treatment at least d days before the
// horizon, those admitted within d days. Undefined values are NaN.
type GroupStats[T any] struct {
	// Group is the group's name, or "overall".
	Group string
	// Arrivals counts people seeking treatment; Admitted, DroppedOut, Balked and
	// StillWaiting (at the horizon) are what became of them, and add up to Arrivals.
	Arrivals, ArrivalsPerYear     T
	Admitted, AdmittedPerYear     T // admitted to a program
	DroppedOut, DroppedOutPerYear T // gave up waiting
	Balked, BalkedPerYear         T // did not join the waitlist
	StillWaiting                  T // still waiting at the horizon
	// DropoutShare and BalkShare are DroppedOut and Balked over Arrivals.
	DropoutShare, BalkShare T
	// MeanWaitDays and the quantiles are over people admitted.
	MeanWaitDays, MedianWaitDays, P90WaitDays, P95WaitDays T
	// MeanTimeWaitingDays is the mean time on the waitlist of every arrival (0 for those
	// admitted at once or who balked; to the horizon for those still waiting): W of
	// Little's law.
	MeanTimeWaitingDays T
	// MeanWaiting is the time-average number of the group's people waiting over the
	// counted period (step-down referrals included): L of Little's law.
	MeanWaiting T
	// AdmittedWithin48h, 14d and 120d are the shares admitted within 48 hours, 14 days and
	// 120 days of seeking treatment (45 CFR 96.126(b), 96.131(d)); the same as WaitCDF at
	// 2, 14 and 120 days.
	AdmittedWithin48h, AdmittedWithin14d, AdmittedWithin120d T
	// InterimWithin48h is, among people owed interim services (per the policy) and not
	// admitted within 48 hours, the share to whom interim services were made available
	// within 48 hours while still waiting (45 CFR 96.121, 96.126(b), 96.131(d)); people
	// who left the list before 48 hours without them are left out (the obligation closed,
	// as the priority package judges it), and so are people whose 48 hours end after the
	// horizon.
	InterimWithin48h T
	// AdmissionDeadlineMet is, among people who inject drugs whose admission deadline of
	// 45 CFR 96.126(b) (14 days, or 120 days with no capacity at the request and interim
	// services within 48 hours; calendar days in the policy's zone if it names one) falls
	// before the horizon, the share admitted by it; people who left before it are left out.
	AdmissionDeadlineMet T
	// DeliveredWhileWaiting counts pregnant women who delivered before a bed.
	DeliveredWhileWaiting, DeliveredWhileWaitingPerYear T
	// SteppedDown counts referrals to another program on leaving one (Program.Next).
	SteppedDown T
	// WaitCDF[i] is the share admitted within CDFDays[i] days.
	WaitCDF []T
}

// GroupResult is a group's estimates over replications.
type GroupResult = GroupStats[Estimate]

// GroupValues is a group's values in one replication.
type GroupValues = GroupStats[float64]

// ProgramStats holds one program's metrics. Admissions count every admission to the
// program of a request made in the counted period (first requests and step-down
// referrals); MeanWaitDays is their mean wait; StepDownReferrals counts referrals to the
// program made in the counted period. Occupancy is occupied bed-days over bed-days in the
// counted period; DaysAtOrAbove90 the days it spent at or above 90% of its beds (the mark
// of 45 CFR 96.126(a)); MeanBeds its beds averaged over the period.
type ProgramStats[T any] struct {
	Program                       string // the program's id
	Admissions, AdmissionsPerYear T      // admissions of requests made in the counted period
	MeanWaitDays                  T      // their mean wait
	StepDownReferrals             T      // referrals to the program made in the counted period
	Occupancy                     T      // occupied bed-days over bed-days
	DaysAtOrAbove90               T      // days at or above 90% of the beds
	MeanBeds                      T      // beds, averaged over the counted period
}

// ProgramResult is a program's estimates over replications.
type ProgramResult = ProgramStats[Estimate]

// ProgramValues is a program's values in one replication.
type ProgramValues = ProgramStats[float64]

// SystemStats holds the whole system's metrics: Occupancy, the share of all bed-days
// occupied in the counted period, and DaysAtOrAbove90, the mean over programs of their
// days at or above 90% of their beds.
type SystemStats[T any] struct {
	Occupancy       T // occupied bed-days over bed-days, all programs
	DaysAtOrAbove90 T // the mean over programs of their days at or above 90% of their beds
}

// Replication is one replication's values. Replication i of a run can be rerun alone with
// Model.RunReplication and gives the same values.
type Replication struct {
	// Index is the replication's index, from 0.
	Index int `json:"index"`
	// Events is the number of model events simulated.
	Events   uint64               `json:"events"`
	Groups   []GroupValues        `json:"groups"`   // per group, in scenario order
	Overall  GroupValues          `json:"overall"`  // everyone
	Programs []ProgramValues      `json:"programs"` // per program, in scenario order
	System   SystemStats[float64] `json:"system"`   // all programs
	// Waitlist[s*len(Groups)+g] is the number of people of group g waiting at sample s.
	Waitlist []float64 `json:"waitlist"`
}

// SeriesLine is one group's waitlist length over time: the mean over replications and its
// confidence interval at each sample.
type SeriesLine struct {
	Group string    `json:"group"` // the group, or "overall"
	Mean  []float64 `json:"mean"`  // at each sample: the mean over replications
	Low   []float64 `json:"low"`   // and its interval
	High  []float64 `json:"high"`  // see Low
}

// Series is the waitlist length (everyone waiting, counted or not, step-down referrals
// included) sampled at Days, from day 0 (the warm-up included) to the horizon.
type Series struct {
	Days  []float64    `json:"days"`  // the sample days
	Lines []SeriesLine `json:"lines"` // one per group, then "overall"
}

// Result is what a run found: estimates over replications and each replication's values.
type Result struct {
	// Run labels the run in outputs (Options.Label; by default the policy label).
	Run string `json:"run"`
	// Scenario is the scenario's name.
	Scenario string `json:"scenario"`
	// Policy names the policy (and the policy changes, as name@day after ">").
	Policy string `json:"policy"`
	// PolicyID is the identity (priority.Policy.ID) of the policy in force at day 0.
	PolicyID     string    `json:"policy_id"`
	Tiers        []string  `json:"tiers"`        // the tiers of the policy in force at day 0, best first
	Replications int       `json:"replications"` // the scenario's
	Seed         uint64    `json:"seed"`         // the scenario's
	Start        time.Time `json:"start"`        // the calendar moment of day 0
	HorizonDays  float64   `json:"horizon_days"` // the scenario's
	WarmupDays   float64   `json:"warmup_days"`  // the scenario's
	// Confidence is the level of every interval.
	Confidence float64               `json:"confidence"`
	Groups     []GroupResult         `json:"groups"`   // per group, in scenario order
	Overall    GroupResult           `json:"overall"`  // everyone
	Programs   []ProgramResult       `json:"programs"` // per program, in scenario order
	System     SystemStats[Estimate] `json:"system"`   // all programs
	// CDFDays are the waits of GroupStats.WaitCDF.
	CDFDays []float64 `json:"cdf_days"`
	// Waitlist is the time series of the waitlist length.
	Waitlist Series `json:"waitlist"`
	// Events is the number of model events simulated, over all replications.
	Events uint64 `json:"events"`
	// Load and Warnings are the model's (Model.Load, Model.Warnings).
	Load     float64   `json:"load"`
	Warnings []Warning `json:"warnings"` // the model's
	// PerReplication holds each replication's values, in order.
	PerReplication []Replication `json:"per_replication"`
}

// WindowDays returns the counted period's length, HorizonDays - WarmupDays.
func (r *Result) WindowDays() float64 { return r.HorizonDays - r.WarmupDays }

// Group returns the named group's results (or Overall for "overall"), and whether found.
func (r *Result) Group(name string) (GroupResult, bool) {
	if name == "overall" {
		return r.Overall, true
	}
	for _, g := range r.Groups {
		if g.Group == name {
			return g, true
		}
	}
	return GroupResult{}, false
}

// Program returns the named program's results, and whether found.
func (r *Result) Program(id string) (ProgramResult, bool) {
	for _, p := range r.Programs {
		if p.Program == id {
			return p, true
		}
	}
	return ProgramResult{}, false
}

// ErrNotPaired is returned by Compare for results that are not the same people under two
// policies (another seed, another number of replications, other arrival streams or groups).
var ErrNotPaired = errors.New("sim: results are not paired")

// Contrast is a paired comparison of two runs of the same scenario and seed under two
// policies: each replication of one saw the same people (arrival times, facts, patience,
// interim delays: common random numbers) as the same replication of the other, so the
// difference per replication removes the variation they share. Each Estimate is the mean of
// Run minus Baseline over the replications where both are defined, with its confidence
// interval (Student's t over the paired differences).
type Contrast struct {
	Scenario     string                `json:"scenario"`     // the scenario's name
	Run          string                `json:"run"`          // the run compared (Result.Run)
	Baseline     string                `json:"baseline"`     // the run it is compared with
	Replications int                   `json:"replications"` // the pairs
	Seed         uint64                `json:"seed"`         // the scenario's
	Confidence   float64               `json:"confidence"`   // the level of the intervals
	HorizonDays  float64               `json:"horizon_days"` // the scenario's
	WarmupDays   float64               `json:"warmup_days"`  // the scenario's
	Groups       []GroupResult         `json:"groups"`       // differences per group
	Overall      GroupResult           `json:"overall"`      // differences for everyone
	Programs     []ProgramResult       `json:"programs"`     // per program, when both runs have the same programs
	System       SystemStats[Estimate] `json:"system"`       // differences for all programs
}

// Group returns the named group's differences (or Overall for "overall"), and whether
// found.
func (c *Contrast) Group(name string) (GroupResult, bool) {
	if name == "overall" {
		return c.Overall, true
	}
	for _, g := range c.Groups {
		if g.Group == name {
			return g, true
		}
	}
	return GroupResult{}, false
}

// Compare returns the paired contrast of run against baseline: run minus baseline, per
// replication, with intervals at the baseline's confidence level. Both must come from the
// same scenario's people: the same seed, replications, horizon, warm-up and groups, and the
// same arrivals in every replication (else ErrNotPaired). Programs are compared where
// both runs have the same programs.
func Compare(baseline, run *Result) (*Contrast, error) {
	if baseline.Seed != run.Seed || baseline.Replications != run.Replications ||
		baseline.HorizonDays != run.HorizonDays || baseline.WarmupDays != run.WarmupDays ||
		len(baseline.Groups) != len(run.Groups) || len(baseline.PerReplication) != len(run.PerReplication) {
		return nil, fmt.Errorf("%w: another seed, horizon, warm-up, number of replications or of groups", ErrNotPaired)
	}
	for g := range baseline.Groups {
		if baseline.Groups[g].Group != run.Groups[g].Group {
			return nil, fmt.Errorf("%w: other groups", ErrNotPaired)
		}
	}
	for i := range baseline.PerReplication {
		a, b := &baseline.PerReplication[i], &run.PerReplication[i]
		for g := range a.Groups {
			if a.Groups[g].Arrivals != b.Groups[g].Arrivals {
				return nil, fmt.Errorf("%w: replication %d saw other arrivals (group %s)", ErrNotPaired, i, quote(a.Groups[g].Group))
			}
		}
	}
	conf := baseline.Confidence
	c := &Contrast{Scenario: run.Scenario, Run: run.Run, Baseline: baseline.Run, Replications: run.Replications,
		Seed: run.Seed, Confidence: conf, HorizonDays: run.HorizonDays, WarmupDays: run.WarmupDays}
	n := len(run.PerReplication)
	xs := make([]float64, n)
	summ := estimator{conf: conf, buf: make([]float64, n)}
	diff := func(get func(rep *Replication) float64) Estimate {
		for i := range xs {
			xs[i] = get(&run.PerReplication[i]) - get(&baseline.PerReplication[i])
		}
		return summ.estimate(xs)
	}
	group := func(g int) GroupResult {
		pick := func(rep *Replication) *GroupValues {
			if g < 0 {
				return &rep.Overall
			}
			return &rep.Groups[g]
		}
		out := GroupResult{Group: pick(&run.PerReplication[0]).Group, WaitCDF: make([]Estimate, nGrid)}
		for k := range groupSpecs {
			*out.at(k) = diff(func(rep *Replication) float64 { return *pick(rep).at(k) })
		}
		for i := range out.WaitCDF {
			out.WaitCDF[i] = diff(func(rep *Replication) float64 { return pick(rep).WaitCDF[i] })
		}
		return out
	}
	for g := range run.Groups {
		c.Groups = append(c.Groups, group(g))
	}
	c.Overall = group(-1)
	samePrograms := len(run.Programs) == len(baseline.Programs)
	for p := range run.Programs {
		samePrograms = samePrograms && run.Programs[p].Program == baseline.Programs[p].Program
	}
	if samePrograms {
		for p := range run.Programs {
			out := ProgramResult{Program: run.Programs[p].Program}
			for k := range programSpecs {
				*out.at(k) = diff(func(rep *Replication) float64 { return *rep.Programs[p].at(k) })
			}
			c.Programs = append(c.Programs, out)
		}
	}
	for k := range systemSpecs {
		*c.System.at(k) = diff(func(rep *Replication) float64 { return *rep.System.at(k) })
	}
	return c, nil
}

// Units of the metrics, as written in the CSV "unit" column.
const (
	UnitPeople        = "people"          // a count per replication over the counted period
	UnitPeoplePerYear = "people_per_year" // the same count per 365.25 days of the counted period
	UnitDays          = "days"
	UnitShare         = "share"       // a proportion in [0, 1]
	UnitPeopleWaiting = "people_mean" // a time average of a number of people
	UnitBeds          = "beds"        // a time average of a number of beds
)

// metricSpec describes one metric: its name in CSV and JSON, its unit, and whether it is
// a share (intervals clipped to [0, 1]) and written to CSV (the 48-hour, 14-day and
// 120-day shares are WaitCDF rows there).
type metricSpec struct {
	name  string
	unit  string
	share bool
	csv   bool
}

var groupSpecs = [...]metricSpec{
	{"arrivals", UnitPeople, false, true},
	{"arrivals_per_year", UnitPeoplePerYear, false, true},
	{"admitted", UnitPeople, false, true},
	{"admitted_per_year", UnitPeoplePerYear, false, true},
	{"dropped_out", UnitPeople, false, true},
	{"dropped_out_per_year", UnitPeoplePerYear, false, true},
	{"balked", UnitPeople, false, true},
	{"balked_per_year", UnitPeoplePerYear, false, true},
	{"still_waiting", UnitPeople, false, true},
	{"dropout_share", UnitShare, true, true},
	{"balk_share", UnitShare, true, true},
	{"mean_wait_days", UnitDays, false, true},
	{"median_wait_days", UnitDays, false, true},
	{"p90_wait_days", UnitDays, false, true},
	{"p95_wait_days", UnitDays, false, true},
	{"mean_time_waiting_days", UnitDays, false, true},
	{"mean_waiting", UnitPeopleWaiting, false, true},
	{"admitted_within_48h", UnitShare, true, false},
	{"admitted_within_14d", UnitShare, true, false},
	{"admitted_within_120d", UnitShare, true, false},
	{"interim_within_48h", UnitShare, true, true},
	{"admission_deadline_met", UnitShare, true, true},
	{"delivered_while_waiting", UnitPeople, false, true},
	{"delivered_while_waiting_per_year", UnitPeoplePerYear, false, true},
	{"stepped_down", UnitPeople, false, true},
}

// cdfMetric is the CSV name of the WaitCDF rows (with the days in the "days" column).
const cdfMetric = "admitted_within"

func (g *GroupStats[T]) at(k int) *T {
	switch k {
	case 0:
		return &g.Arrivals
	case 1:
		return &g.ArrivalsPerYear
	case 2:
		return &g.Admitted
	case 3:
		return &g.AdmittedPerYear
	case 4:
		return &g.DroppedOut
	case 5:
		return &g.DroppedOutPerYear
	case 6:
		return &g.Balked
	case 7:
		return &g.BalkedPerYear
	case 8:
		return &g.StillWaiting
	case 9:
		return &g.DropoutShare
	case 10:
		return &g.BalkShare
	case 11:
		return &g.MeanWaitDays
	case 12:
		return &g.MedianWaitDays
	case 13:
		return &g.P90WaitDays
	case 14:
		return &g.P95WaitDays
	case 15:
		return &g.MeanTimeWaitingDays
	case 16:
		return &g.MeanWaiting
	case 17:
		return &g.AdmittedWithin48h
	case 18:
		return &g.AdmittedWithin14d
	case 19:
		return &g.AdmittedWithin120d
	case 20:
		return &g.InterimWithin48h
	case 21:
		return &g.AdmissionDeadlineMet
	case 22:
		return &g.DeliveredWhileWaiting
	case 23:
		return &g.DeliveredWhileWaitingPerYear
	case 24:
		return &g.SteppedDown
	}
	panic("sim: no such group metric")
}

var programSpecs = [...]metricSpec{
	{"admissions", UnitPeople, false, true},
	{"admissions_per_year", UnitPeoplePerYear, false, true},
	{"mean_wait_days", UnitDays, false, true},
	{"step_down_referrals", UnitPeople, false, true},
	{"occupancy", UnitShare, true, true},
	{"days_at_or_above_90", UnitDays, false, true},
	{"mean_beds", UnitBeds, false, true},
}

func (p *ProgramStats[T]) at(k int) *T {
	switch k {
	case 0:
		return &p.Admissions
	case 1:
		return &p.AdmissionsPerYear
	case 2:
		return &p.MeanWaitDays
	case 3:
		return &p.StepDownReferrals
	case 4:
		return &p.Occupancy
	case 5:
		return &p.DaysAtOrAbove90
	case 6:
		return &p.MeanBeds
	}
	panic("sim: no such program metric")
}

var systemSpecs = [...]metricSpec{
	{"occupancy", UnitShare, true, true},
	{"days_at_or_above_90", UnitDays, false, true},
}

func (s *SystemStats[T]) at(k int) *T {
	switch k {
	case 0:
		return &s.Occupancy
	case 1:
		return &s.DaysAtOrAbove90
	}
	panic("sim: no such system metric")
}

// appendValue appends a float64 (null when not finite) or an Estimate as JSON.
func appendValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case float64:
		if !finite(x) {
			return append(b, "null"...), nil
		}
		return strconv.AppendFloat(b, x, 'g', -1, 64), nil
	case Estimate:
		j, err := x.MarshalJSON()
		return append(b, j...), err
	}
	j, err := json.Marshal(v)
	return append(b, j...), err
}

// decodeValue reads a value written by appendValue.
func decodeValue[T any](raw json.RawMessage, p *T) error {
	switch q := any(p).(type) {
	case *float64:
		if string(bytes.TrimSpace(raw)) == "null" {
			*q = math.NaN()
			return nil
		}
		return json.Unmarshal(raw, q)
	}
	return json.Unmarshal(raw, p)
}

func marshalSpecs[T any](b []byte, specs []metricSpec, at func(int) *T) ([]byte, error) {
	var err error
	for k, s := range specs {
		b = append(b, ',')
		b = strconv.AppendQuote(b, s.name)
		b = append(b, ':')
		if b, err = appendValue(b, *at(k)); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func unmarshalSpecs[T any](m map[string]json.RawMessage, specs []metricSpec, at func(int) *T) error {
	for k, s := range specs {
		if raw, ok := m[s.name]; ok {
			if err := decodeValue(raw, at(k)); err != nil {
				return err
			}
		}
	}
	return nil
}

// MarshalJSON writes the metrics under their CSV names, with null for undefined values.
func (g GroupStats[T]) MarshalJSON() ([]byte, error) {
	b := []byte(`{"group":`)
	b = strconv.AppendQuote(b, g.Group)
	b, err := marshalSpecs(b, groupSpecs[:], g.at)
	if err != nil {
		return nil, err
	}
	b = append(b, `,"wait_cdf":[`...)
	for i, v := range g.WaitCDF {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = appendValue(b, v); err != nil {
			return nil, err
		}
	}
	return append(b, "]}"...), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (g *GroupStats[T]) UnmarshalJSON(data []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	*g = GroupStats[T]{}
	if err := json.Unmarshal(m["group"], &g.Group); err != nil && m["group"] != nil {
		return err
	}
	if err := unmarshalSpecs(m, groupSpecs[:], g.at); err != nil {
		return err
	}
	var cdf []json.RawMessage
	if raw, ok := m["wait_cdf"]; ok {
		if err := json.Unmarshal(raw, &cdf); err != nil {
			return err
		}
	}
	g.WaitCDF = make([]T, len(cdf))
	for i, raw := range cdf {
		if err := decodeValue(raw, &g.WaitCDF[i]); err != nil {
			return err
		}
	}
	return nil
}

// MarshalJSON writes the metrics under their CSV names, with null for undefined values.
func (p ProgramStats[T]) MarshalJSON() ([]byte, error) {
	b := []byte(`{"program":`)
	b = strconv.AppendQuote(b, p.Program)
	b, err := marshalSpecs(b, programSpecs[:], p.at)
	if err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (p *ProgramStats[T]) UnmarshalJSON(data []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	*p = ProgramStats[T]{}
	if err := json.Unmarshal(m["program"], &p.Program); err != nil && m["program"] != nil {
		return err
	}
	return unmarshalSpecs(m, programSpecs[:], p.at)
}

// MarshalJSON writes the metrics under their CSV names, with null for undefined values.
func (s SystemStats[T]) MarshalJSON() ([]byte, error) {
	b, err := marshalSpecs([]byte{'{', '"', '_', '"', ':', '0'}, systemSpecs[:], s.at)
	if err != nil {
		return nil, err
	}
	// Drop the placeholder member used to start the object.
	b = append([]byte{'{'}, b[len(`{"_":0,`):]...)
	return append(b, '}'), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (s *SystemStats[T]) UnmarshalJSON(data []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	*s = SystemStats[T]{}
	return unmarshalSpecs(m, systemSpecs[:], s.at)
}
