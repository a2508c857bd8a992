package sim

import (
	"math"

	"golang.org/x/exp/stats"
)

// cdfDays are the waits (in days) at which results give the share of arrivals admitted
// within that wait; they include the 48-hour, 14-day and 120-day marks of
// 45 CFR 96.126(b) and 96.131(d).
var cdfDays = [...]float64{0, 0.25, 0.5, 1, 1.5, 2, 3, 4, 5, 7, 10, 14, 18, 21, 25, 30, 35, 45,
	60, 75, 90, 105, 120, 150, 180, 225, 270, 365}

const (
	nGrid    = len(cdfDays)
	grid48h  = 5  // cdfDays[5] = 2 days
	grid14d  = 11 // cdfDays[11] = 14 days
	grid120d = 22 // cdfDays[22] = 120 days
	gridMax  = 365
)

// Histogram of waits: hourly bins below 14 days, quarter-day bins to 180 days, 5-day bins
// to 3650 days, and one overflow bin. Quantiles are interpolated within a bin, so they are
// exact to within the bin's width.
const (
	hb1    = 14 * 24            // bins of 1/24 day in [0, 14)
	hb2    = hb1 + (180-14)*4   // bins of 1/4 day in [14, 180)
	hb3    = hb2 + (3650-180)/5 // bins of 5 days in [180, 3650)
	nBins  = hb3 + 1            // + overflow
	histHi = 3650.0
)

func binOf(w float64) int {
	switch {
	case w < 14:
		return max(0, int(w*24))
	case w < 180:
		return hb1 + int((w-14)*4)
	case w < histHi:
		return min(hb2+int((w-180)/5), hb3-1)
	}
	return hb3
}

// gridFrom[b] is the number of grid points (cdfDays) below the lower end of bin b-1: a wait
// w in bin b = binOf(w) is at least that end (binOf's rounding can move w by less than a
// bin), so those points are all below w and the first grid point at or above w is not
// among them.
var gridFrom = func() (g [nBins]uint8) {
	for b := range g {
		lo, _ := binRange(max(b-1, 0))
		n := 0
		for n < nGrid && cdfDays[n] < lo {
			n++
		}
		g[b] = uint8(n)
	}
	return g
}()

func binRange(i int) (lo, width float64) {
	switch {
	case i < hb1:
		return float64(i) / 24, 1.0 / 24
	case i < hb2:
		return 14 + float64(i-hb1)/4, 0.25
	case i < hb3:
		return 180 + float64(i-hb2)*5, 5
	}
	return histHi, 0
}

// histQuantile returns the q-quantile of n values, zeros of them exactly 0 (people admitted
// at once) and the others counted in h, or NaN if n is 0.
func histQuantile(h []uint32, zeros, n int64, q float64) float64 {
	if n == 0 {
		return math.NaN()
	}
	target := q * float64(n)
	if target <= float64(zeros) {
		return 0
	}
	cum := float64(zeros)
	for i, c := range h {
		if c == 0 {
			continue
		}
		if cum+float64(c) >= target {
			lo, w := binRange(i)
			return lo + w*(target-cum)/float64(c)
		}
		cum += float64(c)
	}
	return histHi
}

type groupAcc struct {
	arrivals, admitted, dropped, balked, waiting, delivered int64
	routed, routedAdmitted, routedDropped, routedWaiting    int64
	sumWait                                                 float64 // waits of people admitted
	sumTime                                                 float64 // time on the waitlist of every arrival, censored at the horizon
	waitInt                                                 float64 // ∫ people waiting dt over the counted period
	cdfNum, cdfDen                                          [nGrid]int64
	firstWithin                                             [nGrid]int64 // admitted early enough to count at every point, by the first point their wait is within
	denAll                                                  int64        // arrivals early enough to count at every point
	interimNum, interimDen                                  int64
	dueNum, dueDen                                          int64
	zeros                                                   int64 // admitted with a wait of exactly 0
	hist                                                    []uint32
}

type progAcc struct {
	admissions, referrals   int64
	sumWait                 float64
	occInt, bedsInt, hiTime float64
}

