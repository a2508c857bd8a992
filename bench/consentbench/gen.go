package consentbench

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Consent is a consent on file, in the neutral form both engines are built from. Codes are
// the conformance corpus codes (docs/conformance.md, consent/testdata/conformance/README.md).
type Consent struct {
	ID      string
	Patient string
	// Kind is "tpo", "general" or "counseling_notes".
	Kind       string
	Disclosers []string
	// Recipients are named recipients' identifiers (general consents only: the generator
	// never names a recipient in a TPO consent).
	Recipients []string
	// Designations are general designations (TPO consents): "treating_providers",
	// "health_plans", "third_party_payers", "program_operations".
	Designations []string
	Purposes     []string
	Information  []string
	SignedAt     time.Time
	// Expires is the expiration date; zero means the consent states "none" (TPO consents
	// only).
	Expires time.Time
	// RevokedAt is when the program received a written revocation; zero means never.
	RevokedAt time.Time
}

// String describes the consent by identifiers, codes and instants only.
func (c Consent) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s disclosers=[%s]", c.ID, c.Kind, strings.Join(c.Disclosers, ","))
	if len(c.Recipients) > 0 {
		fmt.Fprintf(&b, " recipients=[%s]", strings.Join(c.Recipients, ","))
	}
	if len(c.Designations) > 0 {
		fmt.Fprintf(&b, " designations=[%s]", strings.Join(c.Designations, ","))
	}
	fmt.Fprintf(&b, " purposes=[%s] information=[%s] signed=%s", strings.Join(c.Purposes, ","),
		strings.Join(c.Information, ","), c.SignedAt.UTC().Format(time.RFC3339))
	if !c.Expires.IsZero() {
		fmt.Fprintf(&b, " expires=%s", c.Expires.UTC().Format(time.RFC3339))
	}
	if !c.RevokedAt.IsZero() {
		fmt.Fprintf(&b, " revoked=%s", c.RevokedAt.UTC().Format(time.RFC3339))
	}
	return b.String()
}

// Request is one question: may Discloser disclose Information about Patient to the recipient
// for Purpose at At?
type Request struct {
	Patient       string
	Discloser     string
	RecipientID   string
	RecipientKind string
	Purpose       string
	Information   []string
	At            time.Time
	// Emergency is the fact that a bona fide medical emergency exists and consent cannot
	// first be obtained (42 CFR 2.51(a)).
	Emergency bool
}

// String describes the request by identifiers and codes only.
func (r Request) String() string {
	return fmt.Sprintf("patient=%s discloser=%s recipient=%s(%s) purpose=%s information=[%s] at=%s emergency=%t",
		r.Patient, r.Discloser, r.RecipientID, r.RecipientKind, r.Purpose,
		strings.Join(r.Information, ","), r.At.UTC().Format(time.RFC3339), r.Emergency)
}

// Set is a generated workload: the consents on file and the requests asked.
type Set struct {
	// Consents are all consents, grouped by patient in order.
	Consents []Consent
	// Requests are the requests, in the order they are asked.
	Requests []Request
}

// ConsentsOf returns the consents on file for a patient.
func (s *Set) ConsentsOf(patient string) []Consent {
	var out []Consent
	for _, c := range s.Consents {
		if c.Patient == patient {
			out = append(out, c)
		}
	}
	return out
}

// recipient is a party a request may name.
type recipient struct{ id, kind string }

var (
	recipients = []recipient{
		{"ob-clinic", "covered_entity"},
		{"peds-clinic", "covered_entity"},
		{"state-medicaid", "covered_entity"},
		{"billing-co", "business_associate"},
		{"prog-2", "part2_program"},
		{"er-county", "medical_personnel"},
		{"family-services", "lawful_holder"},
		{"univ-study", "researcher"},
	}
	namedRecipients = []string{"ob-clinic", "peds-clinic", "family-services", "prog-2"}
	purposes        = []string{"treatment", "payment", "operations", "patient_request", "emergency_treatment", "research"}
	informations    = [][]string{
		{"sud_records"},
		{"sud_records"},
		{"sud_records", "patient_identity"},
		{"patient_identity"},
		{"counseling_notes"},
		{"sud_records", "counseling_notes"},
	}
	designationSets = [][]string{
		{"treating_providers", "health_plans", "third_party_payers", "program_operations"},
		{"treating_providers"},
		{"health_plans", "third_party_payers"},
	}
	generalPurposes = [][]string{
		{"treatment"},
		{"treatment", "payment"},
		{"patient_request"},
		{"treatment", "patient_request", "operations"},
	}
)

