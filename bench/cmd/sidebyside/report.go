package main

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// series is one figure by round.
type series map[int]float64

// index holds the samples by GOMAXPROCS, side, row and unit.
type index map[int]map[string]map[string]map[string]series

func newIndex(ss []sample) (index, []string) {
	ix := index{}
	var rows []string
	for _, x := range ss {
		if ix[x.Procs] == nil {
			ix[x.Procs] = map[string]map[string]map[string]series{}
		}
		if ix[x.Procs][x.Side] == nil {
			ix[x.Procs][x.Side] = map[string]map[string]series{}
		}
		if ix[x.Procs][x.Side][x.Row] == nil {
			ix[x.Procs][x.Side][x.Row] = map[string]series{}
		}
		if ix[x.Procs][x.Side][x.Row][x.Unit] == nil {
			ix[x.Procs][x.Side][x.Row][x.Unit] = series{}
		}
		ix[x.Procs][x.Side][x.Row][x.Unit][x.Round] = x.Value
		if !slices.Contains(rows, x.Row) {
			rows = append(rows, x.Row)
		}
	}
	return ix, rows
}

func (ix index) get(procs int, side, row, unit string) series {
	return ix[procs][side][row][unit]
}

// stats are the min, median and max of a series, over n rounds.
type stats struct {
	min, med, max float64
	n             int
}

func summarize(s series) stats {
	if len(s) == 0 {
		return stats{}
	}
	xs := make([]float64, 0, len(s))
	for _, v := range s {
		xs = append(xs, v)
	}
	slices.Sort(xs)
	n := len(xs)
	med := xs[n/2]
	if n%2 == 0 {
		med = (xs[n/2-1] + xs[n/2]) / 2
	}
	return stats{min: xs[0], med: med, max: xs[n-1], n: n}
}

// ratios is, round by round, how many times faster dyad is than the other side: the other's
// cost over dyad's, or dyad's rate over the other's. Rounds missing on either side, or
// where the denominator is zero, are left out.
func ratios(dyad, other series, rate bool) series {
	out := series{}
	for r, d := range dyad {
		o, ok := other[r]
		if !ok {
			continue
		}
		num, den := o, d
		if rate {
			num, den = d, o
		}
		if den != 0 {
			out[r] = num / den
		}
	}
	return out
}

// tables renders a comparison's samples as Markdown.
func tables(c comparison, ss []sample) (string, error) {
	ix, rows := newIndex(ss)
	var dyad side
	var others []side
	for _, s := range c.Sides {
		if s.Dyad {
			dyad = s
		} else {
			others = append(others, s)
		}
	}
	var b strings.Builder
	for i, procs := range c.Procs {
		if ix[procs] == nil {
			continue
		}
		for _, s := range c.Sides {
			if ix[procs][s.Value] == nil {
				return "", fmt.Errorf("GOMAXPROCS=%d: no result for %s", procs, s.Value)
			}
		}
		what := ""
		if i == 0 && len(c.Procs) > 1 {
			what = " (the headline configuration)"
		}
		fmt.Fprintf(&b, "**GOMAXPROCS=%d**%s, %d rounds.\n\n", procs, what, summarize(ix.get(procs, dyad.Value, rows[0], c.Metrics[0].Unit)).n)
		// Goals are judged in the headline configuration only.
		goals := c.Goals
		if i > 0 {
			goals = nil
		}
		if c.ByRow {
			byRow(&b, c, goals, ix, procs, rows, dyad, others)
		} else {
			bySide(&b, c, goals, ix, procs, dyad)
		}
	}
	return b.String(), nil
}

// faster is, in a row, the other side whose median of the headline figure is best.
func faster(c comparison, ix index, procs int, row string, others []side) side {
	m := c.Metrics[0]
	best, bestMed := others[0], math.NaN()
	for _, o := range others {
		med := summarize(ix.get(procs, o.Value, row, m.Unit)).med
		if math.IsNaN(bestMed) || (m.Rate && med > bestMed) || (!m.Rate && med < bestMed) {
			best, bestMed = o, med
		}
	}
	return best
}

