package consent_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/consent/fhir"
)

// Outsider properties (qa3): monotonicity of the engine under changes a patient or a program
// may make, checked on the differential generator's worlds with every Policy option drawn,
// the two options added by the QA fixes (HIPAARedisclosureAfterConsentEnds,
// PayerExclusionSparesTreatingProviders) included. Each says: this change never turns a
// deny into a permit.

// outsiderCase runs f on n random worlds (every policy option drawn) and a few requests each.
func outsiderCase(t *testing.T, seed uint64, n int, f func(w world, r consent.Request)) {
	t.Helper()
	g := propertyGen(seed)
	if testing.Short() {
		n /= 10
	}
	for range n {
		w := g.world(t)
		w.policy.HIPAARedisclosureAfterConsentEnds = g.one(2)
		w.policy.PayerExclusionSparesTreatingProviders = g.one(2)
		w.engine = compileOrFail(t, w.policy, w.consents, w.agreements)
		for range 6 {
			f(w, g.request(w.consents, w.agreements))
		}
	}
}

// narrowings are changes to one consent that only take away: an exclusion added (of the
// request's recipient or its holder, by identifier or by class: 2.31(a)(4) "not to X" is a
// refusal), a purpose, a kind of information or a recipient entry removed (2.31(a)(3),
// (a)(4), (a)(5): a consent permits only what it states). None may turn a deny into a permit.
func narrowings(g gen, c consent.Consent, r consent.Request) []consent.Consent {
	var out []consent.Consent
	add := func(f func(*consent.Consent)) {
		x := c
		x.Exclusions = slices.Clone(c.Exclusions)
		x.Purposes = slices.Clone(c.Purposes)
		x.Information = slices.Clone(c.Information)
		x.Recipients = slices.Clone(c.Recipients)
		f(&x)
		out = append(out, x)
	}
	if !r.Recipient.ID.IsZero() {
		add(func(x *consent.Consent) { x.Exclusions = append(x.Exclusions, consent.Exclusion{ID: r.Recipient.ID}) })
	}
	if r.Holder != nil && !r.Discloser.IsZero() {
		add(func(x *consent.Consent) { x.Exclusions = append(x.Exclusions, consent.Exclusion{ID: r.Discloser}) })
	}
	add(func(x *consent.Consent) {
		x.Exclusions = append(x.Exclusions, consent.Exclusion{Designation: pick(g, designate...)})
	})
	if len(c.Purposes) > 1 {
		i := g.n(len(c.Purposes))
		add(func(x *consent.Consent) { x.Purposes = slices.Delete(x.Purposes, i, i+1) })
	}
	if len(c.Information) > 1 {
		i := g.n(len(c.Information))
		add(func(x *consent.Consent) { x.Information = slices.Delete(x.Information, i, i+1) })
	}
	// Removing an entry that names the redisclosing holder as an intermediary is left out:
	// that entry also confines the holder to its one route (to its own members), so removing
	// it may lawfully open another (2.33(b)(2) for a Part 2 program, consistent with the
	// consent), which is not a widening of what the consent lets reach a recipient.
	if i := g.n(max(len(c.Recipients), 1)); len(c.Recipients) > 1 &&
		!(r.Holder != nil && c.Recipients[i].IsIntermediary() && c.Recipients[i].ID == r.Discloser) {
		add(func(x *consent.Consent) { x.Recipients = slices.Delete(x.Recipients, i, i+1) })
	}
	return out
}

func TestOutsiderNarrowingNeverPermits(t *testing.T) {
	g := propertyGen(31)
	denies := 0
	outsiderCase(t, 30, 250, func(w world, r consent.Request) {
		if w.engine.Decide(r).Permit {
			return
		}
		denies++
		for i := range w.consents {
			if w.consents[i].Validate() != nil {
				continue // a deficient consent permits nothing; removing its fault is not narrowing
			}
			for _, n := range narrowings(g, w.consents[i], r) {
				cs := slices.Clone(w.consents)
				cs[i] = n
				if d := compileOrFail(t, w.policy, cs, w.agreements).Decide(r); d.Permit {
					t.Fatalf("narrowing consent %q turned a deny into %v\nnarrowed: %+v\n%s", n.ID, d, n, w.dump(r))
				}
			}
		}
	})
	if denies == 0 {
		t.Fatal("no deny to check")
	}
}

