package sim

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"strconv"

	"golang.org/x/exp/stats"
)

// TraceKind is the kind of a person-level event.
type TraceKind uint8

// The person-level events, in the order they can happen to a person.
const (
	TraceUnknown      TraceKind = iota
	TraceArrival                // she seeks treatment (her tier at arrival)
	TraceTierChange             // her tier changed (end of a postpartum window, a policy change, a delivery)
	TraceDelivery               // she delivered while waiting
	TraceInterim                // interim services were made available to her (at the day given)
	TraceAdmission              // she was admitted to a program (wait_days: since her request)
	TraceDropout                // she gave up waiting (wait_days: time waited)
	TraceBalk                   // she did not join the waitlist
	TraceDischarge              // her stay in a program ended
	TraceStepDown               // on leaving a program she was referred to another (program: the one referred to)
	TraceStillWaiting           // she was still waiting at the horizon (wait_days: time waited, censored)
	numTraceKinds
)

var traceKindNames = [...]string{"unknown", "arrival", "tier_change", "delivery", "interim", "admission",
	"dropout", "balk", "discharge", "step_down", "still_waiting"}

// String returns the kind's stable code, as written in traces.
func (k TraceKind) String() string {
	if k < numTraceKinds {
		return traceKindNames[k]
	}
	return "TraceKind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText returns the kind's code.
func (k TraceKind) MarshalText() ([]byte, error) {
	if k >= numTraceKinds {
		return nil, errors.New("sim: invalid trace kind")
	}
	return []byte(traceKindNames[k]), nil
}

// TraceEvent is one person-level event. Replication, Group and the run's label join it to
// the summaries; Person numbers people within a replication in the order they first sought
// treatment, and under common random numbers person n of replication i is the same person
// (same arrival, facts and draws) under every policy of the same scenario and seed.
//
// Events arrive in the order the simulation handles them, except interim services, which
// are reported when the person's next event is handled (with the day they were made
// available): sort by (replication, person, day) to read one person's history in order.
type TraceEvent struct {
	Replication int       // the replication, from 0
	Person      int64     // the person, from 1, in the order people first sought treatment
	Group       string    // her group
	Kind        TraceKind // what happened
	Day         float64   // virtual day of the event
	Policy      string    // the policy in force
	Tier        string    // her tier at the event (at a delivery, before the tier change it causes, which a tier_change row records)
	Program     string    // the program admitted to, discharged from or referred to; "" otherwise
	WaitDays    float64   // see TraceKind; NaN when not applicable
	Counted     bool      // she first sought treatment after the warm-up
	StepDown    bool      // her current request is a step-down referral
}

func (r *runner) emit(kind TraceKind, slot int32, prog int32, wait float64) {
	r.emitAt(kind, slot, prog, wait, r.now)
}

func (r *runner) emitAt(kind TraceKind, slot int32, prog int32, wait, day float64) {
	a := &r.apps[slot]
	ep := &r.m.epochs[r.ep]
	e := TraceEvent{Replication: r.rep, Person: a.person, Group: r.m.streams[a.stream].group, Kind: kind, Day: day,
		Policy: ep.name, Tier: ep.tierNames[a.rank], WaitDays: wait, Counted: a.counted, StepDown: a.routed}
	if prog >= 0 {
		e.Program = r.m.programs[prog].id
	}
	r.trace(e)
}

// flushInterim traces the interim services made available to a waiting person by now.
func (r *runner) flushInterim(slot int32) {
	a := &r.apps[slot]
	if a.owed && !a.traced && a.interimAt <= r.now {
		a.traced = true
		r.emitAt(TraceInterim, slot, -1, math.NaN(), a.interimAt)
	}
}

// TraceFormat is the file format of a TraceWriter.
type TraceFormat uint8

// Trace formats.
const (
	TraceCSV   TraceFormat = iota // CSV with a header row
	TraceJSONL                    // JSON Lines: one object per line
)

// traceColumns are the trace's columns, in order.
var traceColumns = []string{"run", "scenario", "policy", "replication", "person", "group", "event", "day",
	"tier", "program", "wait_days", "counted", "step_down"}

// TraceWriter writes trace events as CSV (one header row, then one row per event) or as
// JSON Lines, with the run's label and the scenario's name on every row so that traces of
// several runs can be stacked and joined to the summaries on (run, replication, group).
// Empty CSV cells (null in JSON) are values that do not apply. Its Event method fits
// Options.Trace. It is not safe for concurrent use (Run calls the trace from one
// goroutine).
type TraceWriter struct {
	bw       *bufio.Writer
	cw       *csv.Writer
	format   TraceFormat
	run      string
	scenario string
	header   bool
	rec      []string
	buf      []byte
	err      error
}

// NewTraceWriter returns a writer of trace events to w, labelled with the run's label and
// the scenario's name (Result.Run and Result.Scenario; Model.Name for the scenario).
func NewTraceWriter(w io.Writer, format TraceFormat, run, scenario string) *TraceWriter {
	t := &TraceWriter{bw: bufio.NewWriterSize(w, 1<<16), format: format, run: run, scenario: scenario}
	if format == TraceCSV {
		t.cw = csv.NewWriter(t.bw)
		t.rec = make([]string, len(traceColumns))
	}
	return t
}

// Relabel sets the run's label and the scenario's name written on the rows that follow, so
// that one file (one CSV header) can hold the traces of several runs.
func (t *TraceWriter) Relabel(run, scenario string) { t.run, t.scenario = run, scenario }

// Event writes one event. The first error is kept and returned by Flush.
func (t *TraceWriter) Event(e TraceEvent) {
	if t.err != nil {
		return
	}
	if t.format == TraceCSV {
		if !t.header {
			t.header = true
			t.err = t.cw.Write(traceColumns)
		}
		rec := t.rec
		rec[0], rec[1], rec[2] = t.run, t.scenario, e.Policy
		rec[3] = strconv.Itoa(e.Replication)
		rec[4] = strconv.FormatInt(e.Person, 10)
		rec[5], rec[6] = e.Group, e.Kind.String()
		rec[7] = csvNum(e.Day)
		rec[8], rec[9] = e.Tier, e.Program
		rec[10] = csvNum(e.WaitDays)
		rec[11], rec[12] = strconv.FormatBool(e.Counted), strconv.FormatBool(e.StepDown)
		if t.err == nil {
			t.err = t.cw.Write(rec)
		}
		return
	}
	b := t.buf[:0]
	b = append(b, `{"run":`...)
	b = strconv.AppendQuote(b, t.run)
	b = append(b, `,"scenario":`...)
	b = strconv.AppendQuote(b, t.scenario)
	b = append(b, `,"policy":`...)
	b = strconv.AppendQuote(b, e.Policy)
	b = append(b, `,"replication":`...)
	b = strconv.AppendInt(b, int64(e.Replication), 10)
	b = append(b, `,"person":`...)
	b = strconv.AppendInt(b, e.Person, 10)
	b = append(b, `,"group":`...)
	b = strconv.AppendQuote(b, e.Group)
	b = append(b, `,"event":"`...)
	b = append(b, e.Kind.String()...)
	b = append(b, `","day":`...)
	b = jsonNum(b, e.Day)
	b = append(b, `,"tier":`...)
	b = strconv.AppendQuote(b, e.Tier)
	b = append(b, `,"program":`...)
	if e.Program == "" {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendQuote(b, e.Program)
	}
	b = append(b, `,"wait_days":`...)
	b = jsonNum(b, e.WaitDays)
	b = append(b, `,"counted":`...)
	b = strconv.AppendBool(b, e.Counted)
	b = append(b, `,"step_down":`...)
	b = strconv.AppendBool(b, e.StepDown)
	b = append(b, "}\n"...)
	t.buf = b
	_, t.err = t.bw.Write(b)
}

// Flush writes what is buffered and returns the first error met.
func (t *TraceWriter) Flush() error {
	if t.cw != nil {
		t.cw.Flush()
		if t.err == nil {
			t.err = t.cw.Error()
		}
	}
	if err := t.bw.Flush(); t.err == nil {
		t.err = err
	}
	return t.err
}

func jsonNum(b []byte, x float64) []byte {
	if !finite(x) {
		return append(b, "null"...)
	}
	return strconv.AppendFloat(b, x, 'g', -1, 64)
}

// WaitQuantiles returns the exact q-quantiles of the waits of the admissions in events of
// first requests made after the warm-up, of group (all groups if empty): R's default
// definition (Hyndman and Fan's type 7), computed by x/exp/stats. It returns NaNs when
// there is no such admission. The summaries' quantiles come from a histogram instead; this
// is the exact figure from a trace.
func WaitQuantiles(events []TraceEvent, group string, qs ...float64) []float64 {
	var waits []float64
	for i := range events {
		e := &events[i]
		if e.Kind == TraceAdmission && e.Counted && !e.StepDown && (group == "" || e.Group == group) {
			waits = append(waits, e.WaitDays)
		}
	}
	if len(waits) == 0 {
		out := make([]float64, len(qs))
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	return stats.Quantiles(waits, qs...)
}
