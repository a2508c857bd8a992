package consent_test

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/google/go-cmp/cmp"
)

// Properties that must hold for every world and every request, checked on worlds drawn by
// the differential test's generator. Each states something the engine must never do.

// propertyWorlds is the number of worlds each property is checked on (a tenth with -short).
const propertyWorlds = 600

func propertyGen(seed uint64) gen { return gen{pcg{rand.New(rand.NewPCG(seed, 0x22))}} }

// eachCase calls f on propertyWorlds random worlds, with a few requests in each.
func eachCase(t *testing.T, seed uint64, f func(w world, r consent.Request)) {
	t.Helper()
	g := propertyGen(seed)
	n := propertyWorlds
	if testing.Short() {
		n /= 10
	}
	for range n {
		w := g.world(t)
		for range 8 {
			f(w, g.request(w.consents, w.agreements))
		}
	}
}

func compileOrFail(t *testing.T, p consent.Policy, cs []consent.Consent, qs []consent.QSOAgreement) *consent.Engine {
	t.Helper()
	e, err := p.Compile(cs, qs)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// Removing or revoking a consent never turns a deny into a permit: a consent only ever adds
// grounds (its exclusions restrict only itself), and a revocation only takes them away
// (42 CFR 2.31(c)(3)).
func TestPropertyRemovingOrRevokingNeverPermits(t *testing.T) {
	g := propertyGen(7)
	denies := 0
	eachCase(t, 1, func(w world, r consent.Request) {
		if w.engine.Decide(r).Permit {
			return
		}
		denies++
		for i := range w.consents {
			without := slices.Delete(slices.Clone(w.consents), i, i+1)
			if d := compileOrFail(t, w.policy, without, w.agreements).Decide(r); d.Permit {
				t.Fatalf("removing consent %q turned a deny into %v\n%s", w.consents[i].ID, d, w.dump(r))
			}
			revoked := slices.Clone(w.consents)
			c := revoked[i]
			// Revoke it: at an instant before, at or after anything, or earlier than an earlier
			// revocation (moving a revocation later would be un-revoking, not revoking).
			if at := base.Add(time.Duration(g.n(60)-6) * time.Hour); c.RevokedAt.IsZero() || at.Before(c.RevokedAt) {
				c.RevokedAt = at
			}
			revoked[i] = c
			if d := compileOrFail(t, w.policy, revoked, w.agreements).Decide(r); d.Permit {
				t.Fatalf("revoking consent %q at %v turned a deny into %v\n%s", c.ID, c.RevokedAt, d, w.dump(r))
			}
		}
	})
	if denies == 0 {
		t.Fatal("no deny to check")
	}
}

// An unknown code never permits: a request whose purpose, recipient kind, information kind
// or holder kind is unknown is denied whatever else holds; a consent with an unknown kind,
// purpose, kind of information or designation is never the basis of a permit.
func TestPropertyUnknownCodeNeverPermits(t *testing.T) {
	unknowns := []func(*consent.Request){
		func(r *consent.Request) { r.Purpose = consent.PurposeUnknown },
		func(r *consent.Request) { r.Purpose = consent.Purpose(200) },
		func(r *consent.Request) { r.Recipient.Kind = consent.RecipientKindUnknown },
		func(r *consent.Request) { r.Recipient.Kind = consent.RecipientKind(99) },
		func(r *consent.Request) { r.Information = append(slices.Clone(r.Information), consent.InfoKindUnknown) },
		func(r *consent.Request) { r.Information = append(slices.Clone(r.Information), consent.InfoKind(31)) },
		func(r *consent.Request) {
			h := consent.Holder{}
			if r.Holder != nil {
				h = *r.Holder
			}
			h.Kind = consent.RecipientKindUnknown
			r.Holder = &h
		},
	}
	eachCase(t, 2, func(w world, r consent.Request) {
		for i, u := range unknowns {
			x := r
			u(&x)
			if d := w.engine.Decide(x); d.Permit {
				t.Fatalf("unknown code %d permitted: %v\n%s", i, d, w.dump(x))
			}
		}
	})
	// Unknown codes in a consent: the consent never permits, by any route.
	spoil := []func(*consent.Consent){
		func(c *consent.Consent) { c.Kind = consent.KindUnknown },
		func(c *consent.Consent) { c.Purposes = append(slices.Clone(c.Purposes), consent.PurposeUnknown) },
		func(c *consent.Consent) { c.Information = append(slices.Clone(c.Information), consent.InfoKindUnknown) },
		func(c *consent.Consent) {
			c.Recipients = append(slices.Clone(c.Recipients), consent.Recipient{Designation: consent.Designation(77)})
		},
	}
	eachCase(t, 3, func(w world, r consent.Request) {
		for i := range w.consents {
			for j, s := range spoil {
				cs := slices.Clone(w.consents)
				s(&cs[i])
				d := compileOrFail(t, w.policy, cs, w.agreements).Decide(r)
				if d.Permit && d.Basis.Consent == cs[i].ID {
					t.Fatalf("consent %q with unknown code %d permitted: %v\n%s", cs[i].ID, j, d, w.dump(r))
				}
			}
		}
	})
}

// A nested deny's actor is never permitted by any route that rests on the consent: named,
// designated, as an intermediary or its member, or by a holder's redisclosure under it.
// (An exception to consent, such as a court order, does not rest on any consent.)
func TestPropertyExcludedNeverPermitted(t *testing.T) {
	g := propertyGen(9)
	checked := 0
	eachCase(t, 4, func(w world, r consent.Request) {
		// Exclude the request's recipient from one consent, by identifier (with or without
		// its system) or by a class that covers it.
		i := g.n(max(len(w.consents), 1))
		if len(w.consents) == 0 {
			return
		}
		cs := slices.Clone(w.consents)
		c := cs[i]
		x := consent.Exclusion{ID: r.Recipient.ID}
		switch g.n(3) {
		case 0:
			x.ID.System = "" // excludes every system
		case 1:
			x = consent.Exclusion{Designation: pick(g, designate...)}
		}
		c.Exclusions = append(slices.Clone(c.Exclusions), x)
		cs[i] = c
		e := compileOrFail(t, w.policy, cs, w.agreements)
		for _, d := range []consent.Decision{e.Decide(r), e.Explain(r)} {
			if !d.Permit || d.Basis.Consent != c.ID {
				continue
			}
			checked++
			if x.Designation == consent.DesignationUnknown {
				t.Fatalf("consent %q excludes %v, yet %v\n%s", c.ID, x.ID, d, w.dump(r))
			}
			// A class exclusion reaches only the kinds the class covers: check it does not
			// cover this recipient for this purpose.
			if classCoversForTest(x.Designation, r.Recipient.Kind, r.Purpose) {
				t.Fatalf("consent %q excludes the class %v covering the recipient, yet %v\n%s", c.ID, x.Designation, d, w.dump(r))
			}
		}
		// And with no exception facts at all, the excluded actor gets nothing from c.
		r.Facts = consent.Facts{}
		if d := e.Decide(r); d.Permit && d.Basis.Consent == c.ID && x.Designation == consent.DesignationUnknown {
			t.Fatalf("excluded recipient permitted under %q: %v\n%s", c.ID, d, w.dump(r))
		}
	})
	t.Logf("%d permits under the excluding consent checked", checked)
}

// classCoversForTest restates the classes of 2.31(a)(4)(i) (consent/doc.go) for the test.
func classCoversForTest(d consent.Designation, k consent.RecipientKind, p consent.Purpose) bool {
	payOps := p == consent.PurposePayment || p == consent.PurposeOperations
	switch d {
	case consent.DesignationTreatingProviders:
		return k == consent.RecipientKindPart2Program || k == consent.RecipientKindCoveredEntity || k == consent.RecipientKindMedicalPersonnel
	case consent.DesignationHealthPlans:
		return payOps && k == consent.RecipientKindCoveredEntity
	case consent.DesignationThirdPartyPayers:
		return payOps && (k == consent.RecipientKindCoveredEntity || k == consent.RecipientKindLawfulHolder)
	case consent.DesignationProgramOperations:
		return payOps && (k == consent.RecipientKindBusinessAssociate || k == consent.RecipientKindQSO || k == consent.RecipientKindContractor)
	}
	return false
}

// A permit's basis is in force: a consent counts at the request; a holder's consent counted
// when the holder received the records, at or before the request; the basis's end, when
// known, is after the request; a QSO agreement is valid and in force.
func TestPropertyBasisInForce(t *testing.T) {
	permits := 0
	eachCase(t, 5, func(w world, r consent.Request) {
		d := w.engine.Decide(r)
		if !d.Permit {
			return
		}
		permits++
		if !d.Until().IsZero() && !r.At.Before(d.Until()) {
			t.Fatalf("permit at %v on a basis that ended at %v: %v\n%s", r.At, d.Until(), d, w.dump(r))
		}
		byID := func(id string) consent.Consent {
			for _, c := range w.consents {
				if c.ID == id {
					return c
				}
			}
			t.Fatalf("basis names consent %q, not in the world", id)
			return consent.Consent{}
		}
		switch d.Basis.Kind {
		case consent.BasisKindConsent:
			c := byID(d.Basis.Consent)
			if r.Holder != nil && c.StatusAt(r.Holder.ReceivedAt) != consent.StatusInForce && !namesDiscloser(c, r.Discloser) {
				t.Fatalf("holder received under %q while it did not count: %v\n%s", c.ID, d, w.dump(r))
			}
			if s := c.StatusAt(r.At); s != consent.StatusInForce && !(r.Holder != nil && w.policy.RedisclosureAfterConsentEnds) {
				t.Fatalf("permit on consent %q whose status at the request is %v: %v\n%s", c.ID, s, d, w.dump(r))
			}
		case consent.BasisKindRedisclosure:
			c := byID(d.Basis.Consent)
			if r.Holder == nil || r.Holder.ReceivedAt.After(r.At) || c.StatusAt(r.Holder.ReceivedAt) != consent.StatusInForce {
				t.Fatalf("redisclosure on %q not received while it counted: %v\n%s", c.ID, d, w.dump(r))
			}
		case consent.BasisKindException:
			if d.Basis.Section == consent.SectionQSO {
				ok := false
				for _, a := range w.agreements {
					ok = ok || (a.Program == r.Discloser && a.Organization == r.Recipient.ID && a.InForceAt(r.At))
				}
				if !ok {
					t.Fatalf("QSO permit without an agreement in force: %v\n%s", d, w.dump(r))
				}
			}
		default:
			t.Fatalf("permit without a basis: %v", d)
		}
	})
	if permits == 0 {
		t.Fatal("no permit to check")
	}
}

func namesDiscloser(c consent.Consent, id consent.Identifier) bool {
	return slices.Contains(c.Disclosers, id)
}

// Decide and Explain agree: the same outcome, basis, end and obligations; on a deny the very
// same decision; on a permit Decide's one reason is Explain's first.
func TestPropertyDecideAgreesWithExplain(t *testing.T) {
	eachCase(t, 6, func(w world, r consent.Request) {
		d, x := w.engine.Decide(r).Record(), w.engine.Explain(r).Record()
		if !d.Permit {
			if diff := cmp.Diff(x, d); diff != "" {
				t.Fatalf("deny differs (-explain +decide):\n%s\n%s", diff, w.dump(r))
			}
			return
		}
		if !x.Permit || d.Basis != x.Basis || !d.Until.Equal(x.Until) || !cmp.Equal(d.Obligations, x.Obligations) ||
			len(d.Reasons) != 1 || d.Reasons[0] != x.Reasons[0] {
			t.Fatalf("permit differs:\ndecide  %+v\nexplain %+v\n%s", d, x, w.dump(r))
		}
	})
}

// A Decision is independent of later calls: whatever a caller does to what a decision gives
// it, no later decision changes (one caller zeroing the first obligation must not remove the
// 2.32 notice from every later permit).
func TestPropertyDecisionIndependent(t *testing.T) {
	eachCase(t, 8, func(w world, r consent.Request) {
		for _, decide := range []func(consent.Request) consent.Decision{w.engine.Decide, w.engine.Explain} {
			first := decide(r)
			want := first.Record()
			// Scribble over everything the decision hands out.
			rec := first.Record()
			for i := range rec.Reasons {
				rec.Reasons[i] = consent.Reason{Code: "scribbled"}
			}
			for i := range rec.Obligations {
				rec.Obligations[i] = consent.Obligation{}
			}
			for i := range rec.Citations {
				rec.Citations[i] = "scribbled"
			}
			for _, s := range [][]consent.Reason{first.Reasons()} {
				for i := range s {
					s[i].Message = "scribbled"
				}
			}
			if obs := first.Obligations(); len(obs) > 0 {
				obs[0] = consent.Obligation{}
			}
			if cs := first.Citations(); len(cs) > 0 {
				cs[0] = ""
			}
			if diff := cmp.Diff(want, first.Record()); diff != "" {
				t.Fatalf("the decision changed under its caller's writes (-before +after):\n%s", diff)
			}
			if diff := cmp.Diff(want, decide(r).Record()); diff != "" {
				t.Fatalf("a later decision changed (-first +later):\n%s\n%s", diff, w.dump(r))
			}
		}
	})
	// Nor of what the caller does to its Request afterwards, nor of what it does to its
	// Engine value: a decision (a deny, or any of Explain) keeps a copy of the request and
	// judges it again when its reasons are read, so it must copy what the caller may reuse
	// (the information slice, the holder behind its pointer) and hold the compiled engine,
	// not the Engine value. Each scribble below changes what a fresh decision of the
	// scribbled request would say often enough to be seen (counted and required).
	changed := 0
	eachCase(t, 10, func(w world, r consent.Request) {
		for _, decide := range []func(consent.Request) consent.Decision{w.engine.Decide, w.engine.Explain} {
			mine := cloneRequest(r)
			d := decide(mine)
			want := decide(cloneRequest(r)).Record()
			// Reuse the request's memory for another request, and decide that one.
			for i := range mine.Information {
				mine.Information[i] = pick(propertyGen(uint64(i)), consent.InfoKindCounselingNotes, consent.InfoKindUnknown, consent.InfoKind(40))
			}
			if mine.Holder != nil {
				*mine.Holder = consent.Holder{Kind: consent.RecipientKindUnknown, ReceivedUnder: "scribbled", ReceivedAt: base.Add(-time.Hour)}
			}
			mine.Patient, mine.Discloser, mine.Recipient = consent.Identifier{Value: "scribbled"}, consent.Identifier{}, consent.Party{}
			mine.Purpose, mine.At, mine.Service, mine.Facts = consent.PurposeProceedings, time.Time{}, "scribbled", consent.Facts{CourtOrder: true}
			if again := decide(mine).Record(); !cmp.Equal(again, want) {
				changed++
			}
			if diff := cmp.Diff(want, d.Record()); diff != "" {
				t.Fatalf("the decision changed when its caller reused the request's memory (-before +after):\n%s\n%s", diff, w.dump(r))
			}
		}
	})
	if changed == 0 {
		t.Fatal("no scribble changed a decision: the check above proves nothing")
	}
	// The Engine value: zeroing it afterwards (its fields are unexported, but *e = Engine{}
	// compiles anywhere) denies later requests and changes no decision already made.
	eachCase(t, 11, func(w world, r consent.Request) {
		e := *w.engine
		d, x := e.Decide(r), e.Explain(r)
		want, wantX := d.Record(), x.Record()
		e = consent.Engine{}
		if diff := cmp.Diff(want, d.Record()); diff != "" {
			t.Fatalf("the decision changed with its Engine value (-before +after):\n%s", diff)
		}
		if diff := cmp.Diff(wantX, x.Record()); diff != "" {
			t.Fatalf("Explain's decision changed with its Engine value (-before +after):\n%s", diff)
		}
		if e.Decide(r).Permit || !e.Decide(r).HasReason(consent.CodeEngineNotCompiled) {
			t.Fatalf("the zeroed engine still decides: %v", e.Decide(r))
		}
	})

	// A decision built from a record does not share the record's slices.
	rec := consent.DecisionRecord{Reasons: []consent.Reason{{Code: "a"}}, Obligations: []consent.Obligation{{Code: consent.ObligationCodeNotice232}}, Citations: []string{"c"}}
	d := rec.Decision()
	rec.Reasons[0].Code, rec.Obligations[0].Code, rec.Citations[0] = "x", consent.ObligationCodeUnknown, "y"
	if !d.HasReason("a") || !d.HasObligation(consent.ObligationCodeNotice232) || d.Citations()[0] != "c" {
		t.Errorf("the decision shares its record's slices: %+v", d.Record())
	}
}

// cloneRequest copies a request deeply: its information slice and its holder.
func cloneRequest(r consent.Request) consent.Request {
	r.Information = slices.Clone(r.Information)
	if r.Holder != nil {
		h := *r.Holder
		r.Holder = &h
	}
	return r
}

// Every form of a decision says the same, however its reasons are held (judged again from
// the engine, or copied from a record): its record, its JSON, the decision rebuilt from
// either, Equal (and so cmp.Diff), HasReason and String; reading twice gives the same; a
// deny of Decide equals the deny of Explain. Equal says two decisions are equal exactly
// when their records are.
func TestPropertyDecisionForms(t *testing.T) {
	var prev consent.Decision
	pairs, unequal := 0, 0
	eachCase(t, 12, func(w world, r consent.Request) {
		d, x := w.engine.Decide(r), w.engine.Explain(r)
		for _, d := range []consent.Decision{d, x} {
			rec := d.Record()
			if diff := cmp.Diff(rec, d.Record()); diff != "" {
				t.Fatalf("a second reading differs (-first +second):\n%s", diff)
			}
			b, err := json.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			var back consent.Decision
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			for name, o := range map[string]consent.Decision{"JSON": back, "record": rec.Decision()} {
				if diff := cmp.Diff(d, o); diff != "" || !o.Equal(d) {
					t.Fatalf("the decision from its %s differs (-engine +%s):\n%s", name, name, diff)
				}
				if diff := cmp.Diff(rec, o.Record()); diff != "" {
					t.Fatalf("the record of the decision from its %s differs:\n%s", name, diff)
				}
			}
			s := d.String()
			for _, x := range rec.Reasons {
				if !d.HasReason(x.Code) || !strings.Contains(s, " "+string(x.Code)) {
					t.Fatalf("HasReason(%s) or String %q misses a reason of %+v", x.Code, s, rec)
				}
			}
			if d.HasReason("no_such_code") {
				t.Fatalf("HasReason of a code no reason has: %v", d)
			}
		}
		if !d.Permit && !d.Equal(x) {
			t.Fatalf("Decide's deny and Explain's differ:\n%v\n%v", d, x)
		}
		pairs++
		if d.Equal(prev) != cmp.Equal(d.Record(), prev.Record()) {
			t.Fatalf("Equal says %v, the records say otherwise:\n%+v\n%+v", d.Equal(prev), d.Record(), prev.Record())
		}
		if !d.Equal(prev) {
			unequal++
		}
		prev = d
	})
	if unequal == 0 || unequal == pairs {
		t.Fatalf("%d of %d consecutive decisions unequal: Equal is not exercised both ways", unequal, pairs)
	}
}

// A decision judged again from what it keeps of its request (the engine's copies of the
// request's strings, or a stand-in for a string the engine does not hold; instants without
// their location) says what judging the request itself says, for Decide and Explain. The
// worlds' requests name parties the world's consents and agreements hold, parties they do
// not, identifiers with and without systems, broken identifiers, services known and not,
// and holders naming consents that exist and do not.
func TestPropertyKeptRequestJudgesAlike(t *testing.T) {
	eachCase(t, 13, func(w world, r consent.Request) {
		for _, explain := range []bool{false, true} {
			d := w.engine.Decide(r)
			if explain {
				d = w.engine.Explain(r)
			}
			if diff := cmp.Diff(consent.JudgeDirectly(w.engine, r, explain), d.Record()); diff != "" {
				t.Fatalf("explain %v: the kept request is judged otherwise (-direct +kept):\n%s\n%s", explain, diff, w.dump(r))
			}
		}
	})
}

// The stand-in for strings the engine does not hold equals none it holds, and a holder's
// "consent:" prefix is removed once only: a holder naming "consent:consent:c1" names no
// consent, even where an identifier of the engine is "consent:c1" (the engine's copy of
// that string must not be read as naming c1 when judged again).
func TestKeptRequestEdgeStrings(t *testing.T) {
	c1 := consent.Consent{ID: "c1", Patient: consent.Identifier{Value: "p1"}, Kind: consent.KindTPO,
		Disclosers: []consent.Identifier{{Value: "prog-1"}},
		Recipients: []consent.Recipient{{ID: consent.Identifier{Value: "consent:c1"}}, {Designation: consent.DesignationTreatingProviders}},
		Purposes:   []consent.Purpose{consent.PurposeTreatment}, Information: []consent.InfoKind{consent.InfoKindSUDRecords},
		InformationDescription: "all", Expires: consent.Expiry{None: true}, SignedAt: base, Signer: consent.SignerPatient,
		Statements: consent.Statements{Revocation: true, Redisclosure: true, RefusalConsequences: true}}
	e := compileOrFail(t, consent.Policy{}, []consent.Consent{c1}, nil)
	at := base.Add(time.Hour)
	for _, tc := range []struct {
		name string
		r    consent.Request
		want consent.Code
	}{
		{"holder names consent:consent:c1", consent.Request{Patient: c1.Patient, Discloser: consent.Identifier{Value: "ob-1"},
			Holder:    &consent.Holder{Kind: consent.RecipientKindCoveredEntity, ReceivedUnder: "consent:consent:c1", ReceivedAt: base},
			Recipient: consent.Party{ID: consent.Identifier{Value: "peds-1"}, Kind: consent.RecipientKindCoveredEntity},
			Purpose:   consent.PurposeTreatment, Information: []consent.InfoKind{consent.InfoKindSUDRecords}, At: at},
			consent.CodeRedisclosureNoConsent},
		{"discloser the engine does not hold", consent.Request{Patient: c1.Patient, Discloser: consent.Identifier{Value: "prog-2"},
			Recipient: consent.Party{ID: consent.Identifier{Value: "consent:c1"}, Kind: consent.RecipientKindLawfulHolder},
			Purpose:   consent.PurposeTreatment, Information: []consent.InfoKind{consent.InfoKindSUDRecords}, At: at},
			consent.CodeDiscloserNotNamed},
		{"system the engine does not hold", consent.Request{Patient: c1.Patient, Discloser: consent.Identifier{System: "urn:x", Value: "prog-1"},
			Recipient: consent.Party{ID: consent.Identifier{System: "urn:y", Value: "consent:c1"}, Kind: consent.RecipientKindLawfulHolder},
			Purpose:   consent.PurposeTreatment, Information: []consent.InfoKind{consent.InfoKindSUDRecords}, At: at},
			consent.CodeRecipientNotCovered},
	} {
		for _, explain := range []bool{false, true} {
			d := e.Decide(tc.r)
			if explain {
				d = e.Explain(tc.r)
			}
			if d.Permit || !d.HasReason(tc.want) {
				t.Errorf("%s (explain %v): %v, want a deny with %s", tc.name, explain, d, tc.want)
			}
			if diff := cmp.Diff(consent.JudgeDirectly(e, tc.r, explain), d.Record()); diff != "" {
				t.Errorf("%s (explain %v): judged otherwise (-direct +kept):\n%s", tc.name, explain, diff)
			}
		}
	}
}