// Epoch is the start of the generated calendar: every consent is signed and every request is
// asked within the two years from it.
var Epoch = time.Date(2026, time.March, 1, 0, 0, 0, 0, time.UTC)

const span = 2 * 365 * 24 * time.Hour

// Generate makes a deterministic workload of n requests about patients patients from seed:
// the same arguments always give the same Set. Each patient has zero to three consents drawn
// from the six rules' shapes (TPO, named general, expired, revoked); requests vary the
// discloser, recipient, purpose, information, time and the emergency fact so that every rule
// decides some of them.
func Generate(seed uint64, patients, n int) *Set {
	rng := rand.New(rand.NewPCG(seed, 0x6479616442656e63)) // "dyadBenc"
	at := func() time.Time {
		// Whole minutes keep the times exactly representable in Cedar's millisecond datetimes.
		return Epoch.Add(time.Duration(rng.Int64N(int64(span/time.Minute))) * time.Minute)
	}
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	s := &Set{}
	for p := range patients {
		pid := fmt.Sprintf("p%04d", p)
		for k := range rng.IntN(4) {
			c := Consent{
				ID:         fmt.Sprintf("%s-c%d", pid, k),
				Patient:    pid,
				Disclosers: []string{"prog-1"},
				SignedAt:   Epoch.Add(-time.Duration(1+rng.IntN(90)) * 24 * time.Hour),
			}
			if rng.IntN(2) == 0 {
				c.Kind = "tpo"
				c.Designations = designationSets[rng.IntN(len(designationSets))]
				c.Purposes = []string{"treatment", "payment", "operations"}
				c.Information = []string{"sud_records"}
			} else {
				c.Kind = "general"
				c.Recipients = []string{pick(namedRecipients)}
				c.Purposes = generalPurposes[rng.IntN(len(generalPurposes))]
				c.Information = []string{"sud_records"}
				if rng.IntN(3) == 0 {
					c.Information = []string{"sud_records", "patient_identity"}
				}
			}
			switch rng.IntN(5) {
			case 0: // expires within the span: some requests come after it
				c.Expires = at()
			case 1: // revoked within the span
				c.RevokedAt = at()
			case 2: // expires after the span
				c.Expires = Epoch.Add(span + 24*time.Hour)
			}
			if c.Kind == "general" && c.Expires.IsZero() {
				// Only a TPO consent may state "none" (42 CFR 2.31(a)(7)).
				c.Expires = Epoch.Add(span + 24*time.Hour)
			}
			if rng.IntN(8) == 0 {
				c.Disclosers = []string{"prog-1", "prog-3"}
			}
			s.Consents = append(s.Consents, c)
		}
	}
	disclosers := []string{"prog-1", "prog-1", "prog-1", "prog-3", "prog-9"}
	byID := map[string]recipient{}
	for _, rc := range recipients {
		byID[rc.id] = rc
	}
	tpoRecipients := recipients[:6]
	for range n {
		rc := recipients[rng.IntN(len(recipients))]
		r := Request{
			Patient:       fmt.Sprintf("p%04d", rng.IntN(patients)),
			Discloser:     pick(disclosers),
			RecipientID:   rc.id,
			RecipientKind: rc.kind,
			Purpose:       pick(purposes),
			Information:   informations[rng.IntN(len(informations))],
			At:            at(),
			Emergency:     rng.IntN(6) == 0,
		}
		if len(s.Consents) > 0 && rng.IntN(10) < 7 {
			// Aim at a consent on file, then let some fields stray from it.
			c := s.Consents[rng.IntN(len(s.Consents))]
			r.Patient = c.Patient
			if rng.IntN(10) > 0 {
				r.Discloser = "prog-1"
			}
			if rng.IntN(10) < 8 {
				r.Purpose = pick(c.Purposes)
				if c.Kind == "tpo" {
					rc = tpoRecipients[rng.IntN(len(tpoRecipients))]
				} else {
					rc = byID[c.Recipients[0]]
				}
				r.RecipientID, r.RecipientKind = rc.id, rc.kind
			}
			if rng.IntN(10) < 7 {
				r.Information = c.Information
			}
			if rng.IntN(10) == 0 {
				// The exact instants where a consent starts and stops counting.
				switch edge := []time.Time{c.SignedAt, c.Expires, c.RevokedAt}[rng.IntN(3)]; {
				case !edge.IsZero():
					r.At = edge
				}
			}
		}
		if r.RecipientKind == "medical_personnel" && rng.IntN(2) == 0 {
			r.Purpose = "emergency_treatment"
			r.Emergency = rng.IntN(4) > 0
		}
		s.Requests = append(s.Requests, r)
	}
	return s
}
