package sim

import "math"

// CDFDays are the waits (in days) at which results give the share of arrivals admitted
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

// histQuantile returns the q-quantile of the n values counted in h, or NaN if n is 0.
func histQuantile(h []uint32, n int64, q float64) float64 {
	if n == 0 {
		return math.NaN()
	}
	target := q * float64(n)
	cum := 0.0
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
	arrivals, admitted, dropped, waiting, delivered int64
	sumWait                                         float64
	cdfNum, cdfDen                                  [nGrid]int64
	firstWithin                                     [nGrid]int64 // admitted early enough to count at every point, by the first point their wait is within
	denAll                                          int64        // arrivals early enough to count at every point
	interimNum, interimDen                          int64
	hist                                            []uint32
}

// repAcc gathers one replication's statistics.
type repAcc struct {
	groups []groupAcc
	series []float64 // waitlist length per sample and group
	occInt float64
	hiTime float64
	events uint64
}

func newRepAcc(groups, samples int) repAcc {
	a := repAcc{groups: make([]groupAcc, groups), series: make([]float64, samples*groups)}
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
	clear(a.series)
	a.occInt, a.hiTime, a.events = 0, 0, 0
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
	g.hist[binOf(w)]++
	if p.arrive+gridMax <= horizon {
		// Every grid point counts this arrival: record the first point the wait is within,
		// and let metrics add up the cumulative counts.
		i := 0
		for i < nGrid && cdfDays[i] < w {
			i++
		}
		if i < nGrid {
			g.firstWithin[i]++
		}
		a.interim(g, p, now, horizon, w <= 2)
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
	a.interim(g, p, now, horizon, w <= 2)
}

func (a *repAcc) drop(k int, p *applicant, now, horizon float64) {
	g := &a.groups[k]
	g.dropped++
	a.interim(g, p, now, horizon, false)
}

func (a *repAcc) stillWaiting(k int, p *applicant, horizon float64) {
	g := &a.groups[k]
	g.waiting++
	a.interim(g, p, horizon, horizon, false)
}

// interim counts a person owed interim services (45 CFR 96.121) who was not admitted within
// 48 hours, and whether the services were made available within 48 hours of seeking
// treatment, while still waiting.
func (a *repAcc) interim(g *groupAcc, p *applicant, exit, horizon float64, admittedIn48h bool) {
	if !p.owed || p.arrive+2 > horizon || admittedIn48h {
		return
	}
	g.interimDen++
	if p.interimAt <= p.arrive+2 && p.interimAt <= exit {
		g.interimNum++
	}
}

// Per-replication metrics, in this order, for each group and overall.
const (
	mArrivals = iota
	mAdmitted
	mDropped
	mWaiting
	mMeanWait
	mMedianWait
	mP90Wait
	mP95Wait
	mWithin48h
	mWithin14d
	mWithin120d
	mInterim48h
	mDelivered
	mCDF
	nMetrics = mCDF + nGrid
)

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

// metrics writes g's per-replication metrics into out (length nMetrics). It folds the
// cumulative counts first.
func (g *groupAcc) metrics(out []float64) {
	g.fold()
	out[mArrivals] = float64(g.arrivals)
	out[mAdmitted] = float64(g.admitted)
	out[mDropped] = float64(g.dropped)
	out[mWaiting] = float64(g.waiting)
	out[mMeanWait] = math.NaN()
	if g.admitted > 0 {
		out[mMeanWait] = g.sumWait / float64(g.admitted)
	}
	out[mMedianWait] = histQuantile(g.hist, g.admitted, 0.5)
	out[mP90Wait] = histQuantile(g.hist, g.admitted, 0.9)
	out[mP95Wait] = histQuantile(g.hist, g.admitted, 0.95)
	out[mWithin48h] = ratio(g.cdfNum[grid48h], g.cdfDen[grid48h])
	out[mWithin14d] = ratio(g.cdfNum[grid14d], g.cdfDen[grid14d])
	out[mWithin120d] = ratio(g.cdfNum[grid120d], g.cdfDen[grid120d])
	out[mInterim48h] = ratio(g.interimNum, g.interimDen)
	out[mDelivered] = float64(g.delivered)
	for i := range cdfDays {
		out[mCDF+i] = ratio(g.cdfNum[i], g.cdfDen[i])
	}
}

// add adds o's counts into g (for the overall group).
func (g *groupAcc) add(o *groupAcc) {
	g.arrivals += o.arrivals
	g.admitted += o.admitted
	g.dropped += o.dropped
	g.waiting += o.waiting
	g.delivered += o.delivered
	g.sumWait += o.sumWait
	for i := range g.cdfNum {
		g.cdfNum[i] += o.cdfNum[i]
		g.cdfDen[i] += o.cdfDen[i]
		g.firstWithin[i] += o.firstWithin[i]
	}
	g.denAll += o.denAll
	g.interimNum += o.interimNum
	g.interimDen += o.interimDen
	for i, c := range o.hist {
		g.hist[i] += c
	}
}

// t975 holds the 0.975 quantile of Student's t distribution for 1 to 30 degrees of
// freedom (standard tables, e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
var t975 = [...]float64{12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
	2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
	2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042}

// tQuantile975 returns the 0.975 quantile of Student's t with df degrees of freedom: from
// the table up to 30, then by the Cornish–Fisher expansion around the normal quantile
// (Abramowitz & Stegun 26.7.5), accurate to 1e-4 there.
func tQuantile975(df int) float64 {
	if df < 1 {
		return math.NaN()
	}
	if df <= len(t975) {
		return t975[df-1]
	}
	const z = 1.959963984540054
	n := float64(df)
	z3, z5, z7 := z*z*z, math.Pow(z, 5), math.Pow(z, 7)
	return z + (z3+z)/(4*n) + (5*z5+16*z3+3*z)/(96*n*n) + (3*z7+19*z5+17*z3-15*z)/(384*n*n*n)
}

// estimate summarises the replication values xs (NaN values, undefined in a replication,
// are left out) as a mean with a 95% confidence interval from Student's t.
func estimate(xs []float64) Estimate {
	n, sum := 0, 0.0
	for _, x := range xs {
		if !math.IsNaN(x) {
			n++
			sum += x
		}
	}
	if n == 0 {
		return Estimate{}
	}
	mean := sum / float64(n)
	e := Estimate{Mean: mean, Low: mean, High: mean, N: n}
	if n < 2 {
		return e
	}
	ss := 0.0
	for _, x := range xs {
		if !math.IsNaN(x) {
			ss += (x - mean) * (x - mean)
		}
	}
	half := tQuantile975(n-1) * math.Sqrt(ss/float64(n-1)/float64(n))
	e.Low, e.High = mean-half, mean+half
	return e
}
