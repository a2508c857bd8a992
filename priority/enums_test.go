package priority

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/dyad-health/dyad/internal/jsonin"
)

type enumCase struct {
	name    string
	codes   []string // in value order, from 0
	str     func(uint8) string
	valid   func(uint8) bool
	marshal func(uint8) ([]byte, error)
	parse   func([]byte) (uint8, error)
}

func TestEnums(t *testing.T) {
	cases := []enumCase{
		{"Condition", []string{"unknown", "pregnant", "injects_drugs", "postpartum", "dependent_children", "referred_by_child_welfare", "leaving_incarceration", "veteran", "woman"},
			func(v uint8) string { return Condition(v).String() }, func(v uint8) bool { return Condition(v).IsValid() },
			func(v uint8) ([]byte, error) { return Condition(v).MarshalText() },
			func(b []byte) (uint8, error) { var x Condition; err := x.UnmarshalText(b); return uint8(x), err }},
		{"ObligationKind", []string{"unknown", "interim_services", "admission", "state_referral", "capacity_notice"},
			func(v uint8) string { return ObligationKind(v).String() }, func(v uint8) bool { return ObligationKind(v).IsValid() },
			func(v uint8) ([]byte, error) { return ObligationKind(v).MarshalText() },
			func(b []byte) (uint8, error) { var x ObligationKind; err := x.UnmarshalText(b); return uint8(x), err }},
		{"ObligationStatus", []string{"unknown", "open", "overdue", "met", "met_late", "missed", "closed"},
			func(v uint8) string { return ObligationStatus(v).String() }, func(v uint8) bool { return ObligationStatus(v).IsValid() },
			func(v uint8) ([]byte, error) { return ObligationStatus(v).MarshalText() },
			func(b []byte) (uint8, error) { var x ObligationStatus; err := x.UnmarshalText(b); return uint8(x), err }},
		{"InterimElement", []string{"unknown", "hiv_tb_education", "needle_sharing_risks", "transmission_to_partners_and_infants", "transmission_prevention_steps", "hiv_tb_treatment_referral", "fetal_effects_counseling", "prenatal_care_referral"},
			func(v uint8) string { return InterimElement(v).String() }, func(v uint8) bool { return InterimElement(v).IsValid() },
			func(v uint8) ([]byte, error) { return InterimElement(v).MarshalText() },
			func(b []byte) (uint8, error) { var x InterimElement; err := x.UnmarshalText(b); return uint8(x), err }},
		{"RemovalReason", []string{"unknown", "admitted", "declined", "unreachable", "admitted_elsewhere"},
			func(v uint8) string { return RemovalReason(v).String() }, func(v uint8) bool { return RemovalReason(v).IsValid() },
			func(v uint8) ([]byte, error) { return RemovalReason(v).MarshalText() },
			func(b []byte) (uint8, error) { var x RemovalReason; err := x.UnmarshalText(b); return uint8(x), err }},
		{"EventKind", []string{"unknown", "added", "facts_updated", "contact_attempted", "interim_delivered", "state_referred", "removed", "reclassified", "occupancy", "capacity_notified", "policy_changed"},
			func(v uint8) string { return EventKind(v).String() }, func(v uint8) bool { return EventKind(v).IsValid() },
			func(v uint8) ([]byte, error) { return EventKind(v).MarshalText() },
			func(b []byte) (uint8, error) { var x EventKind; err := x.UnmarshalText(b); return uint8(x), err }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for i, code := range c.codes {
				v := uint8(i)
				eq(t, code, c.str(v))
				eq(t, i != 0, c.valid(v))
				b, err := c.marshal(v)
				noErr(t, err)
				eq(t, code, string(b))
				back, err := c.parse([]byte(code))
				noErr(t, err)
				eq(t, v, back)
			}
			out := uint8(len(c.codes))
			eq(t, false, c.valid(out))
			eq(t, c.name+"(", c.str(out)[:len(c.name)+1])
			if _, err := c.marshal(out); err == nil {
				t.Error("marshalled an out-of-range value")
			}
			// Issue 13: an unknown code is reported by its kind, never quoted.
			_, err := c.parse([]byte("Jane Q Doe " + strings.Repeat("Q", 50)))
			var ve *jsonin.ValueError
			if !errors.As(err, &ve) || ve.Code != CodeUnknownCode || strings.Contains(err.Error(), "Jane") || strings.Contains(err.Error(), "QQ") {
				t.Errorf("unknown code error %v: want a *jsonin.ValueError naming no input", err)
			}
		})
	}
}

