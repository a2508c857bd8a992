package priority

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/dyad-health/dyad/internal/jsonin"
)

func TestFederalCompiles(t *testing.T) {
	c, err := Compile(Federal())
	noErr(t, err)
	// 45 CFR 96.131(a)(1)-(4): four tiers in this order.
	want := []string{"pregnant_injecting", "pregnant", "injecting", "everyone_else"}
	var got []string
	for r := 1; r <= c.NumTiers(); r++ {
		got = append(got, c.TierName(r))
	}
	eq(t, want, got)
	eq(t, Citations("45 CFR 96.131(a)(1)"), c.TierCitations(1))
	eq(t, "", c.TierName(0))
	eq(t, "", c.TierName(5))
	eq(t, Citations(""), c.TierCitations(9))
	eq(t, (*time.Location)(nil), c.Location())
	eq(t, 365, c.PostpartumWindow().Days)
	eq(t, "federal", c.Name())
	eq(t, true, c.ForInjectingPopulation())
	eq(t, Federal().ID(), c.ID())
}

func TestFederalIsFresh(t *testing.T) {
	p := Federal()
	p.Tiers[0].When["veteran"] = true
	p.Tiers[0].Citations[0] = "changed"
	eq(t, map[string]bool{"pregnant": true, "injects_drugs": true}, Federal().Tiers[0].When)
}

func TestCompiledPolicyIsACopy(t *testing.T) {
	p := Federal()
	c := MustCompile(p)
	p.Tiers[0].Name = "changed"
	p.Tiers[1].When["veteran"] = true
	got := c.Policy()
	eq(t, Federal(), got)
	got.Tiers[0].Name = "again"
	eq(t, "pregnant_injecting", c.TierName(1))
}

// TestPolicyID: the identity changes with anything that can change a ranking or a deadline,
// and not with map order.
func TestPolicyID(t *testing.T) {
	a, b := Federal(), Federal()
	eq(t, a.ID(), b.ID())
	if !strings.HasPrefix(a.ID(), "sha256:") || len(a.ID()) != 71 {
		t.Errorf("ID %q", a.ID())
	}
	b.PostpartumDays = 30
	if a.ID() == b.ID() {
		t.Error("a different postpartum window has the same ID")
	}
	c := Federal()
	c.Tiers[0].When = map[string]bool{"injects_drugs": true, "pregnant": true} // same map, other insertion order
	eq(t, a.ID(), c.ID())
}

