package sim

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dyad-health/dyad/internal/ident"
	"github.com/dyad-health/dyad/priority"
)

// Model is a validated, compiled scenario, immutable and safe for concurrent use. Build it
// with Compile; run it with Run or RunReplication.
type Model struct {
	sc          Scenario
	name        string
	epochs      []epoch
	maxTiers    int
	start       time.Time
	horizon     float64
	warmup      float64
	term        float64
	conf        float64
	sampleEvery float64
	nSamples    int
	streams     []streamModel
	programs    []programModel
	classes     []classModel
	bedEvents   []bedEvent
	monthEdges  []float64 // virtual day of each calendar-month boundary, from 0, past the horizon
	seed        uint64
	reps        int
	initialBeds int
	maxBeds     int // most beds in all at any time
	warnings    []Warning
	load        float64
}

// epoch is a policy in force from a day on.
type epoch struct {
	at        float64
	pol       *priority.Compiled
	name      string
	tierNames []string
	window    float64 // the postpartum window, in days
	ranks     []groupRanks
	resRank   [][]int32 // per program and reservation: the reserved tier's index
}

// groupRanks is where a person of a group stands under a policy: while pregnant, within the
// postpartum window, and otherwise; and whether she is owed interim services when she seeks
// treatment in each of those states.
type groupRanks struct {
	pregnant, postpartum, other             int32
	owedPregnant, owedPostpartum, owedOther bool
}

type streamModel struct {
	group    string
	rate     float64   // constant rate, when rates is nil
	rates    []float64 // rate of each month segment (monthEdges), when by month
	beta     float64   // trend: log growth per day
	ga       *sampler  // gestational age at arrival
	ago      *sampler  // days since an earlier delivery at arrival
	dropout  *sampler
	interim  *sampler
	balk     *balkModel
	pregnant bool
	injects  bool
	class    int32
	choice   []int32   // with "apply": "one": the class of each program she may apply to
	choiceP  []float64 // Walker's alias table over choice: keep entry i with probability choiceP[i],
	choiceA  []int32   // else take entry choiceA[i]
}

type balkModel struct {
	max  int       // join only while fewer are waiting (0: no limit)
	join []float64 // chance of joining with n waiting (nil: always)
}

type programModel struct {
	id         string
	beds       int
	los        sampler
	res        []int // beds held by each reservation
	classes    []int32
	routes     []routeModel
	routeClass int32      // the class of people routed to this program
	changes    []bedEvent // its capacity schedule
}

type routeModel struct {
	prog int32
	cum  float64 // cumulative probability up to and including this route
}

type bedEvent struct {
	day  float64
	prog int32
	beds int
}

// classModel is a set of programs some people may enter (all programs, a stream's
// "programs" list, or the target of a route); people queue by tier and class.
type classModel struct {
	programs []int32
	overlap  []int32 // classes sharing a program with this one (itself included)
}

// Warning is something about a valid model that a researcher should know before trusting
// its results, such as a load beyond what the beds can serve.
type Warning struct {
	// Code is a stable machine code: "unstable" or "heavy_load".
	Code string `json:"code"`
	// Message is a plain sentence with the numbers.
	Message string `json:"message"`
}

// Warning codes.
const (
	WarnUnstable  = "unstable"   // people arrive faster than the beds they may enter admit
	WarnHeavyLoad = "heavy_load" // load at or above 95% of what the beds can admit
)

// Compile validates s and prepares it for running. A bad scenario gives a *ValidationError
// listing every problem (errors.Is(err, ErrInvalidScenario)), each with a stable code and
// the JSON path of the field. A valid model may still carry Warnings (an unstable load).
func Compile(s Scenario) (*Model, error) {
	c := compiler{s: s}
	m := c.compile()
	if len(c.ps) > 0 {
		return nil, &ValidationError{Problems: c.ps}
	}
	m.checkLoad()
	return m, nil
}

type compiler struct {
	s  Scenario
	ps []Problem
}

func (c *compiler) add(code, field, msg string, args ...any) {
	c.ps = append(c.ps, Problem{Code: code, Field: field, Message: fmt.Sprintf(msg, args...)})
}

