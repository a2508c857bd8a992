package sim

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/dyad-health/dyad/priority"
)

// Model is a validated, compiled scenario, immutable and safe for concurrent use. Build it
// with Compile; run it with Run.
type Model struct {
	sc          Scenario
	pol         *priority.Compiled
	tierNames   []string
	start       time.Time
	horizon     float64
	warmup      float64
	term        float64
	windowDays  float64
	sampleEvery float64
	nSamples    int
	streams     []streamModel
	programs    []programModel
	totalBeds   int
	monthEdges  []float64 // virtual day of each calendar-month boundary, from 0, past the horizon
	classes     []classModel
	seed        uint64
	reps        int
}

type streamModel struct {
	group    string
	rate     float64   // constant rate, when rates is nil
	rates    []float64 // rate of each month segment (monthEdges), when by month
	ga       *sampler  // gestational age at arrival
	ago      *sampler  // days since delivery at arrival
	dropout  *sampler
	interim  *sampler
	pregnant bool
	class    int32
	// Ranks from the policy's own classification of this group's facts: while pregnant,
	// within the postpartum window, and otherwise (never pregnant, or past the window).
	rankPregnant, rankPostpartum, rankOther int32
	owedInterim                             bool
}

type programModel struct {
	id      string
	beds    int
	los     sampler
	res     []resModel
	classes []int32 // the classes whose members may enter this program
}

// classModel is a set of programs some arrival streams may enter (all programs, or a
// stream's "programs" list); applicants queue by tier and class.
type classModel struct {
	programs []int32
}

type resModel struct {
	rank int32 // 0-based tier index: applicants of this tier or a better one are eligible
	beds int
}

