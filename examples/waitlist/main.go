// Command waitlist compares waitlist policies for substance use treatment beds with the
// dyad simulator (github.com/dyad-health/dyad/priority/sim).
//
// With no arguments it runs a built-in statewide scenario — 50 programs (ten of them for
// pregnant women and women with dependent children, where pregnant women are admitted),
// 1,500 beds, ten years, about 150,000 people seeking treatment — under the federal preference order of
// 45 CFR 96.131(a) and under a State policy that adds a postpartum tier (first among "all
// others", 96.131(a)(4)), prints a table per
// group with 95% confidence intervals, and writes waitlist.svg (the wait distribution per
// group, both policies), results.json and results.csv.
//
//	go run ./examples/waitlist
//	go run ./examples/waitlist -scenario my-scenario.json -out results/
//	go run ./examples/waitlist -print-scenario > statewide.json
//
// A -scenario file is the simulator's scenario JSON (see priority/sim and
// shared/conformance/README.md); it runs under its own policy and, with -compare, also under
// the built-in State policy, or under the policy of another file given to -compare-policy.
// Files of more than 4 MiB are refused without being read whole.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/dyad-health/dyad/internal/jsonin"
	"github.com/dyad-health/dyad/priority/sim"
)

// statePolicy is a State policy with a postpartum tier (12 months after delivery), in the
// priority package's JSON format. Postpartum women who do not inject drugs belong to the
// fourth federal group ("all others", 45 CFR 96.131(a)(4)): a State may rank them first
// within that group, after people who inject drugs, never before them (the priority
// package refuses such a policy).
const statePolicy = `{
  "name": "state-postpartum",
  "postpartum_days": 365,
  "tiers": [
    { "name": "pregnant_injecting", "when": { "pregnant": true, "injects_drugs": true } },
    { "name": "pregnant", "when": { "pregnant": true } },
    { "name": "injecting", "when": { "injects_drugs": true } },
    { "name": "postpartum", "when": { "postpartum": true } },
    { "name": "everyone_else" }
  ]
}`

