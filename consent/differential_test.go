package consent_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/consent/internal/spec"
	"github.com/google/go-cmp/cmp"
)

// The engine against the reference reading (consent/internal/spec): random worlds of
// consents, QSO agreements and a policy, and random requests in them, must get the same
// outcome, basis, end of basis and obligations from Engine.Decide, from Engine.Explain and
// from spec.Decide. The worlds are drawn from small pools of identifiers, times and codes so
// that consents, holders and agreements meet the requests often: names with and without
// systems, valid and deficient consents, exclusions, intermediaries and their members,
// redisclosures, exceptions and their facts.

// source draws the generator's choices: a seeded PCG stream for the differential test, the
// fuzzer's bytes for the fuzz target.
type source interface {
	intn(n int) int
}

type pcg struct{ r *rand.Rand }

func (p pcg) intn(n int) int { return p.r.IntN(n) }

// byteSource reads choices from bytes; once they are used up every choice is 0.
type byteSource struct {
	b []byte
	i int
}

func (s *byteSource) intn(n int) int {
	if s.i >= len(s.b) {
		return 0
	}
	v := int(s.b[s.i])
	s.i++
	return v % n
}

type gen struct{ s source }

func (g gen) n(k int) int          { return g.s.intn(k) }
func (g gen) one(k int) bool       { return g.s.intn(k) == 0 } // true one time in k
func pick[T any](g gen, xs ...T) T { return xs[g.n(len(xs))] }
func (g gen) some(max int) int     { return g.n(max + 1) }
func (g gen) id(values ...string) consent.Identifier {
	id := consent.Identifier{System: pick(g, "", "", "", "urn:npi"), Value: pick(g, values...)}
	if g.one(64) {
		id.Value += pick(g, " ", "\n", "|x") // breaks the identifier rule
	}
	if g.one(128) {
		id.Value = ""
	}
	return id
}

var (
	base = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// "OB-1" and "lab1" are other spellings of "ob-1" and "lab-1": one party to an exclusion
	// (ASCII case and dashes folded), two to a permit.
	parties   = []string{"prog-1", "prog-2", "ob-1", "peds-1", "hie-1", "hie-2", "pd-1", "lab-1", "OB-1", "lab1"}
	patients  = []string{"p1", "p2"}
	designate = []consent.Designation{consent.DesignationTreatingProviders, consent.DesignationHealthPlans,
		consent.DesignationThirdPartyPayers, consent.DesignationProgramOperations}
)

// at is a time on a grid of hours, where starts, ends and requests meet on the same instants.
func (g gen) at() time.Time { return base.Add(time.Duration(g.n(48)) * time.Hour) }

// after is a time on the grid from t on (t itself one time in four).
func (g gen) after(t time.Time) time.Time { return t.Add(time.Duration(g.n(24)) * time.Hour) }

// maybeAt is a time, or (one time in k) none.
func (g gen) maybeAt(k int) time.Time {
	if g.one(k) {
		return time.Time{}
	}
	return g.at()
}

func (g gen) purpose() consent.Purpose {
	switch {
	case g.one(2):
		return pick(g, consent.PurposeTreatment, consent.PurposePayment, consent.PurposeOperations)
	case g.one(8):
		return consent.Purpose(pick(g, 0, 14, 200)) // unknown, out of range
	}
	return consent.Purpose(1 + g.n(13)) // every purpose
}

func (g gen) info() consent.InfoKind {
	if g.one(32) {
		return consent.InfoKind(pick(g, 0, 4, 40)) // unknown, out of range
	}
	return pick(g, consent.InfoKindSUDRecords, consent.InfoKindSUDRecords, consent.InfoKindPatientIdentity, consent.InfoKindCounselingNotes)
}

func (g gen) kindOfParty() consent.RecipientKind { return consent.RecipientKind(g.n(17)) }

func (g gen) designation() consent.Designation {
	if g.one(32) {
		return consent.Designation(5 + g.n(2)) // out of range: unknown
	}
	return pick(g, designate...)
}

