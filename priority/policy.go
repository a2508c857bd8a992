package priority

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dyad-health/dyad/perinatal"
)

// Edition names the regulation text the rules encode.
const Edition = "45 CFR part 96, subpart L, as published in the eCFR (2026); interim final rule 58 FR 17062 (1993) as amended"

// Citations the rules use. They are constants so that callers can compare them.
const (
	CitePreference          = "45 CFR 96.131(a)"
	CitePreferencePregInj   = "45 CFR 96.131(a)(1)"
	CitePreferencePregnant  = "45 CFR 96.131(a)(2)"
	CitePreferenceInjecting = "45 CFR 96.131(a)(3)"
	CitePreferenceOthers    = "45 CFR 96.131(a)(4)"
	CiteStateReferral       = "45 CFR 96.131(c)"
	CiteInterimPregnant     = "45 CFR 96.131(d)"
	CiteInterimDefinition   = "45 CFR 96.121"
	CiteCapacityNotice      = "45 CFR 96.126(a)"
	CiteInjectingAdmission  = "45 CFR 96.126(b)"
	CiteWaitingList         = "45 CFR 96.126(c)"
)

// MaxTiers is the most tiers a policy may have.
const MaxTiers = 64

// MaxDays bounds a policy's day counts (postpartum window, removal rule), about 27 years, so
// that deadline arithmetic cannot overflow.
const MaxDays = 10000

// Tier is one rung of a preference order: the people who meet every condition of When.
// When maps a condition code to the value it must have: true means the condition must hold,
// false that it must not. A tier with no When matches everyone (a catch-all).
type Tier struct {
	Name      string          `json:"name"`
	When      map[string]bool `json:"when,omitempty"`
	Citations []string        `json:"citations,omitempty"`
}

// RemovalRule is when a State allows removing a person it cannot reach from the waitlist
// (45 CFR 96.126(c) leaves this to the State). Either limit, when positive, allows removal:
// after that many consecutive failed contact attempts, or after that many days (24-hour days,
// or calendar days in the policy's zone) without a successful contact, counted from the last
// successful contact or, if none, from the moment the person sought treatment. The zero value
// allows no removal as unreachable.
type RemovalRule struct {
	AfterFailedContacts     int      `json:"after_failed_contacts,omitempty"`
	AfterDaysWithoutContact int      `json:"after_days_without_contact,omitempty"`
	Citations               []string `json:"citations,omitempty"`
}

// Policy is a preference order and its options as plain data: it serializes to JSON, so that
// researchers can log and diff exact configurations. Compile validates it into a *Compiled.
//
// The zero values of the options mean the federal defaults: PostpartumDays 0 is
// perinatal.DefaultPostpartumWindow() (365 days); no InterimAlsoWhen means interim services are
// owed to pregnant women and people who inject drugs only; an empty CalendarDaysZone means
// deadlines in elapsed time; a zero Removal allows no removal as unreachable.
type Policy struct {
	Name      string   `json:"name"`
	Citations []string `json:"citations,omitempty"`
	// PostpartumDays is the postpartum window of the postpartum condition, in days.
	PostpartumDays int `json:"postpartum_days,omitempty"`
	// Tiers are tried in order; the first that matches gives the rank (1-based).
	Tiers []Tier `json:"tiers"`
	// InterimAlsoWhen lists conditions that, besides being pregnant or injecting drugs (the
	// federal floor of 45 CFR 96.131(d) and 96.126(b)), make a person waiting owed interim
	// services. Any one suffices.
	InterimAlsoWhen []string `json:"interim_also_when,omitempty"`
	// CalendarDaysZone, when set to an IANA zone name such as "America/New_York", counts the
	// 14-, 120- and 7-day deadlines and the removal rule's days as calendar days in that zone:
	// a deadline of N days falls at the end of the Nth calendar day after the day it runs from.
	// The 48-hour deadline is always 48 elapsed hours.
	CalendarDaysZone string `json:"calendar_days_zone,omitempty"`
	// Removal is when a person who cannot be reached may be removed.
	Removal RemovalRule `json:"removal,omitzero"`
}

