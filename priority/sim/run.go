package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// Options control how a model runs. None of them changes the numbers.
type Options struct {
	// Workers is how many replications run at once; 0 means runtime.GOMAXPROCS(0). With
	// Trace set, replications run one at a time, in order.
	Workers int
	// Progress, if set, is called from Run's own goroutine after each replication
	// completes, with the number done and the total.
	Progress func(done, total int)
	// Label names the run in its outputs (Result.Run); empty means the policy label.
	Label string
	// Trace, if set, receives every person-level event of every replication, replication
	// by replication in order, from one goroutine (see TraceEvent; NewTraceWriter writes
	// them as CSV or JSON Lines).
	Trace func(TraceEvent)
}

// ErrReplication is returned by RunReplication for an index outside the scenario's
// replications.
var ErrReplication = errors.New("sim: no such replication")

// Run simulates every replication of the model, in parallel, and reduces them in
// replication order: the results are the same, bit for bit, whatever Workers and the number
// of CPUs. It checks conservation (arrivals = admitted + dropped out + balked + still
// waiting, per group) in every replication and returns ErrConservation if it fails. It
// returns ctx.Err() if ctx is cancelled first.
func (m *Model) Run(ctx context.Context, opt Options) (*Result, error) {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if opt.Trace != nil {
		workers = 1
	}
	workers = min(workers, m.reps)
	outs := make([]Replication, m.reps)
	errs := make([]error, m.reps)
	var next atomic.Int64
	done := make(chan struct{}, m.reps)
	var wg sync.WaitGroup
	stop := func() bool { return ctx.Err() != nil }
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := newRunner(m)
			r.trace = opt.Trace
			for {
				i := int(next.Add(1) - 1)
				if i >= m.reps || stop() {
					return
				}
				if r.run(i, stop) {
					outs[i], errs[i] = m.replication(r, i)
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
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return m.reduce(outs, opt.Label), nil
}

// RunReplication simulates replication i (from 0) of the model alone and returns its
// values: the same, bit for bit, as Result.PerReplication[i] of a whole run, since each
// replication draws from random streams derived from the seed and its index only. With
// opt.Trace set it also traces it. It ignores Workers and Progress.
func (m *Model) RunReplication(ctx context.Context, i int, opt Options) (*Replication, error) {
	if i < 0 || i >= m.reps {
		return nil, fmt.Errorf("%w: %d of %d", ErrReplication, i, m.reps)
	}
	r := newRunner(m)
	r.trace = opt.Trace
	if !r.run(i, func() bool { return ctx.Err() != nil }) {
		return nil, ctx.Err()
	}
	rep, err := m.replication(r, i)
	if err != nil {
		return nil, err
	}
	return &rep, nil
}

// Run compiles s and runs it: a shorthand for Compile followed by Model.Run.
func Run(ctx context.Context, s Scenario, opt Options) (*Result, error) {
	m, err := Compile(s)
	if err != nil {
		return nil, err
	}
	return m.Run(ctx, opt)
}

// replication turns the runner's statistics into a replication's values, checking
// conservation.
func (m *Model) replication(r *runner, i int) (Replication, error) {
	window := m.horizon - m.warmup
	G := len(m.streams)
	out := Replication{Index: i, Events: r.acc.events, Groups: make([]GroupValues, G),
		Programs: make([]ProgramValues, len(m.programs)), Waitlist: slices.Clone(r.acc.series)}
	all := groupAcc{hist: make([]uint32, nBins)}
	var err error
	for g := range r.acc.groups {
		ga := &r.acc.groups[g]
		if ga.arrivals != ga.admitted+ga.dropped+ga.balked+ga.waiting {
			err = fmt.Errorf("%w: replication %d, group %s: %d arrivals, %d admitted, %d dropped out, %d balked, %d waiting",
				ErrConservation, i, quote(m.streams[g].group), ga.arrivals, ga.admitted, ga.dropped, ga.balked, ga.waiting)
		}
		if ga.routed != ga.routedAdmitted+ga.routedDropped+ga.routedWaiting {
			err = fmt.Errorf("%w: replication %d, group %s: %d step-down referrals, %d admitted, %d dropped out, %d waiting",
				ErrConservation, i, quote(m.streams[g].group), ga.routed, ga.routedAdmitted, ga.routedDropped, ga.routedWaiting)
		}
		all.add(ga)
		ga.values(&out.Groups[g], window)
		out.Groups[g].Group = m.streams[g].group
	}
	all.values(&out.Overall, window)
	out.Overall.Group = "overall"
	occ, beds, hi := 0.0, 0.0, 0.0
	perYear := daysPerYear / window
	for p := range m.programs {
		pa := &r.acc.progs[p]
		pv := &out.Programs[p]
		pv.Program = m.programs[p].id
		pv.Admissions = float64(pa.admissions)
		pv.AdmissionsPerYear = float64(pa.admissions) * perYear
		pv.MeanWaitDays = math.NaN()
		if pa.admissions > 0 {
			pv.MeanWaitDays = pa.sumWait / float64(pa.admissions)
		}
		pv.StepDownReferrals = float64(pa.referrals)
		pv.Occupancy = math.NaN()
		if pa.bedsInt > 0 {
			pv.Occupancy = pa.occInt / pa.bedsInt
		}
		pv.DaysAtOrAbove90 = pa.hiTime
		pv.MeanBeds = pa.bedsInt / window
		occ += pa.occInt
		beds += pa.bedsInt
		hi += pa.hiTime
	}
	out.System.Occupancy = math.NaN()
	if beds > 0 {
		out.System.Occupancy = occ / beds
	}
	out.System.DaysAtOrAbove90 = hi / float64(len(m.programs))
	return out, err
}

// reduce combines the replications' values, in replication order.
func (m *Model) reduce(reps []Replication, label string) *Result {
	G := len(m.streams)
	pol := m.epochs[0].pol
	if label == "" {
		label = m.PolicyLabel()
	}
	res := &Result{
		Run:            label,
		Scenario:       m.name,
		Policy:         m.PolicyLabel(),
		PolicyID:       pol.ID(),
		Tiers:          m.Tiers(),
		Replications:   m.reps,
		Seed:           m.seed,
		Start:          m.start,
		HorizonDays:    m.horizon,
		WarmupDays:     m.warmup,
		Confidence:     m.conf,
		CDFDays:        slices.Clone(cdfDays[:]),
		Load:           m.load,
		Warnings:       m.Warnings(),
		PerReplication: reps,
	}
	n := len(reps)
	xs := make([]float64, n)
	summ := estimator{conf: m.conf, buf: make([]float64, n)}
	est := func(share bool, get func(rep *Replication) float64) Estimate {
		for i := range reps {
			xs[i] = get(&reps[i])
		}
		e := summ.estimate(xs)
		if e.N > 1 {
			// Every metric is a count, a wait, a time average or a share: clip the
			// interval to its range.
			e.Low = max(e.Low, 0)
			if share {
				e.High = min(e.High, 1)
			}
		}
		return e
	}
	group := func(g int) GroupResult {
		pick := func(rep *Replication) *GroupValues {
			if g < 0 {
				return &rep.Overall
			}
			return &rep.Groups[g]
		}
		out := GroupResult{Group: pick(&reps[0]).Group, WaitCDF: make([]Estimate, nGrid)}
		for k, s := range groupSpecs {
			*out.at(k) = est(s.share, func(rep *Replication) float64 { return *pick(rep).at(k) })
		}
		for i := range out.WaitCDF {
			out.WaitCDF[i] = est(true, func(rep *Replication) float64 { return pick(rep).WaitCDF[i] })
		}
		return out
	}
	for g := range G {
		res.Groups = append(res.Groups, group(g))
	}
	res.Overall = group(-1)
	for p := range m.programs {
		out := ProgramResult{Program: m.programs[p].id}
		for k, s := range programSpecs {
			*out.at(k) = est(s.share, func(rep *Replication) float64 { return *rep.Programs[p].at(k) })
		}
		res.Programs = append(res.Programs, out)
	}
	for k, s := range systemSpecs {
		*res.System.at(k) = est(s.share, func(rep *Replication) float64 { return *rep.System.at(k) })
	}
	for i := range reps {
		res.Events += reps[i].Events
	}
	// Waitlist series: mean and interval over replications per sample and group.
	res.Waitlist.Days = make([]float64, m.nSamples)
	for s := range res.Waitlist.Days {
		res.Waitlist.Days[s] = m.sampleAt(s)
	}
	line := func(name string, get func(rep *Replication, s int) float64) SeriesLine {
		l := SeriesLine{Group: name, Mean: make([]float64, m.nSamples), Low: make([]float64, m.nSamples), High: make([]float64, m.nSamples)}
		for s := range l.Mean {
			e := est(false, func(rep *Replication) float64 { return get(rep, s) })
			l.Mean[s], l.Low[s], l.High[s] = e.Mean, e.Low, e.High
		}
		return l
	}
	for g, st := range m.streams {
		res.Waitlist.Lines = append(res.Waitlist.Lines, line(st.group, func(rep *Replication, s int) float64 { return rep.Waitlist[s*G+g] }))
	}
	res.Waitlist.Lines = append(res.Waitlist.Lines, line("overall", func(rep *Replication, s int) float64 {
		sum := 0.0
		for _, v := range rep.Waitlist[s*G : (s+1)*G] {
			sum += v
		}
		return sum
	}))
	return res
}