func (c *compiler) compile() *Model {
	s := c.s
	m := &Model{sc: s, start: s.Start, horizon: s.HorizonDays, warmup: s.WarmupDays, seed: s.Seed, reps: s.Replications}
	m.name = s.Name
	if m.name == "" {
		m.name = "scenario"
	} else if !ident.Valid(s.Name) {
		c.add(CodeName, "name", "the scenario name does not follow the identifier rule: %s", ident.Rule)
	}
	if m.start.IsZero() {
		m.start = DefaultStart()
	}
	hOK := finite(s.HorizonDays) && s.HorizonDays > 0 && s.HorizonDays <= MaxHorizonDays
	if !hOK {
		c.add(CodeHorizon, "horizon_days", "horizon_days must be positive and at most %g", float64(MaxHorizonDays))
	}
	if !finite(s.WarmupDays) || s.WarmupDays < 0 || (hOK && s.WarmupDays >= s.HorizonDays) {
		c.add(CodeWarmup, "warmup_days", "warmup_days must be zero or positive, and before horizon_days")
	}
	if s.Replications < 1 || s.Replications > MaxReplications {
		c.add(CodeReplications, "replications", "replications must be between 1 and %d", MaxReplications)
	}
	m.conf = s.Confidence
	if m.conf == 0 {
		m.conf = DefaultConfidence
	}
	if !(m.conf > 0 && m.conf < 1) || m.conf < 0.5 || m.conf > 0.9999 {
		c.add(CodeConfidence, "confidence", "confidence must lie between 0.5 and 0.9999")
	}
	m.term = s.TermDays
	if m.term == 0 {
		m.term = 280
	}
	if !finite(m.term) || m.term <= 0 || m.term > 400 {
		c.add(CodeTerm, "term_days", "term_days must be positive and at most 400")
	}

	// Policies: the one in force at day 0, then the changes.
	if pol := c.policy(s.Policy, "policy"); pol != nil {
		m.epochs = append(m.epochs, epoch{at: 0, pol: pol})
	}
	if len(s.PolicyChanges) > MaxChanges {
		c.add(CodePolicyChange, "policy_changes", "at most %d policy changes", MaxChanges)
	} else {
		prev := 0.0
		for i, ch := range s.PolicyChanges {
			f := fmt.Sprintf("policy_changes[%d]", i)
			if !finite(ch.Day) || ch.Day <= prev || (hOK && ch.Day >= s.HorizonDays) {
				c.add(CodePolicyChange, f+".day", "a policy change needs a day after day 0 and the change before it, and before the horizon")
			} else {
				prev = ch.Day
			}
			if pol := c.policy(ch.Policy, f+".policy"); pol != nil {
				m.epochs = append(m.epochs, epoch{at: ch.Day, pol: pol})
			}
		}
	}
	for i := range m.epochs {
		e := &m.epochs[i]
		e.name = e.pol.Name()
		for r := 1; r <= e.pol.NumTiers(); r++ {
			e.tierNames = append(e.tierNames, e.pol.TierName(r))
		}
		e.window = float64(e.pol.PostpartumWindow().Days)
		m.maxTiers = max(m.maxTiers, len(e.tierNames))
	}
	polOK := len(m.epochs) == 1+len(s.PolicyChanges)

	c.programs(m, polOK)
	c.arrivals(m, polOK)

	// Time series of the waitlist length, from day 0 to the horizon.
	if hOK {
		m.sampleEvery = s.SampleEveryDays
		switch {
		case s.SampleEveryDays == 0:
			m.sampleEvery = s.HorizonDays / 200
		case !finite(s.SampleEveryDays) || s.SampleEveryDays <= 0:
			c.add(CodeSample, "sample_every_days", "sample_every_days must be positive and finite")
		case s.HorizonDays/s.SampleEveryDays > MaxSamples:
			c.add(CodeSample, "sample_every_days", "sample_every_days gives more than %d samples", MaxSamples)
		}
		if m.sampleEvery > 0 && finite(m.sampleEvery) && s.HorizonDays/m.sampleEvery <= MaxSamples {
			m.nSamples = int(math.Floor(s.HorizonDays/m.sampleEvery+1e-9)) + 1
		}
	}
	return m
}

// policy resolves a PolicyRef through the priority package, refusing options the simulator
// cannot honour.
func (c *compiler) policy(ref PolicyRef, field string) *priority.Compiled {
	var p priority.Policy
	switch {
	case ref.Policy != nil && ref.Name != "":
		c.add(CodePolicy, field, "give a policy name or an inline policy, not both")
		return nil
	case ref.Policy != nil:
		p = *ref.Policy
		// Every option of priority.Policy is honoured or refused here.
		if !reflectZeroRemoval(p.Removal) {
			c.ps = append(c.ps, Problem{Code: CodeUnsupported, Field: field + ".removal", Cite: priority.CiteWaitingList,
				Message: "the simulator does not model contact attempts, so a removal rule for people who cannot be reached cannot be simulated; leave it out and model leaving the list with dropout"})
		}
		if p.StateReferralHours != 0 {
			c.ps = append(c.ps, Problem{Code: CodeUnsupported, Field: field + ".state_referral_hours", Cite: priority.CiteStateReferral,
				Message: "the simulator does not model the program's referral of a pregnant woman to the State, so its due time cannot be simulated; leave it out"})
		}
	case ref.Name == "federal":
		p = priority.Federal()
	case ref.Name == "":
		c.add(CodePolicy, field, "no policy is named (give \"federal\" or a policy object)")
		return nil
	default:
		c.add(CodePolicy, field, "unknown policy name %s (give \"federal\" or a policy object)", quote(ref.Name))
		return nil
	}
	cp, err := priority.Compile(p)
	if err != nil {
		var ve *priority.ValidationError
		if !errors.As(err, &ve) {
			c.add(CodePolicy, field, "the policy does not compile")
			return nil
		}
		for _, q := range ve.Problems {
			f := field
			if q.Path != "" {
				f += "." + q.Path
			}
			c.ps = append(c.ps, Problem{Code: CodePolicy, Field: f, Message: q.Message + " (" + q.Code + ")", Cite: q.Cite})
		}
		return nil
	}
	return cp
}

