package program

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/perinatal"
	"github.com/dyad-health/dyad/referral"
	"github.com/google/go-cmp/cmp"
)

// richFacts is fullFacts with dyads, referrals made and received, and an invalid agreement.
func richFacts(t testing.TB) Facts {
	f := fullFacts(t)
	p := perinatal.PregnancyFromLMP(tm("2026-01-05T00:00:00Z"))
	bad := qsoa("q-old", "ped-1", ago(800))
	bad.ResistJudicialAccess = false
	f.Agreements = []consent.QSOAgreement{bad}
	f.Received = []Received{{ID: "rx1", At: ago(50), Source: SourcePrenatalCare, Partner: "ob-1", Pregnant: true}}
	f.Dyads = []Dyad{{ID: "d1", Mother: "W1", Family: []string{"I1"}, IntakeAt: intake, Pregnancy: &p,
		FirstPrenatalVisit: after(3), OUD: true,
		MOUD:       []MOUDEpisode{{Medication: perinatal.MOUDBuprenorphine, Start: after(1)}},
		Counseling: []Session{{At: after(2), Attended: true}, {At: after(9)}}}}
	// A dyad that came with an infant, its home checked once for safe sleep (one item unmet).
	f.Dyads = append(f.Dyads, Dyad{ID: "d2", Mother: "W2", Family: []string{"I2"}, IntakeAt: after(5), InfantBornAt: after(-20)})
	sc := allMet()
	sc.NoSoftObjects = perinatal.AnswerUnmet
	f.SleepChecks = []SleepCheck{{ID: "sc1", Dyad: "d2", At: after(7), Checklist: sc}}
	f.Referrals = []*referral.Referral{ref(t, "r1", "W1", referral.PartnerFamilyResourceCenter, after(4), completed(after(10))...)}
	return f
}

// Facts written by EncodeFacts read back to facts that review the same.
func TestFactsRoundTrip(t *testing.T) {
	f := richFacts(t)
	opt := Options{At: at0, From: ago(400), Period: referral.PeriodQuarter}
	b, err := EncodeFacts(f, opt)
	if err != nil {
		t.Fatal(err)
	}
	g, gopt, err := DecodeFacts(b)
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if d := cmp.Diff(opt, gopt, cmp.AllowUnexported(Options{})); d != "" {
		t.Errorf("options (-want +got):\n%s", d)
	}
	want := review(t, f, opt)
	got := review(t, g, gopt)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("review after a round trip (-want +got):\n%s", d)
	}
	// Every agreement survives the trip, the invalid one included (the directory refuses
	// it; Facts.Agreements keeps it).
	if len(g.Agreements) != 6 || !slices.ContainsFunc(g.Agreements, func(a consent.QSOAgreement) bool { return a.ID == "q-old" }) {
		t.Errorf("agreements %v", g.Agreements)
	}
	again, err := EncodeFacts(g, gopt)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, again) {
		t.Errorf("second encoding differs:\n%s\n%s", b, again)
	}
}

func decodeErr(t *testing.T, doc string) *ValidationError {
	t.Helper()
	_, _, err := DecodeFacts([]byte(doc))
	var ve *ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("error %v", err)
	}
	return ve
}