func TestSets(t *testing.T) {
	s := NewConditionSet(ConditionInjectsDrugs, ConditionPregnant)
	eq(t, "pregnant+injects_drugs", s.String())
	eq(t, "none", ConditionSet(0).String())
	eq(t, 2, s.Len())
	eq(t, true, s.Contains(NewConditionSet(ConditionPregnant)))
	b, err := json.Marshal(s)
	noErr(t, err)
	eq(t, `["pregnant","injects_drugs"]`, string(b))
	var back ConditionSet
	noErr(t, json.Unmarshal(b, &back))
	eq(t, s, back)
	for _, bad := range []string{`["unknown"]`, `["x"]`, `{}`} {
		if json.Unmarshal([]byte(bad), &back) == nil {
			t.Errorf("decoded %s", bad)
		}
	}
	if _, err := json.Marshal(ConditionSet(1 << 15)); err == nil {
		t.Error("marshalled an invalid condition")
	}
	eq(t, 8, len(Conditions()))

	es := BaseElements | PregnancyElements
	b, err = json.Marshal(es)
	noErr(t, err)
	eq(t, `["hiv_tb_education","needle_sharing_risks","transmission_to_partners_and_infants","transmission_prevention_steps","hiv_tb_treatment_referral","fetal_effects_counseling","prenatal_care_referral"]`, string(b))
	var eback ElementSet
	noErr(t, json.Unmarshal(b, &eback))
	eq(t, es, eback)
	eq(t, "none", ElementSet(0).String())
	eq(t, "fetal_effects_counseling+prenatal_care_referral", PregnancyElements.String())
	if json.Unmarshal([]byte(`["unknown"]`), &eback) == nil {
		t.Error("decoded an unknown element")
	}
	if _, err := json.Marshal(ElementSet(1)); err == nil {
		t.Error("marshalled the unknown element")
	}
	eq(t, true, StatusOverdue.Pending())
	eq(t, false, StatusMetLate.Pending())
	eq(t, true, StatusMissed.Final())
	eq(t, false, StatusOpen.Final())
	// The former names are aliases of the new ones (issue 18: "State" is the government).
	var old ObligationState = StateOverdue
	eq(t, StatusOverdue, old)
	eq(t, []ObligationStatus{StatusUnknown, StatusOpen, StatusOverdue, StatusMet, StatusMetLate}, []ObligationStatus{StateUnknown, StateOpen, StateOverdue, StateMet, StateMetLate})
}

func TestCapacityJSON(t *testing.T) {
	for c, want := range map[Capacity]string{CapacityAvailable: "true", CapacityNone: "false", CapacityUnknown: "null"} {
		b, err := json.Marshal(c)
		noErr(t, err)
		eq(t, want, string(b))
		var back Capacity
		noErr(t, jsonin.Decode([]byte(`{"c":`+want+`}`), &struct {
			C *Capacity `json:"c"`
		}{&back}, jsonin.Options{}))
		eq(t, c, back)
	}
	var c Capacity
	if err := c.UnmarshalJSON([]byte(`"yes"`)); err == nil {
		t.Error("decoded a string")
	}
	if _, err := json.Marshal(Capacity(7)); err == nil {
		t.Error("marshalled an invalid capacity")
	}
}

// TestCitations: one type for every answer's citations (issue 18), a list in JSON.
func TestCitations(t *testing.T) {
	c := NewCitations(CiteInterimPregnant, CiteInterimDefinition)
	eq(t, "45 CFR 96.131(d); 45 CFR 96.121", c.String())
	eq(t, 2, c.Len())
	eq(t, CiteInterimPregnant, c.First())
	eq(t, true, c.Has(CiteInterimDefinition))
	eq(t, false, c.Has("45 CFR 96.131"))
	eq(t, false, c.Has(""))
	b, err := json.Marshal(c)
	noErr(t, err)
	eq(t, `["45 CFR 96.131(d)","45 CFR 96.121"]`, string(b))
	var back Citations
	noErr(t, json.Unmarshal(b, &back))
	eq(t, c, back)
	b, _ = json.Marshal(Citations(""))
	eq(t, "[]", string(b))
	eq(t, 0, Citations("").Len())
	for _, bad := range []string{`["a; b"]`, `[""]`, `"x"`, `[1]`} {
		if json.Unmarshal([]byte(bad), &back) == nil {
			t.Errorf("decoded %s", bad)
		}
	}
}

func TestValidationErrorText(t *testing.T) {
	err := Policy{}.Validate()
	eq(t, "priority: invalid policy: missing_name at name: The policy has no name.; empty_policy at tiers: The policy has no tiers.", err.Error())
	eq(t, "priority: invalid", (&ValidationError{}).Error())
}

// TestProblemsCapped: a policy with many bad tiers lists at most maxProblems problems and
// says how many more there were (issue 13: 200k bad tiers gave a 19.5 MB error).
func TestProblemsCapped(t *testing.T) {
	p := Policy{Name: "p"}
	for range 5000 {
		p.Tiers = append(p.Tiers, Tier{Name: "x", When: map[string]bool{"nonsense": true}})
	}
	err := p.Validate()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatal(err)
	}
	eq(t, maxProblems+1, len(ve.Problems))
	eq(t, jsonin.CodeTooManyProblems, ve.Problems[maxProblems].Code)
	if len(err.Error()) > 40000 {
		t.Errorf("error of %d bytes", len(err.Error()))
	}
}
