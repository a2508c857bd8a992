package priority

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dyad-health/dyad/perinatal"
)

// The classifications below follow 45 CFR 96.131(a): (1) pregnant women who inject drugs,
// (2) other pregnant women, (3) other people who inject drugs, (4) all others.
func TestClassifyFederal(t *testing.T) {
	c := MustCompile(Federal())
	at := t0.Add(time.Hour)
	woman := NewConditionSet(ConditionWoman)
	pi := NewConditionSet(ConditionPregnant, ConditionInjectsDrugs)
	tests := []struct {
		name string
		a    Applicant
		want Classification
	}{
		{"pregnant injecting: 96.131(a)(1)", Applicant{ID: "a", SoughtAt: t0, Pregnant: true, InjectsDrugs: true},
			Classification{Rank: 1, Tier: "pregnant_injecting", Matched: pi, Conditions: pi | woman, Citations: "45 CFR 96.131(a)(1)"}},
		{"pregnant: 96.131(a)(2)", Applicant{ID: "a", SoughtAt: t0, Pregnant: true, DependentChildren: true},
			Classification{Rank: 2, Tier: "pregnant", Matched: NewConditionSet(ConditionPregnant),
				Conditions: NewConditionSet(ConditionPregnant, ConditionDependentChildren, ConditionWoman), Citations: "45 CFR 96.131(a)(2)"}},
		{"injecting: 96.131(a)(3)", Applicant{ID: "a", SoughtAt: t0, InjectsDrugs: true, Veteran: true},
			Classification{Rank: 3, Tier: "injecting", Matched: NewConditionSet(ConditionInjectsDrugs),
				Conditions: NewConditionSet(ConditionInjectsDrugs, ConditionVeteran), Citations: "45 CFR 96.131(a)(3)"}},
		{"everyone else: 96.131(a)(4)", Applicant{ID: "a", SoughtAt: t0, ReferredByChildWelfare: true, LeavingIncarceration: true},
			Classification{Rank: 4, Tier: "everyone_else",
				Conditions: NewConditionSet(ConditionReferredByChildWelfare, ConditionLeavingIncarceration), Citations: "45 CFR 96.131(a)(4)"}},
		{"this pregnancy ended before the moment judged: no longer pregnant, injecting",
			Applicant{ID: "a", SoughtAt: t0, Pregnant: true, InjectsDrugs: true, Pregnancy: perinatal.Pregnancy{DeliveredAt: t0}},
			Classification{Rank: 3, Tier: "injecting", Matched: NewConditionSet(ConditionInjectsDrugs),
				Conditions: NewConditionSet(ConditionInjectsDrugs, ConditionPostpartum, ConditionWoman), Citations: "45 CFR 96.131(a)(3)"}},
		{"end recorded for later: still pregnant",
			Applicant{ID: "a", SoughtAt: t0, Pregnant: true, Pregnancy: perinatal.Pregnancy{DeliveredAt: at.Add(time.Hour)}},
			Classification{Rank: 2, Tier: "pregnant", Matched: NewConditionSet(ConditionPregnant),
				Conditions: NewConditionSet(ConditionPregnant, ConditionWoman), Citations: "45 CFR 96.131(a)(2)"}},
		// Issue 12: the old code read "pregnant" beside any delivery on or before the moment
		// judged as no longer pregnant, so a woman pregnant again lost her priority.
		{"pregnant again, an earlier delivery kept apart: 96.131(a)(1)",
			Applicant{ID: "a", SoughtAt: t0, Pregnant: true, InjectsDrugs: true, PriorDeliveryAt: t0.AddDate(0, -8, 0)},
			Classification{Rank: 1, Tier: "pregnant_injecting", Matched: pi, Conditions: pi | woman, Citations: "45 CFR 96.131(a)(1)"}},
		{"the former delivered_at beside a pregnancy, before the time sought: read as an earlier delivery",
			Applicant{ID: "a", SoughtAt: t0, Pregnant: true, DeliveredAt: t0.AddDate(0, -8, 0)},
			Classification{Rank: 2, Tier: "pregnant", Matched: NewConditionSet(ConditionPregnant),
				Conditions: NewConditionSet(ConditionPregnant, ConditionWoman), Citations: "45 CFR 96.131(a)(2)"}},
		{"the former delivered_at beside a pregnancy, after the time sought: ends it",
			Applicant{ID: "a", SoughtAt: t0, Pregnant: true, DeliveredAt: t0.Add(time.Minute)},
			Classification{Rank: 4, Tier: "everyone_else", Conditions: NewConditionSet(ConditionPostpartum, ConditionWoman), Citations: "45 CFR 96.131(a)(4)"}},
		{"a dated pregnancy without the flag is a pregnancy",
			Applicant{ID: "a", SoughtAt: t0, Pregnancy: perinatal.PregnancyFromEDD(t0.AddDate(0, 3, 0))},
			Classification{Rank: 2, Tier: "pregnant", Matched: NewConditionSet(ConditionPregnant),
				Conditions: NewConditionSet(ConditionPregnant, ConditionWoman), Citations: "45 CFR 96.131(a)(2)"}},
		{"a pregnancy loss ends the pregnancy like a birth",
			Applicant{ID: "a", SoughtAt: t0, Pregnant: true, Pregnancy: perinatal.Pregnancy{DeliveredAt: t0, Outcome: perinatal.OutcomePregnancyLoss}},
			Classification{Rank: 4, Tier: "everyone_else", Conditions: NewConditionSet(ConditionPostpartum, ConditionWoman), Citations: "45 CFR 96.131(a)(4)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eq(t, tt.want, c.Classify(tt.a, at))
		})
	}
}

