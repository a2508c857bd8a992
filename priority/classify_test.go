package priority

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

func TestClassifyFederal(t *testing.T) {
	c := MustCompile(Federal())
	at := t0.Add(time.Hour)
	pi := NewConditionSet(ConditionPregnant, ConditionInjectsDrugs)
	tests := []struct {
		name string
		a    Applicant
		want Classification
	}{
		{"pregnant injecting: 96.131(a)(1)", Applicant{ID: "a", SoughtAt: t0, Pregnant: true, InjectsDrugs: true},
			Classification{Rank: 1, Tier: "pregnant_injecting", Matched: pi, Conditions: pi, Citations: "45 CFR 96.131(a)(1)"}},
		{"pregnant: 96.131(a)(2)", Applicant{ID: "a", SoughtAt: t0, Pregnant: true, DependentChildren: true},
			Classification{Rank: 2, Tier: "pregnant", Matched: NewConditionSet(ConditionPregnant),
				Conditions: NewConditionSet(ConditionPregnant, ConditionDependentChildren), Citations: "45 CFR 96.131(a)(2)"}},
		{"injecting: 96.131(a)(3)", Applicant{ID: "a", SoughtAt: t0, InjectsDrugs: true, Veteran: true},
			Classification{Rank: 3, Tier: "injecting", Matched: NewConditionSet(ConditionInjectsDrugs),
				Conditions: NewConditionSet(ConditionInjectsDrugs, ConditionVeteran), Citations: "45 CFR 96.131(a)(3)"}},
		{"everyone else: 96.131(a)(4)", Applicant{ID: "a", SoughtAt: t0, ReferredByChildWelfare: true, LeavingIncarceration: true},
			Classification{Rank: 4, Tier: "everyone_else",
				Conditions: NewConditionSet(ConditionReferredByChildWelfare, ConditionLeavingIncarceration), Citations: "45 CFR 96.131(a)(4)"}},
		{"delivered before the moment judged: no longer pregnant, injecting",
			Applicant{ID: "a", SoughtAt: t0, Pregnant: true, InjectsDrugs: true, DeliveredAt: t0},
			Classification{Rank: 3, Tier: "injecting", Matched: NewConditionSet(ConditionInjectsDrugs),
				Conditions: NewConditionSet(ConditionInjectsDrugs, ConditionPostpartum), Citations: "45 CFR 96.131(a)(3)"}},
		{"delivery recorded for later: still pregnant",
			Applicant{ID: "a", SoughtAt: t0, Pregnant: true, DeliveredAt: at.Add(time.Hour)},
			Classification{Rank: 2, Tier: "pregnant", Matched: NewConditionSet(ConditionPregnant),
				Conditions: NewConditionSet(ConditionPregnant), Citations: "45 CFR 96.131(a)(2)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eq(t, tt.want, c.Classify(tt.a, at))
		})
	}
}

func TestClassifyImplicitLastTier(t *testing.T) {
	c := MustCompile(Policy{Name: "s", Citations: []string{"State Reg. 1"}, Tiers: []Tier{{Name: "veterans", When: map[string]bool{"veteran": true}}}})
	eq(t, 2, c.NumTiers())
	eq(t, Classification{Rank: 2, Tier: "everyone_else", Citations: "State Reg. 1"}, c.Classify(Applicant{ID: "x", SoughtAt: t0}, t0))
	// A tier with no citations of its own takes the policy's.
	eq(t, Classification{Rank: 1, Tier: "veterans", Matched: NewConditionSet(ConditionVeteran), Conditions: NewConditionSet(ConditionVeteran), Citations: "State Reg. 1"},
		c.Classify(Applicant{ID: "x", SoughtAt: t0, Veteran: true}, t0))
	eq(t, []string{"State Reg. 1"}, c.Classify(Applicant{ID: "x", Veteran: true}, t0).CitationList())
	eq(t, []string(nil), Classification{}.CitationList())
	eq(t, "1 veterans (veteran)", c.Classify(Applicant{ID: "x", Veteran: true}, t0).String())
}

func TestClassificationChangesAt(t *testing.T) {
	c := MustCompile(Policy{Name: "s", PostpartumDays: 10, Tiers: []Tier{{Name: "pp", When: map[string]bool{"postpartum": true}}, {Name: "all"}}})
	d := t0.Add(48 * time.Hour)
	end := d.Add(10 * 24 * time.Hour)
	tests := []struct {
		name string
		a    Applicant
		at   time.Time
		want time.Time
	}{
		{"no delivery", Applicant{Pregnant: true}, t0, time.Time{}},
		{"delivery ahead", Applicant{Pregnant: true, DeliveredAt: d}, t0, d},
		{"inside the window", Applicant{Pregnant: true, DeliveredAt: d}, d, end.Add(time.Nanosecond)},
		{"last instant of the window", Applicant{Pregnant: true, DeliveredAt: d}, end, end.Add(time.Nanosecond)},
		{"after the window", Applicant{Pregnant: true, DeliveredAt: d}, end.Add(time.Nanosecond), time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { eq(t, tt.want, c.ClassificationChangesAt(tt.a, tt.at)) })
	}
}

func TestApplicantValidate(t *testing.T) {
	tests := []struct {
		a    Applicant
		want []string
	}{
		{Applicant{ID: "ok", SoughtAt: t0}, nil},
		{Applicant{}, []string{"missing_id", "missing_sought_at"}},
		{Applicant{ID: strings.Repeat("x", 65), SoughtAt: t0}, []string{"id_too_long"}},
		{Applicant{ID: "a\nb", SoughtAt: t0}, []string{"id_control_character"}},
	}
	for _, tt := range tests {
		err := tt.a.Validate()
		var ve *ValidationError
		if tt.want == nil {
			noErr(t, err)
			continue
		}
		if !errors.As(err, &ve) || !errors.Is(err, ErrInvalidApplicant) {
			t.Fatalf("got %v", err)
		}
		eq(t, tt.want, ve.Codes())
	}
}

func TestClassifyDoesNotAllocate(t *testing.T) {
	c := MustCompile(Federal())
	a := Applicant{ID: "a", SoughtAt: t0, Pregnant: true, DeliveredAt: t0.Add(time.Hour)}
	if n := testing.AllocsPerRun(100, func() { _ = c.Classify(a, t0) }); n != 0 {
		t.Errorf("Classify allocates %v times per call", n)
	}
}

// TestCompiledConcurrentUse runs classifications and obligations from several goroutines on
// one compiled policy (meaningful under -race) and checks they all agree.
func TestCompiledConcurrentUse(t *testing.T) {
	c := MustCompile(Federal())
	a := Applicant{ID: "W", SoughtAt: t0, Pregnant: true, InjectsDrugs: true}
	want := c.Classify(a, t0)
	errs := make(chan string, 4)
	for range 4 {
		go func() {
			for i := range 200 {
				at := t0.Add(time.Duration(i) * time.Hour)
				if got := c.Classify(a, at); got.Rank != want.Rank {
					errs <- got.String()
					return
				}
				_ = c.Obligations(a, Progress{}, Program{Beds: 1, Occupied: 1}, at)
			}
			errs <- ""
		}()
	}
	for range 4 {
		if e := <-errs; e != "" {
			t.Errorf("classification changed under concurrent use: %s", e)
		}
	}
}
