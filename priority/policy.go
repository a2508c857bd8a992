package priority

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/dyad-health/dyad/internal/ident"
	"github.com/dyad-health/dyad/internal/jsonin"
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
	CiteInterimNoPlacement  = "45 CFR 96.126(c)"
	CiteWomensPrograms      = "45 CFR 96.124(e)"
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
	// InterimWhileWaiting, a State option, owes interim services to everyone eligible who is
	// still waiting, even where a program had the capacity to admit her on the day of the
	// request. Off by default: 45 CFR 96.131(d) owes them to a pregnant woman "if no
	// treatment facility has the capacity to admit" her, and 96.126(b)(2), (c) to a person
	// who injects drugs who cannot be placed in treatment within 14 days.
	InterimWhileWaiting bool `json:"interim_while_waiting,omitempty"`
	// StateReferralHours is how many hours after a pregnant woman sought treatment the
	// program's referral to the State (96.131(c)) is due; 0 means 48. The regulation sets no
	// time; the referral is how the State comes to make interim services available within 48
	// hours of her request (96.131(d)), so it cannot come later than that: at most 48.
	StateReferralHours int `json:"state_referral_hours,omitempty"`
	// NoInjectingPopulation says the policy is for programs that do not serve an injecting
	// drug population. Only then may it set aside the four-group order of 96.131(a) for
	// people who inject drugs; it must still rank pregnant women first (96.131(a): "all
	// entities that serve women ... provide preference to pregnant women"). A program that
	// serves people who inject drugs (Program.ServesInjecting) is refused under such a policy.
	NoInjectingPopulation bool `json:"no_injecting_population,omitempty"`
}

// DefaultStateReferralHours is the due time of the State referral when a policy sets none.
const DefaultStateReferralHours = 48

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