func (g gen) consent(i int) consent.Consent {
	c := consent.Consent{
		ID:      "c" + strconv.Itoa(i),
		Patient: g.id(patients...),
		Kind:    consent.Kind(1 + g.n(5)),
	}
	switch {
	case g.one(2):
		c.Kind = consent.KindTPO
	case g.one(16):
		c.Kind = consent.Kind(pick(g, 0, 6)) // unknown, out of range
	}
	for range 1 + g.n(2) {
		c.Disclosers = append(c.Disclosers, g.id(parties...))
	}
	if g.one(12) {
		c.Disclosers, c.DiscloserDesignation = nil, "the programs of the county"
	}
	for range 1 + g.n(3) {
		var r consent.Recipient
		switch g.n(4) {
		case 0, 1:
			r.ID = g.id(parties...)
		case 2:
			r.Designation = g.designation()
		default:
			r.ID = g.id(parties...)
			r.Intermediary = !g.one(3)
			for range g.some(2) {
				r.Members = append(r.Members, g.id(parties...))
			}
			if g.one(2) || (len(r.Members) == 0 && !g.one(8)) {
				r.MemberDesignation = consent.DesignationTreatingProviders
				if g.one(8) {
					r.MemberDesignation = consent.DesignationHealthPlans // not treating providers: deficient
				}
			}
		}
		if g.one(40) {
			r.Designation = g.designation() // both named and designated: deficient
		}
		c.Recipients = append(c.Recipients, r)
	}
	for range g.some(2) {
		if g.one(2) {
			c.Exclusions = append(c.Exclusions, consent.Exclusion{ID: g.id(parties...)})
		} else {
			c.Exclusions = append(c.Exclusions, consent.Exclusion{Designation: g.designation()})
		}
	}
	for range 1 + g.n(3) {
		p := g.purpose()
		switch {
		case g.one(16):
		case c.Kind == consent.KindTPO:
			p = pick(g, consent.PurposeTreatment, consent.PurposePayment, consent.PurposeOperations)
		case c.Kind == consent.KindProceedings:
			p = consent.PurposeProceedings
		case c.Kind == consent.KindResearch:
			p = consent.PurposeResearch
		case p == consent.PurposeProceedings:
			p = consent.PurposeTreatment
		}
		c.Purposes = append(c.Purposes, p)
	}
	for range 1 + g.n(2) {
		k := g.info()
		if !g.one(8) {
			switch {
			case c.Kind == consent.KindCounselingNotes:
				k = consent.InfoKindCounselingNotes
			case k == consent.InfoKindCounselingNotes:
				k = consent.InfoKindSUDRecords
			}
		}
		c.Information = append(c.Information, k)
	}
	if !g.one(30) {
		c.InformationDescription = "what the program holds"
	}
	c.SignedAt = base.Add(time.Duration(g.n(24)) * time.Hour)
	if g.one(30) {
		c.SignedAt = time.Time{}
	}
	switch g.n(4) {
	case 0:
		c.Expires = consent.Expiry{None: true}
		if c.Kind != consent.KindTPO && !g.one(8) {
			c.Expires = consent.Expiry{At: c.SignedAt.Add(time.Duration(1+g.n(30)) * time.Hour)}
		}
	case 1:
		c.Expires = consent.Expiry{Event: "end of treatment"}
		if g.one(2) {
			c.Expires.OccurredAt = g.after(c.SignedAt)
		}
	default:
		c.Expires = consent.Expiry{At: c.SignedAt.Add(time.Duration(g.n(30)) * time.Hour)} // at the signing: deficient
	}
	if g.one(30) {
		c.Expires.None = true // ambiguous
	}
	c.Signer = consent.Signer(1 + g.n(3))
	if g.one(30) {
		c.Signer = consent.SignerUnknown
	}
	c.Statements = consent.Statements{Revocation: !g.one(40), Redisclosure: !g.one(40), RefusalConsequences: !g.one(40)}
	if g.one(4) {
		c.RevokedAt = g.after(c.SignedAt)
		if g.one(10) {
			c.RevokedAt = c.SignedAt.Add(-time.Hour) // before the signing: contradictory
		}
	}
	switch g.n(12) {
	case 0:
		c.KnownFalse = true
	case 1:
		c.KnownFalseAt = g.after(c.SignedAt)
	}
	return c
}