// defaultScenario is the built-in statewide scenario.
//
// Its numbers are chosen so that the question researchers ask of it — how long pregnant
// women wait, how many deliver before a bed, how often interim services are owed — has a
// visible answer: the programs that admit pregnant women are small and nearly full, as
// they are in many States, while the scenario keeps the shape (50 programs, 1,500
// beds, ten years, about 150,000 people seeking treatment, about 41 a day).
func defaultScenario() sim.Scenario {
	s := sim.Scenario{
		Description:  "Statewide: 50 programs (10 small ones for pregnant women and women with children), 1,500 beds, ten years, about 41 people a day seeking treatment",
		HorizonDays:  3650,
		WarmupDays:   180,
		Replications: 50,
		Seed:         2026,
		Policy:       sim.PolicyRef{Name: "federal"},
		// People give up after about six weeks on a waitlist on average.
		Dropout: &sim.Dist{Name: sim.DistExponential, MeanDays: 45},
		// Interim services (45 CFR 96.121, 96.126(b), 96.131(d)) follow in about a day and
		// a half, most within the 48 hours of 96.131(d), a tail later.
		InterimDelay: &sim.Dist{Name: sim.DistLognormal, MeanDays: 1.5, SDDays: 1.2},
		Arrivals: []sim.ArrivalStream{
			// Pregnant women are about 3% of the people seeking treatment (0.4 + 0.9 of 41 a
			// day; nationally closer to 2% of admissions, a State with much perinatal opioid
			// use has more), about a third of them injecting. They seek treatment from 6 weeks
			// of gestation to term (42–280 days; term is 280, delivery comes at term minus the
			// gestational age): the last weeks stand for the women who come late in pregnancy
			// or deliver early (preterm birth is more common with opioid use), so some deliver
			// before a bed frees up.
			{Group: "pregnant_injecting", RatePerDay: 0.4,
				Applicant:          sim.Facts{Pregnant: true, InjectsDrugs: true},
				GestationalAgeDays: &sim.Dist{Name: sim.DistUniform, MinDays: 42, MaxDays: 280}},
			{Group: "pregnant", RatePerDay: 0.9,
				Applicant:          sim.Facts{Pregnant: true},
				GestationalAgeDays: &sim.Dist{Name: sim.DistUniform, MinDays: 42, MaxDays: 280}},
			// Mothers of young children, delivered up to 11 months before seeking treatment.
			{Group: "postpartum", RatePerDay: 4,
				Applicant:        sim.Facts{DependentChildren: true},
				DeliveredDaysAgo: &sim.Dist{Name: sim.DistUniform, MinDays: 0, MaxDays: 330}},
			// People who inject drugs, a little more in winter.
			{Group: "injecting",
				MonthlyRatePerDay: []float64{15.5, 15, 14.5, 14, 14, 13.5, 13.5, 14, 14.5, 15, 15, 15.5},
				Applicant:         sim.Facts{InjectsDrugs: true}},
			// Everyone else: 21.3 a day brings the total to 0.4 + 0.9 + 4 + 14.5 (the
			// injecting streams' yearly mean) + 21.3 = 41.1 a day, about 150,000 in ten years.
			{Group: "other", RatePerDay: 21.3},
		},
	}
	// Every fifth program (the 12-bed ones: 10 programs, 120 beds) is a program for pregnant
	// women and women with dependent children (45 CFR 96.124); pregnant women are admitted
	// only there, everyone else anywhere. Such programs are small (many stay at or under
	// the 16 beds of Medicaid's IMD exclusion) and keep mothers about three months (mean 90
	// days, as residential programs where children live with their mothers do), so their
	// beds free up about 120/90 ≈ 1.33 times a day for 1.3 pregnant women a day: nearly all
	// their turnover goes to pregnant women, who therefore wait days to a few weeks for a
	// bed (those who give up or deliver while waiting keep the line from growing without
	// bound), most need interim services, and some deliver first.
	var womens []string
	sizes := []int{12, 20, 30, 40, 48} // 150 beds per five programs: 1,500 in all
	for i := range 50 {
		if i%5 == 0 {
			womens = append(womens, fmt.Sprintf("program-%02d", i+1))
		}
	}
	s.Arrivals[0].Programs = womens
	s.Arrivals[1].Programs = womens
	for i := range 50 {
		// Women's programs: about three months (see above). Other residential stays: about
		// six weeks on average, in three shapes.
		los := sim.Dist{Name: sim.DistLognormal, MeanDays: 42, SDDays: 28}
		switch {
		case i%5 == 0:
			los = sim.Dist{Name: sim.DistLognormal, MeanDays: 90, SDDays: 45}
		case i%3 == 1:
			los = sim.Dist{Name: sim.DistExponential, MeanDays: 40}
		case i%3 == 2:
			los = sim.Dist{Name: sim.DistEmpirical, ValuesDays: []float64{14, 21, 30, 45, 60, 90, 120}, Weights: []float64{2, 3, 4, 3, 2, 1, 1}}
		}
		s.Programs = append(s.Programs, sim.Program{ID: fmt.Sprintf("program-%02d", i+1), Beds: sizes[i%len(sizes)], LengthOfStay: los})
	}
	return s
}

func main() {
	scenarioPath := flag.String("scenario", "", "scenario JSON file to run instead of the built-in statewide scenario")
	compare := flag.Bool("compare", false, "with -scenario: also run it under the built-in State postpartum policy")
	comparePolicy := flag.String("compare-policy", "", "with -scenario: also run it under the policy in this JSON file (priority format)")
	out := flag.String("out", ".", "folder for waitlist.svg, results.json and results.csv")
	reps := flag.Int("reps", 0, "override the number of replications")
	printScenario := flag.Bool("print-scenario", false, "print the built-in scenario as JSON and exit")
	flag.Parse()
	if err := run(*scenarioPath, *compare, *comparePolicy, *out, *reps, *printScenario); err != nil {
		fmt.Fprintln(os.Stderr, "waitlist:", err)
		os.Exit(1)
	}
}

