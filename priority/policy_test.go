package priority

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
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
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tiers (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"45 CFR 96.131(a)(1)"}, c.TierCitations(1)); diff != "" {
		t.Error(diff)
	}
	eq(t, "", c.TierName(0))
	eq(t, "", c.TierName(5))
	eq(t, []string(nil), c.TierCitations(9))
	eq(t, (*time.Location)(nil), c.Location())
	eq(t, 365, c.PostpartumWindow().Days)
	eq(t, "federal", c.Name())
}

func TestFederalIsFresh(t *testing.T) {
	p := Federal()
	p.Tiers[0].When["veteran"] = true
	p.Tiers[0].Citations[0] = "changed"
	if diff := cmp.Diff(Federal().Tiers[0].When, map[string]bool{"pregnant": true, "injects_drugs": true}); diff != "" {
		t.Errorf("Federal() shares state between calls:\n%s", diff)
	}
}

func TestCompiledPolicyIsACopy(t *testing.T) {
	p := Federal()
	c := MustCompile(p)
	p.Tiers[0].Name = "changed"
	p.Tiers[1].When["veteran"] = true
	got := c.Policy()
	if diff := cmp.Diff(Federal(), got); diff != "" {
		t.Errorf("compiled policy changed with its source (-want +got):\n%s", diff)
	}
	got.Tiers[0].Name = "again"
	eq(t, "pregnant_injecting", c.TierName(1))
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
				{Code: "missing_name", Message: "the policy has no name"},
				{Code: "negative_postpartum_days", Message: "postpartum_days is -3; it must be zero (the 365-day default) or positive"},
				{Code: "negative_removal_rule", Cite: CiteWaitingList, Message: "the removal rule's limits must be zero (no removal) or positive"},
				{Code: "unknown_condition", Cite: CiteInterimDefinition, Message: `interim_also_when uses unknown condition "tall"`},
				{Code: "contradictory_tier", Cite: CitePreference, Message: `tier "x" requires both pregnant and postpartum, which never hold together`},
				{Code: "tier_missing_name", Cite: CitePreference, Message: "tier 2 has no name"},
				{Code: "duplicate_tier_name", Cite: CitePreference, Message: `tiers 1 and 3 are both named "x"`},
				{Code: "unreachable_tier", Cite: CitePreference, Message: `tier "x" comes after the catch-all tier 2 and can never match`},
				{Code: "unreachable_tier", Cite: CitePreference, Message: `tier "y" comes after the catch-all tier 2 and can never match`},
			},
		},
		{
			name: "too large",
			p:    Policy{Name: "s", PostpartumDays: 10001, Removal: RemovalRule{AfterFailedContacts: 10001}, Tiers: []Tier{{Name: "all"}}},
			want: []Problem{
				{Code: "postpartum_days_too_large", Message: "postpartum_days is 10001; at most 10000 are allowed"},
				{Code: "removal_rule_too_large", Cite: CiteWaitingList, Message: "the removal rule's limits may be at most 10000"},
			},
		},
		{
			name: "empty",
			p:    Policy{Name: "s"},
			want: []Problem{{Code: "empty_policy", Cite: CitePreference, Message: "the policy has no tiers"}},
		},
		{
			name: "long unknown code is truncated",
			p:    Policy{Name: "s", Tiers: []Tier{{Name: "t", When: map[string]bool{strings.Repeat("z", 100): true}}}},
			want: []Problem{{Code: "unknown_condition", Cite: CitePreference, Message: `tier "t" uses unknown condition "` + strings.Repeat("z", 32) + `…"`}},
		},
		{
			name: "forbidding a condition a later tier also forbids is subsumed",
			p: Policy{Name: "s", Tiers: []Tier{
				{Name: "not_injecting", When: map[string]bool{"injects_drugs": false}},
				{Name: "pregnant_not_injecting", When: map[string]bool{"injects_drugs": false, "pregnant": true}},
				{Name: "all"}}},
			want: []Problem{{Code: "unreachable_tier", Cite: CitePreference, Message: `tier "pregnant_not_injecting" can never match: everyone it matches is matched first by tier 1`}},
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
			if diff := cmp.Diff(tt.want, ve.Problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			_, cerr := Compile(tt.p)
			isErr(t, cerr, ErrInvalidPolicy)
		})
	}
}

func TestPolicyJSONRoundTrip(t *testing.T) {
	p := Federal()
	p.PostpartumDays = 180
	p.InterimAlsoWhen = []string{"postpartum"}
	p.CalendarDaysZone = "America/New_York"
	p.Removal = RemovalRule{AfterFailedContacts: 3, Citations: []string{"State Reg. 9"}}
	b, err := json.Marshal(p)
	noErr(t, err)
	var q Policy
	noErr(t, json.Unmarshal(b, &q))
	if diff := cmp.Diff(p, q); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestCompileZones(t *testing.T) {
	p := Policy{Name: "s", CalendarDaysZone: "America/Chicago", Tiers: []Tier{{Name: "all"}}}
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
	cal, err := CompileIn(Policy{Name: "s", CalendarDaysZone: "America/New_York", Tiers: []Tier{{Name: "all"}}}, ny)
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
		{cal, 14, time.Date(2026, 3, 16, 4, 0, 0, 0, time.UTC)}, // start of March 16, EDT
		{cal, 0, time.Date(2026, 3, 2, 5, 0, 0, 0, time.UTC)},   // end of March 1, EST
		{cal, 7, time.Date(2026, 3, 9, 4, 0, 0, 0, time.UTC)},   // start of March 9, EDT (DST began March 8)
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