func (g gen) agreement(i int) consent.QSOAgreement {
	a := consent.QSOAgreement{
		ID: "q" + strconv.Itoa(i), Program: g.id(parties...), Organization: g.id(parties...),
		Written: !g.one(10), BoundByPart2: !g.one(10), ResistJudicialAccess: !g.one(10),
		SignedAt: g.maybeAt(10), Effective: g.maybeAt(2),
	}
	if g.one(2) {
		a.Expires = g.after(a.SignedAt.Add(time.Hour))
	}
	if g.one(3) {
		a.Organization = g.id(parties...)
	} else if a.Organization == a.Program {
		a.Organization.Value = "lab-1"
	}
	for range g.some(2) {
		a.Services = append(a.Services, pick(g, consent.ServiceLaboratoryAnalyses, consent.ServiceBillCollecting,
			consent.ServiceChildAbuseNeglectPrevention, "prenatal care"))
	}
	return a
}

func (g gen) request(cs []consent.Consent, qs []consent.QSOAgreement) consent.Request {
	r := consent.Request{
		Patient:   g.id(patients...),
		Discloser: g.id(parties...),
		Recipient: consent.Party{ID: g.id(parties...), Kind: g.kindOfParty()},
		Purpose:   g.purpose(),
		At:        g.at(),
		Service:   pick(g, consent.ServiceUnknown, consent.ServiceLaboratoryAnalyses, consent.ServiceBillCollecting, "prenatal care"),
		Facts: consent.Facts{Emergency: g.one(6), Deidentified: g.one(4), CourtOrder: g.one(40),
			InitialReportRequiredByStateLaw: g.one(4), ResearchApproved: g.one(4), AuditAgreement: g.one(4),
			TreatingProviderRelationship: g.one(3), ContractorBound: g.one(2)},
	}
	if len(qs) > 0 && g.one(6) {
		// Aim at an agreement: its program, its organization, one of its services.
		a := qs[g.n(len(qs))]
		r.Discloser, r.Recipient.ID, r.Purpose = a.Program, a.Organization, consent.PurposeQSOService
		if len(a.Services) > 0 && g.one(2) {
			r.Service = a.Services[g.n(len(a.Services))]
		}
	} else if len(cs) > 0 && !g.one(3) {
		// Aim at a consent: its patient, one of its disclosers, one of its recipients.
		c := cs[g.n(len(cs))]
		r.Patient = c.Patient
		if len(c.Disclosers) > 0 && !g.one(4) {
			r.Discloser = c.Disclosers[g.n(len(c.Disclosers))]
		}
		if e := c.Recipients[g.n(len(c.Recipients))]; !e.ID.IsZero() && !g.one(3) {
			r.Recipient.ID = e.ID
			if len(e.Members) > 0 && g.one(2) {
				r.Recipient.ID = e.Members[g.n(len(e.Members))]
			}
		} else if !g.one(3) {
			// A party of a kind a class covers (or may cover).
			r.Recipient.Kind = pick(g, consent.RecipientKindCoveredEntity, consent.RecipientKindPart2Program,
				consent.RecipientKindMedicalPersonnel, consent.RecipientKindLawfulHolder, consent.RecipientKindBusinessAssociate,
				consent.RecipientKindQSO, consent.RecipientKindContractor)
		}
		if len(c.Purposes) > 0 && !g.one(4) {
			r.Purpose = c.Purposes[g.n(len(c.Purposes))]
		}
		if !g.one(4) {
			r.Information = []consent.InfoKind{c.Information[g.n(len(c.Information))]}
			if g.one(4) {
				r.Information = append(r.Information, consent.InfoKindPatientIdentity)
			}
		}
		if !c.SignedAt.IsZero() && !g.one(4) {
			r.At = g.after(c.SignedAt)
		}
		if g.one(3) {
			// A holder of records received under this consent, named among its recipients.
			kinds := []consent.RecipientKind{consent.RecipientKindCoveredEntity, consent.RecipientKindBusinessAssociate,
				consent.RecipientKindPart2Program, consent.RecipientKindLawfulHolder, consent.RecipientKindIntermediary,
				consent.RecipientKindMedicalPersonnel, consent.RecipientKindContractor}
			r.Holder = &consent.Holder{Kind: pick(g, kinds...), ReceivedUnder: pick(g, c.ID, c.ID, "consent:"+c.ID, "c99", ""), ReceivedAt: g.maybeAt(8),
				TreatingProviderRelationship: g.one(2)}
			if !c.SignedAt.IsZero() && !g.one(4) {
				r.Holder.ReceivedAt = g.after(c.SignedAt)
				r.At = g.after(r.Holder.ReceivedAt)
			}
			if g.one(2) {
				r.Recipient.Kind = pick(g, consent.RecipientKindContractor, consent.RecipientKindCoveredEntity, consent.RecipientKindPart2Program)
			}
			if e := c.Recipients[g.n(len(c.Recipients))]; !e.ID.IsZero() {
				r.Discloser = e.ID
				if len(e.Members) > 0 && g.one(2) {
					r.Discloser = e.Members[g.n(len(e.Members))]
				}
			}
		}
	}
	if r.Holder == nil && g.one(8) {
		r.Holder = &consent.Holder{Kind: g.kindOfParty(), ReceivedUnder: "c" + strconv.Itoa(g.n(4)), ReceivedAt: g.maybeAt(4)}
	}
	if len(r.Information) == 0 {
		for range 1 + g.n(2) {
			r.Information = append(r.Information, g.info())
		}
	}
	if g.one(30) {
		r.Information = nil
	}
	if g.one(30) {
		r.At = time.Time{}
	}
	return r
}