func TestPolicyValidationListsEveryProblem(t *testing.T) {
	tests := []struct {
		name string
		p    Policy
		want []Problem
	}{
		{
			name: "everything wrong",
			p: Policy{PostpartumDays: -3, InterimAlsoWhen: []string{"tall"}, Removal: RemovalRule{AfterDaysWithoutContact: -1},
				Tiers: []Tier{{Name: "x", When: map[string]bool{"pregnant": true, "postpartum": true}}, {}, {Name: "x"}, {Name: "y", When: map[string]bool{"injects_drugs": true}}}},
			want: []Problem{
				{Code: "missing_name", Path: "name", Message: "The policy has no name."},
				{Code: "negative_postpartum_days", Path: "postpartum_days", Message: "postpartum_days must be zero (the 365-day default) or positive."},
				{Code: "negative_removal_rule", Path: "removal", Cite: CiteWaitingList, Message: "The removal rule's limits must be zero (no removal) or positive."},
				{Code: "unknown_condition", Path: "interim_also_when[0]", Cite: CiteInterimDefinition, Message: "Not a condition."},
				{Code: "contradictory_tier", Path: "tiers[0].when", Cite: CitePreference, Message: `Tier "x" asks for conditions that never hold together.`},
				{Code: "tier_missing_name", Path: "tiers[1].name", Cite: CitePreference, Message: "The tier has no name."},
				{Code: "duplicate_tier_name", Path: "tiers[2].name", Cite: CitePreference, Message: `Tiers 1 and 3 are both named "x".`},
				{Code: "unreachable_tier", Path: "tiers[2]", Cite: CitePreference, Message: `Tier "x" comes after the catch-all tier 2 and can never match.`},
				{Code: "unreachable_tier", Path: "tiers[3]", Cite: CitePreference, Message: `Tier "y" comes after the catch-all tier 2 and can never match.`},
			},
		},
		{
			name: "too large",
			p:    Policy{Name: "s", PostpartumDays: 10001, Removal: RemovalRule{AfterFailedContacts: 10001}, Tiers: Federal().Tiers},
			want: []Problem{
				{Code: "postpartum_days_too_large", Path: "postpartum_days", Message: "postpartum_days may be at most 10000."},
				{Code: "removal_rule_too_large", Path: "removal", Cite: CiteWaitingList, Message: "The removal rule's limits may be at most 10000."},
			},
		},
		{
			name: "empty",
			p:    Policy{Name: "s"},
			want: []Problem{{Code: "empty_policy", Path: "tiers", Cite: CitePreference, Message: "The policy has no tiers."}},
		},
		{
			// Issue 13: a long or odd code never reaches the message; a name-like one reaches
			// the path, with a suggestion from the schema.
			name: "unknown codes",
			p: Policy{Name: "s", Tiers: []Tier{{Name: "t", When: map[string]bool{strings.Repeat("z", 100): true}},
				{Name: "u", When: map[string]bool{"pregnnat": true}}, {Name: "v", When: map[string]bool{"Jane Q Doe": true}}}},
			want: []Problem{
				{Code: "unknown_condition", Path: "tiers[0].when.?", Cite: CitePreference, Message: "Not a condition a tier may use."},
				{Code: "unknown_condition", Path: "tiers[1].when.pregnnat", Cite: CitePreference, Message: `Not a condition a tier may use; did you mean "pregnant"?`},
				{Code: "unknown_condition", Path: "tiers[2].when.?", Cite: CitePreference, Message: "Not a condition a tier may use."},
			},
		},
		{
			name: "names under the identifier rule",
			p:    Policy{Name: "State Policy\n", Tiers: []Tier{{Name: "the first tier"}}},
			want: []Problem{
				{Code: "invalid_name", Path: "name", Message: "The policy's name does not follow the rule: " + identRule},
				{Code: "invalid_tier_name", Path: "tiers[0].name", Cite: CitePreference, Message: "The tier's name does not follow the rule: " + identRule},
			},
		},
		{
			name: "a tier named like the implicit last tier",
			p:    Policy{Name: "s", NoInjectingPopulation: true, Tiers: []Tier{{Name: "pregnant", When: map[string]bool{"pregnant": true}}, {Name: "everyone_else", When: map[string]bool{"veteran": true}}}},
			want: []Problem{{Code: "duplicate_tier_name", Path: "tiers[1].name", Cite: CitePreference,
				Message: `The policy has no catch-all tier, so one named "everyone_else" is added last; the name is taken by a tier that is not a catch-all.`}},
		},
		{
			name: "forbidding a condition a later tier also forbids is subsumed",
			p: Policy{Name: "s", NoInjectingPopulation: true, Tiers: []Tier{
				{Name: "not_injecting", When: map[string]bool{"injects_drugs": false}},
				{Name: "pregnant_not_injecting", When: map[string]bool{"injects_drugs": false, "pregnant": true}},
				{Name: "all"}}},
			want: []Problem{{Code: "unreachable_tier", Path: "tiers[1]", Cite: CitePreference, Message: `Tier "pregnant_not_injecting" can never match: everyone it matches is matched first by tier 1.`}},
		},
		{
			name: "citations",
			p:    Policy{Name: "s", Citations: []string{"", "a; b"}, Tiers: Federal().Tiers},
			want: []Problem{
				{Code: "invalid_citation", Path: "citations[0]", Message: `A citation is 1 to 200 bytes without control characters, line or paragraph separators, or "; ".`},
				{Code: "invalid_citation", Path: "citations[1]", Message: `A citation is 1 to 200 bytes without control characters, line or paragraph separators, or "; ".`},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("got %v, want a *ValidationError", err)
			}
			isErr(t, err, ErrInvalidPolicy)
			eq(t, tt.want, ve.Problems)
			_, cerr := Compile(tt.p)
			isErr(t, cerr, ErrInvalidPolicy)
		})
	}
}

const identRule = "An identifier is 1 to 128 bytes of letters, digits and . _ - : / @ #."