// Federal returns the federal preference order of 45 CFR 96.131(a): pregnant women who
// inject drugs, then other pregnant women, then other people who inject drugs, then everyone
// else; interim services for pregnant women and people who inject drugs; elapsed-time
// deadlines; no removal as unreachable. Each call returns a fresh value the caller may modify.
func Federal() Policy {
	return Policy{
		Name:      "federal",
		Citations: []string{CitePreference},
		Tiers: []Tier{
			{Name: "pregnant_injecting", When: map[string]bool{"pregnant": true, "injects_drugs": true}, Citations: []string{CitePreferencePregInj}},
			{Name: "pregnant", When: map[string]bool{"pregnant": true}, Citations: []string{CitePreferencePregnant}},
			{Name: "injecting", When: map[string]bool{"injects_drugs": true}, Citations: []string{CitePreferenceInjecting}},
			{Name: "everyone_else", Citations: []string{CitePreferenceOthers}},
		},
	}
}

// Clone returns a deep copy of p.
func (p Policy) Clone() Policy {
	q := p
	q.Citations = slices.Clone(p.Citations)
	q.InterimAlsoWhen = slices.Clone(p.InterimAlsoWhen)
	q.Removal.Citations = slices.Clone(p.Removal.Citations)
	if p.Tiers != nil {
		q.Tiers = make([]Tier, len(p.Tiers))
		for i, t := range p.Tiers {
			q.Tiers[i] = Tier{Name: t.Name, Citations: slices.Clone(t.Citations)}
			if t.When != nil {
				q.Tiers[i].When = make(map[string]bool, len(t.When))
				for k, v := range t.When {
					q.Tiers[i].When[k] = v
				}
			}
		}
	}
	return q
}

type ctier struct {
	name      string
	req, forb ConditionSet
	cite      string // citations joined by "; "
	cites     []string
	bad       bool // used an unknown condition (validation only)
}

// Compiled is a validated, immutable policy, safe for concurrent use. Build it with Compile.
type Compiled struct {
	policy      Policy
	tiers       []ctier
	window      perinatal.PostpartumWindow
	interimWhen ConditionSet
	interimCite []string // policy citations for the State's extension
	loc         *time.Location
}

// Validate checks p and returns a *ValidationError listing every problem, or nil. It does not
// look up CalendarDaysZone; Compile does.
func (p Policy) Validate() error {
	var pr problems
	p.validate(&pr)
	return pr.err(ErrInvalidPolicy)
}

func parseConditions(codes map[string]bool, tier string, pr *problems) (req, forb ConditionSet, bad bool) {
	keys := make([]string, 0, len(codes))
	for k := range codes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		var c Condition
		if err := c.UnmarshalText([]byte(k)); err != nil || !c.IsValid() {
			pr.add("unknown_condition", CitePreference,
				fmt.Sprintf("tier %q uses unknown condition %q", truncate(tier, 32), truncate(k, 32)))
			bad = true
			continue
		}
		if codes[k] {
			req = req.With(c)
		} else {
			forb = forb.With(c)
		}
	}
	return req, forb, bad
}

