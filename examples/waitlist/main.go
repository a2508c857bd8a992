// Command waitlist is a researcher's tool for comparing waitlist policies for substance use
// treatment beds with the dyad simulator (github.com/dyad-health/dyad/priority/sim).
//
// With no arguments it runs a three-policy study on the built-in statewide scenario
// (sim.Statewide: 50 programs, 1,500 beds, calibrated to N-SSATS and TEDS figures): the
// federal preference order of 45 CFR 96.131(a); a State policy that ranks postpartum women
// first among "all others" (96.131(a)(4)); and the same State policy owing interim services
// to postpartum women as well. Every policy sees the same people (common random numbers).
// It prints a table per group with confidence intervals, the paired differences from the
// federal order, and writes, into a new folder it names (or -out DIR):
//
//	scenario.json      the exact scenario run (rerun it with -scenario)
//	summary.csv        estimates per run, group, program and metric (tidy, one header)
//	replications.csv   every replication's values (tidy): pair them yourself
//	contrasts.csv      paired differences from the first policy, with intervals
//	series.csv         the waitlist length over time, per group
//	trace.csv          with -trace N: person-level events of the first N replications of every
//	                   run (-trace-format jsonl or both for JSON Lines)
//	results.json       everything above but the trace, as JSON
//	waitlist.svg       wait distributions, waitlist over time, Welch's warm-up plot, deliveries
//	README.txt         what each file and column holds
//
//	go run ./examples/waitlist
//	go run ./examples/waitlist -scenario my-scenario.json -policy state.json -out results/
//	go run ./examples/waitlist -print-scenario > statewide.json
//
// A -scenario file is the simulator's scenario JSON (priority/sim documents it); it runs under
// its own policy and under each -policy file (the priority package's policy JSON). Files are
// read through the library's reader: at most 4 MiB, strict, problems reported with their JSON
// paths. A model whose arrivals outrun its beds is run, with a warning.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/dyad-health/dyad/internal/jsonin"
	"github.com/dyad-health/dyad/priority"
	"github.com/dyad-health/dyad/priority/sim"
)

// statePostpartum is a State policy with a postpartum tier (12 months after delivery).
// Postpartum women who do not inject drugs belong to the fourth federal group ("all
// others", 45 CFR 96.131(a)(4)): a State may rank them first within that group, after people
// who inject drugs, never before them (priority.Compile refuses such a policy).
func statePostpartum() priority.Policy {
	p := priority.Federal()
	p.Name = "state-postpartum"
	p.PostpartumDays = 365
	p.Tiers = append(p.Tiers[:3:3],
		priority.Tier{Name: "postpartum", When: map[string]bool{"postpartum": true}, Citations: []string{priority.CitePreferenceOthers}},
		p.Tiers[3])
	return p
}

// statePostpartumInterim is statePostpartum owing interim services (45 CFR 96.121) to
// postpartum women too, a State option.
func statePostpartumInterim() priority.Policy {
	p := statePostpartum()
	p.Name = "state-postpartum-interim"
	p.InterimAlsoWhen = []string{"postpartum"}
	return p
}

type config struct {
	scenario      string
	policies      []string
	out           string
	reps          int
	seed          int64
	confidence    float64
	trace         int
	traceFormat   string
	printScenario bool
	now           func() time.Time
	stdout        io.Writer
	stderr        io.Writer
}

type multi []string

// String and Set make multi a flag.Value that collects every use of the flag.
func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

