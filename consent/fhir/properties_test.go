package fhir

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/dyad-health/dyad/consent"
)

// The properties below drive random nested denies, in R4 and R5 form, through Read and the
// Engine, over a small world of requests:
//
//   - a finding never widens a permit: a resource with denies added (of any shape, mappable
//     or not) permits no request the resource without them does not permit;
//   - a nested deny is never dropped: every request the deny's text may reach (the actor it
//     names, or anyone; a purpose it names, or any; a kind of information its labels may
//     hold, or any; whatever class, code, action, period or data it restricts to) is denied;
//   - a later refusal (another resource, an opt-out with random criteria) never turns a deny
//     into a permit, and denies every request its text may reach from its signing on.

var (
	propSigned = time.Date(2026, 1, 10, 14, 0, 0, 0, time.UTC)
	propActors = []consent.Identifier{
		{System: "urn:npi", Value: "ob"}, {System: "urn:npi", Value: "peds"}, {System: "urn:npi", Value: "harbor"}, {System: "urn:npi", Value: "stranger"},
	}
	propPurposes = []consent.Purpose{consent.PurposeTreatment, consent.PurposePayment, consent.PurposeOperations, consent.PurposeResearch}
	propInfo     = [][]consent.InfoKind{{consent.InfoKindSUDRecords}, {consent.InfoKindPatientIdentity}, {consent.InfoKindSUDRecords, consent.InfoKindPatientIdentity}}
	propTimes    = []time.Time{time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
)

// propBase is a valid Part 2 consent naming ob, peds and harbor for treatment, payment and
// operations of SUD records and the patient's identity.
func propBase() consent.Consent {
	return consent.Consent{
		ID: "base", Patient: lid("p1"), Kind: consent.KindGeneral, Disclosers: lids("prog-1"),
		Recipients:             []consent.Recipient{{ID: propActors[0]}, {ID: propActors[1]}, {ID: propActors[2]}},
		Purposes:               []consent.Purpose{consent.PurposeTreatment, consent.PurposePayment, consent.PurposeOperations},
		Information:            []consent.InfoKind{consent.InfoKindSUDRecords, consent.InfoKindPatientIdentity},
		InformationDescription: "opioid use disorder treatment records",
		Expires:                consent.Expiry{At: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)},
		SignedAt:               propSigned, Signer: consent.SignerPatient, Statements: allStmts,
	}
}

// denyText is what a random deny names, for judging which requests its text may reach.
type denyText struct {
	actors   []consent.Identifier // nil: every actor (none named, or one that cannot be read)
	purposes []consent.Purpose    // nil: every purpose; PurposeUnknown for codes without one
	info     []consent.InfoKind   // nil: every kind (none named, or a label of no Part 2 kind)
	// except is the actor a permit nested in a base deny (an opt-in) allows: the text
	// itself carves it out of the deny (nested under a deny inside a permission, the same
	// permit is not read, and nothing is carved out).
	except []consent.Identifier
}

// reaches reports whether the deny's text may reach the request. Every SUD record
// identifies the patient: a deny of the identity reaches a request for SUD records.
func (d denyText) reaches(r consent.Request) bool {
	if d.actors != nil && !slices.Contains(d.actors, r.Recipient.ID) || slices.Contains(d.except, r.Recipient.ID) {
		return false
	}
	if d.purposes != nil && !slices.Contains(d.purposes, r.Purpose) {
		return false
	}
	if d.info != nil {
		hit := false
		for _, k := range r.Information {
			hit = hit || slices.Contains(d.info, k) ||
				k == consent.InfoKindSUDRecords && slices.Contains(d.info, consent.InfoKindPatientIdentity)
		}
		if !hit {
			return false
		}
	}
	return true
}

var propLabels = []struct {
	c    Coding
	kind consent.InfoKind // InfoKindUnknown: may hold any kind
}{
	{Coding{System: SystemActCode, Code: "SUD"}, consent.InfoKindSUDRecords},
	{Coding{System: SystemActCode, Code: "ETH"}, consent.InfoKindSUDRecords},
	{Coding{System: "http://terminology.hl7.org/ValueSet/v3-InformationSensitivityPolicy", Code: "ETHUD"}, consent.InfoKindSUDRecords},
	{Coding{System: SystemActCode, Code: "OPIOIDUD"}, consent.InfoKindSUDRecords},
	{Coding{System: SystemInformation, Code: "patient_identity"}, consent.InfoKindPatientIdentity},
	{Coding{System: SystemConfidentiality, Code: "R"}, consent.InfoKindUnknown},
	{Coding{System: SystemActCode, Code: "HIV"}, consent.InfoKindUnknown},
}