func (p Policy) validate(pr *problems) []ctier {
	if strings.TrimSpace(p.Name) == "" {
		pr.add("missing_name", "", "the policy has no name")
	}
	if len(p.Tiers) == 0 {
		pr.add("empty_policy", CitePreference, "the policy has no tiers")
	}
	if len(p.Tiers) > MaxTiers {
		pr.add("too_many_tiers", CitePreference, fmt.Sprintf("the policy has %d tiers; at most %d are allowed", len(p.Tiers), MaxTiers))
	}
	if p.PostpartumDays < 0 {
		pr.add("negative_postpartum_days", "", fmt.Sprintf("postpartum_days is %d; it must be zero (the 365-day default) or positive", p.PostpartumDays))
	}
	if p.PostpartumDays > MaxDays {
		pr.add("postpartum_days_too_large", "", fmt.Sprintf("postpartum_days is %d; at most %d are allowed", p.PostpartumDays, MaxDays))
	}
	if p.Removal.AfterFailedContacts < 0 || p.Removal.AfterDaysWithoutContact < 0 {
		pr.add("negative_removal_rule", CiteWaitingList, "the removal rule's limits must be zero (no removal) or positive")
	}
	if p.Removal.AfterFailedContacts > MaxDays || p.Removal.AfterDaysWithoutContact > MaxDays {
		pr.add("removal_rule_too_large", CiteWaitingList, fmt.Sprintf("the removal rule's limits may be at most %d", MaxDays))
	}
	for _, code := range p.InterimAlsoWhen {
		var c Condition
		if err := c.UnmarshalText([]byte(code)); err != nil || !c.IsValid() {
			pr.add("unknown_condition", CiteInterimDefinition, fmt.Sprintf("interim_also_when uses unknown condition %q", truncate(code, 32)))
		}
	}
	tiers := make([]ctier, 0, len(p.Tiers))
	seen := make(map[string]int, len(p.Tiers))
	catchAll := -1
	for i, t := range p.Tiers {
		label := t.Name
		if strings.TrimSpace(t.Name) == "" {
			pr.add("tier_missing_name", CitePreference, fmt.Sprintf("tier %d has no name", i+1))
			label = fmt.Sprintf("#%d", i+1)
		} else if j, dup := seen[t.Name]; dup {
			pr.add("duplicate_tier_name", CitePreference, fmt.Sprintf("tiers %d and %d are both named %q", j+1, i+1, truncate(t.Name, 32)))
		} else {
			seen[t.Name] = i
		}
		req, forb, bad := parseConditions(t.When, label, pr)
		ct := ctier{name: t.Name, req: req, forb: forb, cites: slices.Clone(t.Citations)}
		if len(ct.cites) == 0 {
			ct.cites = slices.Clone(p.Citations)
		}
		ct.cite = strings.Join(ct.cites, "; ")
		contradictory := req.Has(ConditionPregnant) && req.Has(ConditionPostpartum)
		if contradictory {
			pr.add("contradictory_tier", CitePreference, fmt.Sprintf("tier %q requires both pregnant and postpartum, which never hold together", truncate(label, 32)))
		}
		switch {
		case catchAll >= 0:
			pr.add("unreachable_tier", CitePreference, fmt.Sprintf("tier %q comes after the catch-all tier %d and can never match", truncate(label, 32), catchAll+1))
		case !contradictory && !bad:
			for j, u := range tiers {
				if u.bad || u.req.Has(ConditionPregnant) && u.req.Has(ConditionPostpartum) {
					continue
				}
				if req.Contains(u.req) && forb.Contains(u.forb) {
					pr.add("unreachable_tier", CitePreference, fmt.Sprintf("tier %q can never match: everyone it matches is matched first by tier %d", truncate(label, 32), j+1))
					break
				}
			}
		}
		ct.bad = bad
		if req == 0 && forb == 0 && !bad && catchAll < 0 {
			catchAll = i
		}
		tiers = append(tiers, ct)
	}
	return tiers
}

// Compile validates p and returns the immutable compiled policy. Every problem is listed in
// the returned *ValidationError (errors.Is(err, ErrInvalidPolicy)). When p.CalendarDaysZone is
// set, Compile loads the zone with time.LoadLocation, which reads the system's time zone
// database (or the one embedded by importing time/tzdata); use CompileIn to give the zone
// yourself.
func Compile(p Policy) (*Compiled, error) {
	var loc *time.Location
	var zoneErr bool
	if p.CalendarDaysZone != "" {
		l, err := time.LoadLocation(p.CalendarDaysZone)
		if err != nil {
			zoneErr = true
		} else {
			loc = l
		}
	}
	return compile(p, loc, zoneErr)
}