// ID returns the policy's identity: "sha256:" and the hex SHA-256 of its JSON encoding (the
// encoding of encoding/json, whose member order is fixed and whose maps are sorted). Two
// policies with the same ID rank and judge everyone alike; waitlist events carry it, so that
// a list is never replayed under another policy.
func (p Policy) ID() string {
	b, err := json.Marshal(p)
	if err != nil { // a Policy has only strings, numbers, booleans, slices and maps
		panic(err)
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
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
	cite      Citations
	bad       bool // used an unknown condition (validation only)
}

// Compiled is a validated, immutable policy, safe for concurrent use. Build it with Compile.
type Compiled struct {
	policy        Policy
	tiers         []ctier
	window        perinatal.PostpartumWindow
	interimWhen   ConditionSet
	interimCite   []string // policy citations for the State's extension
	loc           *time.Location
	id            string
	referralHours int
}

// Validate checks p and returns a *ValidationError listing every problem, or nil. It does not
// look up CalendarDaysZone; Compile does. Besides the shape of the policy (names under the
// identifier rule and unique, known conditions, reachable tiers, bounded options) it checks
// the federal floor of 45 CFR 96.131(a) (see FederalFloor).
func (p Policy) Validate() error {
	var pr problems
	p.validate(&pr)
	return pr.err(ErrInvalidPolicy)
}

// conditionCode parses a condition code of a policy; ok is false for an unknown one.
func conditionCode(k string) (Condition, bool) {
	for i, n := range conditionNames {
		if i > 0 && n == k {
			return Condition(i), true
		}
	}
	return ConditionUnknown, false
}

// keyPath is a policy map key as a path component: the key itself when it looks like a
// schema name, "?" otherwise (jsonin.SafeName), so no input text reaches a message.
func keyPath(k string) string { return jsonin.SafeName([]byte(k)) }

// notCondition says a code is not a condition, suggesting the known one it is closest to
// (a schema name, never the input).
func notCondition(what, k string) string {
	if keyPath(k) != "?" {
		best, bestD := "", 3
		for _, n := range conditionNames[1:] {
			if d := editDistance(strings.ToLower(k), n); d < bestD {
				best, bestD = n, d
			}
		}
		if best != "" {
			return what + "; did you mean " + ident.Quote(best) + "?"
		}
	}
	return what + "."
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 99
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func parseConditions(codes map[string]bool, path string, pr *problems) (req, forb ConditionSet, bad bool) {
	keys := make([]string, 0, len(codes))
	for k := range codes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		c, ok := conditionCode(k)
		if !ok {
			pr.addAt("unknown_condition", path+"."+keyPath(k), CitePreference, notCondition("Not a condition a tier may use", k))
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

// maxCitationLen bounds one citation of a policy, in bytes.
const maxCitationLen = 200

// citationBreaks reports a rune a citation may not hold: every control character (Unicode
// category Cc, C1 controls such as NEL U+0085 included), invalid UTF-8 and the line and
// paragraph separators U+2028 and U+2029, any of which a log viewer may show as a line break
// (a forged line in a message that quotes the citation).
func citationBreaks(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == utf8.RuneError
}

func checkCitations(cites []string, path string, pr *problems) {
	for i, c := range cites {
		if c == "" || len(c) > maxCitationLen || strings.Contains(c, citeSep) ||
			strings.ContainsFunc(c, citationBreaks) {
			pr.addAt("invalid_citation", fmt.Sprintf("%s[%d]", path, i), "",
				fmt.Sprintf("A citation is 1 to %d bytes without control characters, line or paragraph separators, or \"; \".", maxCitationLen))
		}
	}
}

func (p Policy) validate(pr *problems) []ctier {
	switch {
	case p.Name == "":
		pr.addAt("missing_name", "name", "", "The policy has no name.")
	case !ident.Valid(p.Name):
		pr.addAt("invalid_name", "name", "", "The policy's name does not follow the rule: "+ident.Rule)
	}
	checkCitations(p.Citations, "citations", pr)
	if len(p.Tiers) == 0 {
		pr.addAt("empty_policy", "tiers", CitePreference, "The policy has no tiers.")
	}
	if len(p.Tiers) > MaxTiers {
		pr.addAt("too_many_tiers", "tiers", CitePreference, fmt.Sprintf("The policy has %d tiers; at most %d are allowed.", len(p.Tiers), MaxTiers))
	}
	if p.PostpartumDays < 0 {
		pr.addAt("negative_postpartum_days", "postpartum_days", "", "postpartum_days must be zero (the 365-day default) or positive.")
	}
	if p.PostpartumDays > MaxDays {
		pr.addAt("postpartum_days_too_large", "postpartum_days", "", fmt.Sprintf("postpartum_days may be at most %d.", MaxDays))
	}
	if p.Removal.AfterFailedContacts < 0 || p.Removal.AfterDaysWithoutContact < 0 {
		pr.addAt("negative_removal_rule", "removal", CiteWaitingList, "The removal rule's limits must be zero (no removal) or positive.")
	}
	if p.Removal.AfterFailedContacts > MaxDays || p.Removal.AfterDaysWithoutContact > MaxDays {
		pr.addAt("removal_rule_too_large", "removal", CiteWaitingList, fmt.Sprintf("The removal rule's limits may be at most %d.", MaxDays))
	}
	checkCitations(p.Removal.Citations, "removal.citations", pr)
	if p.StateReferralHours < 0 || p.StateReferralHours > DefaultStateReferralHours {
		pr.addAt("state_referral_hours_out_of_range", "state_referral_hours", CiteStateReferral,
			"state_referral_hours must be 0 (48 hours) or 1 to 48: the State makes interim services available within 48 hours of the request (45 CFR 96.131(d)).")
	}
	for i, code := range p.InterimAlsoWhen {
		if _, ok := conditionCode(code); !ok {
			pr.addAt("unknown_condition", fmt.Sprintf("interim_also_when[%d]", i), CiteInterimDefinition, notCondition("Not a condition", code))
		}
	}
	tiers := make([]ctier, 0, len(p.Tiers))
	seen := make(map[string]int, len(p.Tiers))
	catchAll := -1
	for i, t := range p.Tiers {
		path := fmt.Sprintf("tiers[%d]", i)
		label := t.Name
		switch {
		case t.Name == "":
			pr.addAt("tier_missing_name", path+".name", CitePreference, "The tier has no name.")
			label = fmt.Sprintf("#%d", i+1)
		case !ident.Valid(t.Name):
			pr.addAt("invalid_tier_name", path+".name", CitePreference, "The tier's name does not follow the rule: "+ident.Rule)
			label = fmt.Sprintf("#%d", i+1)
		case seen[t.Name] > 0:
			pr.addAt("duplicate_tier_name", path+".name", CitePreference, fmt.Sprintf("Tiers %d and %d are both named %s.", seen[t.Name], i+1, ident.Quote(t.Name)))
		default:
			seen[t.Name] = i + 1
		}
		checkCitations(t.Citations, path+".citations", pr)
		req, forb, bad := parseConditions(t.When, path+".when", pr)
		cites := t.Citations
		if len(cites) == 0 {
			cites = p.Citations
		}
		ct := ctier{name: t.Name, req: req, forb: forb, cite: NewCitations(cites...)}
		contradictory := req.Has(ConditionPregnant) && req.Has(ConditionPostpartum) ||
			req&forb != 0 ||
			(req.Has(ConditionPregnant) || req.Has(ConditionPostpartum)) && forb.Has(ConditionWoman)
		if contradictory {
			pr.addAt("contradictory_tier", path+".when", CitePreference, fmt.Sprintf("Tier %s asks for conditions that never hold together.", ident.Quote(label)))
		}
		switch {
		case catchAll >= 0:
			pr.addAt("unreachable_tier", path, CitePreference, fmt.Sprintf("Tier %s comes after the catch-all tier %d and can never match.", ident.Quote(label), catchAll+1))
		case !contradictory && !bad:
			for j, u := range tiers {
				if u.bad || u.req.Has(ConditionPregnant) && u.req.Has(ConditionPostpartum) || u.req&u.forb != 0 {
					continue
				}
				if req.Contains(u.req) && forb.Contains(u.forb) {
					pr.addAt("unreachable_tier", path, CitePreference, fmt.Sprintf("Tier %s can never match: everyone it matches is matched first by tier %d.", ident.Quote(label), j+1))
					break
				}
			}
		}
		ct.bad = bad || contradictory
		if req == 0 && forb == 0 && !bad && catchAll < 0 {
			catchAll = i
		}
		tiers = append(tiers, ct)
	}
	if pr.len() > 0 || len(tiers) == 0 {
		return tiers
	}
	if catchAll < 0 {
		if seen[implicitTier] > 0 {
			pr.addAt("duplicate_tier_name", fmt.Sprintf("tiers[%d].name", seen[implicitTier]-1), CitePreference,
				"The policy has no catch-all tier, so one named \"everyone_else\" is added last; the name is taken by a tier that is not a catch-all.")
			return tiers
		}
		tiers = append(tiers, ctier{name: implicitTier, cite: NewCitations(p.Citations...)})
	}
	checkFloor(tiers, p.NoInjectingPopulation, pr)
	return tiers
}

// implicitTier is the name of the catch-all tier Compile appends to a policy without one.
const implicitTier = "everyone_else"

// The federal groups of 45 CFR 96.131(a), in order.
var federalGroups = [...]struct {
	name, cite string
}{
	{"pregnant women who inject drugs", CitePreferencePregInj},
	{"other pregnant women", CitePreferencePregnant},
	{"other people who inject drugs", CitePreferenceInjecting},
	{"everyone else", CitePreferenceOthers},
}

// federalGroup returns the 0-based federal group of 96.131(a) of a person for whom the
// conditions s hold; for a policy of programs without an injecting population, 0 for a
// pregnant woman and 1 for anyone else (96.131(a): preference to pregnant women).
func federalGroup(s ConditionSet, noInjecting bool) int {
	preg, inj := s.Has(ConditionPregnant), s.Has(ConditionInjectsDrugs)
	switch {
	case noInjecting && preg:
		return 0
	case noInjecting:
		return 1
	case preg && inj:
		return 0
	case preg:
		return 1
	case inj:
		return 2
	}
	return 3
}

// possibleSets calls f with every set of conditions that can hold together: pregnant and
// postpartum never do, and either means a woman. There are 3 × 2^6 = 192 of them.
func possibleSets(f func(ConditionSet)) {
	free := []Condition{ConditionInjectsDrugs, ConditionDependentChildren, ConditionReferredByChildWelfare,
		ConditionLeavingIncarceration, ConditionVeteran, ConditionWoman}
	for _, repro := range []ConditionSet{0, NewConditionSet(ConditionPregnant, ConditionWoman), NewConditionSet(ConditionPostpartum, ConditionWoman)} {
		for m := range 1 << len(free) {
			s := repro
			for i, c := range free {
				if m&(1<<i) != 0 {
					s = s.With(c)
				}
			}
			f(s)
		}
	}
}

// checkFloor checks the federal floor of 45 CFR 96.131(a): whoever belongs to an earlier
// federal group is ranked strictly before whoever belongs to a later one, for every pair of
// people the conditions can describe. A State may add tiers (split a group, or rank within
// it); it may not put two groups in one tier (the earlier-come would go first whatever the
// group) nor reorder them. It lists one problem per pair of groups out of order.
func checkFloor(tiers []ctier, noInjecting bool, pr *problems) {
	rankOf := func(s ConditionSet) int {
		for i := range tiers {
			if s&tiers[i].req == tiers[i].req && s&tiers[i].forb == 0 {
				return i
			}
		}
		return len(tiers)
	}
	const none = -1
	var worst, best [4]int // per group: the latest and earliest rank given to its people
	var worstSet, bestSet [4]ConditionSet
	for g := range best {
		worst[g], best[g] = none, none
	}
	possibleSets(func(s ConditionSet) {
		g, r := federalGroup(s, noInjecting), rankOf(s)
		if worst[g] == none || r > worst[g] {
			worst[g], worstSet[g] = r, s
		}
		if best[g] == none || r < best[g] {
			best[g], bestSet[g] = r, s
		}
	})
	groups := 4
	if noInjecting {
		groups = 2
	}
	for g := 0; g < groups; g++ {
		for h := g + 1; h < groups; h++ {
			if worst[g] == none || best[h] == none || best[h] > worst[g] {
				continue
			}
			gname, hname := federalGroups[g].name, federalGroups[h].name
			cite := CitePreference
			if noInjecting {
				gname, hname = "pregnant women", "everyone else"
			}
			path := fmt.Sprintf("tiers[%d]", best[h])
			if best[h] >= len(tiers) || best[h] >= len(tiers)-1 && tiers[best[h]].name == implicitTier && worst[g] == best[h] {
				path = "tiers"
			}
			const rule = "45 CFR 96.131(a) admits %s before %s: a State may add tiers, never reorder the federal groups or put two in one tier."
			var msg string
			if best[h] == worst[g] {
				msg = fmt.Sprintf("Tier %s holds both %s (e.g. %s) and %s (e.g. %s), who would then go first if they asked first; "+rule,
					ident.Quote(tiers[best[h]].name), gname, worstSet[g], hname, bestSet[h], gname, hname)
			} else {
				msg = fmt.Sprintf("Tier %s ranks %s (e.g. %s) before tier %s, where %s (e.g. %s) are ranked; "+rule,
					ident.Quote(tiers[best[h]].name), hname, bestSet[h], ident.Quote(tiers[worst[g]].name), gname, worstSet[g], gname, hname)
			}
			pr.addAt("federal_order_broken", path, cite, msg)
		}
	}
}

// FederalFloor describes what a State may and may not configure, as Compile enforces it. It is
// the same text as the package documentation's section "What a State may configure".
const FederalFloor = "A State may add tiers built from the documented conditions, name them, cite its own rules, " +
	"choose the postpartum window, extend interim services to other conditions (and to everyone waiting), " +
	"count days in a time zone, set a removal rule for people it cannot reach and an earlier State-referral deadline. " +
	"It may not reorder the four federal groups of 45 CFR 96.131(a) or put two of them in one tier, " +
	"rank anyone before a pregnant woman in a program that serves women, drop the interim services, " +
	"the 14- and 120-day admission deadlines, the 48-hour limit or the 7-day capacity notice."

// Compile validates p and returns the immutable compiled policy. Every problem is listed in
// the returned *ValidationError (errors.Is(err, ErrInvalidPolicy)); in particular a policy
// that breaks the federal order of 45 CFR 96.131(a) is refused with that paragraph. When
// p.CalendarDaysZone is set, Compile loads the zone with time.LoadLocation, which reads the
// system's time zone database (or the one embedded by importing time/tzdata); use CompileIn
// to give the zone yourself.
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
		pr.addAt("unknown_time_zone", "calendar_days_zone", CiteInjectingAdmission, "calendar_days_zone is not a known time zone.")
	}
	if err := pr.err(ErrInvalidPolicy); err != nil {
		return nil, err
	}
	c := &Compiled{policy: p.Clone(), tiers: tiers, loc: loc, window: perinatal.DefaultPostpartumWindow(), id: p.ID()}
	if p.PostpartumDays > 0 {
		c.window = perinatal.PostpartumWindow{Days: p.PostpartumDays}
	}
	c.interimWhen = NewConditionSet(ConditionPregnant, ConditionInjectsDrugs)
	for _, code := range p.InterimAlsoWhen {
		cd, _ := conditionCode(code) // validated above
		c.interimWhen = c.interimWhen.With(cd)
	}
	c.interimCite = slices.Clone(p.Citations)
	c.referralHours = p.StateReferralHours
	if c.referralHours == 0 {
		c.referralHours = DefaultStateReferralHours
	}
	return c, nil
}

// DecodeOptions bound a decoder. A zero field takes the decoder's documented default.
type DecodeOptions struct {
	// MaxBytes is the largest input accepted, checked before anything is parsed.
	MaxBytes int
}

// DefaultPolicyMaxBytes is DecodePolicy's default byte limit: 1 MiB, far more than a policy of
// MaxTiers tiers needs.
const DefaultPolicyMaxBytes = 1 << 20

// DecodePolicy reads a policy from JSON strictly and validates it (Validate). Unknown or
// misspelled members, members given twice (in any letter case), trailing data, input over
// o.MaxBytes (DefaultPolicyMaxBytes by default) and wrong types are problems naming the JSON
// path ("tiers[2].when.pregnnat"), listed together with the policy's own problems, as a
// *ValidationError matching ErrInvalidPolicy; messages never quote the input's values. The
// work is linear in the input's size.
func DecodePolicy(data []byte, o DecodeOptions) (Policy, error) {
	var p Policy
	var pr problems
	pr.fromJSON(jsonin.Decode(data, &p, jsonin.Options{MaxBytes: o.maxBytes(DefaultPolicyMaxBytes)}))
	if pr.len() == 0 {
		p.validate(&pr)
	}
	if err := pr.err(ErrInvalidPolicy); err != nil {
		return Policy{}, err
	}
	return p, nil
}

func (o DecodeOptions) maxBytes(def int) int {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return def
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

// TierCitations returns the citations of the tier of the given 1-based rank.
func (c *Compiled) TierCitations(rank int) Citations {
	if rank < 1 || rank > len(c.tiers) {
		return ""
	}
	return c.tiers[rank-1].cite
}

// ID returns the identity of the policy c was compiled from (Policy.ID).
func (c *Compiled) ID() string { return c.id }

// ForInjectingPopulation reports whether the policy may serve programs that treat people who
// inject drugs (it keeps the four federal groups in order): every policy but one with
// NoInjectingPopulation.
func (c *Compiled) ForInjectingPopulation() bool { return !c.policy.NoInjectingPopulation }

// StateReferralDue returns when the referral of a pregnant woman to the State is due: the
// policy's StateReferralHours (48 by default) after she sought treatment.
func (c *Compiled) StateReferralDue(a Applicant) time.Time {
	return a.SoughtAt.Add(time.Duration(c.referralHours) * time.Hour)
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
// mode, or, in calendar-day mode, the last instant (one nanosecond before midnight) of the
// days-th calendar day following the day of from, in the policy's zone. A deadline is met by
// anything done at or before it, so in calendar-day mode anything done on the days-th day
// is on time and anything on the next day, its first instant included, is late: 45 CFR
// 96.126(b)(1) "not later than 14 days after making the request" ends with the 14th day
// (an admission recorded as a date only, at 00:00 of the 15th day, is late).
func (c *Compiled) AfterDays(from time.Time, days int) time.Time {
	if c.loc == nil {
		return from.Add(time.Duration(days) * 24 * time.Hour)
	}
	y, m, d := from.In(c.loc).Date()
	return time.Date(y, m, d+days+1, 0, 0, 0, 0, c.loc).Add(-time.Nanosecond)
}
