package sim

import (
	"encoding/csv"
	"io"
	"strconv"
)

// Estimate is a mean over replications with its 95% confidence interval (Student's t over
// the replication values). N is the number of replications in which the quantity was
// defined (a mean wait is undefined in a replication that admitted nobody of the group);
// with N below 2, Low and High equal Mean, and with N 0 all are zero.
type Estimate struct {
	Mean float64 `json:"mean"`
	Low  float64 `json:"low"`
	High float64 `json:"high"`
	N    int     `json:"n"`
}

// HalfWidth returns half the confidence interval's width.
func (e Estimate) HalfWidth() float64 { return (e.High - e.Low) / 2 }

// GroupResult holds one group's results (or the overall results). Counts are per
// replication and count only people who sought treatment after the warm-up. Waits are in
// days, among people admitted; their quantiles are read from a histogram with hourly bins
// below 14 days, quarter-day bins to 180 days and 5-day bins beyond. A share "within" a wait
// counts, among people who arrived at least that long before the horizon, those admitted
// within it.
type GroupResult struct {
	Group          string   `json:"group"`
	Arrivals       Estimate `json:"arrivals"`
	Admitted       Estimate `json:"admitted"`
	DroppedOut     Estimate `json:"dropped_out"`
	StillWaiting   Estimate `json:"still_waiting"`
	MeanWaitDays   Estimate `json:"mean_wait_days"`
	MedianWaitDays Estimate `json:"median_wait_days"`
	P90WaitDays    Estimate `json:"p90_wait_days"`
	P95WaitDays    Estimate `json:"p95_wait_days"`
	// AdmittedWithin48h, 14d and 120d are the shares admitted within 48 hours, 14 days and
	// 120 days of seeking treatment (45 CFR 96.126(b), 96.131(d)).
	AdmittedWithin48h  Estimate `json:"admitted_within_48h"`
	AdmittedWithin14d  Estimate `json:"admitted_within_14d"`
	AdmittedWithin120d Estimate `json:"admitted_within_120d"`
	// InterimWithin48h is, among people owed interim services (per the policy) and not
	// admitted within 48 hours, the share to whom interim services were made available
	// within 48 hours while still waiting (45 CFR 96.121, 96.126(b), 96.131(d)).
	InterimWithin48h Estimate `json:"interim_within_48h"`
	// DeliveredWhileWaiting counts pregnant women who delivered before a bed.
	DeliveredWhileWaiting Estimate `json:"delivered_while_waiting"`
	// WaitCDF[i] is the share admitted within Result.CDFDays[i] days.
	WaitCDF []Estimate `json:"wait_cdf"`
}

// SeriesLine is one group's waitlist length over time, averaged over replications.
type SeriesLine struct {
	Group string    `json:"group"`
	Mean  []float64 `json:"mean"`
}

// Series is the waitlist length (everyone waiting, including people who arrived during the
// warm-up) sampled at Days.
type Series struct {
	Days  []float64    `json:"days"`
	Lines []SeriesLine `json:"lines"`
}

// Result is what a run found.
type Result struct {
	Policy       string        `json:"policy"`
	Tiers        []string      `json:"tiers"`
	Replications int           `json:"replications"`
	Seed         uint64        `json:"seed"`
	HorizonDays  float64       `json:"horizon_days"`
	WarmupDays   float64       `json:"warmup_days"`
	Confidence   float64       `json:"confidence"`
	Groups       []GroupResult `json:"groups"`
	Overall      GroupResult   `json:"overall"`
	// Occupancy is the mean share of all beds occupied after the warm-up.
	Occupancy Estimate `json:"occupancy"`
	// DaysAtOrAbove90 is the mean, over programs, of the days after the warm-up each program
	// spent at or above 90% of its beds (the mark of 45 CFR 96.126(a)).
	DaysAtOrAbove90 Estimate `json:"days_at_or_above_90"`
	// CDFDays are the waits of GroupResult.WaitCDF.
	CDFDays []float64 `json:"cdf_days"`
	// Waitlist is the time series of the waitlist length.
	Waitlist Series `json:"waitlist"`
	// Events is the number of events simulated, over all replications.
	Events uint64 `json:"events"`
}

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

func f64(x float64) string { return strconv.FormatFloat(x, 'g', 10, 64) }

// WriteCSV writes the results as CSV rows "policy,group,metric,mean,low,high,n", one per
// group and metric (and the whole-system occupancy rows with group "all").
func (r *Result) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"policy", "group", "metric", "mean", "low", "high", "n"})
	row := func(group, metric string, e Estimate) {
		_ = cw.Write([]string{r.Policy, group, metric, f64(e.Mean), f64(e.Low), f64(e.High), strconv.Itoa(e.N)})
	}
	for _, g := range append(append([]GroupResult(nil), r.Groups...), r.Overall) {
		row(g.Group, "arrivals", g.Arrivals)
		row(g.Group, "admitted", g.Admitted)
		row(g.Group, "dropped_out", g.DroppedOut)
		row(g.Group, "still_waiting", g.StillWaiting)
		row(g.Group, "mean_wait_days", g.MeanWaitDays)
		row(g.Group, "median_wait_days", g.MedianWaitDays)
		row(g.Group, "p90_wait_days", g.P90WaitDays)
		row(g.Group, "p95_wait_days", g.P95WaitDays)
		row(g.Group, "admitted_within_48h", g.AdmittedWithin48h)
		row(g.Group, "admitted_within_14d", g.AdmittedWithin14d)
		row(g.Group, "admitted_within_120d", g.AdmittedWithin120d)
		row(g.Group, "interim_within_48h", g.InterimWithin48h)
		row(g.Group, "delivered_while_waiting", g.DeliveredWhileWaiting)
		for i, d := range r.CDFDays {
			if i < len(g.WaitCDF) {
				row(g.Group, "admitted_within_"+strconv.FormatFloat(d, 'g', -1, 64)+"d", g.WaitCDF[i])
			}
		}
	}
	row("all", "occupancy", r.Occupancy)
	row("all", "days_at_or_above_90", r.DaysAtOrAbove90)
	cw.Flush()
	return cw.Error()
}

// WriteSeriesCSV writes the waitlist time series as CSV: a "day" column, then one column
// per group and "overall".
func (r *Result) WriteSeriesCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := []string{"day"}
	for _, l := range r.Waitlist.Lines {
		head = append(head, l.Group)
	}
	_ = cw.Write(head)
	for s, d := range r.Waitlist.Days {
		rec := []string{f64(d)}
		for _, l := range r.Waitlist.Lines {
			rec = append(rec, f64(l.Mean[s]))
		}
		_ = cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}