// repAcc gathers one replication's statistics.
type repAcc struct {
	groups []groupAcc
	progs  []progAcc
	series []float64 // waitlist length per sample and group
	events uint64
}

func newRepAcc(groups, programs, samples int) repAcc {
	a := repAcc{groups: make([]groupAcc, groups), progs: make([]progAcc, programs), series: make([]float64, samples*groups)}
	for i := range a.groups {
		a.groups[i].hist = make([]uint32, nBins)
	}
	return a
}

func (a *repAcc) reset() {
	for i := range a.groups {
		h := a.groups[i].hist
		clear(h)
		a.groups[i] = groupAcc{hist: h}
	}
	clear(a.progs)
	clear(a.series)
	a.events = 0
}

func (a *repAcc) arrive(k int, t, horizon float64) {
	g := &a.groups[k]
	g.arrivals++
	if t+gridMax <= horizon {
		g.denAll++
		return
	}
	for i, d := range cdfDays {
		if t+d > horizon {
			break
		}
		g.cdfDen[i]++
	}
}

func (a *repAcc) admit(k int, p *applicant, now, horizon float64) {
	g := &a.groups[k]
	w := now - p.arrive
	g.admitted++
	g.sumWait += w
	g.sumTime += w
	b := binOf(w)
	if w == 0 {
		g.zeros++
	} else {
		g.hist[b]++
	}
	g.interim(p, now, true, false, horizon)
	g.deadline(p, now, true, false, horizon)
	if p.arrive+gridMax <= horizon {
		// Every grid point counts this arrival: record the first point the wait is within,
		// and let metrics add up the cumulative counts. The search starts at gridFrom[b],
		// past grid points known to be below the wait.
		i := int(gridFrom[b])
		for i < nGrid && cdfDays[i] < w {
			i++
		}
		if i < nGrid {
			g.firstWithin[i]++
		}
		return
	}
	for i, d := range cdfDays {
		if p.arrive+d > horizon {
			break
		}
		if w <= d {
			g.cdfNum[i]++
		}
	}
}

func (a *repAcc) drop(k int, p *applicant, now, horizon float64) {
	g := &a.groups[k]
	g.dropped++
	g.sumTime += now - p.arrive
	g.interim(p, now, false, false, horizon)
	g.deadline(p, now, false, false, horizon)
}

func (a *repAcc) balk(k int, p *applicant, now, horizon float64) {
	g := &a.groups[k]
	g.balked++
	g.interim(p, now, false, false, horizon)
	g.deadline(p, now, false, false, horizon)
}

func (a *repAcc) stillWaiting(k int, p *applicant, horizon float64) {
	g := &a.groups[k]
	g.waiting++
	g.sumTime += horizon - p.arrive
	g.interim(p, horizon, false, true, horizon)
	g.deadline(p, horizon, false, true, horizon)
}

// interim judges the interim-services obligation (45 CFR 96.121; 96.126(b)(2), (c);
// 96.131(d)) toward a person owed it, as the priority package does: it is met when the
// services were made available within 48 hours of her request while she still waited;
// missed when she was still waiting at 48 hours without them; closed, and left out, when she
// left the list (gave up, balked) before 48 hours without them. People admitted within 48
// hours are left out (the admission meets it), and so are people whose 48 hours end after
// the horizon (not yet judged).
func (g *groupAcc) interim(p *applicant, exit float64, admitted, still bool, horizon float64) {
	mark := p.arrive + 2
	if !p.owed || mark > horizon || admitted && exit <= mark {
		return
	}
	if p.interimAt <= mark && p.interimAt <= exit {
		g.interimNum++
		g.interimDen++
		return
	}
	if !still && exit < mark {
		return
	}
	g.interimDen++
}

// deadline judges the admission deadline of 45 CFR 96.126(b) toward a person who injects
// drugs: met when she was admitted at or before it; missed when it passed while she waited
// (still waiting, or gave up later); closed, and left out, when she left before it. Only
// deadlines falling before the horizon are judged.
func (g *groupAcc) deadline(p *applicant, exit float64, admitted, still bool, horizon float64) {
	if p.due > horizon {
		return
	}
	switch {
	case admitted:
		g.dueDen++
		if exit <= p.due {
			g.dueNum++
		}
	case still || exit > p.due:
		g.dueDen++
	}
}

