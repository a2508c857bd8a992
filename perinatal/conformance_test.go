package perinatal

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dyad-health/dyad/internal/conformance"
	"github.com/dyad-health/dyad/internal/jsonin"
)

var corpus = flag.String("corpus", "", "run the conformance cases of this folder instead of testdata/conformance")

// confCase is one conformance case; the format is described in testdata/conformance/README.md.
type confCase struct {
	Description    string     `json:"description"`
	At             time.Time  `json:"at,omitzero"`
	Pregnancy      *Pregnancy `json:"pregnancy,omitempty"`
	PostpartumDays *int       `json:"postpartum_days,omitempty"`
	// PostpartumWindow is the window for "status" in full (days, or calendar months, and
	// the end-of-month extension); at most one of it and PostpartumDays.
	PostpartumWindow *PostpartumWindow `json:"postpartum_window,omitempty"`
	Infant           json.RawMessage   `json:"infant,omitempty"` // decoded by DecodeInfant
	Policy           AffectedPolicy    `json:"policy"`
	Plan             json.RawMessage   `json:"plan,omitempty"`  // decoded by DecodePlanOfSafeCare
	Sleep            json.RawMessage   `json:"sleep,omitempty"` // decoded by DecodeSleepChecklist
	Expect           confExpect        `json:"expect"`

	// Filled by decodeCase: the decoded values and their decoders' errors (unknown codes
	// and validation problems, which cases may expect).
	infant    *Infant
	infantErr error
	plan      *PlanOfSafeCare
	planErr   error
	sleep     *SleepChecklist
	sleepErr  error
}

type confExpect struct {
	// Pregnancy.
	EDD               string          `json:"edd,omitempty"` // YYYY-MM-DD
	GestationalAge    *GestationalAge `json:"gestational_age,omitempty"`
	Trimester         *Trimester      `json:"trimester,omitempty"`
	Status            *Status         `json:"status,omitempty"`
	GAAtDelivery      *GestationalAge `json:"gestational_age_at_delivery,omitempty"`
	Term              *Term           `json:"term,omitempty"`
	Error             string          `json:"error,omitempty"` // of GestationalAgeAt: before_pregnancy, delivered, invalid
	PregnancyProblems *[]string       `json:"pregnancy_problems,omitempty"`
	// Infant.
	InfantProblems *[]string         `json:"infant_problems,omitempty"` // DecodeInfant: unknown codes, then Validate
	BirthProblems  *[]string         `json:"birth_problems,omitempty"`  // Infant.ValidateBirth(pregnancy)
	Affected       *Affected         `json:"affected,omitempty"`
	Reasons        *[]string         `json:"reasons,omitempty"`
	Obligations    *[]ObligationKind `json:"obligations,omitempty"`
	// Plan of Safe Care.
	PlanProblems *[]string `json:"plan_problems,omitempty"` // DecodePlanOfSafeCare; [] means valid
	// Safe sleep.
	SleepProblems *[]string     `json:"sleep_problems,omitempty"` // DecodeSleepChecklist
	SleepOutcome  *SleepOutcome `json:"sleep_outcome,omitempty"`
	Unmet         *[]SleepItem  `json:"unmet,omitempty"`
	Unknown       *[]SleepItem  `json:"unknown,omitempty"`
}