// TestFederalFloor: 45 CFR 96.131(a) — "Programs which serve an injecting drug abuse
// population ... shall give preference to treatment as follows: (1) pregnant injecting drug
// users; (2) pregnant substance abusers; (3) injecting drug users; and (4) all others", and
// "all entities that serve women ... provide preference to pregnant women". A State may add
// tiers; it may not reorder the groups or merge two. Each policy below is one a State could
// write; "broken" lists the pairs of groups it puts out of order.
func TestFederalFloor(t *testing.T) {
	fed := Federal().Tiers
	tier := func(name string, when map[string]bool) Tier { return Tier{Name: name, When: when} }
	pp := tier("postpartum", map[string]bool{"postpartum": true})
	vet := tier("veterans", map[string]bool{"veteran": true})
	tests := []struct {
		name   string
		tiers  []Tier
		noInj  bool
		broken int
	}{
		{"federal", fed, false, 0},
		{"postpartum first among all others", []Tier{fed[0], fed[1], fed[2], pp, fed[3]}, false, 0},
		{"injecting veterans first among injecting", []Tier{fed[0], fed[1], tier("inj_vet", map[string]bool{"injects_drugs": true, "veteran": true}), fed[2], fed[3]}, false, 0},
		{"no catch-all: the implicit one is last", fed[:3], false, 0},
		{"postpartum above injecting (the example's old State policy)", []Tier{fed[0], fed[1], pp, fed[2], fed[3]}, false, 1},
		{"veterans above pregnant women", []Tier{vet, fed[0], fed[1], fed[2], fed[3]}, false, 6},
		{"a lone catch-all", []Tier{{Name: "all"}}, false, 6},
		{"pregnant women in one tier", []Tier{tier("pregnant", map[string]bool{"pregnant": true}), fed[2], fed[3]}, false, 1},
		{"pregnant women who do not inject first", []Tier{tier("pn", map[string]bool{"pregnant": true, "injects_drugs": false}), fed[0], fed[2], fed[3]}, false, 1},
		{"injecting before pregnant", []Tier{tier("inj_not_pregnant", map[string]bool{"injects_drugs": true, "pregnant": false}), fed[0], fed[1], fed[3]}, false, 2},
		{"women with children above injecting, even those not pregnant", []Tier{fed[0], fed[1], tier("children", map[string]bool{"dependent_children": true}), fed[2], fed[3]}, false, 1},
		{"no injecting population: pregnant first is enough", []Tier{tier("pregnant", map[string]bool{"pregnant": true}), pp, {Name: "all"}}, true, 0},
		{"no injecting population: veterans above pregnant women", []Tier{vet, tier("pregnant", map[string]bool{"pregnant": true}), {Name: "all"}}, true, 1},
		{"no injecting population: a lone catch-all", []Tier{{Name: "all"}}, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Policy{Name: "s", Tiers: tt.tiers, NoInjectingPopulation: tt.noInj}
			_, err := Compile(p)
			if tt.broken == 0 {
				noErr(t, err)
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("compiled; want %d federal_order_broken", tt.broken)
			}
			eq(t, strings.Split(strings.Repeat("federal_order_broken ", tt.broken), " ")[:tt.broken], ve.Codes())
			for _, p := range ve.Problems {
				eq(t, CitePreference, p.Cite)
			}
		})
	}
}

// TestFederalFloorProperty: for random policies, Compile accepts a policy exactly when, for
// every two people the conditions can describe, the one of an earlier federal group ranks
// strictly first. The check below is the naive one, pair by pair, over Classify.
func TestFederalFloorProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 131))
	codes := conditionNames[1:]
	var sets []ConditionSet
	possibleSets(func(s ConditionSet) { sets = append(sets, s) })
	accepted := 0
	for i := range 3000 {
		// Half the policies are random tiers; half add random tiers to the federal ones, at
		// random places, as a State would.
		var tiers []Tier
		if i%2 == 1 {
			tiers = Federal().Tiers[:3]
		}
		for range 1 + r.IntN(4) {
			when := map[string]bool{}
			for range r.IntN(4) {
				when[codes[r.IntN(len(codes))]] = r.IntN(4) > 0
			}
			at := r.IntN(len(tiers) + 1)
			tiers = append(tiers[:at], append([]Tier{{When: when}}, tiers[at:]...)...)
		}
		for j := range tiers {
			tiers[j].Name = fmt.Sprintf("t%d", j)
		}
		noInj := r.IntN(4) == 0
		p := Policy{Name: "p", Tiers: tiers, NoInjectingPopulation: noInj}
		shape := p
		// Judge the floor only for policies that are otherwise valid.
		var pr problems
		shapeTiers := shape.validateShape(&pr)
		if pr.len() > 0 {
			continue
		}
		c, err := Compile(p)
		ok := true
		for _, a := range sets {
			for _, b := range sets {
				if federalGroup(a, noInj) < federalGroup(b, noInj) && rankNaive(shapeTiers, a) >= rankNaive(shapeTiers, b) {
					ok = false
				}
			}
		}
		if ok != (err == nil) {
			t.Fatalf("policy %d %+v (no injecting population %v): naive check says %v, Compile says %v", i, tiers, noInj, ok, err)
		}
		if ok {
			accepted++
			for _, a := range sets {
				eq(t, rankNaive(shapeTiers, a)+1, c.ClassifyConditions(a).Rank)
			}
		}
	}
	t.Logf("%d random policies respected the floor", accepted)
	if accepted < 20 {
		t.Errorf("only %d random policies respected the floor: the test does not exercise acceptance", accepted)
	}
}

