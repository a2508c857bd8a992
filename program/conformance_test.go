package program

import (
	"encoding/json"
	"errors"
	"flag"
	"testing"
	"time"

	"github.com/dyad-health/dyad/internal/conformance"
	"github.com/dyad-health/dyad/internal/jsonin"
	"github.com/google/go-cmp/cmp"
)

var corpus = flag.String("corpus", "testdata/conformance", "folder of program conformance cases (JSON, one case per file)")

// conformanceCase is one case of the program conformance corpus; the format is documented
// in testdata/conformance/README.md.
type conformanceCase struct {
	Description string          `json:"description"`
	Guidance    json.RawMessage `json:"guidance,omitempty"`
	Facts       json.RawMessage `json:"facts"`
	NoticeDays  int             `json:"notice_days,omitempty"`
	Expect      struct {
		Invalid  *[]caseProblem          `json:"invalid,omitempty"`
		Gaps     *[]caseFinding          `json:"gaps,omitempty"`
		Warnings *[]caseFinding          `json:"warnings,omitempty"`
		Coverage map[string]caseCoverage `json:"coverage,omitempty"`
		Staff    *[]caseStaff            `json:"staff,omitempty"`
		Sources  *[]SourceCount          `json:"sources,omitempty"`
		Dyads    map[string]caseDyad     `json:"dyads,omitempty"`
		CHARM    *[]caseCohort           `json:"charm,omitempty"`
	} `json:"expect"`
}

type caseProblem struct {
	Code string `json:"code"`
	Path string `json:"path"`
}

type caseFinding struct {
	Code     string    `json:"code"`
	Item     string    `json:"item"`
	Subject  string    `json:"subject,omitempty"`
	Problems *[]string `json:"problems,omitempty"`
}

type caseCoverage struct {
	Met     bool   `json:"met"`
	Partner string `json:"partner,omitempty"`
	Record  string `json:"record,omitempty"`
}

type caseStaff struct {
	Staff      string     `json:"staff"`
	Competency string     `json:"competency"`
	Mode       Mode       `json:"mode"`
	State      StaffState `json:"state"`
}

type caseDyad struct {
	Prenatal            *Outcome `json:"prenatal,omitempty"`
	MOUDStarted         *Outcome `json:"moud_started,omitempty"`
	MOUDContinued       *Outcome `json:"moud_continued,omitempty"`
	CounselingInitiated *Outcome `json:"counseling_initiated,omitempty"`
	CounselingEngaged   *Outcome `json:"counseling_engaged,omitempty"`
	Support             *Outcome `json:"support,omitempty"`
	SessionsAttended    *int     `json:"sessions_attended,omitempty"`
	SupportSent         *int     `json:"support_sent,omitempty"`
	SupportCompleted    *int     `json:"support_completed,omitempty"`
	SupportLapsed       *int     `json:"support_lapsed,omitempty"`
}

type caseRate struct {
	Met         int `json:"met"`
	Denominator int `json:"denominator"`
	Pending     int `json:"pending"`
}

type caseCohort struct {
	PeriodStart         time.Time `json:"period_start,omitzero"`
	Dyads               int       `json:"dyads"`
	Prenatal            *caseRate `json:"prenatal,omitempty"`
	MOUDStarted         *caseRate `json:"moud_started,omitempty"`
	MOUDContinued       *caseRate `json:"moud_continued,omitempty"`
	CounselingInitiated *caseRate `json:"counseling_initiated,omitempty"`
	CounselingEngaged   *caseRate `json:"counseling_engaged,omitempty"`
	Support             *caseRate `json:"support,omitempty"`
	SupportReferrals    *caseRate `json:"support_referrals,omitempty"`
}

func TestConformance(t *testing.T) {
	conformance.Run(t, conformance.Dir(t, *corpus), decodeCase, runCase)
}

// decodeCase reads one case strictly, through the library's JSON reader, and checks that
// it says what it is about and what it expects.
func decodeCase(b []byte) (conformanceCase, error) {
	var c conformanceCase
	if err := jsonin.Decode(b, &c, jsonin.Options{MaxBytes: MaxFactsBytes}); err != nil {
		return c, err
	}
	e := c.Expect
	if c.Description == "" || len(c.Facts) == 0 {
		return c, errors.New("case lacks description or facts")
	}
	if e.Invalid == nil && e.Gaps == nil && e.Warnings == nil && e.Coverage == nil && e.Staff == nil &&
		e.Sources == nil && e.Dyads == nil && e.CHARM == nil {
		return c, errors.New("case expects nothing")
	}
	return c, nil
}

func runCase(t *testing.T, c conformanceCase) {
	g := MassachusettsBSAS()
	if len(c.Guidance) > 0 {
		var err error
		if g, err = DecodeGuidance(c.Guidance); err != nil {
			t.Fatalf("guidance: %v", err)
		}
	}
	rv, err := New(g)
	if err != nil {
		t.Fatal(err)
	}
	f, opt, err := DecodeFacts(c.Facts)
	if err == nil {
		opt.NoticeDays = c.NoticeDays
		var rep Report
		rep, err = rv.Review(f, opt)
		if err == nil {
			if c.Expect.Invalid != nil {
				t.Fatalf("facts accepted, want refused with %v", *c.Expect.Invalid)
			}
			checkReport(t, c, rep)
			return
		}
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v", err)
	}
	if c.Expect.Invalid == nil {
		t.Fatalf("facts refused: %v", err)
	}
	got := make([]caseProblem, len(ve.Problems))
	for i, p := range ve.Problems {
		got[i] = caseProblem{p.Code, p.Path}
	}
	if d := cmp.Diff(*c.Expect.Invalid, got); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
}