// decodeCase decodes one case strictly: unknown fields, trailing data, a missing
// description, a case with nothing to judge or nothing expected are all errors.
func decodeCase(b []byte) (confCase, error) {
	var c confCase
	if err := jsonin.Decode(b, &c, jsonin.Options{}); err != nil {
		return c, fmt.Errorf("schema: %w", err)
	}
	if strings.TrimSpace(c.Description) == "" {
		return c, errors.New("schema: missing description")
	}
	if c.PostpartumDays != nil && c.PostpartumWindow != nil {
		return c, errors.New("schema: postpartum_days and postpartum_window both given")
	}
	if c.Pregnancy == nil && c.Infant == nil && c.Plan == nil && c.Sleep == nil {
		return c, errors.New("schema: the case has no pregnancy, infant, plan or sleep checklist")
	}
	if c.Expect == (confExpect{}) {
		return c, errors.New("schema: the case expects nothing")
	}
	needsAt := c.Expect.GestationalAge != nil || c.Expect.Trimester != nil || c.Expect.Status != nil || c.Expect.Error != ""
	if needsAt && c.At.IsZero() {
		return c, errors.New("schema: gestational_age, trimester, status and error need \"at\"")
	}
	if (c.Expect.EDD != "" || needsAt || c.Expect.GAAtDelivery != nil || c.Expect.Term != nil || c.Expect.PregnancyProblems != nil) && c.Pregnancy == nil {
		return c, errors.New("schema: pregnancy expectations without a pregnancy")
	}
	if (c.Expect.InfantProblems != nil || c.Expect.Affected != nil || c.Expect.Reasons != nil || c.Expect.Obligations != nil) && c.Infant == nil {
		return c, errors.New("schema: infant expectations without an infant")
	}
	if c.Expect.BirthProblems != nil && (c.Infant == nil || c.Pregnancy == nil) {
		return c, errors.New("schema: birth_problems needs an infant and a pregnancy")
	}
	if c.Expect.PlanProblems != nil && c.Plan == nil {
		return c, errors.New("schema: plan_problems without a plan")
	}
	if (c.Expect.SleepOutcome != nil || c.Expect.Unmet != nil || c.Expect.Unknown != nil || c.Expect.SleepProblems != nil) && c.Sleep == nil {
		return c, errors.New("schema: sleep expectations without a sleep checklist")
	}
	// A problem reading the document (anything but an unknown code, which is data) is a
	// schema error; decoders return such problems alone.
	malformed := func(what string, err error) error {
		var ve *ValidationError
		if errors.As(err, &ve) && len(ve.Problems) > 0 && readProblems[ve.Problems[0].Code] {
			return fmt.Errorf("schema: %s: %v", what, err)
		}
		return nil
	}
	if c.Infant != nil {
		inf, err := DecodeInfant(c.Infant)
		if m := malformed("infant", err); m != nil {
			return c, m
		}
		c.infant, c.infantErr = &inf, err
	}
	if c.Plan != nil {
		p, err := DecodePlanOfSafeCare(c.Plan)
		if m := malformed("plan", err); m != nil {
			return c, m
		}
		c.plan, c.planErr = &p, err
	}
	if c.Sleep != nil {
		sc, err := DecodeSleepChecklist(c.Sleep)
		if m := malformed("sleep", err); m != nil {
			return c, m
		}
		c.sleep, c.sleepErr = &sc, err
	}
	return c, nil
}

// readProblems are the codes of problems reading a document (not of its content).
var readProblems = map[string]bool{
	ProblemTooLarge: true, ProblemEmpty: true, ProblemSyntax: true, ProblemTooDeep: true,
	ProblemTrailingData: true, ProblemDuplicateKey: true, ProblemUnknownField: true,
	ProblemWrongType: true, ProblemOutOfRange: true, ProblemInvalidValue: true,
}

func problemCodes(err error) []string {
	var ve *ValidationError
	if errors.As(err, &ve) {
		return ve.Codes()
	}
	return []string{}
}

func errorName(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrBeforePregnancy):
		return "before_pregnancy"
	case errors.Is(err, ErrDelivered):
		return "delivered"
	case errors.Is(err, ErrNotDelivered):
		return "not_delivered"
	case errors.Is(err, ErrInvalid):
		return "invalid"
	default:
		return "other: " + err.Error()
	}
}