func reflectZeroRemoval(r priority.RemovalRule) bool {
	return r.AfterFailedContacts == 0 && r.AfterDaysWithoutContact == 0 && len(r.Citations) == 0
}

func (c *compiler) programs(m *Model, polOK bool) {
	s := c.s
	hOK := finite(s.HorizonDays) && s.HorizonDays > 0
	if len(s.Programs) == 0 {
		c.add(CodeNoPrograms, "programs", "the scenario has no program")
	}
	ids := map[string]int{}
	for i, p := range s.Programs {
		f := fmt.Sprintf("programs[%d]", i)
		switch {
		case !ident.Valid(p.ID):
			c.add(CodeProgramID, f+".id", "a program id follows the identifier rule: %s", ident.Rule)
		default:
			if j, dup := ids[p.ID]; dup {
				c.add(CodeProgramID, f+".id", "programs %d and %d have the same id %s", j, i, quote(p.ID))
			} else {
				ids[p.ID] = i
			}
		}
	}
	m.programs = make([]programModel, len(s.Programs))
	var polOnly []epoch
	if polOK {
		polOnly = m.epochs
	}
	for e := range polOnly {
		m.epochs[e].resRank = make([][]int32, len(s.Programs))
	}
	for i, p := range s.Programs {
		f := fmt.Sprintf("programs[%d]", i)
		pm := &m.programs[i]
		pm.id = p.ID
		pm.beds = p.Beds
		if p.Beds < 1 || p.Beds > MaxBeds {
			c.add(CodeBeds, f+".beds", "beds must be between 1 and %d", MaxBeds)
		}
		pm.los = p.LengthOfStay.checkCompile(f+".length_of_stay", &c.ps)
		if pm.los.kind != skNone && !(pm.los.mean() > 0) {
			c.add(CodeDist, f+".length_of_stay", "a length of stay must have a positive mean")
		}
		// Capacity schedule.
		if len(p.BedChanges) > MaxChanges {
			c.add(CodeBedChange, f+".bed_changes", "at most %d capacity changes", MaxChanges)
		} else {
			prev := 0.0
			for j, bc := range p.BedChanges {
				bf := fmt.Sprintf("%s.bed_changes[%d]", f, j)
				if !finite(bc.Day) || bc.Day <= prev || (hOK && bc.Day >= s.HorizonDays) {
					c.add(CodeBedChange, bf+".day", "a capacity change needs a day after day 0 and the change before it, and before the horizon")
				} else {
					prev = bc.Day
				}
				if bc.Beds < 0 || bc.Beds > MaxBeds {
					c.add(CodeBedChange, bf+".beds", "beds must be between 0 and %d", MaxBeds)
				}
				m.bedEvents = append(m.bedEvents, bedEvent{day: bc.Day, prog: int32(i), beds: bc.Beds})
				pm.changes = append(pm.changes, bedEvent{day: bc.Day, prog: int32(i), beds: bc.Beds})
			}
		}
		// Reservations.
		held := 0
		for j, r := range p.Reserved {
			rf := fmt.Sprintf("%s.reserved[%d]", f, j)
			for e := range polOnly {
				ep := &m.epochs[e]
				rank := slices.Index(ep.tierNames, r.Tier)
				if rank < 0 {
					where := "policy"
					if e > 0 {
						where = fmt.Sprintf("policy_changes[%d].policy", e-1)
					}
					c.add(CodeReservation, rf+".tier", "tier %s is not a tier of the %s", quote(r.Tier), where)
				}
				ep.resRank[i] = append(ep.resRank[i], int32(rank))
			}
			if r.Beds < 1 {
				c.add(CodeReservation, rf+".beds", "a reservation must hold at least one bed")
			}
			held += r.Beds
			pm.res = append(pm.res, r.Beds)
		}
		if held > p.Beds && p.Beds >= 1 {
			c.add(CodeReservation, f+".reserved", "reservations hold %d beds, more than the program's %d", held, p.Beds)
		}
		// Routes.
		cum := 0.0
		for j, r := range p.Next {
			rf := fmt.Sprintf("%s.next[%d]", f, j)
			q, ok := ids[r.Program]
			if !ok {
				c.add(CodeRoute, rf+".program", "program %s is not a program of the scenario", quote(r.Program))
			}
			if !finite(r.Probability) || r.Probability <= 0 || r.Probability > 1 {
				c.add(CodeRoute, rf+".probability", "a route's probability must lie in (0, 1]")
			} else {
				cum += r.Probability
			}
			pm.routes = append(pm.routes, routeModel{prog: int32(q), cum: cum})
		}
		if cum > 1+1e-9 {
			c.add(CodeRoute, f+".next", "the routes' probabilities add up to more than 1")
		}
	}
	// Routes may not form a cycle: a person is then referred on at most once per program,
	// which bounds the events a replication can make (a cycle of certain referrals and
	// short stays would never reach the horizon).
	if cyc := routeCycle(m.programs); cyc >= 0 {
		c.add(CodeRoute, fmt.Sprintf("programs[%d].next", cyc), "the routes form a cycle through program %s; a step-down chain must end", quote(m.programs[cyc].id))
	}
	sort.SliceStable(m.bedEvents, func(a, b int) bool { return m.bedEvents[a].day < m.bedEvents[b].day })
	// Beds in all, at day 0 and at their most.
	total := 0
	cur := make([]int, len(s.Programs))
	for i, p := range s.Programs {
		cur[i] = max(p.Beds, 0)
		total += cur[i]
	}
	m.initialBeds, m.maxBeds = total, total
	for _, be := range m.bedEvents {
		total += be.beds - cur[be.prog]
		cur[be.prog] = be.beds
		m.maxBeds = max(m.maxBeds, total)
	}
	if m.maxBeds > MaxBeds {
		c.add(CodeBeds, "programs", "the programs have more than %d beds in all", MaxBeds)
	}
}