// Facts never lift a refusal: with the request's recipient excluded by identifier from every
// consent, no setting of the facts the QA fixes added (Facts.TreatingProviderRelationship,
// Facts.ContractorBound, Holder.TreatingProviderRelationship) yields a permit resting on a
// consent (directly or by redisclosure). Only an exception, which rests on no consent, may.
func TestOutsiderFactsNeverLiftIDExclusion(t *testing.T) {
	checked := 0
	outsiderCase(t, 32, 200, func(w world, r consent.Request) {
		if r.Recipient.ID.IsZero() || len(w.consents) == 0 {
			return
		}
		cs := slices.Clone(w.consents)
		for i := range cs {
			cs[i].Exclusions = append(slices.Clone(cs[i].Exclusions), consent.Exclusion{ID: consent.Identifier{Value: r.Recipient.ID.Value}})
		}
		e := compileOrFail(t, w.policy, cs, w.agreements)
		for m := range 8 {
			x := r
			x.Facts.TreatingProviderRelationship = m&1 != 0
			x.Facts.ContractorBound = m&2 != 0
			if x.Holder != nil {
				h := *x.Holder
				h.TreatingProviderRelationship = m&4 != 0
				x.Holder = &h
			}
			checked++
			if d := e.Decide(x); d.Permit && d.Basis.Kind != consent.BasisKindException {
				t.Fatalf("excluded recipient %v permitted with facts %+v: %v\n%s", r.Recipient.ID, x.Facts, d, w.dump(x))
			}
		}
	})
	if checked == 0 {
		t.Fatal("nothing checked")
	}
}

// Moving only the request's instant to the basis consent's end (its expiration, revocation or
// known falsity, 2.31(c)) or later never permits on that consent directly; a redisclosure on
// it survives only under the Policy option that says so (RedisclosureAfterConsentEnds,
// HIPAARedisclosureAfterConsentEnds), and never past known falsity (2.31(c)(4)).
func TestOutsiderAfterEndNeverPermitsOnThatConsent(t *testing.T) {
	moved := 0
	outsiderCase(t, 33, 300, func(w world, r consent.Request) {
		d := w.engine.Decide(r)
		if !d.Permit || d.Basis.Consent == "" || d.Until().IsZero() {
			return
		}
		var c consent.Consent
		for _, x := range w.consents {
			if x.ID == d.Basis.Consent {
				c = x
			}
		}
		for _, at := range []int{0, 1, 500} {
			x := r
			x.At = d.Until().Add(hour(at))
			moved++
			d2 := w.engine.Decide(x)
			if !d2.Permit || d2.Basis.Consent != c.ID {
				continue
			}
			falseBy := c.KnownFalse && (c.KnownFalseAt.IsZero() || !x.At.Before(c.KnownFalseAt))
			switch {
			case d2.Basis.Kind == consent.BasisKindConsent && r.Holder == nil:
				t.Fatalf("permit on %q after its end %v: %v\n%s", c.ID, d.Until(), d2, w.dump(x))
			case falseBy:
				t.Fatalf("permit on %q after it became known false: %v\n%s", c.ID, d2, w.dump(x))
			case d2.Basis.Section == "42 CFR 2.33(b)(1)" && !w.policy.HIPAARedisclosureAfterConsentEnds:
				t.Fatalf("2.33(b)(1) permit on %q after its end without the option: %v\n%s", c.ID, d2, w.dump(x))
			case d2.Basis.Section != "42 CFR 2.33(b)(1)" && !w.policy.RedisclosureAfterConsentEnds:
				t.Fatalf("permit on %q after its end without the option: %v\n%s", c.ID, d2, w.dump(x))
			}
		}
	})
	if moved == 0 {
		t.Fatal("no permit with an end to move past")
	}
}

func hour(n int) time.Duration { return time.Duration(n) * time.Hour }

