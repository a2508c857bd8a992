package sim

import (
	"bufio"
	"errors"
	"fmt"
	"html"
	"io"
	"math"
	"strings"

	"github.com/dyad-health/dyad/internal/ident"
)

// ChartOptions configure WriteSVG.
type ChartOptions struct {
	// Title heads the chart; empty gives a default.
	Title string
	// Labels name each result's line (default: the result's policy name).
	Labels []string
	// MaxDays is the right end of the wait axis (default 365; at most the last CDFDays).
	MaxDays float64
	// Columns is the number of panels per row (default 3).
	Columns int
	// WelchWindow is the window of Welch's moving average (default: a twentieth of the
	// samples, at least 1).
	WelchWindow int
}

var chartColors = []string{"#1f5f99", "#d1495b", "#2a9d8f", "#e9a23b", "#6d597a"}

// ErrChart is returned by WriteSVG for results that cannot be drawn together.
var ErrChart = errors.New("sim: cannot chart these results")

// WriteSVG draws the wait distribution of each group (and overall) under one or more runs
// of the same scenario — typically the same people under two policies — as a grid of
// panels: the share of people admitted within each wait, with its confidence band, the
// 48-hour, 14-day and 120-day marks, and each run's mean wait and share who gave up. The
// wait axis has a square-root scale so that the first days, where policies differ most,
// are legible. Beside them, a last row draws the waitlist length over time (mean and band
// over replications, warm-up shaded), Welch's plot for choosing the warm-up (the moving
// average of the waitlist length of each run, from day 0), and the pregnant women who
// delivered while waiting, per year, with their intervals. It writes plain SVG 1.1 with no
// scripts or external resources.
func WriteSVG(w io.Writer, runs []*Result, opt ChartOptions) error {
	if len(runs) == 0 {
		return fmt.Errorf("%w: no results", ErrChart)
	}
	groups := make([]string, 0, len(runs[0].Groups)+1)
	for _, g := range runs[0].Groups {
		groups = append(groups, g.Group)
	}
	groups = append(groups, "overall")
	for _, r := range runs[1:] {
		if len(r.Groups) != len(runs[0].Groups) || len(r.CDFDays) != len(runs[0].CDFDays) {
			return fmt.Errorf("%w: the runs have different groups", ErrChart)
		}
		for i, g := range r.Groups {
			if g.Group != runs[0].Groups[i].Group {
				return fmt.Errorf("%w: the runs have different groups", ErrChart)
			}
		}
	}
	days := runs[0].CDFDays
	if len(days) < 2 {
		return fmt.Errorf("%w: no wait distribution", ErrChart)
	}
	maxDays := opt.MaxDays
	if !(maxDays > 0) || maxDays > days[len(days)-1] {
		maxDays = math.Min(365, days[len(days)-1])
	}
	cols := opt.Columns
	if cols <= 0 {
		cols = 3
	}
	cols = min(cols, len(groups))
	rows := (len(groups) + cols - 1) / cols
	extraCols := max(cols, 3)
	label := func(i int) string {
		if i < len(opt.Labels) && opt.Labels[i] != "" {
			return opt.Labels[i]
		}
		return runs[i].Policy
	}
	title := opt.Title
	if title == "" {
		title = "How long people wait for a treatment bed"
	}

	const (
		pw, ph       = 370.0, 270.0 // panel size
		padL, padR   = 50.0, 22.0   // plot area inside a panel
		padT, padB   = 74.0, 40.0
		margin       = 24.0
		headerH      = 92.0
		footerH      = 34.0
		plotW, plotH = pw - padL - padR, ph - padT - padB
	)
	width := margin*2 + pw*float64(extraCols)
	height := headerH + ph*float64(rows+1) + footerH
	xs := func(d float64) float64 { return plotW * math.Sqrt(math.Max(0, d)/maxDays) }
	ys := func(p float64) float64 { return plotH * (1 - math.Max(0, math.Min(1, p))) }

	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	esc := html.EscapeString
	p(`<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="Helvetica, Arial, sans-serif">`+"\n", width, height, width, height)
	p(`<rect width="100%%" height="100%%" fill="#ffffff"/>` + "\n")
	p(`<text x="%.0f" y="36" font-size="22" font-weight="700" fill="#1d2530">%s</text>`+"\n", margin, esc(title))
	p(`<text x="%.0f" y="60" font-size="13" fill="#55606e">Share of people admitted within each wait, by group. Bands: %s%% confidence over %d replications.</text>`+"\n", margin, num(100*runs[0].Confidence), runs[0].Replications)
	// Legend.
	lx := margin
	for i := range runs {
		c := chartColors[i%len(chartColors)]
		p(`<rect x="%.1f" y="72" width="22" height="4" rx="2" fill="%s"/>`, lx, c)
		p(`<text x="%.1f" y="79" font-size="13" font-weight="600" fill="#1d2530">%s</text>`+"\n", lx+28, esc(label(i)))
		lx += 40 + 8*float64(len(label(i)))
	}

	ticks := []float64{0, 2, 7, 14, 30, 60, 120, 180, 270, 365}
	marks := []struct {
		d    float64
		name string
	}{{2, "48 h"}, {14, "14 d"}, {120, "120 d"}}
	for gi, name := range groups {
		ox := margin + pw*float64(gi%cols) + padL
		oy := headerH + ph*float64(gi/cols) + padT
		p(`<g transform="translate(%.1f,%.1f)">`+"\n", ox, oy)
		p(`<text x="%.1f" y="-54" font-size="15" font-weight="700" fill="#1d2530">%s</text>`+"\n", -padL+8, esc(strings.ReplaceAll(name, "_", " ")))
		// Per-run summary line.
		for ri, r := range runs {
			g, _ := r.Group(name)
			gave := 0.0
			if g.Arrivals.Mean > 0 {
				gave = g.DroppedOut.Mean / g.Arrivals.Mean
			}
			p(`<text x="%.1f" y="%.1f" font-size="11" fill="%s"><tspan font-weight="600">%s</tspan>  mean %s d · median %s d · %.0f%% gave up</text>`+"\n",
				-padL+8, -37+13*float64(ri), chartColors[ri%len(chartColors)], esc(label(ri)), num(g.MeanWaitDays.Mean), num(g.MedianWaitDays.Mean), 100*gave)
		}
		// Grid and axes.
		for _, q := range []float64{0, 0.25, 0.5, 0.75, 1} {
			y := ys(q)
			p(`<line x1="0" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#e6e9ee" stroke-width="1"/>`, y, plotW, y)
			p(`<text x="-6" y="%.1f" font-size="10" fill="#6b7684" text-anchor="end">%.0f%%</text>`+"\n", y+3.5, 100*q)
		}
		for _, m := range marks {
			if m.d > maxDays {
				continue
			}
			x := xs(m.d)
			p(`<line x1="%.1f" y1="0" x2="%.1f" y2="%.1f" stroke="#9aa5b1" stroke-width="1" stroke-dasharray="3,3"/>`, x, x, plotH)
			p(`<text x="%.1f" y="-4" font-size="9" fill="#6b7684" text-anchor="middle">%s</text>`+"\n", x, m.name)
		}
		p(`<line x1="0" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#9aa5b1"/>`, plotH, plotW, plotH)
		for _, d := range ticks {
			if d > maxDays {
				continue
			}
			x := xs(d)
			p(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#9aa5b1"/>`, x, plotH, x, plotH+4)
			p(`<text x="%.1f" y="%.1f" font-size="10" fill="#6b7684" text-anchor="middle">%s</text>`+"\n", x, plotH+15, num(d))
		}
		p(`<text x="%.1f" y="%.1f" font-size="10" fill="#6b7684" text-anchor="middle">days waited</text>`+"\n", plotW/2, plotH+30)
		// Bands, then lines, for each run.
		for ri, r := range runs {
			g, _ := r.Group(name)
			c := chartColors[ri%len(chartColors)]
			var up, lo, mid []string
			for i, d := range r.CDFDays {
				if d > maxDays || i >= len(g.WaitCDF) || g.WaitCDF[i].N == 0 {
					continue
				}
				e := g.WaitCDF[i]
				x := xs(d)
				up = append(up, fmt.Sprintf("%.1f,%.1f", x, ys(e.High)))
				lo = append(lo, fmt.Sprintf("%.1f,%.1f", x, ys(e.Low)))
				mid = append(mid, fmt.Sprintf("%.1f,%.1f", x, ys(e.Mean)))
			}
			if len(mid) == 0 {
				continue
			}
			for i, j := 0, len(lo)-1; i < j; i, j = i+1, j-1 {
				lo[i], lo[j] = lo[j], lo[i]
			}
			p(`<polygon points="%s %s" fill="%s" fill-opacity="0.18" stroke="none"/>`+"\n", strings.Join(up, " "), strings.Join(lo, " "), c)
			p(`<polyline points="%s" fill="none" stroke="%s" stroke-width="2.2" stroke-linejoin="round"/>`+"\n", strings.Join(mid, " "), c)
			p("\n")
		}
		p("</g>\n")
	}
	oy := headerH + ph*float64(rows)
	drawTimePanels(p, runs, label, opt, margin, oy, pw, ph, padL, padR, padT, padB)
	p(`<text x="%.0f" y="%.0f" font-size="11" fill="#6b7684">Seed %d, horizon %s days after a %s-day warm-up. Wait = admission − time sought. Marks: 45 CFR 96.126(b), 96.131(d). Made with dyad/priority/sim.</text>`+"\n",
		margin, height-14, runs[0].Seed, num(runs[0].HorizonDays), num(runs[0].WarmupDays))
	p("</svg>\n")
	return bw.Flush()
}

// num formats a number of days for a chart: integers plainly, small values with a decimal.
func num(x float64) string {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return "–"
	case math.Abs(x) >= 10 || x == math.Trunc(x):
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.1f", x)
}

// drawTimePanels draws the last row of WriteSVG: the waitlist over time, Welch's plot and
// the deliveries while waiting.
func drawTimePanels(p func(string, ...any), runs []*Result, label func(int) string, opt ChartOptions,
	margin, oy, pw, ph, padL, padR, padT, padB float64) {
	esc := html.EscapeString
	plotW, plotH := pw-padL-padR, ph-padT-padB
	r0 := runs[0]
	horizon, warmup := r0.HorizonDays, r0.WarmupDays
	xs := func(d float64) float64 { return plotW * d / horizon }
	panel := func(i int, title, sub string) (float64, float64) {
		ox := margin + pw*float64(i) + padL
		p(`<g transform="translate(%.1f,%.1f)">`+"\n", ox, oy+padT)
		p(`<text x="%.1f" y="-54" font-size="15" font-weight="700" fill="#1d2530">%s</text>`+"\n", -padL+8, esc(title))
		p(`<text x="%.1f" y="-37" font-size="11" fill="#55606e">%s</text>`+"\n", -padL+8, esc(sub))
		return ox, oy + padT
	}
	// Scale of the waitlist panels.
	hi := 0.0
	for _, r := range runs {
		if n := len(r.Waitlist.Lines); n > 0 {
			for _, v := range r.Waitlist.Lines[n-1].High {
				if finite(v) {
					hi = math.Max(hi, v)
				}
			}
		}
	}
	hi = niceCeil(hi)
	ys := func(v float64) float64 { return plotH * (1 - math.Max(0, math.Min(1, v/hi))) }
	timeAxes := func() {
		for _, q := range []float64{0, 0.25, 0.5, 0.75, 1} {
			y := plotH * (1 - q)
			p(`<line x1="0" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#e6e9ee"/>`, y, plotW, y)
			p(`<text x="-6" y="%.1f" font-size="10" fill="#6b7684" text-anchor="end">%s</text>`+"\n", y+3.5, num(q*hi))
		}
		if warmup > 0 {
			p(`<rect x="0" y="0" width="%.1f" height="%.1f" fill="#9aa5b1" fill-opacity="0.12"/>`, xs(warmup), plotH)
			p(`<text x="%.1f" y="-4" font-size="9" fill="#6b7684">warm-up</text>`+"\n", 2.0)
		}
		p(`<line x1="0" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#9aa5b1"/>`, plotH, plotW, plotH)
		for i := 0; i <= 4; i++ {
			d := horizon * float64(i) / 4
			p(`<text x="%.1f" y="%.1f" font-size="10" fill="#6b7684" text-anchor="middle">%s</text>`+"\n", xs(d), plotH+15, num(d))
		}
		p(`<text x="%.1f" y="%.1f" font-size="10" fill="#6b7684" text-anchor="middle">day</text>`+"\n", plotW/2, plotH+30)
	}
	poly := func(days, vals []float64) string {
		var b strings.Builder
		for i, d := range days {
			if i < len(vals) && finite(vals[i]) {
				fmt.Fprintf(&b, "%.1f,%.1f ", xs(d), ys(vals[i]))
			}
		}
		return b.String()
	}
	// 1. The waitlist over time, with its band.
	panel(0, "Waitlist over time", "People waiting (everyone), mean and band over replications")
	timeAxes()
	for ri, r := range runs {
		n := len(r.Waitlist.Lines)
		if n == 0 {
			continue
		}
		l := r.Waitlist.Lines[n-1]
		c := chartColors[ri%len(chartColors)]
		up, lo := poly(r.Waitlist.Days, l.High), poly(reversed(r.Waitlist.Days), reversed(l.Low))
		p(`<polygon points="%s%s" fill="%s" fill-opacity="0.15" stroke="none"/>`+"\n", up, lo, c)
		p(`<polyline points="%s" fill="none" stroke="%s" stroke-width="1.8"/>`+"\n", poly(r.Waitlist.Days, l.Mean), c)
	}
	p("</g>\n")
	// 2. Welch's plot.
	w := opt.WelchWindow
	if w <= 0 {
		w = max(1, len(r0.Waitlist.Days)/20)
	}
	panel(1, "Warm-up (Welch's method)", fmt.Sprintf("Moving average of the waitlist, window %d samples", w))
	timeAxes()
	for ri, r := range runs {
		days, avg := r.Welch(w)
		if len(avg) == 0 {
			continue
		}
		p(`<polyline points="%s" fill="none" stroke="%s" stroke-width="1.8"/>`+"\n", poly(days, avg), chartColors[ri%len(chartColors)])
	}
	p("</g>\n")
	// 3. Deliveries while waiting, per year, by run.
	panel(2, "Delivered while waiting", "Pregnant women who delivered before a bed, per year")
	top := 0.0
	for _, r := range runs {
		if e := r.Overall.DeliveredWhileWaitingPerYear; e.Defined() && finite(e.High) {
			top = math.Max(top, e.High)
		}
	}
	top = niceCeil(top)
	for _, q := range []float64{0, 0.25, 0.5, 0.75, 1} {
		y := plotH * (1 - q)
		p(`<line x1="0" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#e6e9ee"/>`, y, plotW, y)
		p(`<text x="-6" y="%.1f" font-size="10" fill="#6b7684" text-anchor="end">%s</text>`+"\n", y+3.5, num(q*top))
	}
	bar := plotW / float64(2*len(runs)+1)
	for ri, r := range runs {
		e := r.Overall.DeliveredWhileWaitingPerYear
		if !e.Defined() || !(top > 0) {
			continue
		}
		c := chartColors[ri%len(chartColors)]
		x := bar * float64(2*ri+1)
		y := plotH * (1 - e.Mean/top)
		p(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" fill-opacity="0.8"/>`, x, y, bar, plotH-y, c)
		p(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#1d2530" stroke-width="1.2"/>`, x+bar/2, plotH*(1-e.High/top), x+bar/2, plotH*(1-math.Max(0, e.Low)/top))
		p(`<text x="%.1f" y="%.1f" font-size="10" fill="#1d2530" text-anchor="middle">%s</text>`+"\n", x+bar/2, plotH+15, esc(truncateLabel(label(ri), 14)))
	}
	p(`<line x1="0" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#9aa5b1"/>`+"\n", plotH, plotW, plotH)
	p("</g>\n")
}

func reversed(xs []float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[len(xs)-1-i] = x
	}
	return out
}

// niceCeil rounds x up to 1, 2 or 5 times a power of ten (1 for x <= 0).
func niceCeil(x float64) float64 {
	if !(x > 0) || !finite(x) {
		return 1
	}
	e := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*e >= x {
			return m * e
		}
	}
	return 10 * e
}

func truncateLabel(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return ident.Cut(s, n-1) + "…"
}