// Compile validates s and prepares it for running. A bad scenario gives a *ValidationError
// listing every problem (errors.Is(err, ErrInvalidScenario)).
func Compile(s Scenario) (*Model, error) {
	var ps []Problem
	add := func(code, field, msg string, args ...any) {
		ps = append(ps, Problem{Code: code, Field: field, Message: fmt.Sprintf(msg, args...)})
	}
	if !finite(s.HorizonDays) || s.HorizonDays <= 0 {
		add(CodeHorizon, "horizon_days", "horizon_days must be positive and finite")
	}
	if !finite(s.WarmupDays) || s.WarmupDays < 0 || (finite(s.HorizonDays) && s.WarmupDays >= s.HorizonDays && s.HorizonDays > 0) {
		add(CodeWarmup, "warmup_days", "warmup_days must be zero or positive, and before horizon_days")
	}
	if s.Replications < 1 || s.Replications > MaxReplications {
		add(CodeReplications, "replications", "replications must be between 1 and %d", MaxReplications)
	}
	term := s.TermDays
	if term == 0 {
		term = 280
	}
	if !finite(term) || term <= 0 || term > 400 {
		add(CodeTerm, "term_days", "term_days must be positive and at most 400")
	}
	pol, polProblems := compilePolicy(s.Policy)
	ps = append(ps, polProblems...)

	m := &Model{sc: s, pol: pol, start: s.Start, horizon: s.HorizonDays, warmup: s.WarmupDays,
		term: term, seed: s.Seed, reps: s.Replications}
	if m.start.IsZero() {
		m.start = DefaultStart()
	}
	if pol != nil {
		for r := 1; r <= pol.NumTiers(); r++ {
			m.tierNames = append(m.tierNames, pol.TierName(r))
		}
		m.windowDays = float64(pol.PostpartumWindow().Days)
	}

	// Programs.
	if len(s.Programs) == 0 {
		add(CodeNoPrograms, "programs", "the scenario has no program")
	}
	ids := map[string]int{}
	for i, p := range s.Programs {
		f := fmt.Sprintf("programs[%d]", i)
		if strings.TrimSpace(p.ID) == "" {
			add(CodeProgramID, f+".id", "program %d has no id", i)
		} else if j, dup := ids[p.ID]; dup {
			add(CodeProgramID, f+".id", "programs %d and %d have the same id %q", j, i, truncate(p.ID, 32))
		} else {
			ids[p.ID] = i
		}
		if p.Beds < 1 || p.Beds > MaxBeds {
			add(CodeBeds, f+".beds", "beds must be between 1 and %d", MaxBeds)
		} else {
			m.totalBeds += p.Beds
		}
		pm := programModel{id: p.ID, beds: p.Beds, los: p.LengthOfStay.checkCompile(f+".length_of_stay", &ps)}
		held := 0
		for j, r := range p.Reserved {
			rf := fmt.Sprintf("%s.reserved[%d]", f, j)
			rank := -1
			for k, n := range m.tierNames {
				if n == r.Tier {
					rank = k
					break
				}
			}
			if rank < 0 && pol != nil {
				add(CodeReservation, rf+".tier", "tier %q is not a tier of the policy", truncate(r.Tier, 32))
			}
			if r.Beds < 1 {
				add(CodeReservation, rf+".beds", "a reservation must hold at least one bed")
			}
			held += r.Beds
			pm.res = append(pm.res, resModel{rank: int32(rank), beds: r.Beds})
		}
		if held > p.Beds && p.Beds >= 1 {
			add(CodeReservation, f+".reserved", "reservations hold %d beds, more than the program's %d", held, p.Beds)
		}
		m.programs = append(m.programs, pm)
	}
	if m.totalBeds > MaxBeds {
		add(CodeBeds, "programs", "the programs have more than %d beds in all", MaxBeds)
	}

	// Scenario-wide distributions.
	var dropout, interim *sampler
	if s.Dropout != nil {
		d := s.Dropout.checkCompile("dropout", &ps)
		dropout = &d
	}
	if s.InterimDelay != nil {
		d := s.InterimDelay.checkCompile("interim_delay", &ps)
		interim = &d
	}

	// Calendar months, if any stream needs them.
	byMonth := false
	for _, a := range s.Arrivals {
		if len(a.MonthlyRatePerDay) > 0 {
			byMonth = true
		}
	}
	var months []time.Month
	if byMonth && finite(s.HorizonDays) && s.HorizonDays > 0 {
		if s.HorizonDays > 1e6 {
			add(CodeRate, "horizon_days", "monthly rates need a horizon of at most a million days")
		} else {
			m.monthEdges, months = monthEdges(m.start, s.HorizonDays)
		}
	}

	// Arrival streams.
	if len(s.Arrivals) == 0 {
		add(CodeNoArrivals, "arrivals", "the scenario has no arrival stream")
	}
	groups := map[string]int{}
	classKeys := map[string]int32{}
	expected := 0.0
	for i, a := range s.Arrivals {
		f := fmt.Sprintf("arrivals[%d]", i)
		if strings.TrimSpace(a.Group) == "" {
			add(CodeGroup, f+".group", "arrival stream %d has no group", i)
		} else if j, dup := groups[a.Group]; dup {
			add(CodeGroup, f+".group", "arrival streams %d and %d have the same group %q", j, i, truncate(a.Group, 32))
		} else {
			groups[a.Group] = i
		}
		sm := streamModel{group: a.Group, rate: a.RatePerDay, pregnant: a.Applicant.Pregnant, dropout: dropout, interim: interim}
		switch {
		case len(a.MonthlyRatePerDay) > 0 && a.RatePerDay != 0:
			add(CodeRate, f, "give rate_per_day or monthly_rate_per_day, not both")
		case len(a.MonthlyRatePerDay) > 0:
			if len(a.MonthlyRatePerDay) != 12 {
				add(CodeRate, f+".monthly_rate_per_day", "monthly_rate_per_day needs 12 rates (January to December), not %d", len(a.MonthlyRatePerDay))
				break
			}
			okAll, maxR := true, 0.0
			for j, r := range a.MonthlyRatePerDay {
				if !finite(r) || r < 0 {
					add(CodeRate, fmt.Sprintf("%s.monthly_rate_per_day[%d]", f, j), "a rate must be finite and not negative")
					okAll = false
				}
				maxR = math.Max(maxR, r)
			}
			if okAll && maxR == 0 {
				add(CodeRate, f+".monthly_rate_per_day", "at least one monthly rate must be positive")
			}
			if okAll {
				expected += maxR * s.HorizonDays
				sm.rates = make([]float64, len(months))
				for j, mo := range months {
					sm.rates[j] = a.MonthlyRatePerDay[mo-1]
				}
			}
		default:
			if !finite(a.RatePerDay) || a.RatePerDay <= 0 {
				add(CodeRate, f+".rate_per_day", "rate_per_day must be positive and finite")
			} else {
				expected += a.RatePerDay * s.HorizonDays
			}
		}
		if a.GestationalAgeDays != nil {
			if !a.Applicant.Pregnant {
				add(CodeFacts, f+".gestational_age_days", "a gestational age is given for applicants who are not pregnant")
			}
			d := a.GestationalAgeDays.checkCompile(f+".gestational_age_days", &ps)
			sm.ga = &d
		}
		if a.DeliveredDaysAgo != nil {
			if a.Applicant.Pregnant {
				add(CodeFacts, f+".delivered_days_ago", "a delivery before arrival is given for applicants who are pregnant")
			}
			d := a.DeliveredDaysAgo.checkCompile(f+".delivered_days_ago", &ps)
			sm.ago = &d
		}
		if a.Dropout != nil {
			d := a.Dropout.checkCompile(f+".dropout", &ps)
			sm.dropout = &d
		}
		if a.InterimDelay != nil {
			d := a.InterimDelay.checkCompile(f+".interim_delay", &ps)
			sm.interim = &d
		}
		if pol != nil {
			m.classifyGroup(&sm, a.Applicant)
		}
		// The programs the group may enter: a class of applicants per distinct set.
		var set []int32
		if len(a.Programs) == 0 {
			for p := range s.Programs {
				set = append(set, int32(p))
			}
		} else {
			seen := map[int]bool{}
			for j, id := range a.Programs {
				p, ok := ids[id]
				if !ok {
					add(CodeProgramID, fmt.Sprintf("%s.programs[%d]", f, j), "program %q is not a program of the scenario", truncate(id, 32))
					continue
				}
				if !seen[p] {
					seen[p] = true
					set = append(set, int32(p))
				}
			}
			slices.Sort(set)
		}
		key := fmt.Sprint(set)
		c, ok := classKeys[key]
		if !ok {
			c = int32(len(m.classes))
			classKeys[key] = c
			m.classes = append(m.classes, classModel{programs: set})
		}
		sm.class = c
		m.streams = append(m.streams, sm)
	}
	if expected > MaxArrivals {
		add(CodeTooManyArrivals, "arrivals", "about %.3g arrivals per replication are expected; at most %.3g are allowed", expected, float64(MaxArrivals))
	}

	for c, cl := range m.classes {
		for _, p := range cl.programs {
			m.programs[p].classes = append(m.programs[p].classes, int32(c))
		}
	}

	// Time series of the waitlist length.
	if finite(s.HorizonDays) && finite(s.WarmupDays) && s.HorizonDays > s.WarmupDays && s.WarmupDays >= 0 {
		span := s.HorizonDays - s.WarmupDays
		m.sampleEvery = s.SampleEveryDays
		switch {
		case s.SampleEveryDays == 0:
			m.sampleEvery = span / 100
		case !finite(s.SampleEveryDays) || s.SampleEveryDays < 0:
			add(CodeSample, "sample_every_days", "sample_every_days must be positive and finite")
		case span/s.SampleEveryDays > MaxSamples:
			add(CodeSample, "sample_every_days", "sample_every_days gives more than %d samples", MaxSamples)
		}
		if m.sampleEvery > 0 && finite(m.sampleEvery) {
			m.nSamples = int(math.Floor(span/m.sampleEvery+1e-9)) + 1
		}
	}
	if len(ps) > 0 {
		return nil, &ValidationError{Problems: ps}
	}
	return m, nil
}