// world is a policy, consents and agreements, compiled.
type world struct {
	policy     consent.Policy
	consents   []consent.Consent
	agreements []consent.QSOAgreement
	engine     *consent.Engine
}

func (g gen) world(t testing.TB) world {
	w := world{policy: consent.Policy{MembersFromProgram: g.one(3), DesignationsOnlyInTPO: g.one(4), RedisclosureAfterConsentEnds: g.one(3),
		PayerExclusionSparesTreatingProviders: g.one(3)}}
	n := g.some(7) // beyond 4 consents a patient's permit path takes the other walk
	for i := range n {
		w.consents = append(w.consents, g.consent(i))
	}
	for i := range g.some(2) {
		w.agreements = append(w.agreements, g.agreement(i))
	}
	e, err := w.policy.Compile(w.consents, w.agreements)
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	w.engine = e
	return w
}

// check compares the engine's two answers with the reference's, and returns the outcome.
func (w world) check(t testing.TB, r consent.Request) bool {
	want := spec.Decide(w.policy, w.consents, w.agreements, r)
	for _, d := range []struct {
		name string
		d    consent.Decision
	}{{"Decide", w.engine.Decide(r)}, {"Explain", w.engine.Explain(r)}} {
		var obs []spec.Obligation
		for _, o := range d.d.Obligations() {
			obs = append(obs, spec.Obligation{Code: o.Code, Cite: o.Cite})
		}
		if d.d.Permit != want.Permit || d.d.Basis != want.Basis || !d.d.Until().Equal(want.Until) || !slices.Equal(obs, want.Obligations) {
			t.Fatalf("%s disagrees with the reference reading:\nengine    %v until %v obligations %v\nreference %+v\n%s",
				d.name, d.d, d.d.Until(), obs, want, w.dump(r))
		}
	}
	// Decide and Explain decide the outcome without collecting reasons; the walk that
	// collects every reason (run when the reasons are read) must reach the same outcome,
	// judged straight from the request, and say the same when judged again from what
	// Explain's decision kept of the request.
	x := consent.JudgeDirectly(w.engine, r, true)
	var obs []spec.Obligation
	for _, o := range x.Obligations {
		obs = append(obs, spec.Obligation{Code: o.Code, Cite: o.Cite})
	}
	if x.Permit != want.Permit || x.Basis != want.Basis || !x.Until.Equal(want.Until) || !slices.Equal(obs, want.Obligations) {
		t.Fatalf("the walk collecting every reason disagrees with the reference reading:\nengine    %+v\nreference %+v\n%s", x, want, w.dump(r))
	}
	if got := w.engine.Explain(r).Record(); !cmp.Equal(x, got) {
		t.Fatalf("Explain's reasons judged from what it kept differ (-direct +kept):\n%s\n%s", cmp.Diff(x, got), w.dump(r))
	}
	return want.Permit
}