// rankNaive is the 0-based rank of s under tiers (with a catch-all after them).
func rankNaive(tiers []ctier, s ConditionSet) int {
	for i, t := range tiers {
		if s.Contains(t.req) && s&t.forb == 0 {
			return i
		}
	}
	return len(tiers)
}

// validateShape runs the policy's checks other than the floor, for tests.
func (p Policy) validateShape(pr *problems) []ctier {
	tiers := p.validate(pr)
	out := tiers[:0:0]
	for _, p := range pr.list {
		if p.Code != "federal_order_broken" {
			return tiers
		}
	}
	pr.list = nil
	out = append(out, tiers...)
	if n := len(out); n > 0 && out[n-1].name == implicitTier && out[n-1].req == 0 && out[n-1].forb == 0 {
		out = out[:n-1]
	}
	return out
}

func TestPolicyJSONRoundTrip(t *testing.T) {
	p := Federal()
	p.PostpartumDays = 180
	p.InterimAlsoWhen = []string{"postpartum"}
	p.CalendarDaysZone = "America/New_York"
	p.Removal = RemovalRule{AfterFailedContacts: 3, Citations: []string{"State Reg. 9"}}
	p.InterimWhileWaiting, p.StateReferralHours = true, 24
	b, err := json.Marshal(p)
	noErr(t, err)
	q, err := DecodePolicy(b, DecodeOptions{})
	noErr(t, err)
	eq(t, p, q)
	eq(t, p.ID(), q.ID())
}