func main() {
	c := config{now: time.Now, stdout: os.Stdout, stderr: os.Stderr}
	var policies multi
	flag.StringVar(&c.scenario, "scenario", "", "scenario JSON `file` to run instead of the built-in statewide scenario")
	flag.Var(&policies, "policy", "policy JSON `file` (priority format) to run the same people under as well; repeatable")
	flag.StringVar(&c.out, "out", "", "output `folder` (default: a new folder named waitlist-<scenario>-<time> in the current one)")
	flag.IntVar(&c.reps, "reps", 0, "override the number of replications")
	flag.Int64Var(&c.seed, "seed", -1, "override the seed")
	flag.Float64Var(&c.confidence, "confidence", 0, "override the confidence level of the intervals (e.g. 0.9)")
	flag.IntVar(&c.trace, "trace", 0, "write the person-level trace of the first `N` replications of every run (about 40 MB of CSV per replication of the statewide scenario)")
	flag.StringVar(&c.traceFormat, "trace-format", "csv", "trace format: csv, jsonl or both")
	flag.BoolVar(&c.printScenario, "print-scenario", false, "print the scenario as JSON and exit")
	flag.Parse()
	c.policies = policies
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "waitlist:", err)
		os.Exit(1)
	}
}

// readFile reads a file through the library's reader: at most sim.MaxScenarioBytes, a
// longer one refused (input_too_large) without being read whole.
func readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := jsonin.ReadAll(f, sim.MaxScenarioBytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return b, nil
}

// readScenario reads at most sim.MaxScenarioBytes of scenario JSON and decodes them with
// sim.DecodeScenario.
func readScenario(r io.Reader) (sim.Scenario, error) {
	data, err := jsonin.ReadAll(r, sim.MaxScenarioBytes)
	if err != nil {
		return sim.Scenario{}, err
	}
	return sim.DecodeScenario(data)
}

func loadScenario(name string) (sim.Scenario, error) {
	f, err := os.Open(name)
	if err != nil {
		return sim.Scenario{}, err
	}
	defer f.Close()
	s, err := readScenario(f)
	if err != nil {
		return sim.Scenario{}, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}

func loadPolicy(name string) (priority.Policy, error) {
	b, err := readFile(name)
	if err != nil {
		return priority.Policy{}, err
	}
	p, err := priority.DecodePolicy(b, priority.DecodeOptions{})
	if err != nil {
		return priority.Policy{}, fmt.Errorf("%s: %w", name, err)
	}
	return p, nil
}

func run(c config) error {
	base := sim.Statewide()
	variants := []sim.PolicyRef{sim.FederalPolicy(), sim.PolicyOf(statePostpartum()), sim.PolicyOf(statePostpartumInterim())}
	if c.scenario != "" {
		var err error
		if base, err = loadScenario(c.scenario); err != nil {
			return err
		}
		variants = []sim.PolicyRef{base.Policy}
	} else if len(c.policies) > 0 {
		variants = variants[:1]
	}
	for _, name := range c.policies {
		p, err := loadPolicy(name)
		if err != nil {
			return err
		}
		variants = append(variants, sim.PolicyOf(p))
	}
	if c.reps > 0 {
		base.Replications = c.reps
	}
	if c.seed >= 0 {
		base.Seed = uint64(c.seed)
	}
	if c.confidence != 0 {
		base.Confidence = c.confidence
	}
	if c.printScenario {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(base)
	}
	switch c.traceFormat {
	case "csv", "jsonl", "both":
	default:
		return fmt.Errorf("-trace-format is csv, jsonl or both")
	}
	models := make([]*sim.Model, len(variants))
	for i, v := range variants {
		s := base
		s.Policy = v
		m, err := sim.Compile(s)
		if err != nil {
			return err
		}
		models[i] = m
	}
	for _, w := range models[0].Warnings() {
		fmt.Fprintf(c.stderr, "warning (%s): %s\n", w.Code, w.Message)
	}

	out := c.out
	if out == "" {
		out = fmt.Sprintf("waitlist-%s-%s", models[0].Name(), c.now().Format("20060102-150405"))
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	bar := newProgress(c.stderr, len(models)*base.Replications)
	begin := time.Now()
	results := make([]*sim.Result, len(models))
	labels := map[string]int{}
	for i, m := range models {
		offset := i * base.Replications
		// Every run a distinct label, so that the tables' keys stay unique.
		label := m.PolicyLabel()
		if labels[label]++; labels[label] > 1 {
			label = fmt.Sprintf("%s#%d", label, labels[label])
		}
		res, err := m.Run(ctx, sim.Options{Label: label, Progress: func(done, _ int) { bar.set(offset + done) }})
		if err != nil {
			bar.finish()
			return err
		}
		results[i] = res
	}
	bar.finish()
	elapsed := time.Since(begin)
	contrasts := make([]*sim.Contrast, 0, len(results)-1)
	for _, r := range results[1:] {
		ct, err := sim.Compare(results[0], r)
		if err != nil {
			return err
		}
		contrasts = append(contrasts, ct)
	}

	printTable(c.stdout, base, results, contrasts)
	var events uint64
	for _, r := range results {
		events += r.Events
	}
	fmt.Fprintf(c.stdout, "\n%d policies × %d replications, %.1f million events in %.1f s.\n",
		len(results), base.Replications, float64(events)/1e6, elapsed.Seconds())

	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"scenario.json", func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(base)
		}},
		{"summary.csv", func(w io.Writer) error { return sim.WriteSummaryCSV(w, results...) }},
		{"replications.csv", func(w io.Writer) error { return sim.WriteReplicationsCSV(w, results...) }},
		{"contrasts.csv", func(w io.Writer) error { return sim.WriteContrastsCSV(w, contrasts...) }},
		{"series.csv", func(w io.Writer) error { return sim.WriteSeriesCSV(w, results...) }},
		{"results.json", func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(struct {
				Results   []*sim.Result   `json:"results"`
				Contrasts []*sim.Contrast `json:"contrasts"`
			}{results, contrasts})
		}},
		{"waitlist.svg", func(w io.Writer) error { return sim.WriteSVG(w, results, sim.ChartOptions{}) }},
		{"README.txt", func(w io.Writer) error { _, err := io.WriteString(w, readme); return err }},
	}
	for _, f := range files {
		if err := writeFile(filepath.Join(out, f.name), f.write); err != nil {
			return err
		}
	}
	if n := min(c.trace, base.Replications); n > 0 {
		if err := writeTraces(ctx, out, c.traceFormat, models, results, n); err != nil {
			return err
		}
	}
	fmt.Fprintf(c.stdout, "Wrote the results to %s%c (README.txt there says what each file holds).\n", out, filepath.Separator)
	if c.trace == 0 {
		fmt.Fprintln(c.stdout, "Add -trace 1 for the person-level trace of replication 0 of every run.")
	}
	return nil
}