// compilePolicy resolves a PolicyRef through the priority package.
func compilePolicy(ref PolicyRef) (*priority.Compiled, []Problem) {
	var p priority.Policy
	switch {
	case len(ref.Inline) > 0:
		// The priority package's strict decoder; its problems (codes and paths, never the
		// input's text) are passed on below with the policy's own.
		q, err := priority.DecodePolicy(ref.Inline, priority.DecodeOptions{})
		if err != nil {
			var ve *priority.ValidationError
			if !errors.As(err, &ve) {
				return nil, []Problem{{Code: CodePolicy, Field: "policy", Message: "the inline policy does not match the priority policy format"}}
			}
			out := make([]Problem, 0, len(ve.Problems))
			for _, q := range ve.Problems {
				field := "policy"
				if q.Path != "" {
					field += "." + q.Path
				}
				out = append(out, Problem{Code: CodePolicy, Field: field, Message: q.Message + " (" + q.Code + ")", Cite: q.Cite})
			}
			return nil, out
		}
		p = q
	case ref.Name == "federal":
		p = priority.Federal()
	case ref.Name == "":
		return nil, []Problem{{Code: CodePolicy, Field: "policy", Message: "the scenario names no policy"}}
	default:
		return nil, []Problem{{Code: CodePolicy, Field: "policy",
			Message: fmt.Sprintf("unknown policy %q (give \"federal\" or a policy object)", truncate(ref.Name, 32))}}
	}
	c, err := priority.Compile(p)
	if err != nil {
		var ve *priority.ValidationError
		if errors.As(err, &ve) {
			out := make([]Problem, 0, len(ve.Problems))
			for _, q := range ve.Problems {
				out = append(out, Problem{Code: CodePolicy, Field: "policy", Message: q.Message + " (" + q.Code + ")", Cite: q.Cite})
			}
			return nil, out
		}
		return nil, []Problem{{Code: CodePolicy, Field: "policy", Message: "the policy does not compile"}}
	}
	return c, nil
}

