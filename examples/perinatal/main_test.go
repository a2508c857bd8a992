package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestRunText(t *testing.T) {
	var b bytes.Buffer
	if err := run(&b, false); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	// Each expected line was derived by hand from the scenario (LMP 2026-01-01, delivery
	// 2026-09-16 22:40 UTC = day 258 = 36w6d).
	for _, want := range []string{
		"EDD 2026-10-08",
		"13w6d    first",
		"14w0d    second",
		"28w0d    third",
		"O99.322",
		"at 36w6d: preterm",
		"outcome: AFFECTED",
		"must     cps_notification",
		"must     plan_of_safe_care",
		"P96.1",
		"6 problems, all listed at once",
		"✓ valid",
		"DOES_NOT_MEET",
		"✗ no_bed_sharing",
		"Thu 2027-09-16 22:40 UTC postpartum",
		"Thu 2027-09-16 22:41 UTC not_pregnant",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

func TestRunJSON(t *testing.T) {
	var b bytes.Buffer
	if err := run(&b, true); err != nil {
		t.Fatal(err)
	}
	var r struct {
		EDD           string `json:"edd"`
		Determination struct {
			Outcome string `json:"outcome"`
		} `json:"determination"`
		PlanProblems []any `json:"plan_problems"`
	}
	if err := json.Unmarshal(b.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if r.EDD != "2026-10-08" || r.Determination.Outcome != "affected" || r.PlanProblems == nil || len(r.PlanProblems) != 0 {
		t.Errorf("unexpected report: %+v", r)
	}
}