func (w world) dump(r consent.Request) string {
	b, _ := json.MarshalIndent(map[string]any{"policy": w.policy, "consents": w.consents, "qsoas": w.agreements, "request": r}, "", "  ")
	return string(b)
}

// differentialN is the number of requests TestDifferential judges: DYAD_DIFF_N, or a small
// default for the ordinary test run.
func differentialN(t *testing.T) int {
	n := 50_000
	if testing.Short() {
		n = 5_000
	}
	if s := os.Getenv("DYAD_DIFF_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			t.Fatalf("DYAD_DIFF_N=%q is not a positive count", s)
		}
		n = v
	}
	return n
}

// TestDifferential judges DYAD_DIFF_N random requests (default 50,000) in random worlds,
// each by the engine's Decide and Explain (their outcome, and every reason of Explain read)
// and by the reference reading. Seed: DYAD_DIFF_SEED
// (default 1). Run ten million with
//
//	DYAD_DIFF_N=10000000 go test ./consent -run TestDifferential -v -timeout 0
func TestDifferential(t *testing.T) {
	n := differentialN(t)
	seed := uint64(1)
	if s := os.Getenv("DYAD_DIFF_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("DYAD_DIFF_SEED=%q: %v", s, err)
		}
		seed = v
	}
	g := gen{pcg{rand.New(rand.NewPCG(seed, 0x11))}}
	const perWorld = 64
	permits, bases := 0, map[string]int{}
	var w world
	for i := range n {
		if i%perWorld == 0 {
			w = g.world(t)
		}
		r := g.request(w.consents, w.agreements)
		if w.check(t, r) {
			permits++
			d := w.engine.Decide(r)
			b := fmt.Sprint(d.Basis.Kind, " ", d.Basis.Section)
			if d.Basis.Kind == consent.BasisKindConsent {
				b += d.Reasons()[0].Cite // 2.33(a)(1), (a)(2) or 2.31(a)(4)(ii) (member, via an intermediary)
			}
			bases[b]++
		}
	}
	t.Logf("%d requests judged by the engine (Decide and Explain) and the reference: %d permits, by basis %v", n, permits, bases)
	// The generator must reach every kind of basis, or the comparison proves little.
	for _, b := range []string{"consent 42 CFR 2.33(a)(1)", "consent 42 CFR 2.33(a)(2)", "consent 42 CFR 2.31(a)(4)(ii)", "redisclosure 42 CFR 2.33(b)(1)", "redisclosure 42 CFR 2.33(b)(2)",
		"redisclosure 42 CFR 2.33(b)(3)", "exception 42 CFR 2.12(c)(4)", "exception 42 CFR 2.51"} {
		if bases[b] == 0 && n >= 50_000 {
			t.Errorf("no permit on %q among %d requests: the generator misses a route", b, n)
		}
	}
	if permits == 0 || permits == n {
		t.Errorf("%d permits of %d: the generator must produce both outcomes", permits, n)
	}
}

// FuzzDifferential drives the same generator from the fuzzer's bytes: a world and a few
// requests, each judged by the engine and the reference.
func FuzzDifferential(f *testing.F) {
	for i := range 16 {
		b := make([]byte, 64+i*32)
		r := rand.New(rand.NewPCG(uint64(i), 7))
		for j := range b {
			b[j] = byte(r.IntN(256))
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g := gen{&byteSource{b: data}}
		w := g.world(t)
		for range 8 {
			w.check(t, g.request(w.consents, w.agreements))
		}
	})
}
