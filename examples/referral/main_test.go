package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestMain lets the test binary run the program's main when asked to, so that TestRun can
// check what a person running `go run ./examples/referral` sees.
func TestMain(m *testing.M) {
	if os.Getenv("DYAD_REFERRAL_EXAMPLE_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestRun checks lines worked out by hand from the rules the example applies.
func TestRun(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "DYAD_REFERRAL_EXAMPLE_MAIN=1")
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("example failed: %v\n%s", err, b)
	}
	out := string(b)
	for _, want := range []string{
		// The consent gate: no SUD-bearing referral is requested before a permit is recorded.
		`refused before consent: referral "R-PN-1": consent gate closed: consent_missing`,
		// 45 CFR 96.131(d): sought 2026-03-02 09:00, prenatal-care referral due 48 h later;
		// sent 2026-03-03 14:00, in time.
		"R-PN-1   interim_prenatal   sent         due 2026-03-04 09:00  met",
		// The permit's obligations travel with the referral (42 CFR 2.32, 2.25).
		"notice_2_32 (42 CFR 2.32(a))",
		// 34 CFR 303.303: within 7 days of identification; sent 2026-07-27, in time.
		"R-EI-1   early_intervention sent         due 2026-07-29 10:00  met",
		// The pediatric referral the plan lists was never sent: overdue on 2026-08-10.
		"R-PED-1  plan_of_safe_care  sent         due 2026-08-07 12:00  overdue",
		// Measures: sent 2026-03-03 14:00, accepted 2026-03-04 11:00; nothing accepted yet
		// for the pediatric referral, so no median; EI sent 07-27 09:00, accepted 07-30 10:00.
		"prenatal_care      sent 1 accepted 1 completed 0 overdue 0 median to acceptance 21h0m0s",
		"pediatric_care     sent 0 accepted 0 completed 0 overdue 1 median to acceptance —",
		"early_intervention sent 1 accepted 1 completed 0 overdue 0 median to acceptance 73h0m0s",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