func TestClassifyImplicitLastTier(t *testing.T) {
	c := MustCompile(Policy{Name: "s", Citations: []string{"State Reg. 1"}, NoInjectingPopulation: true,
		Tiers: []Tier{{Name: "pregnant", When: map[string]bool{"pregnant": true}}}})
	eq(t, 2, c.NumTiers())
	eq(t, Classification{Rank: 2, Tier: "everyone_else", Citations: "State Reg. 1"}, c.Classify(Applicant{ID: "x", SoughtAt: t0}, t0))
	// A tier with no citations of its own takes the policy's.
	got := c.Classify(Applicant{ID: "x", SoughtAt: t0, Pregnant: true}, t0)
	eq(t, Classification{Rank: 1, Tier: "pregnant", Matched: NewConditionSet(ConditionPregnant), Conditions: NewConditionSet(ConditionPregnant, ConditionWoman), Citations: "State Reg. 1"}, got)
	eq(t, []string{"State Reg. 1"}, got.Citations.List())
	eq(t, []string{"State Reg. 1"}, got.CitationList()) // the deprecated name
	eq(t, []string(nil), Classification{}.CitationList())
	eq(t, `1 pregnant (pregnant)`, Classification{Rank: 1, Tier: "pregnant", Matched: NewConditionSet(ConditionPregnant)}.String())
	eq(t, `1 "a\nb" (none)`, Classification{Rank: 1, Tier: "a\nb"}.String())
}