// randomDeny returns a random deny provision (no type: the caller sets it for R4) and its
// text.
func randomDeny(rng *rand.Rand) (Provision, denyText) {
	var p Provision
	var d denyText
	if rng.IntN(3) > 0 {
		n := 1 + rng.IntN(2)
		d.actors = []consent.Identifier{}
		for range n {
			switch rng.IntN(6) {
			case 0: // a reference that cannot be read: the text may name anyone
				p.Actor = append(p.Actor, Actor{Role: &CodeableConcept{Coding: []Coding{{System: SystemParticipationType, Code: "IRCP"}}}, Reference: &Reference{Reference: "#contained"}})
				d.actors = nil
			default:
				a := propActors[rng.IntN(len(propActors))]
				role := &CodeableConcept{Coding: []Coding{{System: SystemParticipationType, Code: "IRCP"}}}
				if rng.IntN(4) == 0 {
					role = &CodeableConcept{Coding: []Coding{{System: "urn:roles", Code: "other"}}}
				}
				p.Actor = append(p.Actor, Actor{Role: role, Reference: &Reference{Identifier: &Identifier{System: a.System, Value: a.Value}}})
				if d.actors != nil {
					d.actors = append(d.actors, a)
				}
			}
		}
	}
	if rng.IntN(2) == 0 {
		d.purposes = []consent.Purpose{}
		for range 1 + rng.IntN(2) {
			if rng.IntN(4) == 0 {
				p.Purpose = append(p.Purpose, Coding{System: SystemActReason, Code: "HMARKT"})
				d.purposes = append(d.purposes, consent.PurposeUnknown)
				continue
			}
			pu := propPurposes[rng.IntN(len(propPurposes))]
			p.Purpose = append(p.Purpose, PurposeCoding(pu))
			d.purposes = append(d.purposes, pu)
		}
	}
	if rng.IntN(2) == 0 {
		d.info = []consent.InfoKind{}
		for range 1 + rng.IntN(2) {
			l := propLabels[rng.IntN(len(propLabels))]
			p.SecurityLabel = append(p.SecurityLabel, l.c)
			if l.kind == consent.InfoKindUnknown {
				d.info = nil
			} else if d.info != nil {
				d.info = append(d.info, l.kind)
			}
		}
	}
	// Restrictions the consent model cannot hold: they narrow the deny's text to some data,
	// action or time, which a request for SUD records may always hold.
	if rng.IntN(3) == 0 {
		p.Class = []Coding{{System: "http://hl7.org/fhir/resource-types", Code: "MedicationStatement"}}
	}
	if rng.IntN(4) == 0 {
		p.Code = []CodeableConcept{{Coding: []Coding{{System: "http://loinc.org", Code: "11450-4"}}}}
	}
	if rng.IntN(3) == 0 {
		codes := []string{"access", "correct", "collect", "use", "disclose"}
		p.Action = []CodeableConcept{{Coding: []Coding{{System: SystemConsentAction, Code: codes[rng.IntN(len(codes))]}}}}
	}
	if rng.IntN(4) == 0 {
		p.Period = &Period{Start: "2026-03-01", End: "2026-04-01"}
	}
	if rng.IntN(5) == 0 {
		p.DataPeriod = &Period{Start: "2020-01-01"}
	}
	if rng.IntN(6) == 0 {
		p.ModifierExtension = []Extension{{URL: "urn:modifier", ValueBoolean: ptr(true)}}
	}
	if rng.IntN(5) == 0 {
		// An exception to the exception: a permit nested in the deny, never read.
		p.Provision = []Provision{{Actor: []Actor{{Role: &CodeableConcept{Coding: []Coding{{System: SystemParticipationType, Code: "IRCP"}}},
			Reference: &Reference{Identifier: &Identifier{System: propActors[0].System, Value: propActors[0].Value}}}}}}
	}
	return p, d
}

