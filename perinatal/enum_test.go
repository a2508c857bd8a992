package perinatal

import (
	"encoding"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// enumCase describes one enum: its codes in order, and a factory for a fresh value.
type enumCase struct {
	name  string
	codes []string
	value func(i int) interface {
		fmt.Stringer
		encoding.TextMarshaler
		IsValid() bool
	}
	fresh func() encoding.TextUnmarshaler
	back  func(u encoding.TextUnmarshaler) int
}

func enumCases() []enumCase {
	return []enumCase{
		{"Trimester", []string{"unknown", "first", "second", "third"},
			func(i int) interface {
				fmt.Stringer
				encoding.TextMarshaler
				IsValid() bool
			} {
				return Trimester(i)
			}, func() encoding.TextUnmarshaler { return new(Trimester) }, func(u encoding.TextUnmarshaler) int { return int(*u.(*Trimester)) }},
		{"Term", []string{"unknown", "preterm", "early_term", "full_term", "late_term", "postterm"},
			func(i int) interface {
				fmt.Stringer
				encoding.TextMarshaler
				IsValid() bool
			} {
				return Term(i)
			}, func() encoding.TextUnmarshaler { return new(Term) }, func(u encoding.TextUnmarshaler) int { return int(*u.(*Term)) }},
		{"Substance", []string{"unknown", "opioids", "alcohol", "stimulants", "cannabis", "sedatives", "tobacco_nicotine", "other"},
			func(i int) interface {
				fmt.Stringer
				encoding.TextMarshaler
				IsValid() bool
			} {
				return Substance(i)
			}, func() encoding.TextUnmarshaler { return new(Substance) }, func(u encoding.TextUnmarshaler) int { return int(*u.(*Substance)) }},
		{"Route", []string{"unknown", "injection", "non_injection"},
			func(i int) interface {
				fmt.Stringer
				encoding.TextMarshaler
				IsValid() bool
			} {
				return Route(i)
			}, func() encoding.TextUnmarshaler { return new(Route) }, func(u encoding.TextUnmarshaler) int { return int(*u.(*Route)) }},
		{"MOUD", []string{"unknown", "none", "methadone", "buprenorphine", "naltrexone"},
			func(i int) interface {
				fmt.Stringer
				encoding.TextMarshaler
				IsValid() bool
			} {
				return MOUD(i)
			}, func() encoding.TextUnmarshaler { return new(MOUD) }, func(u encoding.TextUnmarshaler) int { return int(*u.(*MOUD)) }},
		{"Finding", []string{"unknown", "absent", "present"},
			func(i int) interface {
				fmt.Stringer
				encoding.TextMarshaler
				IsValid() bool
			} {
				return Finding(i)
			}, func() encoding.TextUnmarshaler { return new(Finding) }, func(u encoding.TextUnmarshaler) int { return int(*u.(*Finding)) }},
		{"Affected", []string{"unknown", "affected", "not_affected"},
			func(i int) interface {
				fmt.Stringer
				encoding.TextMarshaler
				IsValid() bool
			} {
				return Affected(i)
			}, func() encoding.TextUnmarshaler { return new(Affected) }, func(u encoding.TextUnmarshaler) int { return int(*u.(*Affected)) }},
		{"ObligationKind", []string{"unknown", "cps_notification", "plan_of_safe_care"},
			func(i int) interface {
				fmt.Stringer
				encoding.TextMarshaler
				IsValid() bool
			} {
				return ObligationKind(i)
			}, func() encoding.TextUnmarshaler { return new(ObligationKind) }, func(u encoding.TextUnmarshaler) int { return int(*u.(*ObligationKind)) }},
		{"Recipient", []string{"unknown", "infant", "caregiver"},
			func(i int) interface {
				fmt.Stringer
				encoding.TextMarshaler
				IsValid() bool
			} {
				return Recipient(i)
			}, func() encoding.TextUnmarshaler { return new(Recipient) }, func(u encoding.TextUnmarshaler) int { return int(*u.(*Recipient)) }},
		{"NeedDomain", []string{"unknown", "health", "substance_use_treatment", "mental_health", "developmental", "parenting", "basic_needs", "recovery_support"},
			func(i int) interface {
				fmt.Stringer
				encoding.TextMarshaler
				IsValid() bool
			} {
				return NeedDomain(i)
			}, func() encoding.TextUnmarshaler { return new(NeedDomain) }, func(u encoding.TextUnmarshaler) int { return int(*u.(*NeedDomain)) }},
		{"PartyRole", []string{"unknown", "coordinator", "caregiver", "health_care_provider", "sud_treatment", "child_welfare", "early_intervention", "home_visiting", "recovery_support", "other"},
			func(i int) interface {
				fmt.Stringer
				encoding.TextMarshaler
				IsValid() bool
			} {
				return PartyRole(i)
			}, func() encoding.TextUnmarshaler { return new(PartyRole) }, func(u encoding.TextUnmarshaler) int { return int(*u.(*PartyRole)) }},
		{"Answer", []string{"unknown", "met", "unmet"},
			func(i int) interface {
				fmt.Stringer
				encoding.TextMarshaler
				IsValid() bool
			} {
				return Answer(i)
			}, func() encoding.TextUnmarshaler { return new(Answer) }, func(u encoding.TextUnmarshaler) int { return int(*u.(*Answer)) }},
		{"SleepItem", []string{"unknown", "back_to_sleep", "firm_flat_surface", "own_space_in_room", "no_bed_sharing", "no_soft_objects", "no_overheating", "smoke_free", "no_alcohol_or_drugs", "pacifier_offered", "tummy_time", "breastfeeding_supported"},
			func(i int) interface {
				fmt.Stringer
				encoding.TextMarshaler
				IsValid() bool
			} {
				return SleepItem(i)
			}, func() encoding.TextUnmarshaler { return new(SleepItem) }, func(u encoding.TextUnmarshaler) int { return int(*u.(*SleepItem)) }},
		{"SleepOutcome", []string{"unknown", "meets", "does_not_meet"},
			func(i int) interface {
				fmt.Stringer
				encoding.TextMarshaler
				IsValid() bool
			} {
				return SleepOutcome(i)
			}, func() encoding.TextUnmarshaler { return new(SleepOutcome) }, func(u encoding.TextUnmarshaler) int { return int(*u.(*SleepOutcome)) }},
	}
}

// TestEnums checks every enum against its code table written out by hand above: zero is
// "unknown" and invalid, codes round-trip, out-of-range values and unknown codes fail
// with ErrUnknownCode, and the quoted code is truncated.
func TestEnums(t *testing.T) {
	for _, ec := range enumCases() {
		t.Run(ec.name, func(t *testing.T) {
			for i, code := range ec.codes {
				v := ec.value(i)
				if v.String() != code || v.IsValid() != (i != 0) {
					t.Errorf("%d: String = %q, IsValid = %v; want %q", i, v.String(), v.IsValid(), code)
				}
				b, err := v.MarshalText()
				if err != nil || string(b) != code {
					t.Errorf("%d: MarshalText = %q, %v", i, b, err)
				}
				u := ec.fresh()
				if err := u.UnmarshalText([]byte(code)); err != nil || ec.back(u) != i {
					t.Errorf("UnmarshalText(%q) = %d, %v", code, ec.back(u), err)
				}
			}
			out := ec.value(len(ec.codes))
			if out.IsValid() || !strings.HasPrefix(out.String(), ec.name+"(") {
				t.Errorf("out of range: String = %q, IsValid = %v", out.String(), out.IsValid())
			}
			if _, err := out.MarshalText(); !errors.Is(err, ErrUnknownCode) {
				t.Errorf("out of range MarshalText err = %v", err)
			}
			u := ec.fresh()
			err := u.UnmarshalText([]byte("Jane Doe " + strings.Repeat("z", 40)))
			if !errors.Is(err, ErrUnknownCode) || strings.Contains(err.Error(), strings.Repeat("z", 30)) {
				t.Errorf("unknown code err = %v", err)
			}
			if err := u.UnmarshalText([]byte(strings.ToUpper(ec.codes[1]))); !errors.Is(err, ErrUnknownCode) {
				t.Errorf("codes are case-sensitive; got %v", err)
			}
		})
	}
}

func TestSubstanceUseHistory(t *testing.T) {
	h := SubstanceUseHistory{Uses: []SubstanceUse{{SubstanceOpioids, RouteInjection}, {SubstanceTobacco, RouteNonInjection}}, MOUD: MOUDBuprenorphine}
	if err := h.Validate(); err != nil {
		t.Fatal(err)
	}
	if !h.InjectsDrugs() || !h.UsesSubstance(SubstanceTobacco) || h.UsesSubstance(SubstanceAlcohol) {
		t.Error("helpers wrong")
	}
	if (SubstanceUseHistory{Uses: []SubstanceUse{{SubstanceOpioids, RouteNonInjection}}}).InjectsDrugs() {
		t.Error("non-injection counted as injection")
	}
	// Maintenance without current use is valid: she may be in remission.
	if err := (SubstanceUseHistory{MOUD: MOUDMethadone}).Validate(); err != nil {
		t.Errorf("MOUD without use: %v", err)
	}
	bad := SubstanceUseHistory{Uses: []SubstanceUse{{0, RouteInjection}, {SubstanceAlcohol, 0}, {SubstanceAlcohol, RouteNonInjection}}, MOUD: MOUD(17)}
	var ve *ValidationError
	if err := bad.Validate(); !errors.As(err, &ve) {
		t.Fatalf("err = %v", err)
	}
	want := []string{"unknown_substance", "route_unknown", "duplicate_substance", "unknown_moud"}
	if got := ve.Codes(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("codes = %v, want %v", got, want)
	}
	if !MOUDMethadone.IsMedication() || MOUDNone.IsMedication() || MOUDUnknown.IsMedication() {
		t.Error("IsMedication wrong")
	}
	if !SubstanceCannabis.IsDrug() || SubstanceAlcohol.IsDrug() || SubstanceTobacco.IsDrug() || SubstanceUnknown.IsDrug() {
		t.Error("IsDrug wrong")
	}
}
