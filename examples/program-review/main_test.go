package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCmd(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

func contains(t *testing.T, out string, lines []string) {
	t.Helper()
	for _, want := range lines {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestSample checks the review of the built-in sample, line by line, against the rules;
// each expected value is worked out in the comment above it from the facts in sample.go.
func TestSample(t *testing.T) {
	out, errOut, code := runCmd(t, "")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (gaps found); stderr:\n%s", code, errOut)
	}
	contains(t, out, []string{
		"Program review of prog-1 against ma-bsas-pregnant-women-families at 2026-06-30 12:00 UTC",
		// Gaps, in guidance order. ob-1's agreement lacks the resist clause (42 CFR 2.11,
		// consent's missing_resist_clause); ob-2 has none: the best is "invalid".
		"Unmet guidance items (8):",
		"  qsoa_invalid qsoa_prenatal_care (partners ob-1 ob-2; problems missing_resist_clause)\n" +
			"      MA BSAS practice guidance (pregnant women and families), Organization, bullet 3; 42 CFR 2.11; 42 CFR 2.12(c)(4)",
		// pf-1's agreement is signed 20 June but effective 1 July: not in force on 30 June.
		"  qsoa_not_in_force qsoa_parenting_family (partners pf-1)",
		// DCF: last joint activity 30 May 2025, more than 365 days before 30 June 2026.
		"  partnership_inactive partnership_child_welfare (partners dcf-1)\n" +
			"      MA BSAS practice guidance (pregnant women and families), Organization, bullet 5",
		// Safe Infant Sleep (Organization, bullet 2, read as a checklist within 7 days of
		// the infant joining care): d-2 delivered 1 June and has no checklist, due 8 June.
		"  safe_sleep_none safe_sleep (dyad d-2)\n" +
			"      MA BSAS practice guidance (pregnant women and families), Organization, bullet 2; AAP 2022, Sleep-Related Infant Deaths: Updated 2022 Recommendations (Pediatrics 150(1):e2022057990)",
		// d-3 came postpartum on 6 April with an infant born 20 March; her home's first
		// checklist (9 April) found bed-sharing and smoke, the latest (20 May) meets every
		// item: no gap. d-1, d-4 and d-5 are still pregnant: no infant yet.
		"Safe Infant Sleep (infants under one in care; the latest sleep-environment checklist, AAP 2022):\n" +
			"  d-2    in care since 2026-06-01, no checklist, first due 2026-06-08\n" +
			"  d-3    in care since 2026-04-06, checked 2026-05-20: meets\n",
		// s-2 hired 2 March 2026: what she was never trained or supervised on was due 90
		// days later, 31 May. Perceptions and values first (guidance order), supervision.
		"  supervision_overdue perceptions_values (staff s-2)\n" +
			"      MA BSAS practice guidance (pregnant women and families), Supervision, Training and Staff Development",
		"  training_overdue neonatal_abstinence (staff s-2)",
		"  training_overdue ipv_exploitation_safety (staff s-2)",
		// s-3 supervised 20 March: due 90 days later, 18 June.
		"  supervision_overdue perceptions_values (staff s-3)",
		// Warnings within 30 days of 30 June (to 30 July): ped-1's agreement expires 15 July;
		// outreach on 22 April is due again 90 days later, 21 July; s-3's Motivational
		// Interviewing training of 10 July 2025 is due 10 July 2026.
		"Warnings (3):",
		"  qsoa_expiring qsoa_pediatric (partners ped-1)",
		"  outreach_due outreach_prenatal_care",
		"  training_due motivational_interviewing (staff s-3)",
		// Early childhood is met by the home visiting program's agreement.
		"  qsoa_early_childhood           QSO agreement  met by hv-1 (q-hv-1), no end",
		// Recovery supports: the recovery support center, active 2 June 2026, until a year on.
		"  partnership_recovery_support   partnership    met by rsc-1 (ps-rsc), until 2027-06-02",
		"  outreach_prenatal_care         last 2026-04-22, 1 within the interval, next due 2026-07-21",
		// Received: Q1 three from prenatal care (in-1, in-3 pregnant; in-4 not), Q2 two (in-7,
		// in-8, both pregnant); prenatal care first, then by kind.
		"  prenatal_care          2026-01-01 received 3, pregnant 2\n" +
			"  prenatal_care          2026-04-01 received 2, pregnant 2\n" +
			"  emergency_department   2026-04-01 received 1, pregnant 0\n" +
			"  child_welfare          2026-04-01 received 1, pregnant 1\n" +
			"  self                   2026-01-01 received 1, pregnant 0",
		// Made: the home visiting referral sent 5 June and rejected: ended, not completed.
		"  home_visiting              2026-04-01 sent 1, accepted 0, completed 0, ended 1, overdue 0",
		"  s-3    perceptions_values         supervision overdue last 2026-03-20, due 2026-06-18",
		// Q1 cohort (d-1, d-2, d-5). Prenatal: d-1 visit after 7 d 9 h (met); d-2 none before
		// delivering (unmet); d-5 at 56 days and 14w0d or later (unmet): 1/3. Median of
		// 177 h and 1344 h: 760.5 h = 31.7 days.
		"  2026-01-01: 3 dyads\n" +
			"    early prenatal care          1/3  33%, pending 0, median 31.7 days from intake to first visit\n" +
			// d-1 from day 2, d-2 on methadone at intake, d-5 from day 4: 3/3 started.
			"    MOUD started                 3/3 100%, pending 0\n" +
			// d-2's 15-day gap breaks continuity (more than 7); d-1 and d-5 are under 180
			// days in: pending.
			"    MOUD continued               0/1   0%, pending 2\n" +
			// d-2's first session came 17 days after intake (over 14): not initiated.
			"    counseling initiated         2/3  67%, pending 0\n" +
			"    counseling engaged           2/3  67%, pending 0, 7 of 7 sessions attended\n" +
			// d-1 (family resource center) and d-5 (parenting) completed; d-2's only one
			// was rejected and 30 days have passed.
			"    support referral closed      2/3  67%, pending 0\n" +
			"    support referrals completed  2/3  67%, pending 0, 3 sent",
		// Q2 (d-3, d-4): d-3 postpartum at intake (not applicable), d-4 visit after 6 days.
		// d-3 has OUD and no MOUD 85 days in: not started. d-3 one session after the first
		// in 34 days: not engaged; d-4 engaged. d-3's child care referral is open and d-4
		// is 20 days in: both pending.
		"  2026-04-01: 2 dyads\n" +
			"    early prenatal care          1/1 100%, pending 0, median 6.0 days from intake to first visit\n" +
			"    MOUD started                 0/1   0%, pending 0\n" +
			"    MOUD continued               0/0    —, pending 0\n" +
			"    counseling initiated         2/2 100%, pending 0\n" +
			"    counseling engaged           1/2  50%, pending 0, 5 of 5 sessions attended\n" +
			"    support referral closed      0/0    —, pending 2\n" +
			"    support referrals completed  0/0    —, pending 1, 1 sent",
	})
}

// TestOwnData reviews a program manager's own facts document.
func TestOwnData(t *testing.T) {
	out, errOut, code := runCmd(t, "", "-in", filepath.Join("testdata", "small-program.json"))
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", code, errOut)
	}
	contains(t, out, []string{
		// Reviewed at 17:00 Boston time, 30 June: the last outreach to prenatal care, 31
		// March 10:00, is more than 90 days before.
		"at 2026-06-30 17:00 -0400",
		"Unmet guidance items (1):\n  outreach_none outreach_prenatal_care",
		"  outreach_prenatal_care         last 2026-03-31, 0 within the interval\n",
		// Recovery supports met by case management (bullet 6 names it).
		"  partnership_recovery_support   partnership    met by cm-1 (ps-cm), until 2027-05-12",
		// EDD 2 November: LMP 26 January; intake 6 April (10w0d); visit 2 days later.
		"    early prenatal care          1/1 100%, pending 0, median 2.0 days from intake to first visit",
		// One session attended of two; no support referral 85 days in: unmet.
		"    counseling engaged           0/1   0%, pending 0, 1 of 2 sessions attended",
		"    support referral closed      0/1   0%, pending 0",
	})
	// The same document from stdin, with another moment: on 15 June 2026 at noon Boston
	// time the outreach of 31 March is 76 days old (no gap), due again 29 June, within
	// the 30-day notice window (a warning); both partnerships had a joint activity since.
	b, err := os.ReadFile(filepath.Join("testdata", "small-program.json"))
	if err != nil {
		t.Fatal(err)
	}
	out, _, code = runCmd(t, string(b), "-in", "-", "-at", "2026-06-15T12:00:00-04:00")
	if code != 0 {
		t.Fatalf("exit %d, want 0:\n%s", code, out)
	}
	contains(t, out, []string{"Unmet guidance items (0):\n  none", "Warnings (1):\n  outreach_due outreach_prenatal_care",
		"  outreach_prenatal_care         last 2026-03-31, 1 within the interval, next due 2026-06-29"})
}

// TestBadInput: the reader's problems, each with its path and code, never the input's text.
func TestBadInput(t *testing.T) {
	_, errOut, code := runCmd(t, "", "-in", filepath.Join("testdata", "bad-program.json"))
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	contains(t, errOut, []string{"3 problem(s)", "duplicate_key at program:", "unknown_field at dyads[0].?:",
		"unknown_code at received[0].source:"})
	for _, leak := range []string{"Jane", "Roe", "billboard", "prog-10"} {
		if strings.Contains(errOut, leak) {
			t.Errorf("stderr repeats input %q:\n%s", leak, errOut)
		}
	}
	_, errOut, code = runCmd(t, `{"program":"p"}`, "-in", "-")
	if code != 2 || !strings.Contains(errOut, "-at") {
		t.Errorf("no moment: exit %d, %s", code, errOut)
	}
}

// TestDumpSample: the sample's facts document, read back with -in, gives the same review.
func TestDumpSample(t *testing.T) {
	doc, _, code := runCmd(t, "", "-dump-sample")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	want, _, _ := runCmd(t, "")
	got, errOut, code := runCmd(t, doc, "-in", "-")
	if code != 1 || got != want {
		t.Errorf("exit %d (stderr %s); review of the dumped sample differs:\n%s\nwant:\n%s", code, errOut, got, want)
	}
	// A State's own guidance: the dumped built-in one, read back, reviews the same.
	g, _, code := runCmd(t, "", "-dump-guidance")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "g.json"), []byte(g), 0o600); err != nil {
		t.Fatal(err)
	}
	got, errOut, _ = runCmd(t, "", "-guidance", filepath.Join(dir, "g.json"))
	if got != want {
		t.Errorf("review with the dumped guidance differs (stderr %s):\n%s", errOut, got)
	}
}

// TestTimeZone: periods begin where -tz says. In Boston, a referral received on 1 April
// 2026 at 00:30 UTC arrived on 31 March at 20:30: first quarter.
func TestTimeZone(t *testing.T) {
	doc := `{"program":"p","at":"2026-06-30T12:00:00Z","period":"quarter",
		"received":[{"id":"r","at":"2026-04-01T00:30:00Z","source":"prenatal_care","pregnant":true}]}`
	out, _, _ := runCmd(t, doc, "-in", "-")
	contains(t, out, []string{"  prenatal_care          2026-04-01 received 1, pregnant 1"})
	out, _, _ = runCmd(t, doc, "-in", "-", "-tz", "America/New_York")
	contains(t, out, []string{"  prenatal_care          2026-01-01 received 1, pregnant 1"})
	if _, errOut, code := runCmd(t, doc, "-in", "-", "-tz", "Mars/Olympus"); code != 2 || !strings.Contains(errOut, "-tz") {
		t.Errorf("bad zone: exit %d, %s", code, errOut)
	}
}