// CompileIn is Compile with the calendar-days zone given by the caller: loc must be the zone
// named by p.CalendarDaysZone (its name is not checked against the database). No I/O is done.
// A nil loc with a non-empty CalendarDaysZone is a problem.
func CompileIn(p Policy, loc *time.Location) (*Compiled, error) {
	if p.CalendarDaysZone == "" {
		loc = nil
	}
	return compile(p, loc, p.CalendarDaysZone != "" && loc == nil)
}

func compile(p Policy, loc *time.Location, zoneErr bool) (*Compiled, error) {
	var pr problems
	tiers := p.validate(&pr)
	if zoneErr {
		pr.add("unknown_time_zone", CiteInjectingAdmission, fmt.Sprintf("calendar_days_zone %q is not a known time zone", truncate(p.CalendarDaysZone, 32)))
	}
	if err := pr.err(ErrInvalidPolicy); err != nil {
		return nil, err
	}
	last := tiers[len(tiers)-1]
	if last.req != 0 || last.forb != 0 {
		cites := slices.Clone(p.Citations)
		tiers = append(tiers, ctier{name: "everyone_else", cites: cites, cite: strings.Join(cites, "; ")})
	}
	c := &Compiled{policy: p.Clone(), tiers: tiers, loc: loc, window: perinatal.DefaultPostpartumWindow()}
	if p.PostpartumDays > 0 {
		c.window = perinatal.PostpartumWindow{Days: p.PostpartumDays}
	}
	c.interimWhen = NewConditionSet(ConditionPregnant, ConditionInjectsDrugs)
	for _, code := range p.InterimAlsoWhen {
		var cd Condition
		_ = cd.UnmarshalText([]byte(code)) // validated above
		c.interimWhen = c.interimWhen.With(cd)
	}
	c.interimCite = slices.Clone(p.Citations)
	return c, nil
}

// MustCompile is Compile for policies known to be valid, such as Federal(); it panics on an
// invalid policy and is meant for tests and package-level setup only.
func MustCompile(p Policy) *Compiled {
	c, err := Compile(p)
	if err != nil {
		panic(err)
	}
	return c
}

// Policy returns a deep copy of the policy c was compiled from.
func (c *Compiled) Policy() Policy { return c.policy.Clone() }

// Name returns the policy's name.
func (c *Compiled) Name() string { return c.policy.Name }

// NumTiers returns the number of tiers, including the implicit last "everyone_else" tier that
// Compile appends when the policy's last tier is not a catch-all (so nobody is left unranked).
func (c *Compiled) NumTiers() int { return len(c.tiers) }

// TierName returns the name of the tier of the given 1-based rank, or "" if there is none.
func (c *Compiled) TierName(rank int) string {
	if rank < 1 || rank > len(c.tiers) {
		return ""
	}
	return c.tiers[rank-1].name
}

// TierCitations returns a copy of the citations of the tier of the given 1-based rank.
func (c *Compiled) TierCitations(rank int) []string {
	if rank < 1 || rank > len(c.tiers) {
		return nil
	}
	return slices.Clone(c.tiers[rank-1].cites)
}

// PostpartumWindow returns the window of the postpartum condition.
func (c *Compiled) PostpartumWindow() perinatal.PostpartumWindow { return c.window }

// Location returns the zone of calendar-day deadlines, or nil when deadlines run in elapsed time.
func (c *Compiled) Location() *time.Location { return c.loc }

// RemovalRule returns a copy of the policy's removal rule.
func (c *Compiled) RemovalRule() RemovalRule {
	r := c.policy.Removal
	r.Citations = slices.Clone(r.Citations)
	return r
}

// AfterDays returns the deadline of days days from from: from plus days×24 hours in elapsed
// mode, or, in calendar-day mode, the first instant of the calendar day after the days-th day
// following the day of from, in the policy's zone. A deadline is met by anything done at or
// before it.
func (c *Compiled) AfterDays(from time.Time, days int) time.Time {
	if c.loc == nil {
		return from.Add(time.Duration(days) * 24 * time.Hour)
	}
	y, m, d := from.In(c.loc).Date()
	return time.Date(y, m, d+days+1, 0, 0, 0, 0, c.loc)
}
