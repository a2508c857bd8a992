package sim

// WelchMovingAverage returns Welch's moving average of a series ys already averaged over
// replications (P. D. Welch, "The statistical analysis of simulation results", in
// S. S. Lavenberg (ed.), Computer Performance Modeling Handbook, Academic Press, 1983;
// Law, Simulation Modeling and Analysis, 5th ed., §9.5.1): with window w, point i (from 1)
// is the mean of ys[i-w .. i+w] once i > w, and of ys[1 .. 2i-1] before, so that every
// point averages a window centred on it. The result has len(ys) - w points; it is nil if w
// is below 1 or len(ys) <= w. Plotted against time, the day from which the curve stays
// flat is a warm-up period long enough to leave out.
func WelchMovingAverage(ys []float64, w int) []float64 {
	m := len(ys)
	if w < 1 || m <= w {
		return nil
	}
	out := make([]float64, m-w)
	// prefix[i] is the sum of ys[:i].
	prefix := make([]float64, m+1)
	for i, y := range ys {
		prefix[i+1] = prefix[i] + y
	}
	for i := 1; i <= m-w; i++ {
		h := w
		if i <= w {
			h = i - 1
		}
		out[i-1] = (prefix[i+h] - prefix[i-h-1]) / float64(2*h+1)
	}
	return out
}

// Welch returns Welch's moving average, with window w, of the overall waitlist length of
// the run averaged over its replications, and the days of its points (the sample days).
func (r *Result) Welch(w int) (days, avg []float64) {
	if len(r.Waitlist.Lines) == 0 {
		return nil, nil
	}
	avg = WelchMovingAverage(r.Waitlist.Lines[len(r.Waitlist.Lines)-1].Mean, w)
	return r.Waitlist.Days[:len(avg)], avg
}