// TestDecodePolicy: strict, path-naming, text-free, bounded (issues 12 and 13).
func TestDecodePolicy(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		codes []string
		paths []string
	}{
		{"misspelled member", `{"name":"s","tiers":[{"name":"all","whne":{"pregnant":true}}]}`, []string{"unknown_field"}, []string{"tiers[0].?"}},
		{"misspelled condition", `{"name":"s","tiers":[{"name":"p","when":{"pregnnat":true}},{"name":"all"}]}`, []string{"unknown_condition"}, []string{"tiers[0].when.pregnnat"}},
		{"case variant of a member", `{"name":"s","Name":"t","tiers":[]}`, []string{"duplicate_key"}, []string{"name"}},
		{"duplicate condition", `{"name":"s","tiers":[{"name":"p","when":{"pregnant":true,"pregnant":false}}]}`, []string{"duplicate_key"}, []string{"tiers[0].when.?"}},
		{"trailing data", `{"name":"federal"} {}`, []string{"trailing_data"}, []string{""}},
		{"wrong type", `{"name":"s","postpartum_days":"365","tiers":[]}`, []string{"wrong_type"}, []string{"postpartum_days"}},
		{"the federal floor", `{"name":"s","tiers":[{"name":"all"}]}`, strings.Fields(strings.Repeat("federal_order_broken ", 6)), []string{"tiers[0]", "tiers[0]", "tiers[0]", "tiers[0]", "tiers[0]", "tiers[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodePolicy([]byte(tt.in), DecodeOptions{})
			var ve *ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, ErrInvalidPolicy) {
				t.Fatalf("got %v", err)
			}
			eq(t, tt.codes, ve.Codes())
			var paths []string
			for _, p := range ve.Problems {
				paths = append(paths, p.Path)
			}
			eq(t, tt.paths, paths)
		})
	}
	// No input text in errors, whatever the input.
	for _, in := range []string{
		`{"name":"Jane Q Doe DOB 1990-04-01","tiers":[]}`,
		`{"Jane Q Doe DOB 1990-04-01":1}`,
		`{"name":"s","tiers":[{"name":"t","when":{"Jane Q Doe DOB 1990-04-01":true}}]}`,
		`{"name":"s","citations":["Jane Q Doe DOB 1990-04-01` + "\n" + `"],"tiers":[]}`,
		`{"name":"s","calendar_days_zone":"Jane Q Doe DOB 1990-04-01","tiers":[]}`,
	} {
		_, err := DecodePolicy([]byte(in), DecodeOptions{})
		if err == nil || strings.Contains(err.Error(), "Jane") || strings.Contains(err.Error(), "1990") {
			t.Errorf("%s: %v", in, err)
		}
	}
	// The byte limit is checked before anything is parsed.
	big := []byte(`{"name":"s","tiers":[` + strings.Repeat(`{"name":"x"},`, DefaultPolicyMaxBytes/12) + `{"name":"y"}]}`)
	_, err := DecodePolicy(big, DecodeOptions{})
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Codes()[0] != jsonin.CodeTooLarge {
		t.Errorf("a %d-byte policy: %v", len(big), err)
	}
	_, err = DecodePolicy([]byte(`{"name":"s","tiers":[{"name":"all"}]}`), DecodeOptions{MaxBytes: 10})
	if !errors.As(err, &ve) || ve.Codes()[0] != jsonin.CodeTooLarge {
		t.Errorf("MaxBytes 10: %v", err)
	}
	fed, _ := json.Marshal(Federal())
	p, err := DecodePolicy(fed, DecodeOptions{})
	noErr(t, err)
	eq(t, Federal(), p)
}

func TestCompileZones(t *testing.T) {
	p := Policy{Name: "s", CalendarDaysZone: "America/Chicago", Tiers: Federal().Tiers}
	c, err := Compile(p)
	noErr(t, err)
	eq(t, "America/Chicago", c.Location().String())

	loc := time.FixedZone("X", -6*3600)
	c2, err := CompileIn(p, loc)
	noErr(t, err)
	if c2.Location() != loc {
		t.Error("CompileIn did not keep the given zone")
	}

	_, err = CompileIn(p, nil)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v, want a *ValidationError", err)
	}
	eq(t, []string{"unknown_time_zone"}, ve.Codes())

	c3, err := CompileIn(Federal(), loc) // no zone named: elapsed time, loc ignored
	noErr(t, err)
	eq(t, (*time.Location)(nil), c3.Location())
}

func TestAfterDays(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	noErr(t, err)
	cal, err := CompileIn(Policy{Name: "s", CalendarDaysZone: "America/New_York", Tiers: Federal().Tiers}, ny)
	noErr(t, err)
	el := MustCompile(Federal())
	from := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC) // 03:00 EST, March 1
	tests := []struct {
		c    *Compiled
		days int
		want time.Time
	}{
		{el, 14, time.Date(2026, 3, 15, 8, 0, 0, 0, time.UTC)}, // 336 elapsed hours
		{el, 0, from}, // zero days: the moment itself
		// Calendar days end with the last day counted (96.126(b)(1) "not later than 14 days
		// after"): the last instant of that day, one nanosecond before the next local midnight.
		{cal, 14, time.Date(2026, 3, 16, 4, 0, 0, 0, time.UTC).Add(-time.Nanosecond)}, // end of March 15, EDT
		{cal, 0, time.Date(2026, 3, 2, 5, 0, 0, 0, time.UTC).Add(-time.Nanosecond)},   // end of March 1, EST
		{cal, 7, time.Date(2026, 3, 9, 4, 0, 0, 0, time.UTC).Add(-time.Nanosecond)},   // end of March 8, EDT (DST began March 8)
	}
	for _, tt := range tests {
		if got := tt.c.AfterDays(from, tt.days); !got.Equal(tt.want) {
			t.Errorf("AfterDays(%d) = %s, want %s", tt.days, got.UTC(), tt.want)
		}
	}
}

func TestMustCompilePanicsOnInvalid(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustCompile of an invalid policy did not panic")
		}
	}()
	MustCompile(Policy{})
}