// check runs the case and returns every mismatch (none means the case passes).
func (c confCase) check() []string {
	var out []string
	fail := func(what string, want, got any) {
		out = append(out, fmt.Sprintf("%s: want %v, got %v", what, want, got))
	}
	e := c.Expect
	if p := c.Pregnancy; p != nil {
		w := DefaultPostpartumWindow()
		if c.PostpartumDays != nil {
			w = PostpartumWindow{Days: *c.PostpartumDays}
		}
		if c.PostpartumWindow != nil {
			w = *c.PostpartumWindow
		}
		if e.PregnancyProblems != nil {
			if got := problemCodes(p.Validate()); !slices.Equal(got, *e.PregnancyProblems) {
				fail("pregnancy_problems", *e.PregnancyProblems, got)
			}
		}
		if e.EDD != "" {
			edd, err := p.DueDate()
			if got := edd.Format(time.DateOnly); err != nil || got != e.EDD {
				fail("edd", e.EDD, fmt.Sprint(got, " ", err))
			}
		}
		if e.GestationalAge != nil || e.Error != "" {
			ga, err := p.GestationalAgeAt(c.At)
			if got := errorName(err); got != e.Error {
				fail("error", e.Error, got)
			}
			if e.GestationalAge != nil && (err != nil || ga != *e.GestationalAge) {
				fail("gestational_age", *e.GestationalAge, ga)
			}
		}
		if e.Trimester != nil {
			if got, _ := p.TrimesterAt(c.At); got != *e.Trimester {
				fail("trimester", *e.Trimester, got)
			}
		}
		if e.Status != nil {
			if got := p.StatusAt(w, c.At); got != *e.Status {
				fail("status", *e.Status, got)
			}
		}
		if e.GAAtDelivery != nil {
			if got, err := p.GestationalAgeAtDelivery(); err != nil || got != *e.GAAtDelivery {
				fail("gestational_age_at_delivery", *e.GAAtDelivery, fmt.Sprint(got, " ", err))
			}
		}
		if e.Term != nil {
			if got, _ := p.TermAtDelivery(); got != *e.Term {
				fail("term", *e.Term, got)
			}
		}
	}
	if inf := c.infant; inf != nil {
		if e.InfantProblems != nil {
			if got := problemCodes(c.infantErr); !slices.Equal(got, *e.InfantProblems) {
				fail("infant_problems", *e.InfantProblems, got)
			}
		} else if c.infantErr != nil {
			fail("infant", "a valid infant", c.infantErr)
		}
		if e.BirthProblems != nil {
			if got := problemCodes(inf.ValidateBirth(*c.Pregnancy)); !slices.Equal(got, *e.BirthProblems) {
				fail("birth_problems", *e.BirthProblems, got)
			}
		}
		if e.Affected != nil || e.Reasons != nil || e.Obligations != nil {
			d, err := DetermineAffected(*inf, c.Policy)
			if err != nil {
				fail("determination", "no error", err)
			}
			if e.Affected != nil && d.Outcome != *e.Affected {
				fail("affected", *e.Affected, d.Outcome)
			}
			if e.Reasons != nil {
				var got []string
				for _, r := range d.Reasons {
					got = append(got, r.Code)
				}
				if !slices.Equal(got, *e.Reasons) && !(len(got) == 0 && len(*e.Reasons) == 0) {
					fail("reasons", *e.Reasons, got)
				}
			}
			if e.Obligations != nil {
				var got []ObligationKind
				for _, o := range d.Obligations {
					got = append(got, o.Kind)
				}
				if !slices.Equal(got, *e.Obligations) && !(len(got) == 0 && len(*e.Obligations) == 0) {
					fail("obligations", *e.Obligations, got)
				}
			}
		}
	}
	if c.plan != nil && e.PlanProblems != nil {
		if got := problemCodes(c.planErr); !slices.Equal(got, *e.PlanProblems) {
			fail("plan_problems", *e.PlanProblems, got)
		}
	}
	if c.sleep != nil {
		if e.SleepProblems != nil {
			if got := problemCodes(c.sleepErr); !slices.Equal(got, *e.SleepProblems) {
				fail("sleep_problems", *e.SleepProblems, got)
			}
		} else if c.sleepErr != nil {
			fail("sleep", "a valid checklist", c.sleepErr)
		}
		a := AssessSleep(*c.sleep)
		items := func(fs []SleepFinding) []SleepItem {
			out := []SleepItem{}
			for _, f := range fs {
				out = append(out, f.Item)
			}
			return out
		}
		if e.SleepOutcome != nil && a.Outcome != *e.SleepOutcome {
			fail("sleep_outcome", *e.SleepOutcome, a.Outcome)
		}
		if e.Unmet != nil && !slices.Equal(items(a.Unmet), *e.Unmet) && !(len(a.Unmet) == 0 && len(*e.Unmet) == 0) {
			fail("unmet", *e.Unmet, items(a.Unmet))
		}
		if e.Unknown != nil && !slices.Equal(items(a.Unknown), *e.Unknown) && !(len(a.Unknown) == 0 && len(*e.Unknown) == 0) {
			fail("unknown", *e.Unknown, items(a.Unknown))
		}
	}
	return out
}