// writeTraces reruns replications 0 to n-1 of every run alone (RunReplication gives the same
// numbers as the whole run) with trace writers: one file per format, one header, each run's
// rows labelled with its name.
func writeTraces(ctx context.Context, out, format string, models []*sim.Model, results []*sim.Result, n int) (err error) {
	var files []*os.File
	var writers []*sim.TraceWriter
	defer func() {
		for i, f := range files {
			err = errors.Join(err, writers[i].Flush(), f.Close())
		}
	}()
	add := func(name string, f sim.TraceFormat) error {
		h, err := os.Create(filepath.Join(out, name))
		if err != nil {
			return err
		}
		files = append(files, h)
		writers = append(writers, sim.NewTraceWriter(h, f, "", ""))
		return nil
	}
	if format == "csv" || format == "both" {
		if err := add("trace.csv", sim.TraceCSV); err != nil {
			return err
		}
	}
	if format == "jsonl" || format == "both" {
		if err := add("trace.jsonl", sim.TraceJSONL); err != nil {
			return err
		}
	}
	trace := func(e sim.TraceEvent) {
		for _, w := range writers {
			w.Event(e)
		}
	}
	for i, m := range models {
		for _, w := range writers {
			w.Relabel(results[i].Run, m.Name())
		}
		for rep := range n {
			if _, err := m.RunReplication(ctx, rep, sim.Options{Trace: trace}); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// printTable prints, per group, each metric under each policy side by side, then the paired
// differences from the first policy for the metrics policies change most.
func printTable(w io.Writer, s sim.Scenario, results []*sim.Result, contrasts []*sim.Contrast) {
	r0 := results[0]
	fmt.Fprintf(w, "%s\n", s.Description)
	fmt.Fprintf(w, "Means over %d replications with %g%% confidence intervals. People counted if they sought treatment between day %g and day %g (%g days);\n",
		r0.Replications, 100*r0.Confidence, r0.WarmupDays, r0.HorizonDays, r0.WindowDays())
	fmt.Fprintf(w, "counts are per replication over those %g days, rates per year of them.\n", r0.WindowDays())
	const colW = 27
	header := fmt.Sprintf("  %-30s", "")
	for _, r := range results {
		header += fmt.Sprintf("%*s", colW, truncate(r.Run, colW-2))
	}
	rows := []struct {
		name string
		get  func(g sim.GroupResult) sim.Estimate
		kind byte // c count, d days, p share
	}{
		{"arrivals per year", func(g sim.GroupResult) sim.Estimate { return g.ArrivalsPerYear }, 'c'},
		{"admitted per year", func(g sim.GroupResult) sim.Estimate { return g.AdmittedPerYear }, 'c'},
		{"gave up (share)", func(g sim.GroupResult) sim.Estimate { return g.DropoutShare }, 'p'},
		{"mean wait (days)", func(g sim.GroupResult) sim.Estimate { return g.MeanWaitDays }, 'd'},
		{"median wait (days)", func(g sim.GroupResult) sim.Estimate { return g.MedianWaitDays }, 'd'},
		{"90th percentile wait (days)", func(g sim.GroupResult) sim.Estimate { return g.P90WaitDays }, 'd'},
		{"admitted within 48 hours", func(g sim.GroupResult) sim.Estimate { return g.AdmittedWithin48h }, 'p'},
		{"admitted within 14 days", func(g sim.GroupResult) sim.Estimate { return g.AdmittedWithin14d }, 'p'},
		{"interim services in 48 h", func(g sim.GroupResult) sim.Estimate { return g.InterimWithin48h }, 'p'},
		{"96.126(b) deadline met", func(g sim.GroupResult) sim.Estimate { return g.AdmissionDeadlineMet }, 'p'},
		{"delivered while waiting/yr", func(g sim.GroupResult) sim.Estimate { return g.DeliveredWhileWaitingPerYear }, 'c'},
		{"waiting, time average", func(g sim.GroupResult) sim.Estimate { return g.MeanWaiting }, 'c'},
	}
	groups := []string{}
	for _, g := range r0.Groups {
		groups = append(groups, g.Group)
	}
	groups = append(groups, "overall")
	for _, name := range groups {
		fmt.Fprintf(w, "\n%s\n%s\n", strings.ToUpper(strings.ReplaceAll(name, "_", " ")), header)
		for _, row := range rows {
			line := fmt.Sprintf("  %-30s", row.name)
			for _, r := range results {
				g, _ := r.Group(name)
				line += fmt.Sprintf("%*s", colW, cell(row.get(g), row.kind))
			}
			fmt.Fprintln(w, line)
		}
	}
	fmt.Fprintln(w)
	line := fmt.Sprintf("  %-30s", "bed occupancy")
	line2 := fmt.Sprintf("  %-30s", "days at ≥90% (per program)")
	for _, r := range results {
		line += fmt.Sprintf("%*s", colW, cell(r.System.Occupancy, 'p'))
		line2 += fmt.Sprintf("%*s", colW, cell(r.System.DaysAtOrAbove90, 'c'))
	}
	fmt.Fprintln(w, line)
	fmt.Fprintln(w, line2)
	if len(contrasts) == 0 {
		return
	}
	fmt.Fprintf(w, "\nPaired differences from %s (same people in every replication), %g%% intervals:\n", r0.Run, 100*r0.Confidence)
	header = fmt.Sprintf("  %-22s%-30s", "group", "")
	for _, c := range contrasts {
		header += fmt.Sprintf("%*s", colW, truncate(c.Run, colW-2))
	}
	fmt.Fprintln(w, header)
	for _, name := range groups {
		for _, row := range rows[3:4:4] {
			line := fmt.Sprintf("  %-22s%-30s", truncate(name, 21), row.name)
			for _, c := range contrasts {
				g, _ := c.Group(name)
				line += fmt.Sprintf("%*s", colW, diffCell(row.get(g), row.kind))
			}
			fmt.Fprintln(w, line)
		}
	}
}

func cell(e sim.Estimate, kind byte) string {
	if !e.Defined() {
		return "—"
	}
	switch kind {
	case 'p':
		return fmt.Sprintf("%.1f%% [%.1f, %.1f]", 100*e.Mean, 100*e.Low, 100*e.High)
	case 'd':
		return fmt.Sprintf("%.2f [%.2f, %.2f]", e.Mean, e.Low, e.High)
	}
	if e.Mean >= 1000 {
		return fmt.Sprintf("%.0f ± %.0f", e.Mean, e.HalfWidth())
	}
	return fmt.Sprintf("%.1f ± %.1f", e.Mean, e.HalfWidth())
}

func diffCell(e sim.Estimate, kind byte) string {
	if !e.Defined() {
		return "—"
	}
	if kind == 'p' {
		return fmt.Sprintf("%+.2f pts [%+.2f, %+.2f]", 100*e.Mean, 100*e.Low, 100*e.High)
	}
	return fmt.Sprintf("%+.3f [%+.3f, %+.3f]", e.Mean, e.Low, e.High)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// progress draws a bar on a terminal, or a few plain lines when output is piped.
type progress struct {
	w     io.Writer
	total int
	tty   bool
	last  int
	start time.Time
}

func newProgress(w io.Writer, total int) *progress {
	p := &progress{w: w, total: total, last: -1, start: time.Now()}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progress) set(done int) {
	pct := 100 * done / max(1, p.total)
	if p.tty {
		const width = 40
		fill := width * done / max(1, p.total)
		fmt.Fprintf(p.w, "\r  simulating [%s%s] %3d%%  %d/%d replications  %.1fs ",
			strings.Repeat("█", fill), strings.Repeat("░", width-fill), pct, done, p.total, time.Since(p.start).Seconds())
		return
	}
	// Piped: one line per quarter.
	if q := pct / 25; q > p.last {
		p.last = q
		fmt.Fprintf(p.w, "simulating: %d%% (%d/%d replications)\n", pct, done, p.total)
	}
}

func (p *progress) finish() {
	if p.tty {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", 90))
	}
}

// readme describes the output folder.
const readme = `Results of examples/waitlist (dyad priority/sim).

All CSV files are tidy: one header row, one value per row, the keys below unique, and the
run's metadata on every row. Empty cells are values that are undefined (for example a mean
wait in a replication that admitted no one of the group); R's read.csv and pandas.read_csv
read them as NA/NaN. Counts ("unit" people) are per replication over the counted window
(window_days = horizon_days - warmup_days: people who first sought treatment in it); the
*_per_year metrics are the same counts per 365.25 days of it.

scenario.json     the exact scenario (rerun: go run ./examples/waitlist -scenario scenario.json)
summary.csv       key (run, level, name, metric, days): mean, low, high (confidence interval at
                  "confidence"), n (replications where the value is defined). level: group,
                  overall, program or system; days is set for metric admitted_within only.
replications.csv  key (run, replication, level, name, metric, days): value.
contrasts.csv     key (run, baseline, level, name, metric, days): difference (run minus
                  baseline, paired by replication on the same people), low, high, n.
series.csv        key (run, group, day): mean, low, high of the number of people waiting.
trace.csv         (with -trace N) one row per person-level event (arrival, tier_change, delivery, interim,
                  admission, dropout, balk, discharge, step_down, still_waiting) of the traced
                  replications; joins to the others on (run, replication, group); person numbers
                  people within a replication, the same person under every policy.
results.json      the results and contrasts as JSON (null where undefined).
waitlist.svg      wait distributions by group, the waitlist over time, Welch's warm-up plot, and
                  deliveries while waiting.
`
