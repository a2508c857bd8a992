package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestRun checks lines worked out by hand from 45 CFR 96.126 and 96.131.
func TestRun(t *testing.T) {
	var b bytes.Buffer
	if err := run(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"1. A-104  tier 1 pregnant_injecting",                                // 96.131(a)(1)
		"admission        due 2026-06-30 09:00   open",                       // interim in 10 h, so 120 days from March 2 09:00
		"admission        due 2026-03-16 13:00   open",                       // no interim yet, 14 days
		"Program: capacity_notice due 2026-03-08 06:00, open",                // reached 90% March 1 06:00, + 7 days
		"A-103 interim_services was due 2026-03-04 10:00 (45 CFR 96.131(d))", // 48 h after 10:00 March 2
		"6. A-107  tier 3 injecting",                                         // reclassified after reporting injection use
		"A-103 state_referral was due 2026-03-04 10:00 (45 CFR 96.131(c))",   // full program, not referred: due 48 h after her request
		"state_referral   due 2026-03-04 11:00   met",                        // A-104 referred at 18:00 on March 2
		"Next bed goes to A-104",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "A-104 interim_services was due") || strings.Contains(out, "A-102 interim_services was due") {
		t.Errorf("people given interim services on time are listed as overdue:\n%s", out)
	}
}