func ratio(num, den int64) float64 {
	if den == 0 {
		return math.NaN()
	}
	return float64(num) / float64(den)
}

// fold adds the arrivals and admissions that count at every grid point into cdfNum and
// cdfDen.
func (g *groupAcc) fold() {
	cum := int64(0)
	for i := range cdfDays {
		cum += g.firstWithin[i]
		g.cdfNum[i] += cum
		g.cdfDen[i] += g.denAll
	}
	g.firstWithin, g.denAll = [nGrid]int64{}, 0
}

// values writes g's per-replication metrics into out, folding the cumulative counts
// first. window is the counted period in days. Undefined metrics are NaN.
func (g *groupAcc) values(out *GroupValues, window float64) {
	g.fold()
	perYear := daysPerYear / window
	out.Arrivals = float64(g.arrivals)
	out.ArrivalsPerYear = float64(g.arrivals) * perYear
	out.Admitted = float64(g.admitted)
	out.AdmittedPerYear = float64(g.admitted) * perYear
	out.DroppedOut = float64(g.dropped)
	out.DroppedOutPerYear = float64(g.dropped) * perYear
	out.Balked = float64(g.balked)
	out.BalkedPerYear = float64(g.balked) * perYear
	out.StillWaiting = float64(g.waiting)
	out.DropoutShare = ratio(g.dropped, g.arrivals)
	out.BalkShare = ratio(g.balked, g.arrivals)
	out.MeanWaitDays = math.NaN()
	if g.admitted > 0 {
		out.MeanWaitDays = g.sumWait / float64(g.admitted)
	}
	out.MedianWaitDays = histQuantile(g.hist, g.zeros, g.admitted, 0.5)
	out.P90WaitDays = histQuantile(g.hist, g.zeros, g.admitted, 0.9)
	out.P95WaitDays = histQuantile(g.hist, g.zeros, g.admitted, 0.95)
	out.MeanTimeWaitingDays = math.NaN()
	if g.arrivals > 0 {
		out.MeanTimeWaitingDays = g.sumTime / float64(g.arrivals)
	}
	out.MeanWaiting = g.waitInt / window
	out.AdmittedWithin48h = ratio(g.cdfNum[grid48h], g.cdfDen[grid48h])
	out.AdmittedWithin14d = ratio(g.cdfNum[grid14d], g.cdfDen[grid14d])
	out.AdmittedWithin120d = ratio(g.cdfNum[grid120d], g.cdfDen[grid120d])
	out.InterimWithin48h = ratio(g.interimNum, g.interimDen)
	out.AdmissionDeadlineMet = ratio(g.dueNum, g.dueDen)
	out.DeliveredWhileWaiting = float64(g.delivered)
	out.DeliveredWhileWaitingPerYear = float64(g.delivered) * perYear
	out.SteppedDown = float64(g.routed)
	if len(out.WaitCDF) != nGrid {
		out.WaitCDF = make([]float64, nGrid)
	}
	for i := range cdfDays {
		out.WaitCDF[i] = ratio(g.cdfNum[i], g.cdfDen[i])
	}
}

// add adds o's counts into g (for the overall group).
func (g *groupAcc) add(o *groupAcc) {
	g.arrivals += o.arrivals
	g.admitted += o.admitted
	g.dropped += o.dropped
	g.balked += o.balked
	g.waiting += o.waiting
	g.delivered += o.delivered
	g.routed += o.routed
	g.routedAdmitted += o.routedAdmitted
	g.routedDropped += o.routedDropped
	g.routedWaiting += o.routedWaiting
	g.sumWait += o.sumWait
	g.sumTime += o.sumTime
	g.waitInt += o.waitInt
	for i := range g.cdfNum {
		g.cdfNum[i] += o.cdfNum[i]
		g.cdfDen[i] += o.cdfDen[i]
		g.firstWithin[i] += o.firstWithin[i]
	}
	g.denAll += o.denAll
	g.interimNum += o.interimNum
	g.interimDen += o.interimDen
	g.dueNum += o.dueNum
	g.dueDen += o.dueDen
	g.zeros += o.zeros
	for i, c := range o.hist {
		g.hist[i] += c
	}
}