func (c *compiler) arrivals(m *Model, polOK bool) {
	s := c.s
	hOK := finite(s.HorizonDays) && s.HorizonDays > 0
	ids := map[string]int{}
	for i, p := range s.Programs {
		if _, dup := ids[p.ID]; !dup {
			ids[p.ID] = i
		}
	}
	// Scenario-wide distributions.
	var dropout, interim *sampler
	if s.Dropout != nil {
		d := s.Dropout.checkCompile("dropout", &c.ps)
		dropout = &d
	}
	if s.InterimDelay != nil {
		d := s.InterimDelay.checkCompile("interim_delay", &c.ps)
		interim = &d
	}
	balk := c.balking(s.Balking, "balking")

	// Calendar months, if any stream needs them.
	var months []time.Month
	for _, a := range s.Arrivals {
		if len(a.MonthlyRatePerDay) > 0 && hOK && months == nil {
			m.monthEdges, months = monthEdges(m.start, s.HorizonDays)
		}
	}

	if len(s.Arrivals) == 0 {
		c.add(CodeNoArrivals, "arrivals", "the scenario has no arrival stream")
	}
	groups := map[string]int{}
	classKeys := map[string]int32{}
	classOf := func(set []int32) int32 {
		key := fmt.Sprint(set)
		k, ok := classKeys[key]
		if !ok {
			k = int32(len(m.classes))
			classKeys[key] = k
			m.classes = append(m.classes, classModel{programs: set})
		}
		return k
	}
	expected := 0.0
	anyInjects := false
	for i, a := range s.Arrivals {
		f := fmt.Sprintf("arrivals[%d]", i)
		switch {
		case !ident.Valid(a.Group):
			c.add(CodeGroup, f+".group", "a group name follows the identifier rule: %s", ident.Rule)
		case a.Group == "overall":
			c.add(CodeGroup, f+".group", "the group name \"overall\" is kept for the results of everyone")
		default:
			if j, dup := groups[a.Group]; dup {
				c.add(CodeGroup, f+".group", "arrival streams %d and %d have the same group %s", j, i, quote(a.Group))
			} else {
				groups[a.Group] = i
			}
		}
		sm := streamModel{group: a.Group, rate: a.RatePerDay, pregnant: a.Applicant.Pregnant, injects: a.Applicant.InjectsDrugs,
			dropout: dropout, interim: interim, balk: balk}
		anyInjects = anyInjects || a.Applicant.InjectsDrugs
		// Trend.
		growth := 1.0
		if a.TrendPerYear != 0 {
			if !finite(a.TrendPerYear) || a.TrendPerYear <= -1 || a.TrendPerYear > 100 {
				c.add(CodeTrend, f+".trend_per_year", "trend_per_year must lie above -1 and at most 100")
			} else {
				sm.beta = math.Log1p(a.TrendPerYear) / daysPerYear
				if hOK && math.Abs(sm.beta)*s.HorizonDays > 600 {
					c.add(CodeTrend, f+".trend_per_year", "the trend changes the rate by more than e^600 over the horizon")
					sm.beta = 0
				} else if hOK {
					growth = max(1, math.Exp(sm.beta*s.HorizonDays)) // the rate at its highest
				}
			}
		}
		switch {
		case len(a.MonthlyRatePerDay) > 0 && a.RatePerDay != 0:
			c.add(CodeRate, f, "give rate_per_day or monthly_rate_per_day, not both")
		case len(a.MonthlyRatePerDay) > 0:
			if len(a.MonthlyRatePerDay) != 12 {
				c.add(CodeRate, f+".monthly_rate_per_day", "monthly_rate_per_day needs 12 rates (January to December), not %d", len(a.MonthlyRatePerDay))
				break
			}
			okAll, maxR := true, 0.0
			for j, r := range a.MonthlyRatePerDay {
				if !finite(r) || r < 0 {
					c.add(CodeRate, fmt.Sprintf("%s.monthly_rate_per_day[%d]", f, j), "a rate must be finite and not negative")
					okAll = false
				}
				maxR = math.Max(maxR, r)
			}
			if okAll && maxR == 0 {
				c.add(CodeRate, f+".monthly_rate_per_day", "at least one monthly rate must be positive")
			}
			if okAll && months != nil {
				expected += maxR * growth * s.HorizonDays
				sm.rates = make([]float64, len(months))
				for j, mo := range months {
					sm.rates[j] = a.MonthlyRatePerDay[mo-1]
				}
			}
		default:
			if !finite(a.RatePerDay) || a.RatePerDay <= 0 {
				c.add(CodeRate, f+".rate_per_day", "rate_per_day must be positive and finite")
			} else if hOK {
				expected += a.RatePerDay * growth * s.HorizonDays
			}
		}
		if a.GestationalAgeDays != nil {
			if !a.Applicant.Pregnant {
				c.add(CodeFacts, f+".gestational_age_days", "a gestational age is given for applicants who are not pregnant")
			}
			d := a.GestationalAgeDays.checkCompile(f+".gestational_age_days", &c.ps)
			sm.ga = &d
		}
		if a.DeliveredDaysAgo != nil {
			if a.Applicant.Pregnant {
				c.add(CodeFacts, f+".delivered_days_ago", "a delivery before arrival is given for applicants who are pregnant")
			}
			d := a.DeliveredDaysAgo.checkCompile(f+".delivered_days_ago", &c.ps)
			sm.ago = &d
		}
		if a.Dropout != nil {
			d := a.Dropout.checkCompile(f+".dropout", &c.ps)
			sm.dropout = &d
		}
		if a.InterimDelay != nil {
			d := a.InterimDelay.checkCompile(f+".interim_delay", &c.ps)
			sm.interim = &d
		}
		if a.Balking != nil {
			sm.balk = c.balking(a.Balking, f+".balking")
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
					c.add(CodeProgramID, fmt.Sprintf("%s.programs[%d]", f, j), "program %s is not a program of the scenario", quote(id))
					continue
				}
				if !seen[p] {
					seen[p] = true
					set = append(set, int32(p))
				}
			}
			slices.Sort(set)
		}
		sm.class = classOf(set)
		switch a.Apply {
		case "", "any":
		case "one":
			// Weights: the admissions a day each program's beds allow, beds over the mean
			// length of stay.
			weight := func(p int32) float64 {
				if mean := m.programs[p].los.mean(); mean > 0 && s.Programs[p].Beds > 0 {
					return float64(s.Programs[p].Beds) / mean
				}
				return 0
			}
			total := 0.0
			for _, p := range set {
				total += weight(p)
			}
			if !(total > 0) {
				c.add(CodeApply, f+".apply", "the group's programs have no beds at day 0 to apply to")
				break
			}
			ws := make([]float64, len(set))
			for i, p := range set {
				ws[i] = weight(p) / total
				sm.choice = append(sm.choice, classOf([]int32{p}))
			}
			sm.choiceP, sm.choiceA = aliasTable(ws)
		default:
			c.add(CodeApply, f+".apply", "apply is \"any\" (one waitlist for all of the group's programs) or \"one\" (a waitlist per program)")
		}
		m.streams = append(m.streams, sm)
	}
	if expected > MaxArrivals {
		c.add(CodeTooManyArrivals, "arrivals", "about %.3g arrivals per replication are expected; at most %.3g are allowed", expected, float64(MaxArrivals))
	}
	// Classes of people routed to a program.
	for p := range m.programs {
		m.programs[p].routeClass = -1
	}
	for p := range m.programs {
		for _, r := range m.programs[p].routes {
			if r.prog >= 0 && int(r.prog) < len(m.programs) && m.programs[r.prog].routeClass < 0 {
				m.programs[r.prog].routeClass = classOf([]int32{r.prog})
			}
		}
	}
	for k, cl := range m.classes {
		for _, p := range cl.programs {
			m.programs[p].classes = append(m.programs[p].classes, int32(k))
		}
	}
	// Classes sharing a program: through each program's classes, in order, once each.
	seen := make([]int, len(m.classes))
	for k := range m.classes {
		for _, p := range m.classes[k].programs {
			for _, j := range m.programs[p].classes {
				if seen[j] != k+1 {
					seen[j] = k + 1
					m.classes[k].overlap = append(m.classes[k].overlap, j)
				}
			}
		}
		slices.Sort(m.classes[k].overlap)
	}
	if polOK && len(c.ps) == 0 {
		for e := range m.epochs {
			ep := &m.epochs[e]
			if anyInjects && !ep.pol.ForInjectingPopulation() {
				field := "policy"
				if e > 0 {
					field = fmt.Sprintf("policy_changes[%d].policy", e-1)
				}
				c.ps = append(c.ps, Problem{Code: CodePolicy, Field: field + ".no_injecting_population", Cite: priority.CitePreference,
					Message: "the policy is for programs that do not serve people who inject drugs, yet people who inject drugs seek treatment in the scenario"})
				continue
			}
			ep.ranks = make([]groupRanks, len(m.streams))
			for k := range m.streams {
				ep.ranks[k] = m.classifyGroup(ep, &m.streams[k], s.Arrivals[k].Applicant)
			}
		}
	}
}