// maxInput is the most bytes read from a scenario or policy file: the library's default
// limit for a document (a statewide scenario takes about 10 KiB).
const maxInput = 4 << 20

// readFile reads a file of at most maxInput bytes: a longer one is refused
// (input_too_large) without being read whole.
func readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := jsonin.ReadAll(f, maxInput)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return b, nil
}

// loadScenario reads and decodes a scenario file.
func loadScenario(name string) (sim.Scenario, error) {
	f, err := os.Open(name)
	if err != nil {
		return sim.Scenario{}, err
	}
	defer f.Close()
	sc, err := readScenario(f)
	if err != nil {
		return sim.Scenario{}, fmt.Errorf("%s: %w", name, err)
	}
	return sc, nil
}

// readScenario reads at most maxInput bytes of scenario JSON and decodes them with
// sim.DecodeScenario, which checks the scenario.
func readScenario(r io.Reader) (sim.Scenario, error) {
	data, err := jsonin.ReadAll(r, maxInput)
	if err != nil {
		return sim.Scenario{}, err
	}
	return sim.DecodeScenario(data)
}

func run(scenarioPath string, compare bool, comparePolicy, out string, reps int, printScenario bool) error {
	base := defaultScenario()
	variants := []sim.PolicyRef{{Name: "federal"}, {Inline: []byte(statePolicy)}}
	if printScenario {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(base)
	}
	if scenarioPath != "" {
		var err error
		if base, err = loadScenario(scenarioPath); err != nil {
			return err
		}
		variants = []sim.PolicyRef{base.Policy}
		if compare {
			variants = append(variants, sim.PolicyRef{Inline: []byte(statePolicy)})
		}
		if comparePolicy != "" {
			p, err := readFile(comparePolicy)
			if err != nil {
				return err
			}
			variants = append(variants, sim.PolicyRef{Inline: p})
		}
	}
	if reps > 0 {
		base.Replications = reps
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

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	bar := newProgress(os.Stderr, len(models)*base.Replications)
	begin := time.Now()
	results := make([]*sim.Result, len(models))
	for i, m := range models {
		offset := i * base.Replications
		res, err := m.Run(ctx, sim.Options{Progress: func(done, _ int) { bar.set(offset + done) }})
		if err != nil {
			bar.finish()
			return err
		}
		results[i] = res
	}
	bar.finish()
	elapsed := time.Since(begin)

	printTable(os.Stdout, base, results)
	var events uint64
	for _, r := range results {
		events += r.Events
	}
	fmt.Printf("\n%d policies × %d replications, %.1f million events in %.1f s.\n",
		len(results), base.Replications, float64(events)/1e6, elapsed.Seconds())

	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	labels := make([]string, len(results))
	for i, r := range results {
		labels[i] = r.Policy
	}
	if err := writeFile(filepath.Join(out, "waitlist.svg"), func(w io.Writer) error {
		return sim.WriteSVG(w, results, sim.ChartOptions{Labels: labels})
	}); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(out, "results.json"), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(results)
	}); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(out, "results.csv"), func(w io.Writer) error {
		for i, r := range results {
			if i > 0 {
				// Later results without their header row.
				var b strings.Builder
				if err := r.WriteCSV(&b); err != nil {
					return err
				}
				_, body, _ := strings.Cut(b.String(), "\n")
				if _, err := io.WriteString(w, body); err != nil {
					return err
				}
				continue
			}
			if err := r.WriteCSV(w); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	fmt.Printf("Wrote %s, %s and %s.\n", filepath.Join(out, "waitlist.svg"), filepath.Join(out, "results.json"), filepath.Join(out, "results.csv"))
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

// printTable prints, per group, each metric under each policy side by side.
func printTable(w io.Writer, s sim.Scenario, results []*sim.Result) {
	fmt.Fprintf(w, "%s\n", s.Description)
	fmt.Fprintf(w, "Means over %d replications with 95%% confidence intervals; people counted after a %g-day warm-up, until day %g.\n",
		s.Replications, s.WarmupDays, s.HorizonDays)
	const colW = 26
	header := fmt.Sprintf("  %-28s", "")
	for _, r := range results {
		header += fmt.Sprintf("%*s", colW, truncate(r.Policy, colW-2))
	}
	rows := []struct {
		name string
		get  func(g sim.GroupResult) sim.Estimate
		kind byte // c count, d days, p share
	}{
		{"arrivals", func(g sim.GroupResult) sim.Estimate { return g.Arrivals }, 'c'},
		{"admitted", func(g sim.GroupResult) sim.Estimate { return g.Admitted }, 'c'},
		{"gave up (dropped out)", func(g sim.GroupResult) sim.Estimate { return g.DroppedOut }, 'c'},
		{"still waiting at the end", func(g sim.GroupResult) sim.Estimate { return g.StillWaiting }, 'c'},
		{"mean wait (days)", func(g sim.GroupResult) sim.Estimate { return g.MeanWaitDays }, 'd'},
		{"median wait (days)", func(g sim.GroupResult) sim.Estimate { return g.MedianWaitDays }, 'd'},
		{"90th percentile wait (days)", func(g sim.GroupResult) sim.Estimate { return g.P90WaitDays }, 'd'},
		{"95th percentile wait (days)", func(g sim.GroupResult) sim.Estimate { return g.P95WaitDays }, 'd'},
		{"admitted within 48 hours", func(g sim.GroupResult) sim.Estimate { return g.AdmittedWithin48h }, 'p'},
		{"admitted within 14 days", func(g sim.GroupResult) sim.Estimate { return g.AdmittedWithin14d }, 'p'},
		{"admitted within 120 days", func(g sim.GroupResult) sim.Estimate { return g.AdmittedWithin120d }, 'p'},
		{"interim services in 48 h", func(g sim.GroupResult) sim.Estimate { return g.InterimWithin48h }, 'p'},
		{"delivered while waiting", func(g sim.GroupResult) sim.Estimate { return g.DeliveredWhileWaiting }, 'c'},
	}
	groups := []string{}
	for _, g := range results[0].Groups {
		groups = append(groups, g.Group)
	}
	groups = append(groups, "overall")
	for _, name := range groups {
		fmt.Fprintf(w, "\n%s\n%s\n", strings.ToUpper(strings.ReplaceAll(name, "_", " ")), header)
		for _, row := range rows {
			line := fmt.Sprintf("  %-28s", row.name)
			for _, r := range results {
				g, _ := r.Group(name)
				line += fmt.Sprintf("%*s", colW, cell(row.get(g), row.kind))
			}
			fmt.Fprintln(w, line)
		}
	}
	fmt.Fprintln(w)
	line := fmt.Sprintf("  %-28s", "bed occupancy")
	line2 := fmt.Sprintf("  %-28s", "days at ≥90% (per program)")
	for _, r := range results {
		line += fmt.Sprintf("%*s", colW, cell(r.Occupancy, 'p'))
		line2 += fmt.Sprintf("%*s", colW, cell(r.DaysAtOrAbove90, 'c'))
	}
	fmt.Fprintln(w, line)
	fmt.Fprintln(w, line2)
}

func cell(e sim.Estimate, kind byte) string {
	if e.N == 0 {
		return "—"
	}
	switch kind {
	case 'p':
		return fmt.Sprintf("%.1f%% [%.1f, %.1f]", 100*e.Mean, 100*e.Low, 100*e.High)
	case 'd':
		return fmt.Sprintf("%.1f [%.1f, %.1f]", e.Mean, e.Low, e.High)
	}
	if e.Mean >= 1000 {
		return fmt.Sprintf("%.0f ± %.0f", e.Mean, e.HalfWidth())
	}
	return fmt.Sprintf("%.1f ± %.1f", e.Mean, e.HalfWidth())
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

func newProgress(f *os.File, total int) *progress {
	p := &progress{w: f, total: total, last: -1, start: time.Now()}
	if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
		p.tty = true
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
