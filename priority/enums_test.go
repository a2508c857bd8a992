package priority

import (
	"encoding/json"
	"strings"
	"testing"
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
		{"Condition", []string{"unknown", "pregnant", "injects_drugs", "postpartum", "dependent_children", "referred_by_child_welfare", "leaving_incarceration", "veteran"},
			func(v uint8) string { return Condition(v).String() }, func(v uint8) bool { return Condition(v).IsValid() },
			func(v uint8) ([]byte, error) { return Condition(v).MarshalText() },
			func(b []byte) (uint8, error) { var x Condition; err := x.UnmarshalText(b); return uint8(x), err }},
		{"ObligationKind", []string{"unknown", "interim_services", "admission", "state_referral", "capacity_notice"},
			func(v uint8) string { return ObligationKind(v).String() }, func(v uint8) bool { return ObligationKind(v).IsValid() },
			func(v uint8) ([]byte, error) { return ObligationKind(v).MarshalText() },
			func(b []byte) (uint8, error) { var x ObligationKind; err := x.UnmarshalText(b); return uint8(x), err }},
		{"ObligationState", []string{"unknown", "open", "overdue", "met", "met_late"},
			func(v uint8) string { return ObligationState(v).String() }, func(v uint8) bool { return ObligationState(v).IsValid() },
			func(v uint8) ([]byte, error) { return ObligationState(v).MarshalText() },
			func(b []byte) (uint8, error) { var x ObligationState; err := x.UnmarshalText(b); return uint8(x), err }},
		{"InterimElement", []string{"unknown", "hiv_tb_education", "needle_sharing_risks", "transmission_to_partners_and_infants", "transmission_prevention_steps", "hiv_tb_treatment_referral", "fetal_effects_counseling", "prenatal_care_referral"},
			func(v uint8) string { return InterimElement(v).String() }, func(v uint8) bool { return InterimElement(v).IsValid() },
			func(v uint8) ([]byte, error) { return InterimElement(v).MarshalText() },
			func(b []byte) (uint8, error) { var x InterimElement; err := x.UnmarshalText(b); return uint8(x), err }},
		{"RemovalReason", []string{"unknown", "admitted", "declined", "unreachable", "admitted_elsewhere"},
			func(v uint8) string { return RemovalReason(v).String() }, func(v uint8) bool { return RemovalReason(v).IsValid() },
			func(v uint8) ([]byte, error) { return RemovalReason(v).MarshalText() },
			func(b []byte) (uint8, error) { var x RemovalReason; err := x.UnmarshalText(b); return uint8(x), err }},
		{"EventKind", []string{"unknown", "added", "facts_updated", "contact_attempted", "interim_delivered", "state_referred", "removed", "reclassified"},
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
			_, err := c.parse([]byte(strings.Repeat("Q", 50)))
			if err == nil || !strings.Contains(err.Error(), strings.Repeat("Q", 32)+"…") || strings.Contains(err.Error(), strings.Repeat("Q", 33)) {
				t.Errorf("unknown code error %v: want the code truncated to 32 bytes", err)
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
	eq(t, 7, len(Conditions()))

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
	eq(t, true, StateOverdue.Pending())
	eq(t, false, StateMetLate.Pending())
}

func TestValidationErrorText(t *testing.T) {
	err := Policy{}.Validate()
	eq(t, "priority: invalid policy: missing_name: the policy has no name; empty_policy: the policy has no tiers", err.Error())
	eq(t, "priority: invalid", (&ValidationError{}).Error())
}