// routeCycle returns a program on a cycle of routes, or -1, by depth-first search with
// colours (iteratively, so that a long chain cannot exhaust the stack).
func routeCycle(ps []programModel) int {
	const (
		white = iota
		grey
		black
	)
	colour := make([]uint8, len(ps))
	type frame struct{ p, next int }
	for start := range ps {
		if colour[start] != white {
			continue
		}
		stack := []frame{{start, 0}}
		colour[start] = grey
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.next == len(ps[f.p].routes) {
				colour[f.p] = black
				stack = stack[:len(stack)-1]
				continue
			}
			q := int(ps[f.p].routes[f.next].prog)
			f.next++
			if q < 0 || q >= len(ps) {
				continue
			}
			switch colour[q] {
			case grey:
				return q
			case white:
				colour[q] = grey
				stack = append(stack, frame{q, 0})
			}
		}
	}
	return -1
}

// aliasTable builds Walker's alias table for the probabilities ps (summing to 1), by
// Vose's method (M. D. Vose, "A linear algorithm for generating random numbers with a given
// distribution", IEEE Transactions on Software Engineering 17(9), 1991): drawing i uniformly
// and keeping it with probability prob[i], else taking alias[i], draws i with probability
// ps[i].
func aliasTable(ps []float64) (prob []float64, alias []int32) {
	n := len(ps)
	prob = make([]float64, n)
	alias = make([]int32, n)
	scaled := make([]float64, n)
	var small, large []int
	for i, p := range ps {
		scaled[i] = p * float64(n)
		alias[i] = int32(i)
		if scaled[i] < 1 {
			small = append(small, i)
		} else {
			large = append(large, i)
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small, large = small[:len(small)-1], large[:len(large)-1]
		prob[s], alias[s] = scaled[s], int32(l)
		scaled[l] -= 1 - scaled[s]
		if scaled[l] < 1 {
			small = append(small, l)
		} else {
			large = append(large, l)
		}
	}
	for _, i := range append(small, large...) {
		prob[i] = 1 // what rounding left over
	}
	return prob, alias
}

func (c *compiler) balking(b *Balking, field string) *balkModel {
	if b == nil {
		return nil
	}
	bm := &balkModel{max: b.MaxWaiting}
	if b.MaxWaiting < 0 || b.MaxWaiting > MaxBeds {
		c.add(CodeBalking, field+".max_waiting", "max_waiting must lie between 0 and %d", MaxBeds)
	}
	if len(b.JoinProbability) > MaxJoinSteps {
		c.add(CodeBalking, field+".join_probability", "join_probability has more than %d entries", MaxJoinSteps)
	}
	for i, p := range b.JoinProbability {
		if !finite(p) || p < 0 || p > 1 {
			c.add(CodeBalking, fmt.Sprintf("%s.join_probability[%d]", field, i), "a probability lies in [0, 1]")
		}
	}
	if b.MaxWaiting == 0 && len(b.JoinProbability) == 0 {
		c.add(CodeBalking, field, "a balking rule needs max_waiting or join_probability")
	}
	bm.join = slices.Clone(b.JoinProbability)
	return bm
}

// daysPerYear is the mean Gregorian year, for per-year rates and trends.
const daysPerYear = 365.25

// integralExp returns the integral of e^(beta t) over [a, b].
func integralExp(beta, a, b float64) float64 {
	if beta == 0 {
		return b - a
	}
	return (math.Exp(beta*b) - math.Exp(beta*a)) / beta
}

// classifyGroup asks the policy of ep where a person of this group stands while pregnant,
// just after delivering (within the postpartum window), and otherwise, and whether she is
// owed interim services when she seeks treatment in each state. Rank depends only on the
// facts and the reproductive status at the moment judged, and every person of a group has
// the same facts, so the answers hold for every member: the engine then never calls the
// policy in its inner loop, yet every rank comes from the policy's own Classify. A person
// who waits had no bed for her on the day she asked (CapacityNone: 45 CFR 96.126(b)(2),
// 96.131(d)), so the policy's InterimWhileWaiting option changes nothing here.
func (m *Model) classifyGroup(ep *epoch, sm *streamModel, f Facts) groupRanks {
	base := priority.Applicant{ID: "group", SoughtAt: m.start, InjectsDrugs: f.InjectsDrugs,
		DependentChildren: f.DependentChildren, ReferredByChildWelfare: f.ReferredByChildWelfare,
		LeavingIncarceration: f.LeavingIncarceration, Veteran: f.Veteran, Woman: f.Woman,
		CapacityAtRequest: priority.CapacityNone}
	day := 24 * time.Hour
	after := m.start.AddDate(0, 0, int(ep.window)+2)
	rank := func(a priority.Applicant, at time.Time) int32 { return int32(ep.pol.Classify(a, at).Rank - 1) }
	owed := func(a priority.Applicant, at time.Time) bool { a.SoughtAt = at; return ep.pol.OwedInterim(a, at) }
	var g groupRanks
	switch {
	case f.Pregnant:
		preg := base
		preg.Pregnant = true
		g.pregnant = rank(preg, m.start)
		g.owedPregnant = owed(preg, m.start)
		// Delivered while waiting: her current pregnancy ended (perinatal model).
		pp := preg
		pp.Pregnancy.DeliveredAt = m.start
		g.postpartum = rank(pp, m.start.Add(day))
		g.other = rank(pp, after)
		g.owedPostpartum, g.owedOther = g.owedPregnant, g.owedPregnant
	case sm.ago != nil:
		// Delivered before seeking treatment: an earlier delivery.
		pp := base
		pp.PriorDeliveryAt = m.start
		g.postpartum = rank(pp, m.start.Add(day))
		g.owedPostpartum = owed(pp, m.start.Add(day))
		g.other = rank(pp, after)
		g.owedOther = owed(pp, after)
		g.pregnant = g.other
		g.owedPregnant = g.owedOther
	default:
		g.other = rank(base, m.start)
		g.owedOther = owed(base, m.start)
		g.pregnant, g.postpartum = g.other, g.other
		g.owedPregnant, g.owedPostpartum = g.owedOther, g.owedOther
	}
	return g
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

// Name returns the scenario's name ("scenario" when it gives none).
func (m *Model) Name() string { return m.name }

// Policy returns the compiled priority policy in force at day 0.
func (m *Model) Policy() *priority.Compiled { return m.epochs[0].pol }

// PolicyLabel names the policies the model runs: the policy's name, followed by
// ">name@day" for each policy change.
func (m *Model) PolicyLabel() string {
	s := m.epochs[0].name
	for _, e := range m.epochs[1:] {
		s += ">" + e.name + "@" + strconv.FormatFloat(e.at, 'g', -1, 64)
	}
	return s
}

// Tiers returns the names of the tiers of the policy in force at day 0, best first.
func (m *Model) Tiers() []string { return slices.Clone(m.epochs[0].tierNames) }

// Groups returns the arrival groups, in scenario order.
func (m *Model) Groups() []string {
	out := make([]string, len(m.streams))
	for i, s := range m.streams {
		out[i] = s.group
	}
	return out
}

// Programs returns the program ids, in scenario order.
func (m *Model) Programs() []string {
	out := make([]string, len(m.programs))
	for i, p := range m.programs {
		out[i] = p.id
	}
	return out
}

// Confidence returns the level of the model's confidence intervals.
func (m *Model) Confidence() float64 { return m.conf }

// Warnings returns what a researcher should know before trusting the model's results:
// an arrival rate the beds cannot serve ("unstable") or nearly so ("heavy_load").
func (m *Model) Warnings() []Warning { return slices.Clone(m.warnings) }

// Load returns the model's offered load relative to what the beds can admit, at its
// worst over every set of groups and the programs they may enter: arrivals per day over
// admissions per day the beds allow (mean beds over the counted period divided by the mean
// length of stay), counting step-down referrals at the most the referring program can
// discharge. Above 1 the waitlist grows without bound unless people give up or balk.
func (m *Model) Load() float64 { return m.load }

// checkLoad computes Load and the warnings, by Hall's condition over the classes: for every
// set of classes, the people arriving per day against the admissions per day of the
// programs they may enter. With more than 12 classes it tries each class alone and all of
// them together.
func (m *Model) checkLoad() {
	capacity := make([]float64, len(m.programs))
	for p := range m.programs {
		capacity[p] = m.meanBeds(p) / m.programs[p].los.mean()
	}
	n := len(m.classes)
	demand := make([]float64, n)
	for k := range m.streams {
		sm := &m.streams[k]
		rate := m.meanRate(k, m.warmup, m.horizon)
		if sm.choice == nil {
			demand[sm.class] += rate
			continue
		}
		n := float64(len(sm.choice))
		for i, c := range sm.choice {
			demand[c] += rate * sm.choiceP[i] / n
			demand[sm.choice[sm.choiceA[i]]] += rate * (1 - sm.choiceP[i]) / n
		}
	}
	for p := range m.programs {
		prev := 0.0
		for _, r := range m.programs[p].routes {
			demand[m.programs[r.prog].routeClass] += (r.cum - prev) * capacity[p]
			prev = r.cum
		}
	}
	used := make([]int, len(m.programs)) // the last try that used each program
	tries := 0
	load := func(set func(k int) bool, ks []int) float64 {
		tries++
		d, c := 0.0, 0.0
		for _, k := range ks {
			if set(k) {
				d += demand[k]
				for _, p := range m.classes[k].programs {
					if used[p] != tries {
						used[p] = tries
						c += capacity[p]
					}
				}
			}
		}
		switch {
		case d == 0:
			return 0
		case c == 0:
			return math.Inf(1)
		}
		return d / c
	}
	worst := 0.0
	var worstSet func(k int) bool
	try := func(set func(k int) bool, ks []int) {
		if l := load(set, ks); l > worst {
			worst, worstSet = l, set
		}
	}
	all := make([]int, n)
	for k := range all {
		all[k] = k
	}
	if n <= 12 {
		for bits := 1; bits < 1<<n; bits++ {
			try(func(k int) bool { return bits&(1<<k) != 0 }, all)
		}
	} else {
		for j := range n {
			try(func(k int) bool { return k == j }, all[j:j+1])
		}
		try(func(int) bool { return true }, all)
	}
	m.load = worst
	if worstSet == nil {
		return
	}
	var who []string
	for k := range m.streams {
		sm := &m.streams[k]
		in := worstSet(int(sm.class)) && sm.choice == nil
		for _, c := range sm.choice {
			in = in || worstSet(int(c))
		}
		if in {
			who = append(who, sm.group)
		}
	}
	for p := range m.programs {
		if rc := m.programs[p].routeClass; rc >= 0 && worstSet(int(rc)) {
			who = append(who, "step-down to "+m.programs[p].id)
		}
	}
	whoS := strings.Join(who, ", ")
	switch {
	case worst >= 1:
		m.warnings = append(m.warnings, Warning{Code: WarnUnstable, Message: fmt.Sprintf(
			"unstable: people of %s arrive at %.3g times the rate the beds they may enter can admit them; the waitlist grows without bound unless people give up or balk, and then it is held at the length where they do (occupancy near 100%%)",
			whoS, worst)})
	case worst >= 0.95:
		m.warnings = append(m.warnings, Warning{Code: WarnHeavyLoad, Message: fmt.Sprintf(
			"heavy load: people of %s arrive at %.3g times the rate the beds they may enter can admit them; waits are long and slow to settle, so check the warm-up",
			whoS, worst)})
	}
}

// meanBeds returns program p's beds averaged over the counted period.
func (m *Model) meanBeds(p int) float64 {
	beds, from, sum := float64(m.programs[p].beds), 0.0, 0.0
	seg := func(to float64) {
		if lo, hi := max(from, m.warmup), min(to, m.horizon); hi > lo {
			sum += beds * (hi - lo)
		}
	}
	for _, be := range m.programs[p].changes {
		seg(be.day)
		from, beds = be.day, float64(be.beds)
	}
	seg(m.horizon)
	return sum / (m.horizon - m.warmup)
}

// meanRate returns stream k's mean arrival rate over [a, b].
func (m *Model) meanRate(k int, a, b float64) float64 {
	sm := &m.streams[k]
	if sm.rates == nil {
		return sm.rate * integralExp(sm.beta, a, b) / (b - a)
	}
	sum := 0.0
	for i := 0; i+1 < len(m.monthEdges); i++ {
		lo, hi := max(a, m.monthEdges[i]), min(b, m.monthEdges[i+1])
		if hi > lo {
			sum += sm.rates[i] * integralExp(sm.beta, lo, hi)
		}
	}
	return sum / (b - a)
}