// withDenies writes the base consent with the denies nested under its permission, in R4
// or R5 form.
func withDenies(t *testing.T, denies []Provision, r5 bool) []byte {
	t.Helper()
	r, err := ToResource(propBase())
	if err != nil {
		t.Fatal(err)
	}
	if !r5 {
		for i := range denies {
			denies[i].Type = "deny"
			for j := range denies[i].Provision {
				denies[i].Provision[j].Type = "permit"
			}
		}
		r.Provision.Provision = append(r.Provision.Provision, denies...)
		data, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	// R5: subject, date, controller, regulatoryBasis, decision permit at the consent, the
	// permission's criteria on a... R5 has no root criteria: a base deny around one
	// permission (an opt-in) carries them, and the denies nest in that permission.
	perm := *r.Provision
	perm.Type = ""
	perm.Provision = append(perm.Provision[:0:0], denies...)
	for i := range perm.Provision {
		perm.Provision[i].Type = ""
	}
	if perm.Period != nil {
		perm.Period = nil
	}
	r5r := &Consent{ResourceType: "Consent", ID: r.ID, Status: "active", Category: append(r.Category, CodeableConcept{Coding: []Coding{{System: SystemConsentScope, Code: ScopePatientPrivacy}}}),
		Subject: r.Patient, Date: "2026-01-10", Grantor: r.Performer, Controller: r.Organization,
		RegulatoryBasis: []CodeableConcept{*r.PolicyRule}, Period: &Period{End: "2026-12-31"}, Decision: "deny",
		Extension: r.Extension, Provisions: []Provision{perm}}
	data, err := json.Marshal(r5r)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func propEngine(t *testing.T, resources ...[]byte) *Engine {
	t.Helper()
	e, err := Options{Lenient: true}.Compile(resources, nil)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return e
}

func propRequests() []consent.Request {
	var rs []consent.Request
	for _, a := range propActors {
		for _, p := range propPurposes {
			for _, info := range propInfo {
				for _, at := range propTimes {
					rs = append(rs, consent.Request{Patient: lid("p1"), Discloser: lid("prog-1"),
						Recipient: consent.Party{ID: a, Kind: consent.RecipientKindCoveredEntity}, Purpose: p, Information: info, At: at})
				}
			}
		}
	}
	return rs
}

func TestPropertyFindingsNeverWidenNorDropDenies(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 2026))
	rs := propRequests()
	for _, r5 := range []bool{false, true} {
		base := propEngine(t, withDenies(t, nil, r5))
		// The base permits some requests: the property below is not vacuous.
		permits := 0
		for _, r := range rs {
			if base.Decide(r).Permit {
				permits++
			}
		}
		if permits < 20 {
			t.Fatalf("r5=%v: the base permits only %d requests", r5, permits)
		}
		for trial := range 300 {
			n := 1 + rng.IntN(3)
			var denies []Provision
			var texts []denyText
			for range n {
				p, d := randomDeny(rng)
				denies = append(denies, p)
				texts = append(texts, d)
			}
			data := withDenies(t, slices.Clone(denies), r5)
			rd, err := Options{}.Read(data)
			if err != nil {
				t.Fatalf("trial %d: refused: %v\n%s", trial, err, data)
			}
			e := propEngine(t, data)
			for _, r := range rs {
				d := e.Decide(r)
				if !d.Permit {
					continue
				}
				if !base.Decide(r).Permit {
					t.Fatalf("r5=%v trial %d: a finding widened the permit: %v permitted, the base denies it\n%s\nfindings %v", r5, trial, r, data, rd.Findings)
				}
				for i, txt := range texts {
					if txt.reaches(r) {
						t.Fatalf("r5=%v trial %d: deny %d was dropped: %v permitted (%s)\n%s\nfindings %v", r5, trial, i, r, d, data, rd.Findings)
					}
				}
			}
		}
	}
}

// TestPropertyLaterRefusal: an opt-out signed later, with random criteria, never turns a
// deny into a permit, and denies what its text may reach from its signing on.
func TestPropertyLaterRefusal(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 31))
	rs := propRequests()
	baseData := withDenies(t, nil, false)
	base := propEngine(t, baseData)
	for trial := range 300 {
		p, txt := randomDeny(rng)
		p.Type = "deny"
		for j := range p.Provision {
			p.Provision[j].Type = "permit"
			txt.except = append(txt.except, propActors[0])
		}
		signed := []string{"2026-01-10T14:00:00Z", "2026-01-10", "2026-01-20T09:00:00-05:00", "2026-03-15"}[rng.IntN(4)]
		optout := &Consent{ResourceType: "Consent", ID: fmt.Sprintf("optout-%d", trial), Status: "active",
			Scope:   &CodeableConcept{Coding: []Coding{{System: SystemConsentScope, Code: ScopePatientPrivacy}}},
			Patient: &Reference{Reference: "Patient/p1"}, DateTime: signed, Provision: &p}
		data, err := json.Marshal(optout)
		if err != nil {
			t.Fatal(err)
		}
		rd, err := Options{}.Read(data)
		if err != nil {
			t.Fatalf("trial %d: refused: %v", trial, err)
		}
		e := propEngine(t, baseData, data)
		for _, r := range rs {
			d := e.Decide(r)
			if !d.Permit {
				continue
			}
			if !base.Decide(r).Permit {
				t.Fatalf("trial %d: the opt-out turned a deny into a permit: %v", trial, r)
			}
			if txt.reaches(r) && !r.At.Before(rd.Signed.Earliest) {
				t.Fatalf("trial %d: the later opt-out was not followed: %v permitted (%s)\n%s", trial, r, d, data)
			}
		}
	}
}
