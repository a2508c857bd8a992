package sim

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/dyad-health/dyad/internal/ident"
)

// The CSV files are tidy ("long"): one row per value, one header row per file, every row
// carrying the metadata that identifies it (run, scenario, policy, seed, replications,
// warm-up, horizon, the counted window, confidence). A row's key is unique in its file:
//
//	summary       (run, level, name, metric, days)
//	replications  (run, replication, level, name, metric, days)
//	contrasts     (run, baseline, level, name, metric, days)
//	series        (run, group, day)
//
// level is "group" (name: the group), "overall" (name "overall"), "program" (name: the
// program id) or "system" (name "all"); days is set only for the metric "admitted_within"
// (the share admitted within that many days) and empty otherwise. Undefined values are empty
// cells, which R's read.csv and pandas.read_csv read as NA/NaN. Numbers are written in the
// shortest form that reads back exactly.

// ErrDuplicateRun is returned by the CSV writers for two runs with the same label (or two
// contrasts of the same pair), whose rows would share their keys: label runs with
// Options.Label.
var ErrDuplicateRun = errors.New("sim: two runs with the same label")

func uniqueRuns(labels []string) error {
	seen := map[string]bool{}
	for _, l := range labels {
		if seen[l] {
			return fmt.Errorf("%w %s", ErrDuplicateRun, strconv.Quote(ident.Cut(l, 64)))
		}
		seen[l] = true
	}
	return nil
}

func runLabels(results []*Result) []string {
	out := make([]string, len(results))
	for i, r := range results {
		out[i] = r.Run
	}
	return out
}