// tQuantile returns the p-quantile of Student's t distribution with df degrees of freedom
// (p in (0.5, 1)), inverting the distribution function by bisection to 1e-12. The
// distribution function is F(t) = 1 - I_x(df/2, 1/2)/2 for t > 0, x = df/(df+t²), with I
// the regularized incomplete beta function (Abramowitz and Stegun 26.7.1, 26.5.8).
func tQuantile(p float64, df int) float64 {
	if df < 1 || !(p > 0.5 && p < 1) {
		return math.NaN()
	}
	n := float64(df)
	tail := 2 * (1 - p) // P(|T| > t) wanted
	lo, hi := 0.0, 1.0
	for betaInc(n/2, 0.5, n/(n+hi*hi)) > tail {
		hi *= 2
		if hi > 1e12 {
			return math.Inf(1)
		}
	}
	for range 200 {
		mid := (lo + hi) / 2
		if betaInc(n/2, 0.5, n/(n+mid*mid)) > tail {
			lo = mid
		} else {
			hi = mid
		}
		if hi-lo <= 1e-12*hi {
			break
		}
	}
	return (lo + hi) / 2
}

// betaInc is the regularized incomplete beta function I_x(a, b), by the continued fraction
// of Numerical Recipes (Press et al., 3rd ed., §6.4), evaluated with the modified Lentz
// method.
func betaInc(a, b, x float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 1
	}
	la, _ := math.Lgamma(a + b)
	lb, _ := math.Lgamma(a)
	lc, _ := math.Lgamma(b)
	front := math.Exp(la - lb - lc + a*math.Log(x) + b*math.Log1p(-x))
	if x < (a+1)/(a+b+2) {
		return front * betaCF(a, b, x) / a
	}
	return 1 - front*betaCF(b, a, 1-x)/b
}

func betaCF(a, b, x float64) float64 {
	const tiny = 1e-300
	qab, qap, qam := a+b, a+1, a-1
	c, d := 1.0, 1-qab*x/qap
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1; m <= 300; m++ {
		fm := float64(m)
		m2 := 2 * fm
		aa := fm * (b - fm) * x / ((qam + m2) * (a + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		h *= d * c
		aa = -(a + fm) * (qab + fm) * x / ((a + m2) * (qap + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-15 {
			break
		}
	}
	return h
}

// estimate summarises the replication values xs (NaN values, undefined in a replication,
// are left out) as a mean with a confidence interval of level conf from Student's t, using
// x/exp/stats for the mean and the sample standard deviation. buf is scratch space.
func estimate(xs []float64, conf float64, buf []float64) Estimate {
	e := estimator{conf: conf, buf: buf}
	return e.estimate(xs)
}

// estimator is estimate for many metrics at one confidence level: it remembers Student's t
// quantile for each number of values it has met (a bisection of about 40 incomplete beta
// functions each, which would otherwise cost more than the summaries themselves: a run
// reduces thousands of metrics, nearly all with the same number of replications).
type estimator struct {
	conf float64
	buf  []float64
	t    []float64 // t[n]: the quantile for n values, 0 if not yet computed
}

func (e *estimator) estimate(xs []float64) Estimate {
	vals := e.buf[:0]
	for _, x := range xs {
		if !math.IsNaN(x) {
			vals = append(vals, x)
		}
	}
	e.buf = vals[:0]
	n := len(vals)
	if n == 0 {
		return Estimate{Mean: math.NaN(), Low: math.NaN(), High: math.NaN()}
	}
	if n == 1 {
		return Estimate{Mean: vals[0], Low: vals[0], High: vals[0], N: 1}
	}
	if len(e.t) <= n {
		e.t = append(e.t, make([]float64, n+1-len(e.t))...)
	}
	if e.t[n] == 0 {
		e.t[n] = tQuantile((1+e.conf)/2, n-1)
	}
	mean, sd := stats.MeanAndStdDev(vals)
	half := e.t[n] * sd / math.Sqrt(float64(n))
	return Estimate{Mean: mean, Low: mean - half, High: mean + half, N: n}
}