// A patient's later refusal never widens (consent/fhir): adding to the patient's resources
// an opt-out (a base deny of an actor, a purpose, a kind of information or everything,
// signed before, after, or on the same day as the others, with a full time or a date alone)
// never turns a deny into a permit, for every realworld fixture (R4 and R5 shapes of LEAP
// CDS test resources, a portal's Part 2 consent, an HIE's opt-out) and every recipient,
// purpose and instant tried. 42 CFR 2.31(c) and (a)(6): a written refusal only withdraws.
func TestOutsiderFHIRLaterRefusalNeverWidens(t *testing.T) {
	var fixtures [][]byte
	for _, dir := range []string{"fhir/testdata/realworld/r4", "fhir/testdata/realworld/r5"} {
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			fixtures = append(fixtures, b)
		}
	}
	npi := "http://hl7.org/fhir/sid/us-npi"
	patient := consent.Identifier{System: "http://hl7.org/fhir/sid/us-medicare", Value: "5XK2-PR4-HT83"}
	program := consent.Identifier{System: npi, Value: "1902837465"}
	parties := []consent.Identifier{{System: npi, Value: "1467503390"}, {System: npi, Value: "1245319599"},
		{System: npi, Value: "1730495822"}, {System: npi, Value: "1588664410"}}
	actor := func(id consent.Identifier) string {
		return `"actor":[{"role":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"IRCP"}]},"reference":{"identifier":{"system":"` + id.System + `","value":"` + id.Value + `"}}}]`
	}
	purpose := func(c string) string {
		return `"purpose":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActReason","code":"` + c + `"}]`
	}
	contents := []string{"", actor(parties[0]), actor(parties[1]), actor(parties[2]), purpose("TREAT"), purpose("HPAYMT"),
		`"securityLabel":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"SUD"}]`,
		actor(parties[0]) + "," + purpose("TREAT")}
	signed := []string{"2024-01-01T00:00:00Z", "2024-03-04", "2024-03-04T23:00:00Z", "2024-05-01T00:00:00Z", "2024-09-01"}
	optout := func(content, at string) []byte {
		if content != "" {
			content = "," + content
		}
		return []byte(`{"resourceType":"Consent","id":"later-refusal","status":"active",
"scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
"patient":{"identifier":{"system":"` + patient.System + `","value":"` + patient.Value + `"}},
"dateTime":"` + at + `","organization":[{"identifier":{"system":"` + program.System + `","value":"` + program.Value + `"}}],
"provision":{"type":"deny"` + content + `}}`)
	}
	opts := fhir.Options{Lenient: true, DefaultStatements: consent.Statements{Revocation: true, Redisclosure: true, RefusalConsequences: true}}
	var reqs []consent.Request
	for _, p := range parties {
		for _, pu := range []consent.Purpose{consent.PurposeTreatment, consent.PurposePayment, consent.PurposeResearch} {
			for _, at := range []time.Time{time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC), time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC)} {
				reqs = append(reqs, consent.Request{Patient: patient, Discloser: program,
					Recipient: consent.Party{ID: p, Kind: consent.RecipientKindCoveredEntity}, Purpose: pu,
					Information: []consent.InfoKind{consent.InfoKindSUDRecords}, At: at})
			}
		}
	}
	permits, checked := 0, 0
	for _, f := range fixtures {
		base, err := opts.Compile([][]byte{f}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var was []bool
		for _, r := range reqs {
			p := base.Decide(r).Permit
			was = append(was, p)
			if p {
				permits++
			}
		}
		for _, c := range contents {
			for _, at := range signed {
				e, err := opts.Compile([][]byte{f, optout(c, at)}, nil)
				if err != nil {
					t.Fatal(err)
				}
				for i, r := range reqs {
					checked++
					if d := e.Decide(r); d.Permit && !was[i] {
						t.Fatalf("a refusal (%s, signed %s) turned a deny into %v for %v\n%s", c, at, d, r.Recipient.ID, f)
					}
				}
			}
		}
	}
	if permits == 0 || checked == 0 {
		t.Fatalf("nothing to check: %d permits, %d checked", permits, checked)
	}
}

// Facts only ever add grounds: a deny stays a deny when any fact the request asserts
// (Facts, Holder.TreatingProviderRelationship) is withdrawn. Each fact defaults to false,
// "unknown, which never permits anything" (Facts doc); a rule that permitted only when a
// fact is unknown would reward a caller for knowing less.
func TestOutsiderWithdrawingAFactNeverPermits(t *testing.T) {
	withdraw := []func(*consent.Request){
		func(r *consent.Request) { r.Facts.TreatingProviderRelationship = false },
		func(r *consent.Request) { r.Facts.ContractorBound = false },
		func(r *consent.Request) { r.Facts.Emergency = false },
		func(r *consent.Request) { r.Facts.Deidentified = false },
		func(r *consent.Request) { r.Facts.CourtOrder = false },
		func(r *consent.Request) { r.Facts.InitialReportRequiredByStateLaw = false },
		func(r *consent.Request) { r.Facts.ResearchApproved = false },
		func(r *consent.Request) { r.Facts.AuditAgreement = false },
		func(r *consent.Request) {
			if r.Holder != nil {
				h := *r.Holder
				h.TreatingProviderRelationship = false
				r.Holder = &h
			}
		},
	}
	denies := 0
	outsiderCase(t, 34, 300, func(w world, r consent.Request) {
		if w.engine.Decide(r).Permit {
			return
		}
		denies++
		for i, f := range withdraw {
			x := r
			f(&x)
			if d := w.engine.Decide(x); d.Permit {
				t.Fatalf("withdrawing fact %d turned a deny into %v\n%s", i, d, w.dump(x))
			}
		}
	})
	if denies == 0 {
		t.Fatal("no deny to check")
	}
}