func csvNum(x float64) string {
	if !finite(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// summaryColumns heads WriteSummaryCSV's output.
var summaryColumns = []string{"run", "scenario", "policy", "policy_id", "level", "name", "metric", "days", "unit",
	"mean", "low", "high", "n", "confidence", "replications", "seed", "warmup_days", "horizon_days", "window_days"}

// WriteSummaryCSV writes the estimates of one or more runs as one tidy CSV table, with one
// header row: a row per run, group (and overall, program, system) and metric.
func WriteSummaryCSV(w io.Writer, results ...*Result) error {
	if err := uniqueRuns(runLabels(results)); err != nil {
		return err
	}

	cw := csv.NewWriter(w)
	_ = cw.Write(summaryColumns)
	for _, r := range results {
		meta := func(level, name, metric, days, unit string, e Estimate) []string {
			return []string{r.Run, r.Scenario, r.Policy, r.PolicyID, level, name, metric, days, unit,
				csvNum(e.Mean), csvNum(e.Low), csvNum(e.High), strconv.Itoa(e.N), csvNum(r.Confidence),
				strconv.Itoa(r.Replications), strconv.FormatUint(r.Seed, 10), csvNum(r.WarmupDays), csvNum(r.HorizonDays), csvNum(r.WindowDays())}
		}
		writeRows(cw, r.Groups, r.Overall, r.Programs, r.System, r.CDFDays, func(level, name, metric, days, unit string, e Estimate) {
			_ = cw.Write(meta(level, name, metric, days, unit, e))
		})
	}
	cw.Flush()
	return cw.Error()
}

// writeRows calls row for every value of a result or a contrast, in a fixed order.
func writeRows[T any](cw *csv.Writer, groups []GroupStats[T], overall GroupStats[T], programs []ProgramStats[T],
	system SystemStats[T], cdf []float64, row func(level, name, metric, days, unit string, v T)) {
	group := func(level string, g *GroupStats[T]) {
		for k, s := range groupSpecs {
			if s.csv {
				row(level, g.Group, s.name, "", s.unit, *g.at(k))
			}
		}
		for i, d := range cdf {
			if i < len(g.WaitCDF) {
				row(level, g.Group, cdfMetric, csvNum(d), UnitShare, g.WaitCDF[i])
			}
		}
	}
	for i := range groups {
		group("group", &groups[i])
	}
	group("overall", &overall)
	for i := range programs {
		for k, s := range programSpecs {
			row("program", programs[i].Program, s.name, "", s.unit, *programs[i].at(k))
		}
	}
	for k, s := range systemSpecs {
		row("system", "all", s.name, "", s.unit, *system.at(k))
	}
}

// replicationColumns heads WriteReplicationsCSV's output.
var replicationColumns = []string{"run", "scenario", "policy", "replication", "level", "name", "metric", "days", "unit",
	"value", "seed", "warmup_days", "horizon_days", "window_days"}

// WriteReplicationsCSV writes every replication's values of one or more runs as one tidy
// CSV table, with one header row: a row per run, replication, group (and overall, program,
// system) and metric. Paired differences between two runs of the same scenario and seed
// are differences of rows with the same replication, level, name, metric and days.
func WriteReplicationsCSV(w io.Writer, results ...*Result) error {
	if err := uniqueRuns(runLabels(results)); err != nil {
		return err
	}

	cw := csv.NewWriter(w)
	_ = cw.Write(replicationColumns)
	for _, r := range results {
		for i := range r.PerReplication {
			rep := &r.PerReplication[i]
			writeRows(cw, rep.Groups, rep.Overall, rep.Programs, rep.System, r.CDFDays, func(level, name, metric, days, unit string, v float64) {
				_ = cw.Write([]string{r.Run, r.Scenario, r.Policy, strconv.Itoa(rep.Index), level, name, metric, days, unit,
					csvNum(v), strconv.FormatUint(r.Seed, 10), csvNum(r.WarmupDays), csvNum(r.HorizonDays), csvNum(r.WindowDays())})
			})
		}
	}
	cw.Flush()
	return cw.Error()
}

// contrastColumns heads WriteContrastsCSV's output.
var contrastColumns = []string{"run", "baseline", "scenario", "level", "name", "metric", "days", "unit",
	"difference", "low", "high", "n", "confidence", "replications", "seed", "warmup_days", "horizon_days", "window_days"}

// WriteContrastsCSV writes one or more paired contrasts (run minus baseline) as one tidy CSV
// table, with one header row.
func WriteContrastsCSV(w io.Writer, contrasts ...*Contrast) error {
	pairs := make([]string, len(contrasts))
	for i, c := range contrasts {
		pairs[i] = c.Run + " vs " + c.Baseline
	}
	if err := uniqueRuns(pairs); err != nil {
		return err
	}

	cw := csv.NewWriter(w)
	_ = cw.Write(contrastColumns)
	for _, c := range contrasts {
		writeRows(cw, c.Groups, c.Overall, c.Programs, c.System, cdfDays[:], func(level, name, metric, days, unit string, e Estimate) {
			_ = cw.Write([]string{c.Run, c.Baseline, c.Scenario, level, name, metric, days, unit,
				csvNum(e.Mean), csvNum(e.Low), csvNum(e.High), strconv.Itoa(e.N), csvNum(c.Confidence),
				strconv.Itoa(c.Replications), strconv.FormatUint(c.Seed, 10), csvNum(c.WarmupDays), csvNum(c.HorizonDays),
				csvNum(c.HorizonDays - c.WarmupDays)})
		})
	}
	cw.Flush()
	return cw.Error()
}

// seriesColumns heads WriteSeriesCSV's output.
var seriesColumns = []string{"run", "scenario", "policy", "group", "day", "mean", "low", "high", "warmup_days", "horizon_days"}

// WriteSeriesCSV writes the waitlist length over time of one or more runs as one tidy CSV
// table, with one header row: a row per run, group (and overall) and sample day, with the
// mean over replications and its confidence interval.
func WriteSeriesCSV(w io.Writer, results ...*Result) error {
	if err := uniqueRuns(runLabels(results)); err != nil {
		return err
	}

	cw := csv.NewWriter(w)
	_ = cw.Write(seriesColumns)
	for _, r := range results {
		for _, l := range r.Waitlist.Lines {
			for s, d := range r.Waitlist.Days {
				_ = cw.Write([]string{r.Run, r.Scenario, r.Policy, l.Group, csvNum(d), csvNum(l.Mean[s]), csvNum(l.Low[s]), csvNum(l.High[s]),
					csvNum(r.WarmupDays), csvNum(r.HorizonDays)})
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteCSV writes the run's estimates as tidy CSV: WriteSummaryCSV(w, r).
func (r *Result) WriteCSV(w io.Writer) error { return WriteSummaryCSV(w, r) }

// WriteSeriesCSV writes the run's waitlist series as tidy CSV: WriteSeriesCSV(w, r).
func (r *Result) WriteSeriesCSV(w io.Writer) error { return WriteSeriesCSV(w, r) }