// byRow writes one table per figure: a row per sub-benchmark, a column per side, the ratio
// of dyad to the faster other side, and the goal for the headline figure.
func byRow(b *strings.Builder, c comparison, goals map[string]float64, ix index, procs int, rows []string, dyad side, others []side) {
	for mi, m := range c.Metrics {
		withGoal := mi == 0 && len(goals) > 0
		fmt.Fprintf(b, "| %s |", m.Title)
		for _, s := range c.Sides {
			fmt.Fprintf(b, " %s |", s.Label)
		}
		if !m.NoRatio {
			b.WriteString(" how many times faster dyad is (vs the faster cedar-go store) |")
		}
		if withGoal {
			b.WriteString(" goal |")
		}
		b.WriteString("\n|" + strings.Repeat(" --- |", len(c.Sides)+1+btoi(!m.NoRatio)+btoi(withGoal)) + "\n")
		for _, row := range rows {
			fmt.Fprintf(b, "| %s |", row)
			for _, s := range c.Sides {
				st := summarize(ix.get(procs, s.Value, row, m.Unit))
				if m.NoRatio {
					fmt.Fprintf(b, " %s |", figure(st.med, m.Unit))
				} else {
					fmt.Fprintf(b, " %s |", span(st, m.Unit))
				}
			}
			best := faster(c, ix, procs, row, others)
			if !m.NoRatio {
				r := summarize(ratios(ix.get(procs, dyad.Value, row, m.Unit), ix.get(procs, best.Value, row, m.Unit), m.Rate))
				fmt.Fprintf(b, " %s (%s) |", ratioSpan(r), strings.TrimPrefix(best.Value, "cedar-"))
			}
			if withGoal {
				r := summarize(ratios(ix.get(procs, dyad.Value, row, m.Unit), ix.get(procs, best.Value, row, m.Unit), m.Rate))
				fmt.Fprintf(b, " %s |", verdict(goals[row], r))
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
}

// bySide writes one table: a row per side, a column per figure, then the ratios of dyad to
// that side by each figure, and the goal by the headline figure.
func bySide(b *strings.Builder, c comparison, goals map[string]float64, ix index, procs int, dyad side) {
	b.WriteString("| implementation |")
	for _, m := range c.Metrics {
		fmt.Fprintf(b, " %s |", m.Title)
	}
	for _, m := range c.Metrics {
		fmt.Fprintf(b, " how many times faster dyad is, by %s |", m.Title)
	}
	b.WriteString(" goal |\n|" + strings.Repeat(" --- |", 2+2*len(c.Metrics)) + "\n")
	for _, s := range c.Sides {
		fmt.Fprintf(b, "| %s |", s.Label)
		for _, m := range c.Metrics {
			fmt.Fprintf(b, " %s |", span(summarize(ix.get(procs, s.Value, "", m.Unit)), m.Unit))
		}
		var head stats
		for i, m := range c.Metrics {
			if s.Dyad {
				b.WriteString(" — |")
				continue
			}
			r := summarize(ratios(ix.get(procs, dyad.Value, "", m.Unit), ix.get(procs, s.Value, "", m.Unit), m.Rate))
			if i == 0 {
				head = r
			}
			fmt.Fprintf(b, " %s |", ratioSpan(r))
		}
		if s.Dyad {
			b.WriteString(" |\n")
			continue
		}
		fmt.Fprintf(b, " %s |\n", verdict(goals[s.Value], head))
	}
	b.WriteString("\n")
}

func btoi(x bool) int {
	if x {
		return 1
	}
	return 0
}

// verdict says whether the median ratio reaches the goal.
func verdict(goal float64, r stats) string {
	switch {
	case goal == 0:
		return ""
	case r.n == 0:
		return fmt.Sprintf("≥%g×: no figure", goal)
	case r.med >= goal:
		return fmt.Sprintf("≥%g×: met", goal)
	default:
		return fmt.Sprintf("≥%g×: **not met**", goal)
	}
}

// ratioSpan formats a ratio's min / median / max.
func ratioSpan(r stats) string {
	if r.n == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f / **%.1f** / %.1f×", r.min, r.med, r.max)
}

// span formats a figure's min / median / max in the median's scale.
func span(st stats, unit string) string {
	if st.n == 0 {
		return "—"
	}
	div, suffix, prec := scale(st.med, unit)
	f := func(x float64) string { return strconvF(x/div, prec) }
	return fmt.Sprintf("%s / **%s** / %s %s", f(st.min), f(st.med), f(st.max), suffix)
}

// figure formats one value.
func figure(x float64, unit string) string {
	div, suffix, prec := scale(x, unit)
	return strconvF(x/div, prec) + " " + suffix
}

func strconvF(x float64, prec int) string {
	return fmt.Sprintf("%.*f", prec, x)
}

// scale chooses the divisor, the unit written and the decimals for a value.
func scale(x float64, unit string) (float64, string, int) {
	cpu := strings.HasPrefix(unit, "cpu-")
	switch {
	case strings.HasSuffix(unit, "ns/decision"):
		s := "ns"
		if x >= 1000 {
			s = "µs"
		}
		if cpu {
			s += " CPU"
		}
		if x >= 1000 {
			return 1000, s, 2
		}
		return 1, s, 0
	case unit == "allocs/decision":
		return 1, "allocs", 2
	case unit == "B/decision":
		return 1, "B", 0
	case strings.HasPrefix(unit, "events/"):
		if x >= 1e6 {
			return 1e6, "M " + unit, 2
		}
		return 1e3, "k " + unit, 0
	}
	return 1, unit, 3
}
