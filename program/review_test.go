package program

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// A program keeping every Massachusetts item has no gap and no warning: the baseline every
// other test breaks one item of.
func TestFullProgramHasNoGap(t *testing.T) {
	rep := review(t, fullFacts(t), Options{})
	if len(rep.Gaps) != 0 || len(rep.Warnings) != 0 {
		t.Fatalf("gaps %v, warnings %v", codes(rep.Gaps), codes(rep.Warnings))
	}
	want := []Coverage{
		{Item: "qsoa_prenatal_care", Cite: CiteOrgQSOA, Agreement: true, Met: true, Partner: "ob-1", Record: "q-ob"},
		{Item: "qsoa_pediatric", Cite: CiteOrgQSOA, Agreement: true, Met: true, Partner: "ped-1", Record: "q-ped"},
		{Item: "qsoa_early_intervention", Cite: CiteOrgQSOA, Agreement: true, Met: true, Partner: "ei-1", Record: "q-ei"},
		{Item: "qsoa_early_childhood", Cite: CiteOrgQSOA, Agreement: true, Met: true, Partner: "cc-1", Record: "q-cc"},
		{Item: "qsoa_parenting_family", Cite: CiteOrgQSOA, Agreement: true, Met: true, Partner: "pf-1", Record: "q-pf"},
		// Active within 365 days: the partnership is covered until its last activity
		// plus 365 days (40 and 60 days ago).
		{Item: "partnership_child_welfare", Cite: CiteOrgChildWelfare, Met: true, Partner: "dcf-1", Record: "ps-dcf", Until: ago(40).Add(days(365))},
		{Item: "partnership_recovery_support", Cite: CiteOrgRecovery, Met: true, Partner: "rc-1", Record: "ps-rc", Until: ago(60).Add(days(365))},
	}
	if d := cmp.Diff(want, rep.Coverage); d != "" {
		t.Errorf("coverage (-want +got):\n%s", d)
	}
	// One outreach 20 days ago; due again 90 days after it.
	wantOut := []OutreachStatus{{Item: "outreach_prenatal_care", Cite: CiteOrgOutreach, Met: true, Last: ago(20), Count: 1, Due: ago(20).Add(days(90))}}
	if d := cmp.Diff(wantOut, rep.Outreach); d != "" {
		t.Errorf("outreach (-want +got):\n%s", d)
	}
	if len(rep.Staff) != 0 {
		t.Errorf("staff rows %+v, want none due", rep.Staff)
	}
}

// The options are checked: no moment, a window starting after it, an unknown period.
func TestReviewOptionsInvalid(t *testing.T) {
	_, err := reviewer(t).Review(fullFacts(t), Options{From: at0.Add(time.Hour), Period: 9})
	if d := cmp.Diff([]string{"missing", "time_order", "unknown_code"}, problemCodes(t, err)); d != "" {
		t.Errorf("codes (-want +got):\n%s", d)
	}
}

// A Reviewer is safe for concurrent use: reviews of the same facts from several goroutines
// (run with -race) agree with a review made alone.
func TestReviewConcurrent(t *testing.T) {
	f := richFacts(t)
	rv := reviewer(t)
	want, err := rv.Review(f, Options{At: at0})
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan string, 8)
	for range 8 {
		go func() {
			got, err := rv.Review(f, Options{At: at0})
			switch {
			case err != nil:
				errs <- err.Error()
			case !cmp.Equal(want, got):
				errs <- cmp.Diff(want, got)
			default:
				errs <- ""
			}
		}()
	}
	for range 8 {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
}

// A finding's String is one line of codes, the quoted subject and the citations; whatever
// its subject holds, it is quoted and bounded.
func TestFindingString(t *testing.T) {
	f := Finding{Code: GapTrainingOverdue, Item: "neonatal_abstinence", Subject: "s-2", Cites: []string{CiteStaff}}
	want := `training_overdue neonatal_abstinence "s-2" [` + CiteStaff + `]`
	if got := f.String(); got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
	// ident.Quote cuts a subject to 128 bytes and escapes it: at most 4 bytes each, and quotes.
	bound := len(want) - len(`"s-2"`) + 2 + 4*128
	f.Subject = "Jane\nDoe " + string(make([]byte, 300))
	if got := f.String(); len(got) > bound || strings.ContainsAny(got, "\n\x00") {
		t.Errorf("String() not bounded or not escaped: %q", got)
	}
}