// The reader's promises, each with its path and code and never the input's text.
func TestDecodeFactsStrict(t *testing.T) {
	secret := "Jane_Doe_1990"
	tests := []struct {
		name string
		doc  string
		want []Problem // codes and paths
	}{
		{"unknown member", `{"program":"p","dyads":[{"id":"d","mother":"W","intake_at":"2026-01-01T00:00:00Z","mothers_name":"` + secret + `"}]}`,
			[]Problem{{Code: "unknown_field", Path: "dyads[0].?"}}},
		{"duplicate key", `{"program":"p","program":"` + secret + `"}`, []Problem{{Code: "duplicate_key", Path: "program"}}},
		{"case variant", `{"program":"p","Program":"q"}`, []Problem{{Code: "duplicate_key", Path: "program"}}},
		{"trailing data", `{"program":"p"} {"` + secret + `":1}`, []Problem{{Code: "trailing_data"}}},
		{"unknown source", `{"program":"p","received":[{"id":"r","at":"2026-01-01T00:00:00Z","source":"` + secret + `"}]}`,
			[]Problem{{Code: "unknown_code", Path: "received[0].source"}}},
		{"bad duration", `{"program":"p","partners":[{"id":"ob","kind":"prenatal_care","ack_window":"` + secret + `"}]}`,
			[]Problem{{Code: "duration_invalid", Path: "partners[0].ack_window"}}},
		{"time out of range", `{"program":"p","at":"2260-01-01T00:00:00Z"}`, []Problem{{Code: "out_of_range", Path: "at"}}},
		{"not an identifier", `{"program":"` + secret + ` x"}`, []Problem{{Code: "identifier_invalid", Path: "program"}}},
		{"agreement under another partner", `{"program":"p","partners":[{"id":"ob","kind":"prenatal_care","agreements":[
			{"id":"q","program":"p","organization":"ped","services":["other_professional"],"written":true,"bound_by_part2":true,"resist_judicial_access":true,"signed_at":"2026-01-01T00:00:00Z"}]}]}`,
			[]Problem{{Code: "agreement_other_organization", Path: "partners[0].agreements[0].organization"}}},
		{"partner twice", `{"program":"p","partners":[{"id":"ob","kind":"prenatal_care"},{"id":"ob","kind":"pediatric_care"}]}`,
			[]Problem{{Code: "partner_duplicate", Path: "partners[1].id"}}},
		{"illegal referral transition", `{"program":"p","referrals":[{"id":"r","patient":"W","subject":"woman","program":"p","partner":"x",
			"partner_kind":"child_care","sud":"none","status":"completed","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-02T00:00:00Z",
			"events":[{"seq":1,"at":"2026-01-01T00:00:00Z","actor":"s","kind":"created","to":"draft","draft":{"id":"r","patient":"W","subject":"woman","program":"p","partner":"x","partner_kind":"child_care","sud":"none"}},
			{"seq":2,"at":"2026-01-02T00:00:00Z","actor":"s","kind":"transitioned","from":"draft","to":"completed"}]}]}`,
			[]Problem{{Code: "illegal_transition", Path: "referrals[0]"}}},
		{"referral snapshot disagrees", `{"program":"p","referrals":[{"id":"r","patient":"W","subject":"woman","program":"p","partner":"x",
			"partner_kind":"child_care","sud":"none","status":"requested","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z",
			"events":[{"seq":1,"at":"2026-01-01T00:00:00Z","actor":"s","kind":"created","to":"draft","draft":{"id":"r","patient":"W","subject":"woman","program":"p","partner":"x","partner_kind":"child_care","sud":"none"}}]}]}`,
			[]Problem{{Code: "snapshot_mismatch", Path: "referrals[0].status"}}},
		{"partnership with an unknown partner", `{"program":"p","partnerships":[{"id":"s","partner":"dcf","start":"2026-01-01T00:00:00Z"}]}`,
			[]Problem{{Code: ProblemUnknownPartner, Path: "partnerships[0].partner"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ve := decodeErr(t, tc.doc)
			got := make([]Problem, len(ve.Problems))
			for i, p := range ve.Problems {
				got[i] = Problem{Code: p.Code, Path: p.Path}
				if strings.Contains(p.Message, secret) {
					t.Errorf("message quotes input: %q", p.Message)
				}
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("problems (-want +got):\n%s", d)
			}
			if strings.Contains(ve.Error(), secret) {
				t.Errorf("error quotes input: %v", ve)
			}
		})
	}
}

// A referral refused by the referral package is reported at its place in the document,
// with the referral package's own code.
func TestDecodeReferralEventProblem(t *testing.T) {
	_, _, err := DecodeFacts([]byte(`{"program":"p","referrals":[{"id":"r","patient":"W","subject":"woman","program":"p","partner":"x",
		"partner_kind":"child_care","sud":"none","status":"draft","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z",
		"events":[{"seq":2,"at":"2026-01-01T00:00:00Z","actor":"s","kind":"created","to":"draft","draft":{"id":"r","patient":"W","subject":"woman","program":"p","partner":"x","partner_kind":"child_care","sud":"none"}}]}]}`))
	problemAt(t, err, "event_out_of_sequence", "referrals[0].events[0].seq") // the referral package names the event
}

// The limits are the documented defaults and a caller's own: an input one byte over is
// refused before it is parsed (input_too_large), one at the limit is read. QA found the
// facts limit fixed at 64 MiB; the default is now 8 MiB, DecodeOptions sets another.
func TestDecodeOptionsLimit(t *testing.T) {
	pad := func(doc string, n int) []byte { return []byte(doc + strings.Repeat(" ", n-len(doc))) }
	const facts = `{"program":"prog-1"}`
	const guidance = `{"id":"st-x"}`
	for _, c := range []struct {
		name  string
		limit int
		read  func(b []byte) error
		doc   string
	}{
		{"facts, default", DefaultMaxFactsBytes, func(b []byte) error { _, _, err := DecodeFacts(b); return err }, facts},
		{"facts, 1 KiB", 1024, func(b []byte) error { _, _, err := DecodeOptions{MaxBytes: 1024}.DecodeFacts(b); return err }, facts},
		{"facts, 16 MiB", 16 << 20, func(b []byte) error {
			_, _, err := DecodeOptions{MaxBytes: 16 << 20}.DecodeFacts(b)
			return err
		}, facts},
		{"guidance, default", DefaultMaxGuidanceBytes, func(b []byte) error { _, err := DecodeGuidance(b); return err }, guidance},
		{"guidance, 100 bytes", 100, func(b []byte) error { _, err := DecodeOptions{MaxBytes: 100}.DecodeGuidance(b); return err }, guidance},
	} {
		if err := c.read(pad(c.doc, c.limit)); err != nil {
			t.Errorf("%s: a document of exactly the limit is refused: %v", c.name, err)
		}
		err := c.read(pad(c.doc, c.limit+1))
		if d := cmp.Diff([]string{"input_too_large"}, problemCodes(t, err)); d != "" {
			t.Errorf("%s: one byte over (-want +got):\n%s", c.name, d)
		}
	}
	if DefaultMaxFactsBytes != 8<<20 || MaxFactsBytes != DefaultMaxFactsBytes || DefaultMaxGuidanceBytes != 1<<20 {
		t.Error("the documented defaults changed")
	}
}

// Input over the limit is refused before it is parsed.
func TestDecodeFactsTooLarge(t *testing.T) {
	big := make([]byte, DefaultMaxFactsBytes+1)
	ve := decodeErr(t, string(big))
	if d := cmp.Diff([]string{"input_too_large"}, ve.Codes()); d != "" {
		t.Errorf("codes (-want +got):\n%s", d)
	}
}

// An invalid agreement under its partner is a fact, not an input error: the review reports
// it as a gap with consent's codes.
func TestDecodeInvalidAgreementIsAGap(t *testing.T) {
	doc := `{"program":"prog-1","partners":[{"id":"ob-1","kind":"prenatal_care","agreements":[
		{"id":"q","program":"prog-1","organization":"ob-1","services":["other_professional"],"written":true,
		 "bound_by_part2":true,"resist_judicial_access":false,"signed_at":"2026-01-01T00:00:00Z"}]}]}`
	f, _, err := DecodeFacts([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	rep := review(t, f, Options{})
	if got := rep.Gaps[0]; got.Code != GapQSOAInvalid || !cmp.Equal(got.Problems, []string{string(consent.CodeMissingResistClause)}) {
		t.Errorf("first gap %+v", got)
	}
}

func TestDecodeGuidance(t *testing.T) {
	g := MassachusettsBSAS()
	b, err := jsonMarshal(g)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeGuidance(b)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(g, back); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
	// A State's own: two competencies, one QSO requirement, no partnership.
	own := `{"id":"st-x","agreements":[{"code":"qsoa_ob","cite":"X 1","kinds":["prenatal_care"]}],
		"competencies":[{"code":"mi","cite":"X 2","topic":"MI","training_every_days":730},
		                {"code":"safety","cite":"X 3","topic":"safety","supervision_every_days":30}],
		"new_staff_grace_days":60,"charm":` + string(mustJSON(t, DefaultCHARM())) + `}`
	if _, err := DecodeGuidance([]byte(own)); err != nil {
		t.Errorf("own guidance: %v", err)
	}
	_, err = DecodeGuidance([]byte(`{"id":"x","competencies":[{"code":"mi","cite":"c","topic":"t"}],"charm":{}}`))
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "competency_without_refresh at competencies[0]") {
		t.Errorf("error %v", err)
	}
	_, err = DecodeGuidance([]byte(`{"id":"x","agreements":[{"code":"a","cite":"c","kinds":["prenatal_care","dentist"]}]}`))
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Problems[0].Path != "agreements[0].kinds[1]" {
		t.Errorf("error %v", err)
	}
}