// classifyGroup asks the policy where a person of this group stands while pregnant, just
// after delivering (within the postpartum window), and otherwise. Rank depends only on the
// facts and the reproductive status at the moment judged, and every person of a group has
// the same facts, so the three answers hold for every member: the engine then never calls
// the policy in its inner loop, yet every rank comes from the policy's own Classify.
func (m *Model) classifyGroup(sm *streamModel, f Facts) {
	base := priority.Applicant{ID: "group", SoughtAt: m.start, InjectsDrugs: f.InjectsDrugs,
		DependentChildren: f.DependentChildren, ReferredByChildWelfare: f.ReferredByChildWelfare}
	day := 24 * time.Hour
	if f.Pregnant {
		preg := base
		preg.Pregnant = true
		sm.rankPregnant = int32(m.pol.Classify(preg, m.start).Rank - 1)
		sm.owedInterim = m.pol.OwedInterim(preg, m.start)
	}
	pp := base
	pp.Pregnant = true
	pp.Pregnancy.DeliveredAt = m.start // this pregnancy ended at start
	sm.rankPostpartum = int32(m.pol.Classify(pp, m.start.Add(day)).Rank - 1)
	after := m.start.AddDate(0, 0, int(m.windowDays)+2)
	if f.Pregnant {
		sm.rankOther = int32(m.pol.Classify(pp, after).Rank - 1)
	} else {
		sm.rankOther = int32(m.pol.Classify(base, m.start).Rank - 1)
		sm.owedInterim = m.pol.OwedInterim(base, m.start)
	}
	if !f.Pregnant && sm.ago == nil {
		sm.rankPostpartum = sm.rankOther
	}
	if sm.ago != nil {
		// Owed interim services if she is owed them as a postpartum woman (a State may
		// extend interim services to postpartum women) — judged just after delivery.
		sm.owedInterim = sm.owedInterim || m.pol.OwedInterim(pp, m.start.Add(day))
	}
}

// monthEdges returns the virtual day of each calendar-month boundary from day 0 (the first
// edge is 0) until past horizon, and the calendar month each segment lies in.
func monthEdges(start time.Time, horizon float64) ([]float64, []time.Month) {
	edges := []float64{0}
	months := []time.Month{start.Month()}
	y, mo, _ := start.Date()
	for i := 1; ; i++ {
		b := time.Date(y, mo+time.Month(i), 1, 0, 0, 0, 0, start.Location())
		d := float64(b.Unix()-start.Unix()) / 86400
		edges = append(edges, d)
		months = append(months, b.Month())
		if d > horizon {
			break
		}
	}
	return edges, months
}

// Scenario returns the scenario the model was compiled from.
func (m *Model) Scenario() Scenario { return m.sc }

// Policy returns the compiled priority policy the model runs.
func (m *Model) Policy() *priority.Compiled { return m.pol }

// Tiers returns the names of the policy's tiers, best first.
func (m *Model) Tiers() []string { return append([]string(nil), m.tierNames...) }

// Groups returns the arrival groups, in scenario order.
func (m *Model) Groups() []string {
	out := make([]string, len(m.streams))
	for i, s := range m.streams {
		out[i] = s.group
	}
	return out
}