func runCorpus(t *testing.T, dir string) {
	t.Helper()
	conformance.Run(t, dir, decodeCase, func(t *testing.T, c confCase) {
		for _, m := range c.check() {
			t.Errorf("%s: %s", c.Description, m)
		}
	})
}

// TestConformance runs every case of testdata/conformance, or of -corpus DIR.
func TestConformance(t *testing.T) {
	runCorpus(t, conformance.Dir(t, *corpus))
}

// TestSharedConformance runs further example cases, the perinatal/ folder of $DYAD_SHARED_CORPUS
// (docs/conformance.md), and is skipped without it.
func TestSharedConformance(t *testing.T) {
	runCorpus(t, conformance.Shared(t, "perinatal"))
}

func TestDecodeCaseRejects(t *testing.T) {
	for name, in := range map[string]string{
		"unknown field":        `{"description":"x","sleep":{},"expect":{"sleep_outcome":"unknown"},"typo":1}`,
		"unknown infant field": `{"description":"x","infant":{"name":"x"},"expect":{"affected":"unknown"}}`,
		"unknown sleep item":   `{"description":"x","sleep":{"crib":"met"},"expect":{"sleep_outcome":"unknown"}}`,
		"no description":       `{"sleep":{},"expect":{"sleep_outcome":"unknown"}}`,
		"nothing to judge":     `{"description":"x","expect":{"sleep_outcome":"unknown"}}`,
		"nothing expected":     `{"description":"x","sleep":{},"expect":{}}`,
		"trailing data":        `{"description":"x","sleep":{},"expect":{"sleep_outcome":"unknown"}} {}`,
		"at missing":           `{"description":"x","pregnancy":{"lmp":"2026-01-01T00:00:00Z"},"expect":{"trimester":"first"}}`,
		"pregnancy missing":    `{"description":"x","sleep":{},"expect":{"edd":"2026-10-08"}}`,
		"not json":             `not json`,
	} {
		if _, err := decodeCase([]byte(in)); err == nil {
			t.Errorf("%s: decoded without error", name)
		}
	}
	// An unknown code is data, not a schema error: it decodes and is a problem to expect.
	c, err := decodeCase([]byte(`{"description":"x","sleep":{"back_to_sleep":"yes"},"expect":{"sleep_problems":["unknown_code"]}}`))
	if err != nil || len(c.check()) != 0 {
		t.Errorf("unknown code case: %v %v", err, c.check())
	}
	c, err = decodeCase([]byte(`{"description":"x","sleep":{"back_to_sleep":"yes"},"expect":{"sleep_outcome":"unknown"}}`))
	if err != nil || len(c.check()) != 1 {
		t.Errorf("an unexpected unknown code must fail the case: %v %v", err, c.check())
	}
}