func TestClassificationChangesAt(t *testing.T) {
	c := MustCompile(Policy{Name: "s", PostpartumDays: 10, Tiers: append(Federal().Tiers[:3:3], Tier{Name: "pp", When: map[string]bool{"postpartum": true}}, Tier{Name: "all"})})
	d := t0.Add(48 * time.Hour)
	end := d.Add(10 * 24 * time.Hour)
	ended := func(t time.Time) perinatal.Pregnancy { return perinatal.Pregnancy{DeliveredAt: t} }
	tests := []struct {
		name string
		a    Applicant
		at   time.Time
		want time.Time
	}{
		{"no delivery", Applicant{Pregnant: true}, t0, time.Time{}},
		{"end ahead", Applicant{Pregnant: true, Pregnancy: ended(d)}, t0, d},
		{"inside the window", Applicant{Pregnant: true, Pregnancy: ended(d)}, d, end.Add(time.Nanosecond)},
		{"last instant of the window", Applicant{Pregnant: true, Pregnancy: ended(d)}, end, end.Add(time.Nanosecond)},
		{"after the window", Applicant{Pregnant: true, Pregnancy: ended(d)}, end.Add(time.Nanosecond), time.Time{}},
		{"pregnant again: an earlier delivery's window changes nothing", Applicant{Pregnant: true, PriorDeliveryAt: d}, d, time.Time{}},
		{"an earlier delivery, not pregnant", Applicant{PriorDeliveryAt: d}, d, end.Add(time.Nanosecond)},
		// Issue 13: the last moment in range must not overflow or loop.
		{"the last moment accepted", Applicant{PriorDeliveryAt: time.Date(2199, 12, 31, 23, 59, 59, 999999999, time.UTC)}, t0, time.Date(2199, 12, 31, 23, 59, 59, 999999999, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { eq(t, tt.want, c.ClassificationChangesAt(tt.a, tt.at)) })
	}
}

// TestApplicantValidate covers the door: the identifier rule (issue 13 rejects "Jane Doe" and
// " a-1 "), the time range, and facts that cannot be read one way only (issue 12).
func TestApplicantValidate(t *testing.T) {
	tests := []struct {
		name string
		a    Applicant
		want []string
	}{
		{"valid", Applicant{ID: "ok", SoughtAt: t0}, nil},
		{"empty", Applicant{}, []string{"invalid_id", "missing_sought_at"}},
		{"a name, not an identifier", Applicant{ID: "Jane Doe", SoughtAt: t0}, []string{"invalid_id"}},
		{"spaces around", Applicant{ID: " a-1 ", SoughtAt: t0}, []string{"invalid_id"}},
		{"a newline", Applicant{ID: "a\nb", SoughtAt: t0}, []string{"invalid_id"}},
		{"129 bytes", Applicant{ID: strings.Repeat("x", 129), SoughtAt: t0}, []string{"invalid_id"}},
		{"128 bytes", Applicant{ID: strings.Repeat("x", 128), SoughtAt: t0}, nil},
		{"year 20260", Applicant{ID: "y", SoughtAt: time.Date(20260, 1, 1, 0, 0, 0, 0, time.UTC)}, []string{"time_out_of_range"}},
		{"year 1899", Applicant{ID: "y", SoughtAt: t0, PriorDeliveryAt: time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)}, []string{"time_out_of_range"}},
		{"pregnant beside a delivery before the time sought", Applicant{ID: "w", SoughtAt: t0, Pregnant: true, DeliveredAt: t0.AddDate(0, -8, 0)}, []string{"ambiguous_delivery"}},
		{"a delivery on the very moment sought is before it too", Applicant{ID: "w", SoughtAt: t0, Pregnant: true, DeliveredAt: t0}, []string{"ambiguous_delivery"}},
		{"the former field beside the new ones", Applicant{ID: "w", SoughtAt: t0, DeliveredAt: t0, PriorDeliveryAt: t0}, []string{"delivered_at_with_replacement"}},
		{"an earlier delivery after this pregnancy ended", Applicant{ID: "w", SoughtAt: t0, Pregnant: true, Pregnancy: perinatal.Pregnancy{DeliveredAt: t0}, PriorDeliveryAt: t0.Add(time.Hour)}, []string{"prior_delivery_not_before_end"}},
		{"an outcome with no end", Applicant{ID: "w", SoughtAt: t0, Pregnancy: perinatal.Pregnancy{Outcome: perinatal.OutcomeLiveBirth}}, []string{"pregnancy_outcome_without_end"}},
		{"an EDD before the LMP", Applicant{ID: "w", SoughtAt: t0, Pregnancy: perinatal.Pregnancy{LMP: t0, EDD: t0.AddDate(0, -1, 0)}}, []string{"pregnancy_edd_not_after_lmp"}},
		{"a capacity fact out of range", Applicant{ID: "w", SoughtAt: t0, CapacityAtRequest: Capacity(9)}, []string{"unknown_code"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.a.Validate()
			if tt.want == nil {
				noErr(t, err)
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, ErrInvalidApplicant) {
				t.Fatalf("got %v", err)
			}
			eq(t, tt.want, ve.Codes())
			if strings.Contains(err.Error(), "Jane") {
				t.Errorf("the error quotes the input: %v", err)
			}
		})
	}
}

func TestClassifyDoesNotAllocate(t *testing.T) {
	c := MustCompile(Federal())
	a := Applicant{ID: "a", SoughtAt: t0, Pregnant: true, Pregnancy: perinatal.Pregnancy{DeliveredAt: t0.Add(time.Hour)}, PriorDeliveryAt: t0.AddDate(-1, 0, 0)}
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
				if _, err := c.Obligations(a, Progress{}, Program{Beds: 1, Occupied: 1}, at); err != nil {
					errs <- err.Error()
					return
				}
			}
			errs <- ""
		}()
	}
	for range 4 {
		if e := <-errs; e != "" {
			t.Errorf("under concurrent use: %s", e)
		}
	}
}
