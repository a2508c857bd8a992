package referral

import (
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/dyad-health/dyad/consent"
)

// Partner is a community partner the program refers to, with its acknowledgement window
// and the QSO agreements the program holds with it (none is common: most referrals to a
// partner's own services need the patient's consent).
type Partner struct {
	ID   string      // the partner's identifier
	Kind PartnerKind // what it provides
	// AckWindow is how long after a referral is sent the partner is expected to acknowledge
	// it (receive, accept or reject): the program's agreement with the partner. Zero: none.
	AckWindow time.Duration
	// StallAfter, when positive, overrides ReviewOptions.StallAfter for this partner.
	StallAfter time.Duration
	// Agreements are the QSO agreements (42 CFR 2.11, 2.12(c)(4)) the program holds with
	// the partner, each naming the partner as its organization.
	Agreements []consent.QSOAgreement
}

// MarshalJSON encodes the partner with its windows as duration strings ("72h0m0s").
func (p Partner) MarshalJSON() ([]byte, error) {
	j := partnerJSON{ID: p.ID, Kind: p.Kind, Agreements: p.Agreements}
	if p.AckWindow != 0 {
		j.AckWindow = p.AckWindow.String()
	}
	if p.StallAfter != 0 {
		j.StallAfter = p.StallAfter.String()
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes a partner as DecodeOptions.DecodePartner does with the default
// options; windows are duration strings such as "72h".
func (p *Partner) UnmarshalJSON(b []byte) error {
	q, err := DecodeOptions{}.DecodePartner(b)
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// Validate lists every problem of the partner: identifier, kind, windows, and each
// agreement that does not name the partner or that the consent package finds invalid.
func (p Partner) Validate() error {
	ps := problems{what: "partner"}
	p.validate(&ps, "")
	return ps.err()
}

func (p Partner) validate(ps *problems, field string) {
	checkID(ps, field, "id", p.ID)
	if !p.Kind.IsValid() {
		ps.addf("partner_kind_unknown", field, "kind", "", "The partner kind is not a known kind.")
	}
	if p.AckWindow < 0 {
		ps.addf("window_negative", field, "ack_window", "", "An acknowledgement window is not negative.")
	}
	if p.StallAfter < 0 {
		ps.addf("window_negative", field, "stall_after", "", "A stall window is not negative.")
	}
	for i, a := range p.Agreements {
		f := field + "agreements[" + strconv.Itoa(i) + "]"
		if a.Organization != (consent.Identifier{Value: p.ID}) {
			ps.addf("agreement_other_organization", f, ".organization", CiteQSO, "The agreement names another organization.")
		}
		if !a.Valid() {
			ps.add("agreement_invalid", f, CiteQSO, "The consent package finds the QSO agreement invalid.")
		}
	}
}

// AgreementAt returns the partner's QSO agreement with the given program that is valid and
// in force at t (the first, in order), if any.
func (p Partner) AgreementAt(program string, t time.Time) (consent.QSOAgreement, bool) {
	for _, a := range p.Agreements {
		if a.Program == (consent.Identifier{Value: program}) && a.InForceAt(t) {
			return a, true
		}
	}
	return consent.QSOAgreement{}, false
}

// Directory is an immutable set of partners by identifier, safe for concurrent use.
type Directory struct {
	byID map[string]Partner
	ids  []string
}

// NewDirectory checks every partner (Partner.Validate, and no identifier twice) and returns
// the directory, or a *ValidationError listing every problem of every partner.
func NewDirectory(partners ...Partner) (*Directory, error) {
	ps := problems{what: "partner directory"}
	d := &Directory{byID: make(map[string]Partner, len(partners))}
	for i, p := range partners {
		f := "partners[" + strconv.Itoa(i) + "]."
		p.validate(&ps, f)
		if _, dup := d.byID[p.ID]; dup {
			ps.addf("partner_duplicate", f, "id", "", "Two partners share an identifier.")
			continue
		}
		q := p
		q.Agreements = slices.Clone(p.Agreements)
		d.byID[p.ID] = q
		d.ids = append(d.ids, p.ID)
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	slices.Sort(d.ids)
	return d, nil
}

// Lookup returns the partner with the identifier, if known.
func (d *Directory) Lookup(id string) (Partner, bool) {
	if d == nil {
		return Partner{}, false
	}
	p, ok := d.byID[id]
	if ok {
		p.Agreements = slices.Clone(p.Agreements)
	}
	return p, ok
}

// IDs returns the partners' identifiers, sorted.
func (d *Directory) IDs() []string {
	if d == nil {
		return nil
	}
	return slices.Clone(d.ids)
}
