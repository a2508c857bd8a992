package sim

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

// Options control how a model runs; none of them changes the results.
type Options struct {
	// Workers is how many replications run at once; 0 means runtime.GOMAXPROCS(0).
	Workers int
	// Progress, if set, is called from Run's own goroutine after each replication
	// completes, with the number done and the total.
	Progress func(done, total int)
}

// repOut is one replication's summary.
type repOut struct {
	metrics []float64 // (groups+1) × nMetrics; the last block is overall
	series  []float64 // samples × groups
	occ     float64   // mean share of beds occupied
	hi      float64   // mean days at or above 90% per program
	events  uint64
	err     error
}

// Run simulates every replication of the model, in parallel, and reduces them in
// replication order: the results are the same, bit for bit, whatever Workers and the number
// of CPUs. It checks conservation (arrivals = admitted + dropped out + still waiting, per
// group) in every replication and returns ErrConservation if it fails. It returns
// ctx.Err() if ctx is cancelled first.
func (m *Model) Run(ctx context.Context, opt Options) (*Result, error) {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, m.reps)
	outs := make([]repOut, m.reps)
	var next atomic.Int64
	done := make(chan struct{}, m.reps)
	var wg sync.WaitGroup
	stop := func() bool { return ctx.Err() != nil }
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := newRunner(m)
			for {
				i := int(next.Add(1) - 1)
				if i >= m.reps || stop() {
					return
				}
				if r.run(i, stop) {
					outs[i] = m.summarize(r)
				}
				done <- struct{}{}
			}
		}()
	}
	for i := 0; i < m.reps; i++ {
		select {
		case <-done:
			if opt.Progress != nil {
				opt.Progress(i+1, m.reps)
			}
		case <-ctx.Done():
			wg.Wait()
			return nil, ctx.Err()
		}
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i := range outs {
		if outs[i].err != nil {
			return nil, outs[i].err
		}
	}
	return m.reduce(outs), nil
}

// Run compiles s and runs it: a shorthand for Compile followed by Model.Run.
func Run(ctx context.Context, s Scenario, opt Options) (*Result, error) {
	m, err := Compile(s)
	if err != nil {
		return nil, err
	}
	return m.Run(ctx, opt)
}

// summarize turns the runner's statistics into a replication summary, checking
// conservation.
func (m *Model) summarize(r *runner) repOut {
	G := len(m.streams)
	out := repOut{metrics: make([]float64, (G+1)*nMetrics), series: append([]float64(nil), r.acc.series...), events: r.acc.events}
	all := groupAcc{hist: make([]uint32, nBins)}
	for g := range r.acc.groups {
		ga := &r.acc.groups[g]
		if ga.arrivals != ga.admitted+ga.dropped+ga.waiting {
			out.err = fmt.Errorf("%w: group %q: %d arrivals, %d admitted, %d dropped out, %d waiting",
				ErrConservation, truncate(m.streams[g].group, 32), ga.arrivals, ga.admitted, ga.dropped, ga.waiting)
		}
		ga.metrics(out.metrics[g*nMetrics : (g+1)*nMetrics])
		all.add(ga)
	}
	all.metrics(out.metrics[G*nMetrics:])
	span := m.horizon - m.warmup
	out.occ = r.acc.occInt / (float64(m.totalBeds) * span)
	out.hi = r.acc.hiTime / float64(len(m.programs))
	return out
}

// reduce combines the replication summaries, in replication order.
func (m *Model) reduce(outs []repOut) *Result {
	G := len(m.streams)
	res := &Result{
		Policy:       m.pol.Name(),
		Tiers:        m.Tiers(),
		Replications: m.reps,
		Seed:         m.seed,
		HorizonDays:  m.horizon,
		WarmupDays:   m.warmup,
		Confidence:   0.95,
		CDFDays:      append([]float64(nil), cdfDays[:]...),
	}
	xs := make([]float64, len(outs))
	col := func(f func(o *repOut) float64) Estimate {
		for i := range outs {
			xs[i] = f(&outs[i])
		}
		return estimate(xs)
	}
	group := func(g int, name string) GroupResult {
		base := g * nMetrics
		mt := func(k int) Estimate {
			e := col(func(o *repOut) float64 { return o.metrics[base+k] })
			// Every metric is a count, a wait or a share: clip the interval to its range.
			e.Low = max(e.Low, 0)
			if k >= mWithin48h && k != mDelivered {
				e.High = min(e.High, 1)
			}
			return e
		}
		gr := GroupResult{
			Group:                 name,
			Arrivals:              mt(mArrivals),
			Admitted:              mt(mAdmitted),
			DroppedOut:            mt(mDropped),
			StillWaiting:          mt(mWaiting),
			MeanWaitDays:          mt(mMeanWait),
			MedianWaitDays:        mt(mMedianWait),
			P90WaitDays:           mt(mP90Wait),
			P95WaitDays:           mt(mP95Wait),
			AdmittedWithin48h:     mt(mWithin48h),
			AdmittedWithin14d:     mt(mWithin14d),
			AdmittedWithin120d:    mt(mWithin120d),
			InterimWithin48h:      mt(mInterim48h),
			DeliveredWhileWaiting: mt(mDelivered),
		}
		gr.WaitCDF = make([]Estimate, nGrid)
		for i := range gr.WaitCDF {
			gr.WaitCDF[i] = mt(mCDF + i)
		}
		return gr
	}
	for g, s := range m.streams {
		res.Groups = append(res.Groups, group(g, s.group))
	}
	res.Overall = group(G, "overall")
	res.Occupancy = col(func(o *repOut) float64 { return o.occ })
	res.Occupancy.Low, res.Occupancy.High = max(res.Occupancy.Low, 0), min(res.Occupancy.High, 1)
	res.DaysAtOrAbove90 = col(func(o *repOut) float64 { return o.hi })
	res.DaysAtOrAbove90.Low = max(res.DaysAtOrAbove90.Low, 0)
	for i := range outs {
		res.Events += outs[i].events
	}
	// Waitlist series: mean over replications per sample and group.
	res.Waitlist.Days = make([]float64, m.nSamples)
	for s := range res.Waitlist.Days {
		res.Waitlist.Days[s] = m.warmup + float64(s)*m.sampleEvery
	}
	total := make([]float64, m.nSamples)
	for g, st := range m.streams {
		line := SeriesLine{Group: st.group, Mean: make([]float64, m.nSamples)}
		for s := range line.Mean {
			sum := 0.0
			for i := range outs {
				sum += outs[i].series[s*G+g]
			}
			line.Mean[s] = sum / float64(len(outs))
			total[s] += line.Mean[s]
		}
		res.Waitlist.Lines = append(res.Waitlist.Lines, line)
	}
	res.Waitlist.Lines = append(res.Waitlist.Lines, SeriesLine{Group: "overall", Mean: total})
	return res
}
