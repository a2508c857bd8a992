package sim

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dyad-health/dyad/priority"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// --- 1. Per-replication results, reproducible one by one, and paired contrasts ---

// TestRunReplicationReproduces: replication i of a run, rerun alone, gives the same values
// bit for bit, whatever the number of workers of the whole run.
func TestRunReplicationReproduces(t *testing.T) {
	m, err := Compile(validScenario())
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(context.Background(), Options{Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.PerReplication) != 6 {
		t.Fatalf("%d replications kept, want 6", len(res.PerReplication))
	}
	for _, i := range []int{0, 3, 5} {
		rep, err := m.RunReplication(context.Background(), i, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(res.PerReplication[i], *rep, cmpopts.EquateNaNs()); d != "" {
			t.Errorf("replication %d alone differs from the run's (-run +alone):\n%s", i, d)
		}
	}
	if _, err := m.RunReplication(context.Background(), 6, Options{}); !errors.Is(err, ErrReplication) {
		t.Errorf("replication 6 of 6: err = %v, want ErrReplication", err)
	}
	// Replications differ from one another (each its own random streams).
	if res.PerReplication[0].Overall.Arrivals == res.PerReplication[1].Overall.Arrivals &&
		res.PerReplication[0].Overall.MeanWaitDays == res.PerReplication[1].Overall.MeanWaitDays {
		t.Error("replications 0 and 1 gave the same numbers")
	}
}

// TestEstimatesAreOverReplications: every estimate is the mean of the replications' values
// and its interval is Student's t over them (checked here for one metric by hand).
func TestEstimatesAreOverReplications(t *testing.T) {
	res, err := Run(context.Background(), validScenario(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var xs []float64
	for _, rep := range res.PerReplication {
		xs = append(xs, rep.Groups[3].MeanWaitDays)
	}
	mean, ss := 0.0, 0.0
	for _, x := range xs {
		mean += x / float64(len(xs))
	}
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	half := tQuantile(0.975, len(xs)-1) * math.Sqrt(ss/float64(len(xs)-1)/float64(len(xs)))
	got := res.Groups[3].MeanWaitDays
	if math.Abs(got.Mean-mean) > 1e-12 || math.Abs(got.HalfWidth()-half) > 1e-9 || got.N != len(xs) {
		t.Errorf("estimate %+v, want mean %v ± %v over %d", got, mean, half, len(xs))
	}
}

// TestCompareIsPaired: the contrast of two policies is the mean of the differences per
// replication, its interval from their spread; it is narrower than the two intervals taken
// apart would allow (common random numbers), exactly zero for arrivals (the same people),
// and refused for runs that are not the same people.
func TestCompareIsPaired(t *testing.T) {
	s := validScenario()
	s.Policy = FederalPolicy()
	base, err := Run(context.Background(), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Policy = mustPolicy(statePostpartum)
	alt, err := Run(context.Background(), s, Options{Label: "state"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compare(base, alt)
	if err != nil {
		t.Fatal(err)
	}
	if c.Run != "state" || c.Baseline != "federal" {
		t.Errorf("contrast labels %q vs %q", c.Run, c.Baseline)
	}
	pp, _ := c.Group("postpartum")
	a, _ := base.Group("postpartum")
	b, _ := alt.Group("postpartum")
	// The paired mean difference is the difference of the means (both defined in every
	// replication here).
	if math.Abs(pp.MeanWaitDays.Mean-(b.MeanWaitDays.Mean-a.MeanWaitDays.Mean)) > 1e-12 {
		t.Errorf("paired difference %v, difference of means %v", pp.MeanWaitDays.Mean, b.MeanWaitDays.Mean-a.MeanWaitDays.Mean)
	}
	// Unpaired, the half-widths would add in quadrature; pairing removes the shared noise.
	unpaired := math.Hypot(a.MeanWaitDays.HalfWidth(), b.MeanWaitDays.HalfWidth())
	if !(pp.MeanWaitDays.HalfWidth() < unpaired) {
		t.Errorf("paired half-width %v not below the unpaired %v", pp.MeanWaitDays.HalfWidth(), unpaired)
	}
	for _, g := range append(c.Groups, c.Overall) {
		if g.Arrivals.Mean != 0 || g.Arrivals.High != 0 || g.Arrivals.Low != 0 {
			t.Errorf("%s: arrivals differ between policies: %+v", g.Group, g.Arrivals)
		}
	}
	// Replication by replication, by hand.
	i := 2
	want := alt.PerReplication[i].Groups[3].MeanWaitDays - base.PerReplication[i].Groups[3].MeanWaitDays
	var xs []float64
	for j := range alt.PerReplication {
		xs = append(xs, alt.PerReplication[j].Groups[3].MeanWaitDays-base.PerReplication[j].Groups[3].MeanWaitDays)
	}
	if xs[i] != want || math.Abs(estimate(xs, 0.95, nil).Mean-c.Groups[3].MeanWaitDays.Mean) > 1e-12 {
		t.Errorf("contrast of group 3 %+v, want the estimate of %v", c.Groups[3].MeanWaitDays, xs)
	}
	// Not the same people: another seed, or fewer replications.
	s.Seed++
	other, err := Run(context.Background(), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Compare(base, other); !errors.Is(err, ErrNotPaired) {
		t.Errorf("another seed: err = %v, want ErrNotPaired", err)
	}
	s.Seed--
	s.Replications = 3
	fewer, err := Run(context.Background(), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Compare(base, fewer); !errors.Is(err, ErrNotPaired) {
		t.Errorf("fewer replications: err = %v, want ErrNotPaired", err)
	}
	var buf bytes.Buffer
	if err := WriteContrastsCSV(&buf, c); err != nil {
		t.Fatal(err)
	}
	checkCSVKeys(t, buf.String(), []string{"run", "baseline", "level", "name", "metric", "days"})
}

// --- 2. The person-level trace ---

// TestTraceOfScriptedPeople: the trace of a case worked by hand, event by event (the
// federal order, one bed, stays of 5 days; a pregnant woman who delivers while waiting).
func TestTraceOfScriptedPeople(t *testing.T) {
	other := ArrivalStream{Group: "other"}
	preg := ArrivalStream{Group: "pregnant", Applicant: Facts{Pregnant: true}, GestationalAgeDays: fixed(279)}
	// A (other) at 0 takes the bed until 5; B (other) at 1 waits; C (pregnant, 279 days,
	// delivers at 3) at 2 waits ahead of B, delivers at 3 and, no longer pregnant, falls to
	// "everyone else" behind B (sought earlier). B is admitted at 5, C at 10.
	_, got := scriptRun(t, oneBed(federal, other, preg), []scripted{{0, 0}, {1, 0}, {2, 1}})
	type row struct {
		Person  int64
		Kind    TraceKind
		Day     float64
		Tier    string
		Program string
		Wait    float64
	}
	nan := math.NaN()
	want := []row{
		{1, TraceArrival, 0, "everyone_else", "", nan},
		{1, TraceAdmission, 0, "everyone_else", "p1", 0},
		{2, TraceArrival, 1, "everyone_else", "", nan},
		{3, TraceArrival, 2, "pregnant", "", nan},
		{3, TraceDelivery, 3, "pregnant", "", nan},
		{3, TraceTierChange, 3, "everyone_else", "", nan},
		{1, TraceDischarge, 5, "everyone_else", "p1", nan},
		{2, TraceAdmission, 5, "everyone_else", "p1", 4},
		{2, TraceDischarge, 10, "everyone_else", "p1", nan},
		{3, TraceAdmission, 10, "everyone_else", "p1", 8},
		{3, TraceDischarge, 15, "everyone_else", "p1", nan},
	}
	var rows []row
	for _, e := range got {
		rows = append(rows, row{e.Person, e.Kind, e.Day, e.Tier, e.Program, e.WaitDays})
		if e.Replication != 0 || e.Policy != "federal" || !e.Counted || e.StepDown {
			t.Errorf("event %+v: replication, policy, counted or step-down wrong", e)
		}
	}
	if d := cmp.Diff(want, rows, cmpopts.EquateNaNs()); d != "" {
		t.Errorf("trace (-want +got):\n%s", d)
	}
	// Groups by person.
	for _, e := range got {
		if wantG := map[int64]string{1: "other", 2: "other", 3: "pregnant"}[e.Person]; e.Group != wantG {
			t.Errorf("person %d in group %q, want %q", e.Person, e.Group, wantG)
		}
	}
}

// collect runs replication i of s with a trace and returns its values and events.
func collect(t *testing.T, s Scenario, i int) (*Replication, []TraceEvent) {
	t.Helper()
	m, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	var events []TraceEvent
	rep, err := m.RunReplication(context.Background(), i, Options{Trace: func(e TraceEvent) { events = append(events, e) }})
	if err != nil {
		t.Fatal(err)
	}
	return rep, events
}

// TestLittlesLaw closes L = λW from the outputs: L, the time-average number waiting, from
// the summary; λ, the arrival rate, and W, the mean time on the waitlist, from the trace
// alone. It also checks that the trace and the summary agree exactly on what both can
// compute: the number waiting integrated over the counted period (from the trace's
// arrivals, admissions, dropouts and the people still waiting) and W.
func TestLittlesLaw(t *testing.T) {
	s := Scenario{HorizonDays: 20000, WarmupDays: 200, Replications: 1, Seed: 5, Policy: FederalPolicy(),
		Dropout:  &Dist{Name: DistExponential, MeanDays: 3},
		Programs: []Program{{ID: "p", Beds: 3, LengthOfStay: Dist{Name: DistExponential, MeanDays: 1}}},
		Arrivals: []ArrivalStream{{Group: "g", RatePerDay: 2.8}}}
	rep, events := collect(t, s, 0)
	window := s.HorizonDays - s.WarmupDays
	// From the trace: each person's time on the waitlist, from her arrival to her
	// admission, dropout or the horizon (0 if admitted at once).
	type stay struct{ from, to float64 }
	stays := map[int64]*stay{}
	n, sumW := 0, 0.0
	for _, e := range events {
		switch e.Kind {
		case TraceArrival:
			stays[e.Person] = &stay{from: e.Day, to: e.Day}
		case TraceAdmission, TraceDropout, TraceStillWaiting:
			stays[e.Person].to = e.Day
			if e.Kind == TraceStillWaiting {
				stays[e.Person].to = s.HorizonDays
			}
			if e.Counted {
				n++
				sumW += e.WaitDays
			}
		}
	}
	lambda := float64(n) / window
	W := sumW / float64(n)
	integral := 0.0
	for _, st := range stays {
		if lo, hi := max(st.from, s.WarmupDays), min(st.to, s.HorizonDays); hi > lo {
			integral += hi - lo
		}
	}
	L := rep.Groups[0].MeanWaiting
	if math.Abs(integral/window-L) > 1e-9*L {
		t.Errorf("time-average waiting from the trace %v, from the summary %v", integral/window, L)
	}
	if math.Abs(W-rep.Groups[0].MeanTimeWaitingDays) > 1e-9*W {
		t.Errorf("W from the trace %v, summary %v", W, rep.Groups[0].MeanTimeWaitingDays)
	}
	if float64(n) != rep.Groups[0].Arrivals {
		t.Errorf("%d counted arrivals traced, %v in the summary", n, rep.Groups[0].Arrivals)
	}
	// Little's law: L = λW, up to the people at the edges of the window (about L·W/window,
	// 1e-4 here) and the noise of one replication of 56,000 people.
	if math.Abs(L-lambda*W) > 0.02*L {
		t.Errorf("L = %.4f, λW = %.4f × %.4f = %.4f", L, lambda, W, lambda*W)
	}
	t.Logf("L = %.4f, λ = %.4f, W = %.4f, λW = %.4f", L, lambda, W, lambda*W)
}

// TestExactQuantilesFromTheTrace: the summary's wait quantiles (from a histogram with
// hourly bins below 14 days) agree with the exact ones computed from the trace
// (x/exp/stats, R's type 7) to within a bin.
func TestExactQuantilesFromTheTrace(t *testing.T) {
	s := Scenario{HorizonDays: 5000, WarmupDays: 100, Replications: 1, Seed: 9, Policy: FederalPolicy(),
		Programs: []Program{{ID: "p", Beds: 2, LengthOfStay: Dist{Name: DistExponential, MeanDays: 1}}},
		Arrivals: []ArrivalStream{{Group: "g", RatePerDay: 1.7}}}
	rep, events := collect(t, s, 0)
	exact := WaitQuantiles(events, "g", 0.5, 0.9, 0.95)
	hist := []float64{rep.Groups[0].MedianWaitDays, rep.Groups[0].P90WaitDays, rep.Groups[0].P95WaitDays}
	for i := range exact {
		if math.Abs(exact[i]-hist[i]) > 1.0/24+1e-9 {
			t.Errorf("quantile %d: histogram %v, exact %v: more than an hour apart", i, hist[i], exact[i])
		}
	}
	if exact[1] <= 0 {
		t.Errorf("p90 wait %v: the scenario should make people wait", exact[1])
	}
	if q := WaitQuantiles(events, "nobody", 0.5); !math.IsNaN(q[0]) {
		t.Errorf("quantile of no admission = %v, want NaN", q[0])
	}
}

// TestTraceWriters: CSV with one header and the run's labels on every row; JSON Lines with
// one object per event, null for what does not apply.
func TestTraceWriters(t *testing.T) {
	other := ArrivalStream{Group: "other"}
	_, events := scriptRun(t, oneBed(federal, other), []scripted{{0, 0}, {1, 0}})
	var c, j bytes.Buffer
	cw := NewTraceWriter(&c, TraceCSV, "run-a", "scen")
	jw := NewTraceWriter(&j, TraceJSONL, "run-a", "scen")
	for _, e := range events {
		cw.Event(e)
		jw.Event(e)
	}
	cw.Relabel("run-b", "scen")
	cw.Event(events[0])
	if err := cw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := jw.Flush(); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&c).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(traceColumns, recs[0]); d != "" {
		t.Errorf("header (-want +got):\n%s", d)
	}
	if len(recs) != 1+len(events)+1 {
		t.Fatalf("%d CSV rows for %d events (and one relabelled)", len(recs), len(events))
	}
	// Person 1 arrives at 0 and is admitted at once: "run-a,scen,federal,0,1,other,arrival,0,everyone_else,,,true,false".
	if got := strings.Join(recs[1], ","); got != "run-a,scen,federal,0,1,other,arrival,0,everyone_else,,,true,false" {
		t.Errorf("first row %q", got)
	}
	if got := strings.Join(recs[2], ","); got != "run-a,scen,federal,0,1,other,admission,0,everyone_else,p1,0,true,false" {
		t.Errorf("second row %q", got)
	}
	if recs[len(recs)-1][0] != "run-b" {
		t.Errorf("relabelled row %v", recs[len(recs)-1])
	}
	lines := strings.Split(strings.TrimSuffix(j.String(), "\n"), "\n")
	if len(lines) != len(events) {
		t.Fatalf("%d JSON lines for %d events", len(lines), len(events))
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"run": "run-a", "scenario": "scen", "policy": "federal", "replication": 0.0, "person": 1.0,
		"group": "other", "event": "arrival", "day": 0.0, "tier": "everyone_else", "program": nil, "wait_days": nil,
		"counted": true, "step_down": false}
	if d := cmp.Diff(want, first); d != "" {
		t.Errorf("first JSON line (-want +got):\n%s", d)
	}
}

// --- 3. The output defects ---

// TestLastSampleAtTheHorizon: the waitlist series ends at the horizon, not past it, with
// the number still waiting there. Before, the last sample fell at 3650.0000000000005 (a
// rounding of warm-up + k × spacing), after the horizon, and stayed 0, so plots dropped to
// zero and series means were low.
func TestLastSampleAtTheHorizon(t *testing.T) {
	s := Scenario{HorizonDays: 3650, WarmupDays: 180, Replications: 2, Seed: 1, Policy: FederalPolicy(),
		Dropout:  &Dist{Name: DistExponential, MeanDays: 30},
		Programs: []Program{{ID: "p", Beds: 10, LengthOfStay: Dist{Name: DistExponential, MeanDays: 30}}},
		Arrivals: []ArrivalStream{{Group: "g", RatePerDay: 1}}} // 30 erlangs on 10 beds: always a waitlist
	res, err := Run(context.Background(), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	days := res.Waitlist.Days
	last := len(days) - 1
	if days[last] != s.HorizonDays {
		t.Errorf("last sample at day %v, want the horizon %v", days[last], s.HorizonDays)
	}
	for _, l := range res.Waitlist.Lines {
		if l.Mean[last] == 0 {
			t.Errorf("%s: the last sample is 0 (mean of the series %v)", l.Group, l.Mean)
		}
	}
	// The last sample is the number waiting at the horizon: the people still waiting then,
	// summed over the replications' values.
	for i, rep := range res.PerReplication {
		if rep.Waitlist[last] < rep.Groups[0].StillWaiting {
			t.Errorf("replication %d: %v waiting at the horizon, %v of them counted still waiting", i, rep.Waitlist[last], rep.Groups[0].StillWaiting)
		}
	}
}

// checkCSVKeys parses a CSV table and checks that key is unique across rows (one header
// row, as R's read.csv and pandas need).
func checkCSVKeys(t *testing.T, data string, key []string) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(data))
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	seen := map[string]bool{}
	for _, rec := range recs[1:] {
		if slices.Equal(rec, recs[0]) {
			t.Fatal("a second header row")
		}
		var k []string
		for _, c := range key {
			i, ok := col[c]
			if !ok {
				t.Fatalf("no column %q in %v", c, recs[0])
			}
			k = append(k, rec[i])
		}
		ks := strings.Join(k, "|")
		if seen[ks] {
			t.Fatalf("key %v appears twice", k)
		}
		seen[ks] = true
	}
	return recs
}

// TestSummaryCSVIsTidy: every row's key is unique (the 14-day and 120-day shares are not
// written twice, as they were, which made pandas.pivot fail); undefined values are empty,
// not 0; one header for several runs; seed, replications, warm-up, horizon, counted window
// and confidence on every row; counts say their unit, and per-year rates are the counts
// over the window.
func TestSummaryCSVIsTidy(t *testing.T) {
	s := validScenario()
	a, err := Run(context.Background(), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Policy = FederalPolicy()
	b, err := Run(context.Background(), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteSummaryCSV(&buf, a, b); err != nil {
		t.Fatal(err)
	}
	recs := checkCSVKeys(t, buf.String(), []string{"run", "level", "name", "metric", "days"})
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for _, c := range []string{"seed", "replications", "warmup_days", "horizon_days", "window_days", "confidence", "unit", "policy_id", "scenario"} {
		if _, ok := col[c]; !ok {
			t.Errorf("no %s column", c)
		}
	}
	found365 := false
	counts := map[string]float64{}
	for _, r := range recs[1:] {
		if r[col["seed"]] != "42" || r[col["replications"]] != "6" || r[col["warmup_days"]] != "50" ||
			r[col["horizon_days"]] != "400" || r[col["window_days"]] != "350" || r[col["confidence"]] != "0.95" {
			t.Fatalf("metadata of row %v", r)
		}
		if r[col["metric"]] == "admitted_within" && r[col["days"]] == "365" {
			// Nobody sought treatment 365 days before the horizon (350 counted days):
			// undefined, written empty with n = 0, never 0.
			found365 = true
			if r[col["mean"]] != "" || r[col["low"]] != "" || r[col["high"]] != "" || r[col["n"]] != "0" {
				t.Errorf("undefined share written as %v", r)
			}
		}
		if r[col["level"]] == "overall" && r[col["run"]] == a.Run {
			counts[r[col["metric"]]+"/"+r[col["unit"]]], _ = strconv.ParseFloat(r[col["mean"]], 64)
		}
	}
	if !found365 {
		t.Error("no admitted_within row at 365 days")
	}
	// Per-year rates: the count per replication times 365.25 / 350 counted days.
	if got, want := counts["arrivals_per_year/people_per_year"], counts["arrivals/people"]*365.25/350; math.Abs(got-want) > 1e-9*want {
		t.Errorf("arrivals per year %v, want %v", got, want)
	}
	if n := strings.Count(buf.String(), "run,scenario,policy"); n != 1 {
		t.Errorf("%d header rows for two runs", n)
	}
	// The Estimate of an undefined value is NaN, null in JSON.
	g, _ := a.Group("other")
	if last := g.WaitCDF[len(g.WaitCDF)-1]; !math.IsNaN(last.Mean) || last.N != 0 {
		t.Errorf("undefined estimate %+v, want NaN with N 0", last)
	}
	js, err := json.Marshal(g.WaitCDF[len(g.WaitCDF)-1])
	if err != nil || string(js) != `{"mean":null,"low":null,"high":null,"n":0}` {
		t.Errorf("JSON of an undefined estimate: %s, %v", js, err)
	}
	var rb bytes.Buffer
	if err := WriteReplicationsCSV(&rb, a, b); err != nil {
		t.Fatal(err)
	}
	checkCSVKeys(t, rb.String(), []string{"run", "replication", "level", "name", "metric", "days"})
	var sb bytes.Buffer
	if err := WriteSeriesCSV(&sb, a, b); err != nil {
		t.Fatal(err)
	}
	checkCSVKeys(t, sb.String(), []string{"run", "group", "day"})
}

// TestResultJSONRoundTrip: a Result written as JSON (null for undefined values) reads back
// the same.
func TestResultJSONRoundTrip(t *testing.T) {
	res, err := Run(context.Background(), validScenario(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var back Result
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(*res, back, cmpopts.EquateNaNs(), cmpopts.EquateApproxTime(0)); d != "" {
		t.Errorf("round trip (-wrote +read):\n%s", d)
	}
}

// TestInterimLeftBefore48Hours: a person owed interim services who leaves the list before
// 48 hours, without them, is left out of the interim share (the obligation closed, not
// missed, as the priority package judges it); before, she counted as missed.
func TestInterimLeftBefore48Hours(t *testing.T) {
	// A (other) holds the one bed 0–5. G (injecting, owed interim services, 45 CFR
	// 96.126(b)) arrives at 0.5 and gives up after 1 day, at 1.5, before 48 hours and
	// before her interim services (due after 3 days): closed. H (injecting) arrives at 0.6
	// and gives up after 3 days, at 3.6: her 48 hours ended at 2.6 without interim
	// services (made available at 3.6): missed.
	other := ArrivalStream{Group: "other"}
	early := ArrivalStream{Group: "left_early", Applicant: Facts{InjectsDrugs: true}, Dropout: fixed(1), InterimDelay: fixed(3)}
	late := ArrivalStream{Group: "left_late", Applicant: Facts{InjectsDrugs: true}, Dropout: fixed(3), InterimDelay: fixed(3)}
	got := traceRun(t, oneBed(federal, other, early, late), []scripted{{0, 0}, {0.5, 1}, {0.6, 2}})
	if g := got["left_early"]; g.Interim48h != -1 || g.Dropped != 1 {
		t.Errorf("left before 48 hours: interim share %v (want undefined: -1), dropped %v", g.Interim48h, g.Dropped)
	}
	if g := got["left_late"]; g.Interim48h != 0 {
		t.Errorf("waited past 48 hours without interim services: share %v, want 0", g.Interim48h)
	}
}

// --- 4. Policies: PolicyRef from a value, every option honoured or refused ---

func TestPolicyOfAValue(t *testing.T) {
	s := validScenario()
	s.Policy = FederalPolicy()
	byName, err := Run(context.Background(), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Policy = PolicyOf(priority.Federal())
	byValue, err := Run(context.Background(), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(byName.PerReplication, byValue.PerReplication, cmpopts.EquateNaNs()); d != "" {
		t.Errorf("federal by name and by value differ:\n%s", d)
	}
	// JSON of a PolicyRef from a value is the policy object, and reads back.
	b, err := json.Marshal(PolicyOf(priority.Federal()))
	if err != nil {
		t.Fatal(err)
	}
	var back PolicyRef
	if err := json.Unmarshal(b, &back); err != nil || back.Policy == nil || back.Policy.ID() != priority.Federal().ID() {
		t.Errorf("round trip of a policy value: %v, %+v", err, back)
	}
}

func TestPolicyOptionsRefused(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(p *priority.Policy)
		field string
		code  string
	}{
		{"removal", func(p *priority.Policy) { p.Removal.AfterFailedContacts = 3 }, "policy.removal", CodeUnsupported},
		{"state referral hours", func(p *priority.Policy) { p.StateReferralHours = 24 }, "policy.state_referral_hours", CodeUnsupported},
		{"no injecting population with people who inject", func(p *priority.Policy) {
			p.NoInjectingPopulation = true
			p.Tiers = []priority.Tier{{Name: "pregnant", When: map[string]bool{"pregnant": true}}, {Name: "all"}}
		}, "policy.no_injecting_population", CodePolicy},
	} {
		p := priority.Federal()
		tc.edit(&p)
		s := validScenario()
		s.Policy = PolicyOf(p)
		_, err := Compile(s)
		var ve *ValidationError
		if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Field != tc.field || ve.Problems[0].Code != tc.code {
			t.Errorf("%s: err = %v, want one %s problem at %s", tc.name, err, tc.code, tc.field)
		}
		// In a policy change too.
		s = validScenario()
		s.PolicyChanges = []PolicyChange{{Day: 100, Policy: PolicyOf(p)}}
		if _, err := Compile(s); !errors.As(err, &ve) || ve.Problems[0].Field != "policy_changes[0]."+tc.field {
			t.Errorf("%s in a change: err = %v", tc.name, err)
		}
	}
}

// TestCalendarDaysZoneHonoured: a policy counting days as calendar days in a zone judges
// the 14-day admission deadline of 45 CFR 96.126(b) that way (priority.Compiled.AfterDays).
func TestCalendarDaysZoneHonoured(t *testing.T) {
	// Day 0 is 2026-01-01T00:00Z. A (other) holds the one bed until 14.995. G, who injects
	// drugs (no interim services: 14 days), seeks treatment at day 0.99 (23:45 on 1 January)
	// and is admitted at 14.995, 14.005 days later. In elapsed days her deadline was
	// 0.99 + 14 = 14.99: missed. In calendar days (UTC) it ends with the 14th day after
	// 1 January, that is at day 15.0: met.
	other := ArrivalStream{Group: "other"}
	inj := ArrivalStream{Group: "injecting", Applicant: Facts{InjectsDrugs: true}}
	for _, tc := range []struct {
		zone string
		met  float64
	}{{"", 0}, {"UTC", 1}} {
		p := priority.Federal()
		p.CalendarDaysZone = tc.zone
		s := oneBed(PolicyOf(p), other, inj)
		s.Programs[0].LengthOfStay = *fixed(14.995)
		out, _ := scriptRun(t, s, []scripted{{0, 0}, {0.99, 1}})
		if got := out.Groups[1].AdmissionDeadlineMet; got != tc.met {
			t.Errorf("zone %q: deadline met %v, want %v", tc.zone, got, tc.met)
		}
		if !math.IsNaN(out.Groups[0].AdmissionDeadlineMet) {
			t.Errorf("zone %q: a deadline judged for people who do not inject drugs: %v", tc.zone, out.Groups[0].AdmissionDeadlineMet)
		}
	}
}

// TestInterimAlsoWhenHonoured: a State that owes interim services to postpartum women
// (InterimAlsoWhen) has their share judged; under the federal floor they are owed none.
func TestInterimAlsoWhenHonoured(t *testing.T) {
	other := ArrivalStream{Group: "other"}
	pp := ArrivalStream{Group: "postpartum", DeliveredDaysAgo: fixed(30), InterimDelay: fixed(1)}
	p := priority.Federal()
	p.InterimAlsoWhen = []string{"postpartum"}
	for _, tc := range []struct {
		policy PolicyRef
		want   float64
	}{{federal, -1}, {PolicyOf(p), 1}} {
		got := traceRun(t, oneBed(tc.policy, other, pp), []scripted{{0, 0}, {1, 1}})
		if got["postpartum"].Interim48h != tc.want {
			t.Errorf("%s: interim share of postpartum women %v, want %v", tc.policy, got["postpartum"].Interim48h, tc.want)
		}
	}
}

// TestStrictDecoding: the scenario decoder refuses what the library's reader refuses, with
// the JSON path and never the input's text.
func TestStrictDecoding(t *testing.T) {
	const secret = "QQ MARK QQ"
	for _, tc := range []struct {
		name, in   string
		code, path string
	}{
		{"duplicate key", `{"horizon_days": 1, "horizon_days": 2}`, "duplicate_key", "horizon_days"},
		{"case variant of a key", `{"horizon_days": 1, "Horizon_Days": 2}`, "duplicate_key", "horizon_days"},
		{"trailing data", `{"horizon_days": 1} {"` + secret + `": 1}`, "trailing_data", ""},
		// An unknown member is "?" in the path (the library's reader never shows a name the
		// schema does not know), with the name it may stand for in the message.
		{"unknown member", `{"horizon_dayz": 1}`, "unknown_field", "?"},
		{"unknown nested member", `{"programs": [{"id": "p", "length_of_stay": {"dist": "fixed", "mean_dayz": 3}}]}`, "unknown_field", "programs[0].length_of_stay.?"},
		{"unknown member of an inline policy", `{"policy": {"name": "x", "tiers": [{"name": "a", "whne": {}}]}}`, "unknown_field", "policy.tiers[0].?"},
		{"unknown member in a change", `{"policy_changes": [{"day": 3, "policy": {"name": "x", "tierz": []}}]}`, "unknown_field", "policy_changes[0].policy.?"},
		{"wrong type", `{"replications": "` + secret + `"}`, "wrong_type", "replications"},
		{"policy neither name nor object", `{"policy": 3}`, "wrong_type", "policy"},
		{"time out of range", `{"start": "1800-01-01T00:00:00Z"}`, "out_of_range", "start"},
		{"too large", `{"description": "` + strings.Repeat("x", MaxScenarioBytes) + `"}`, "input_too_large", ""},
	} {
		_, err := DecodeScenario([]byte(tc.in))
		var ve *ValidationError
		if !errors.As(err, &ve) || !errors.Is(err, ErrInvalidScenario) {
			t.Errorf("%s: err = %v, want a *ValidationError", tc.name, err)
			continue
		}
		if ve.Problems[0].Code != tc.code || ve.Problems[0].Field != tc.path {
			t.Errorf("%s: first problem %+v, want %s at %q", tc.name, ve.Problems[0], tc.code, tc.path)
		}
		if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "xxxxxxxx") ||
			strings.Contains(err.Error(), "dayz") || strings.Contains(err.Error(), "whne") || strings.Contains(err.Error(), "tierz") {
			t.Errorf("%s: the error quotes the input: %v", tc.name, err)
		}
	}
}

// --- 4. The statewide scenario and the load warning ---

// TestStatewideScenario: the built-in scenario compiles without warnings, carries the cited
// shares, and runs at the published occupancy (N-SSATS 2009: 89% of residential beds).
func TestStatewideScenario(t *testing.T) {
	s := Statewide()
	m, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	if w := m.Warnings(); len(w) != 0 || m.Load() >= 0.95 || m.Load() < 0.85 {
		t.Errorf("load %v, warnings %v: want a loaded but stable system", m.Load(), w)
	}
	beds, total := 0, 0.0
	for _, p := range s.Programs {
		beds += p.Beds
	}
	rate := map[string]float64{}
	for _, a := range s.Arrivals {
		total += a.RatePerDay
		rate[a.Group] = a.RatePerDay
	}
	// 0.355 women × 0.70 aged 15–44 × 0.046 pregnant (TEDS) = 1.14% of arrivals; 14.3%
	// inject drugs (TEDS 2009), the pregnant ones included.
	if beds != 1500 || len(s.Programs) != 50 || math.Abs(total-35) > 1e-9 ||
		math.Abs((rate["pregnant"]+rate["pregnant_injecting"])/total-0.0114) > 1e-9 ||
		math.Abs((rate["injecting"]+rate["pregnant_injecting"])/total-0.143) > 1e-9 {
		t.Errorf("%d programs, %d beds, %v a day, shares %v", len(s.Programs), beds, total, rate)
	}
	s.Replications = 4
	res, err := Run(context.Background(), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if occ := res.System.Occupancy.Mean; occ < 0.875 || occ > 0.90 {
		t.Errorf("occupancy %v, want about 0.89", occ)
	}
	if w := res.Overall.MeanWaitDays.Mean; !(w > 0.2 && w < 10) {
		t.Errorf("mean wait %v days: degenerate", w)
	}
	if d := res.Overall.DeliveredWhileWaiting.Mean; !(d > 0) {
		t.Errorf("no pregnant woman delivers while waiting (%v): the scenario should show some", d)
	}
}

// TestUnstableWarning: the former default (41 arrivals a day for about 33 a day of
// capacity) is flagged unstable; a light model is not.
func TestUnstableWarning(t *testing.T) {
	s := saturatedStatewide() // the former built-in scenario, kept by the benchmarks
	m, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	w := m.Warnings()
	if len(w) != 1 || w[0].Code != WarnUnstable || m.Load() < 1 {
		t.Errorf("load %v, warnings %v: want unstable", m.Load(), w)
	}
	s.Replications = 1
	res, err := Run(context.Background(), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || res.Load != m.Load() {
		t.Errorf("result warnings %v, load %v", res.Warnings, res.Load)
	}
	light := Scenario{HorizonDays: 100, Replications: 1, Policy: FederalPolicy(),
		Programs: []Program{{ID: "p", Beds: 10, LengthOfStay: Dist{Name: DistExponential, MeanDays: 1}}},
		Arrivals: []ArrivalStream{{Group: "g", RatePerDay: 5}}}
	if m, err := Compile(light); err != nil || len(m.Warnings()) != 0 || math.Abs(m.Load()-0.5) > 1e-12 {
		t.Errorf("light model: load %v, warnings %v, err %v", m.Load(), m.Warnings(), err)
	}
	// A group restricted to a small program overloads it even when the whole system is
	// light: Hall's condition finds it.
	light.Programs = append(light.Programs, Program{ID: "small", Beds: 1, LengthOfStay: Dist{Name: DistExponential, MeanDays: 1}})
	light.Arrivals = append(light.Arrivals, ArrivalStream{Group: "few", RatePerDay: 1.5, Programs: []string{"small"}})
	if m, err := Compile(light); err != nil || len(m.Warnings()) != 1 || m.Warnings()[0].Code != WarnUnstable {
		t.Errorf("overloaded small program: warnings %v, err %v", m.Warnings(), err)
	}
}

// --- 5. Modelling pieces, by hand ---

func TestCapacitySchedule(t *testing.T) {
	// One program, 1 bed, stays of 5 days; 2 beds from day 2, none from day 6, 1 from day
	// 20. A at 0 takes the bed (0–5); B at 1 waits until the second bed opens at 2 (2–7);
	// C at 3 and D at 4 wait; A leaves at 5, C enters (5–10). At 6 the beds go to 0: no one
	// is discharged early, no one admitted; B leaves at 7, C at 10. At 20 a bed opens: D
	// enters (20–25). Waits 0, 1, 2, 16: mean 4.75. Bed-days over [0, 40]: 1×2 + 2×4 +
	// 0×14 + 1×20 = 30; occupied 4 × 5 = 20: occupancy 2/3. At or above 90% of the beds:
	// [0, 6) and [20, 25), 11 days (never while the program has no bed).
	other := ArrivalStream{Group: "other"}
	s := oneBed(federal, other)
	s.Programs[0].BedChanges = []BedChange{{Day: 2, Beds: 2}, {Day: 6, Beds: 0}, {Day: 20, Beds: 1}}
	out, events := scriptRun(t, s, []scripted{{0, 0}, {1, 0}, {3, 0}, {4, 0}})
	g, p := out.Groups[0], out.Programs[0]
	if g.Admitted != 4 || g.MeanWaitDays != 4.75 {
		t.Errorf("admitted %v, mean wait %v; want 4 and 4.75", g.Admitted, g.MeanWaitDays)
	}
	if math.Abs(p.Occupancy-2.0/3) > 1e-12 || p.MeanBeds != 0.75 || p.DaysAtOrAbove90 != 11 {
		t.Errorf("occupancy %v, mean beds %v, days at 90%% %v; want 2/3, 0.75, 11", p.Occupancy, p.MeanBeds, p.DaysAtOrAbove90)
	}
	var admits []float64
	for _, e := range events {
		if e.Kind == TraceAdmission {
			admits = append(admits, e.Day)
		}
	}
	if d := cmp.Diff([]float64{0, 2, 5, 20}, admits); d != "" {
		t.Errorf("admission days (-want +got):\n%s", d)
	}
}

func TestPolicyChangeAtADate(t *testing.T) {
	// One bed, stays of 5 days. A (other) at 0 holds it until 5; B (other) at 1 and P
	// (postpartum, delivered 100 days before) at 2 wait, both "everyone else" under the
	// federal order, B first. At day 3 the State's postpartum tier comes into force: P
	// moves ahead of B. P is admitted at 5 (wait 3), B at 10 (wait 9). Without the change
	// B enters at 5 (wait 4), P at 10 (wait 8).
	other := ArrivalStream{Group: "other"}
	pp := ArrivalStream{Group: "postpartum", DeliveredDaysAgo: fixed(100)}
	for _, tc := range []struct {
		change       bool
		waitB, waitP float64
	}{{false, (0 + 4) / 2.0, 8}, {true, (0 + 9) / 2.0, 3}} {
		s := oneBed(federal, other, pp)
		if tc.change {
			s.PolicyChanges = []PolicyChange{{Day: 3, Policy: state}}
		}
		out, events := scriptRun(t, s, []scripted{{0, 0}, {1, 0}, {2, 1}})
		if out.Groups[0].MeanWaitDays != tc.waitB || out.Groups[1].MeanWaitDays != tc.waitP {
			t.Errorf("change %v: waits %v and %v, want %v and %v", tc.change, out.Groups[0].MeanWaitDays, out.Groups[1].MeanWaitDays, tc.waitB, tc.waitP)
		}
		if tc.change {
			// P's tier change is traced under the new policy.
			i := slices.IndexFunc(events, func(e TraceEvent) bool { return e.Kind == TraceTierChange })
			if i < 0 || events[i].Day != 3 || events[i].Tier != "postpartum" || events[i].Policy != "state-postpartum" || events[i].Person != 3 {
				t.Errorf("tier change event: %+v", events)
			}
		}
	}
}

func TestBalking(t *testing.T) {
	// One bed, stays of 5 days. A at 0 is admitted; B at 1 finds no one waiting and joins;
	// C at 2 finds one waiting: with max_waiting 1, or a join probability of 0 beyond the
	// first, she balks.
	for _, b := range []*Balking{{MaxWaiting: 1}, {JoinProbability: []float64{1, 0}}} {
		other := ArrivalStream{Group: "other", Balking: b}
		out, events := scriptRun(t, oneBed(federal, other), []scripted{{0, 0}, {1, 0}, {2, 0}})
		g := out.Groups[0]
		if g.Arrivals != 3 || g.Admitted != 2 || g.Balked != 1 || math.Abs(g.BalkShare-1.0/3) > 1e-12 {
			t.Errorf("balking %+v: %v arrivals, %v admitted, %v balked (share %v)", *b, g.Arrivals, g.Admitted, g.Balked, g.BalkShare)
		}
		if i := slices.IndexFunc(events, func(e TraceEvent) bool { return e.Kind == TraceBalk }); i < 0 || events[i].Person != 3 || events[i].Day != 2 {
			t.Errorf("balk event: %+v", events)
		}
	}
}

func TestStepDownRouting(t *testing.T) {
	// Program A (1 bed, 5 days) refers everyone leaving it to B (1 bed, 3 days). X at 0 is
	// admitted to A (0–5); Y at 1 waits for A. At 5 X leaves A: the bed goes to Y (wait 4)
	// and X, referred to B, enters B at once (5–8). Y leaves A at 10 and enters B (10–13).
	s := Scenario{HorizonDays: 40, Replications: 1, Seed: 1, Policy: federal,
		Programs: []Program{
			{ID: "A", Beds: 1, LengthOfStay: *fixed(5), Next: []Route{{Program: "B", Probability: 1}}},
			{ID: "B", Beds: 1, LengthOfStay: *fixed(3)},
		},
		Arrivals: []ArrivalStream{{Group: "g", RatePerDay: 1e-9, Programs: []string{"A"}}}}
	out, events := scriptRun(t, s, []scripted{{0, 0}, {1, 0}})
	g, a, b := out.Groups[0], out.Programs[0], out.Programs[1]
	if g.Admitted != 2 || g.MeanWaitDays != 2 || g.SteppedDown != 2 {
		t.Errorf("group: admitted %v, mean wait %v, stepped down %v; want 2, 2, 2", g.Admitted, g.MeanWaitDays, g.SteppedDown)
	}
	if a.Admissions != 2 || a.MeanWaitDays != 2 || b.Admissions != 2 || b.MeanWaitDays != 0 || b.StepDownReferrals != 2 {
		t.Errorf("programs: A %+v, B %+v", a, b)
	}
	type row struct {
		Kind    TraceKind
		Day     float64
		Program string
		Step    bool
	}
	var x []row
	for _, e := range events {
		if e.Person == 1 {
			x = append(x, row{e.Kind, e.Day, e.Program, e.StepDown})
		}
	}
	want := []row{{TraceArrival, 0, "", false}, {TraceAdmission, 0, "A", false}, {TraceDischarge, 5, "A", false},
		{TraceStepDown, 5, "B", true}, {TraceAdmission, 5, "B", true}, {TraceDischarge, 8, "B", true}}
	if d := cmp.Diff(want, x); d != "" {
		t.Errorf("X's trace (-want +got):\n%s", d)
	}
}

func TestApplyToOneProgram(t *testing.T) {
	// Two programs of one bed, stays of 5 days; everyone applies to one program and waits
	// for it. With "any" the second person takes the other free bed at once; with "one",
	// drawn in proportion to beds per day of stay (equal here), some wait for a busy one
	// though the other is free. Over many arrivals, each program gets about half.
	s := Scenario{HorizonDays: 20000, Replications: 1, Seed: 3, Policy: federal,
		Programs: []Program{{ID: "a", Beds: 1, LengthOfStay: *fixed(1)}, {ID: "b", Beds: 1, LengthOfStay: *fixed(1)}},
		Arrivals: []ArrivalStream{{Group: "g", RatePerDay: 1, Apply: "one"}}}
	res, err := Run(context.Background(), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, b := res.Programs[0].Admissions.Mean, res.Programs[1].Admissions.Mean
	if math.Abs(a-b) > 4*math.Sqrt(a+b) {
		t.Errorf("admissions %v and %v: not half each", a, b)
	}
	// Each program alone is M/D/1 at ρ = 0.5: Wq = ρ/(2μ(1−ρ)) = 0.5 days.
	if w := res.Groups[0].MeanWaitDays.Mean; math.Abs(w-0.5) > 0.03 {
		t.Errorf("mean wait %v, want M/D/1's 0.5", w)
	}
	s.Arrivals[0].Apply = "somewhere"
	var ve *ValidationError
	if _, err := Compile(s); !errors.As(err, &ve) || ve.Problems[0].Code != CodeApply {
		t.Errorf("bad apply: %v", err)
	}
}

func TestWelchMovingAverage(t *testing.T) {
	// Welch's procedure by hand, w = 2 over 1..7: point 1 is ys[1] alone, point 2 the mean
	// of ys[1..3], points 3 to 5 the means of five: (1+2+3+4+5)/5 = 3, 4, 5.
	got := WelchMovingAverage([]float64{1, 2, 3, 4, 5, 6, 7}, 2)
	if d := cmp.Diff([]float64{1, 2, 3, 4, 5}, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	got = WelchMovingAverage([]float64{4, 0, 2, 10}, 1) // 4; (4+0+2)/3; (0+2+10)/3
	if d := cmp.Diff([]float64{4, 2, 4}, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if WelchMovingAverage([]float64{1, 2}, 2) != nil || WelchMovingAverage([]float64{1, 2}, 0) != nil {
		t.Error("too short a series, or window 0, should give nil")
	}
}

// --- 7. Cancelled events leave the heap ---

// TestHeapHoldsOnlyLiveEvents steps a busy model event by event and checks, after each,
// that the heap is a heap, every person's entry is where hpos says, and it holds exactly
// the pending model events: one per person in treatment (her departure), one per waiting
// person with something ahead before the horizon, the capacity and policy changes to come
// (arrivals, one per stream at most, wait beside it in a tournament tree, also checked). No
// cancelled event waits in it to be popped.
func TestHeapHoldsOnlyLiveEvents(t *testing.T) {
	s := validScenario()
	s.Programs[0].BedChanges = []BedChange{{Day: 200, Beds: 4}}
	s.PolicyChanges = []PolicyChange{{Day: 250, Policy: federal}}
	s.Programs[1].Next = []Route{{Program: "a", Probability: 0.3}}
	s.Balking = &Balking{MaxWaiting: 6}
	m, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	r := newRunner(m)
	r.reset(0)
	for k := range m.streams {
		if t := r.nextArrival(k, 0); t <= m.horizon {
			r.schedule(t, evArrival, int32(k))
		}
	}
	for i, be := range m.bedEvents {
		r.schedule(be.day, evBeds, int32(i))
	}
	r.schedule(m.epochs[1].at, evPolicy, 1)
	steps := 0
	for {
		next, ok := r.peek()
		if !ok {
			break
		}
		r.runUntil(next, nil)
		steps++
		pending := 0
		for k := range r.arr {
			if r.arr[k].t < math.Inf(1) {
				pending++
				if r.arr[k].t < r.now {
					t.Fatalf("step %d: an arrival in the past", steps)
				}
			}
		}
		if k := r.arrTree[1]; pending > 0 && (k < 0 || slices.ContainsFunc(r.arr, func(e event) bool { return evLess(&e, &r.arr[k]) })) {
			t.Fatalf("step %d: the tournament's winner is not the earliest arrival", steps)
		}
		waiting, treatment, other := 0, 0, 0
		for i := range r.h {
			if i > 0 && evLess(&r.h[i], &r.h[(i-1)/4]) {
				t.Fatalf("step %d: not a heap at %d", steps, i)
			}
			if r.h[i].t < r.now {
				t.Fatalf("step %d: an event in the past", steps)
			}
			e := &r.h[i]
			if e.kind() <= evDeparture {
				if e.pos != e.idx+1 || r.hpos[e.pos] != int32(i) {
					t.Fatalf("step %d: entry %d of slot %d, hpos says %d", steps, i, e.idx, r.hpos[e.pos])
				}
				a := &r.apps[e.idx]
				switch {
				case e.kind() == evPersonal && a.state == stWaiting:
					waiting++
				case e.kind() == evDeparture && a.state == stTreatment:
					treatment++
				default:
					t.Fatalf("step %d: a stale event of kind %d for a person in state %d", steps, e.kind(), a.state)
				}
			} else {
				other++
			}
		}
		inTreatment := 0
		for i := range r.apps {
			if r.apps[i].state == stTreatment {
				inTreatment++
			}
			if r.apps[i].state == stFree && r.hpos[i+1] != -1 {
				t.Fatalf("step %d: a free slot with an event", steps)
			}
		}
		if treatment != inTreatment || other > len(m.bedEvents)+1 {
			t.Fatalf("step %d: %d departures for %d in treatment; %d other events", steps, treatment, inTreatment, other)
		}
	}
	r.finish()
	if _, err := m.replication(r, 0); err != nil {
		t.Fatal(err)
	}
	if steps < 500 {
		t.Errorf("only %d steps", steps)
	}
}

// TestDistributionsGammaWeibull: the new stays' means and second moments by their
// formulas, and sample moments within 1%.
func TestDistributionsGammaWeibull(t *testing.T) {
	for _, tc := range []struct {
		d        Dist
		mean, m2 float64
	}{
		{Dist{Name: DistGamma, Shape: 2, ScaleDays: 0.5}, 1, 1.5},             // kθ; k(k+1)θ²
		{Dist{Name: DistGamma, Shape: 0.5, ScaleDays: 4}, 2, 0.5 * 1.5 * 16},  // shape below 1
		{Dist{Name: DistWeibull, Shape: 2, ScaleDays: 1}, math.Gamma(1.5), 1}, // λΓ(1+1/k); λ²Γ(1+2/k)
		{Dist{Name: DistWeibull, Shape: 0.8, ScaleDays: 10}, 10 * math.Gamma(2.25), 100 * math.Gamma(3.5)},
	} {
		var ps []Problem
		tc.d.check("d", &ps)
		if len(ps) > 0 {
			t.Fatalf("%+v: %v", tc.d, ps)
		}
		s := tc.d.compile()
		if math.Abs(s.mean()-tc.mean) > 1e-12*tc.mean || math.Abs(s.secondMoment()-tc.m2) > 1e-12*tc.m2 {
			t.Errorf("%+v: mean %v, E[X²] %v; want %v, %v", tc.d, s.mean(), s.secondMoment(), tc.mean, tc.m2)
		}
	}
	var ps []Problem
	(&Dist{Name: DistGamma, Shape: 0, ScaleDays: 1}).check("d", &ps)
	(&Dist{Name: DistWeibull, Shape: 2}).check("d", &ps)
	(&Dist{Name: DistExponential, MeanDays: 1, Shape: 2}).check("d", &ps)
	if len(ps) != 3 {
		t.Errorf("problems %v, want 3", ps)
	}
}

// TestAliasTable: Walker's alias table draws each entry with its probability, exactly:
// the probability of entry k is (prob[k] + Σ_{i: alias[i]=k} (1 - prob[i])) / n.
func TestAliasTable(t *testing.T) {
	for _, ps := range [][]float64{{1}, {0.5, 0.5}, {0.1, 0.2, 0.3, 0.4}, {0.7, 0, 0.3}, {1.0 / 3, 1.0 / 3, 1.0 / 3}} {
		prob, alias := aliasTable(ps)
		got := make([]float64, len(ps))
		for i := range ps {
			got[i] += prob[i] / float64(len(ps))
			got[alias[i]] += (1 - prob[i]) / float64(len(ps))
		}
		if d := cmp.Diff(ps, got, cmpopts.EquateApprox(0, 1e-12)); d != "" {
			t.Errorf("%v: (-want +got):\n%s", ps, d)
		}
	}
}

// TestRouteCycleRefused: routes that come back to a program are refused (a cycle of sure
// referrals and short stays would never reach the horizon).
func TestRouteCycleRefused(t *testing.T) {
	s := validScenario()
	s.Programs[0].Next = []Route{{Program: "b", Probability: 0.5}}
	if _, err := Compile(s); err != nil {
		t.Fatalf("a chain a → b: %v", err)
	}
	s.Programs[1].Next = []Route{{Program: "a", Probability: 0.1}}
	var ve *ValidationError
	if _, err := Compile(s); !errors.As(err, &ve) || ve.Problems[0].Code != CodeRoute || !strings.Contains(ve.Problems[0].Message, "cycle") {
		t.Errorf("a cycle a → b → a: err = %v", err)
	}
	s.Programs[1].Next = []Route{{Program: "b", Probability: 0.1}}
	if _, err := Compile(s); !errors.As(err, &ve) || ve.Problems[0].Field != "programs[1].next" {
		t.Errorf("a self-loop: err = %v", err)
	}
}

// TestDocScenarioExample: the scenario JSON shown in the package documentation decodes and
// compiles (its policy's elided tiers filled in).
func TestDocScenarioExample(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	_, after, _ := strings.Cut(string(doc), "# Scenario JSON")
	var js strings.Builder
	for _, line := range strings.Split(after, "\n") {
		if l, ok := strings.CutPrefix(line, "//\t"); ok {
			js.WriteString(l + "\n")
		} else if js.Len() > 0 && !strings.HasPrefix(line, "//\t") && strings.TrimSpace(strings.TrimPrefix(line, "//")) != "" {
			break
		}
	}
	tiers := `[ { "name": "pregnant_injecting", "when": { "pregnant": true, "injects_drugs": true } },
		{ "name": "pregnant", "when": { "pregnant": true } }, { "name": "injecting", "when": { "injects_drugs": true } },
		{ "name": "postpartum", "when": { "postpartum": true } }, { "name": "everyone_else" } ]`
	src := strings.Replace(js.String(), "[ ... ]", tiers, 1)
	s, err := DecodeScenario([]byte(src))
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	if _, err := Compile(s); err != nil {
		t.Fatal(err)
	}
}

// TestTraceChangesNothing: a run traced gives the same values as a run not traced.
func TestTraceChangesNothing(t *testing.T) {
	s := validScenario()
	s.Programs[1].Next = []Route{{Program: "a", Probability: 0.3}}
	s.PolicyChanges = []PolicyChange{{Day: 200, Policy: federal}}
	m, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := m.Run(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	traced, err := m.Run(context.Background(), Options{Trace: func(TraceEvent) { n++ }})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(plain, traced, cmpopts.EquateNaNs()); d != "" || n == 0 {
		t.Errorf("%d events traced; traced run differs (-plain +traced):\n%s", n, d)
	}
}

// TestConfidenceLevel: the scenario's confidence level sets every interval (Student's t at
// that level) and is written on every CSV row.
func TestConfidenceLevel(t *testing.T) {
	s := validScenario()
	a, err := Run(context.Background(), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Confidence = 0.9
	b, err := Run(context.Background(), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Same replications, so the half-widths scale by t(0.95, 5)/t(0.975, 5) = 2.015/2.571.
	ga, gb := a.Groups[3].MeanWaitDays, b.Groups[3].MeanWaitDays
	want := ga.HalfWidth() * tQuantile(0.95, 5) / tQuantile(0.975, 5)
	if ga.Mean != gb.Mean || math.Abs(gb.HalfWidth()-want) > 1e-12 || math.Abs(tQuantile(0.95, 5)-2.015) > 5e-4 {
		t.Errorf("90%% interval %+v, want half-width %v around %v", gb, want, ga.Mean)
	}
	var buf bytes.Buffer
	if err := WriteSummaryCSV(&buf, b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), ",0.9,6,42,50,400,350\n") {
		t.Errorf("CSV rows do not carry the 0.9 level: %q", strings.SplitN(buf.String(), "\n", 3)[1])
	}
	s.Confidence = 1.5
	var ve *ValidationError
	if _, err := Compile(s); !errors.As(err, &ve) || ve.Problems[0].Code != CodeConfidence {
		t.Errorf("confidence 1.5: err = %v", err)
	}
}

// TestCalendarDeadlineFarOut: the calendar-day deadline is right at any day of a long
// horizon (a day count beyond what a time.Duration holds from Start: 106,751 days).
func TestCalendarDeadlineFarOut(t *testing.T) {
	// As TestCalendarDaysZoneHonoured, 150000 days later: day 150000 is a midnight UTC
	// (whole days of 24 hours from 2026-01-01T00:00Z), so G seeks treatment at 23:45.
	other := ArrivalStream{Group: "other"}
	inj := ArrivalStream{Group: "injecting", Applicant: Facts{InjectsDrugs: true}}
	for _, tc := range []struct {
		zone string
		met  float64
	}{{"", 0}, {"UTC", 1}} {
		p := priority.Federal()
		p.CalendarDaysZone = tc.zone
		s := oneBed(PolicyOf(p), other, inj)
		s.HorizonDays = 150040
		s.Programs[0].LengthOfStay = *fixed(14.995)
		out, _ := scriptRun(t, s, []scripted{{150000, 0}, {150000.99, 1}})
		if got := out.Groups[1].AdmissionDeadlineMet; got != tc.met {
			t.Errorf("zone %q: deadline met %v, want %v", tc.zone, got, tc.met)
		}
	}
	s := validScenario()
	s.HorizonDays = MaxHorizonDays + 1
	var ve *ValidationError
	if _, err := Compile(s); !errors.As(err, &ve) || ve.Problems[0].Code != CodeHorizon {
		t.Errorf("a horizon beyond MaxHorizonDays: %v", err)
	}
}

// TestDuplicateRunLabels: two runs labelled alike would give rows with the same keys; the
// writers refuse them.
func TestDuplicateRunLabels(t *testing.T) {
	a, err := Run(context.Background(), validScenario(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	for _, write := range []func() error{
		func() error { return WriteSummaryCSV(&buf, a, a) },
		func() error { return WriteReplicationsCSV(&buf, a, a) },
		func() error { return WriteSeriesCSV(&buf, a, a) },
	} {
		if err := write(); !errors.Is(err, ErrDuplicateRun) {
			t.Errorf("err = %v, want ErrDuplicateRun", err)
		}
	}
	c, err := Compare(a, a)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteContrastsCSV(&buf, c, c); !errors.Is(err, ErrDuplicateRun) {
		t.Errorf("contrasts: err = %v, want ErrDuplicateRun", err)
	}
}