func findings(want []caseFinding, got []Finding) []caseFinding {
	out := make([]caseFinding, len(got))
	for i, f := range got {
		out[i] = caseFinding{Code: f.Code, Item: f.Item, Subject: f.Subject}
		if i < len(want) && want[i].Problems != nil {
			p := append([]string{}, f.Problems...)
			out[i].Problems = &p
		}
	}
	return out
}

func checkReport(t *testing.T, c conformanceCase, rep Report) {
	e := c.Expect
	if e.Gaps != nil {
		if d := cmp.Diff(*e.Gaps, findings(*e.Gaps, rep.Gaps)); d != "" {
			t.Errorf("gaps (-want +got):\n%s", d)
		}
	}
	if e.Warnings != nil {
		if d := cmp.Diff(*e.Warnings, findings(*e.Warnings, rep.Warnings)); d != "" {
			t.Errorf("warnings (-want +got):\n%s", d)
		}
	}
	for item, want := range e.Coverage {
		found := false
		for _, cv := range rep.Coverage {
			if cv.Item != item {
				continue
			}
			found = true
			got := caseCoverage{Met: cv.Met, Partner: cv.Partner, Record: cv.Record}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("coverage of %s (-want +got):\n%s", item, d)
			}
		}
		if !found {
			t.Errorf("no coverage row %s", item)
		}
	}
	if e.Staff != nil {
		got := make([]caseStaff, len(rep.Staff))
		for i, s := range rep.Staff {
			got[i] = caseStaff{s.Staff, s.Competency, s.Mode, s.State}
		}
		if d := cmp.Diff(*e.Staff, got); d != "" {
			t.Errorf("staff (-want +got):\n%s", d)
		}
	}
	if e.Sources != nil {
		if d := cmp.Diff(*e.Sources, rep.Sources); d != "" {
			t.Errorf("sources (-want +got):\n%s", d)
		}
	}
	for id, want := range e.Dyads {
		var m *DyadMeasures
		for i := range rep.Dyads {
			if rep.Dyads[i].Dyad == id {
				m = &rep.Dyads[i]
			}
		}
		if m == nil {
			t.Errorf("dyad %s not measured", id)
			continue
		}
		out := func(w *Outcome, g Outcome, name string) {
			if w != nil && *w != g {
				t.Errorf("dyad %s %s = %v, want %v", id, name, g, *w)
			}
		}
		num := func(w *int, g int, name string) {
			if w != nil && *w != g {
				t.Errorf("dyad %s %s = %d, want %d", id, name, g, *w)
			}
		}
		out(want.Prenatal, m.Prenatal, "prenatal")
		out(want.MOUDStarted, m.MOUDStarted, "moud_started")
		out(want.MOUDContinued, m.MOUDContinued, "moud_continued")
		out(want.CounselingInitiated, m.CounselingInitiated, "counseling_initiated")
		out(want.CounselingEngaged, m.CounselingEngaged, "counseling_engaged")
		out(want.Support, m.Support, "support")
		num(want.SessionsAttended, m.SessionsAttended, "sessions_attended")
		num(want.SupportSent, m.SupportSent, "support_sent")
		num(want.SupportCompleted, m.SupportCompleted, "support_completed")
		num(want.SupportLapsed, m.SupportLapsed, "support_lapsed")
	}
	if e.CHARM != nil {
		want := *e.CHARM
		if len(want) != len(rep.CHARM) {
			t.Fatalf("%d cohort rows, want %d", len(rep.CHARM), len(want))
		}
		for i, w := range want {
			g := rep.CHARM[i]
			if !g.PeriodStart.Equal(w.PeriodStart) || g.Dyads != w.Dyads {
				t.Errorf("cohort %d: period %v, %d dyads; want %v, %d", i, g.PeriodStart, g.Dyads, w.PeriodStart, w.Dyads)
			}
			rate := func(w *caseRate, g Rate, name string) {
				if w != nil && (*w != caseRate{g.Met, g.Denominator, g.Pending}) {
					t.Errorf("cohort %d %s = %d/%d (%d pending), want %d/%d (%d pending)", i, name, g.Met, g.Denominator, g.Pending,
						w.Met, w.Denominator, w.Pending)
				}
			}
			rate(w.Prenatal, g.Prenatal, "prenatal")
			rate(w.MOUDStarted, g.MOUDStarted, "moud_started")
			rate(w.MOUDContinued, g.MOUDContinued, "moud_continued")
			rate(w.CounselingInitiated, g.CounselingInitiated, "counseling_initiated")
			rate(w.CounselingEngaged, g.CounselingEngaged, "counseling_engaged")
			rate(w.Support, g.Support, "support")
			rate(w.SupportReferrals, g.SupportReferrals, "support_referrals")
		}
	}
}
