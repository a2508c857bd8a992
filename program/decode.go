package program

import (
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/internal/jsonin"
	"github.com/dyad-health/dyad/referral"
)

// Default byte limits of the decoders, checked before any parsing (DecodeOptions.MaxBytes
// sets another). A facts document of a large program reviewed over a year (the package's
// benchmark: 1,000 dyads with their pregnancies, MOUD episodes and 20 counseling sessions
// each, 4,000 referrals made with their event histories, 1,000 received, 200 partners with
// their QSO agreements, 100 staff with three years of records) takes 4.7 MB, and reading
// it takes about 9 times its size in memory; the default leaves room for almost twice that
// program while a document sent to exhaust memory is refused before it is read. The
// built-in guidance takes about 5 KB.
const (
	// DefaultMaxGuidanceBytes is the largest guidance document DecodeGuidance reads by
	// default: 1 MiB.
	DefaultMaxGuidanceBytes = 1 << 20
	// DefaultMaxFactsBytes is the largest facts document DecodeFacts reads by default:
	// 8 MiB.
	DefaultMaxFactsBytes = 8 << 20
)

// Former names of the default limits.
const (
	// MaxGuidanceBytes is DefaultMaxGuidanceBytes.
	//
	// Deprecated: use DefaultMaxGuidanceBytes, and DecodeOptions.MaxBytes for another limit.
	MaxGuidanceBytes = DefaultMaxGuidanceBytes
	// MaxFactsBytes is DefaultMaxFactsBytes (it was a fixed 64 MiB).
	//
	// Deprecated: use DefaultMaxFactsBytes, and DecodeOptions.MaxBytes for another limit.
	MaxFactsBytes = DefaultMaxFactsBytes
)

// DecodeOptions bound the decoders. The zero value takes the documented defaults; a plain
// struct, so that a service can log and compare its configuration.
type DecodeOptions struct {
	// MaxBytes is the longest input accepted, in bytes, checked before anything is read;
	// 0 (or less) takes the decoder's default, DefaultMaxFactsBytes or
	// DefaultMaxGuidanceBytes. Each referral inside a facts document is read by
	// referral.DecodeReferral within its own limit, referral.DefaultMaxReferralBytes.
	MaxBytes int `json:"max_bytes,omitempty"`
}

func (o DecodeOptions) max(def int) int {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return def
}

// DecodeGuidance reads a guidance document with the default options: see
// DecodeOptions.DecodeGuidance.
func DecodeGuidance(data []byte) (Guidance, error) { return DecodeOptions{}.DecodeGuidance(data) }

// DecodeGuidance reads a guidance document (Guidance's JSON form) through the library's
// one JSON reader: unknown members, duplicate and case-variant keys, trailing data, input
// over MaxBytes (DefaultMaxGuidanceBytes by default) or nested too deep are refused. CHARM
// thresholds absent from the document (the "charm" member, or any of its members) keep
// DefaultCHARM's values: they are measure definitions, not a State's practice guidance.
// The guidance is then validated. Every problem is listed in one *ValidationError, with
// its path and code and never the input's text.
func (o DecodeOptions) DecodeGuidance(data []byte) (Guidance, error) {
	g := Guidance{CHARM: DefaultCHARM()}
	if err := jsonin.Decode(data, &g, jsonin.Options{MaxBytes: o.max(DefaultMaxGuidanceBytes)}); err != nil {
		return Guidance{}, fromJSON("guidance JSON", err)
	}
	if err := g.Validate(); err != nil {
		return Guidance{}, err
	}
	return g, nil
}

// factsJSON is the facts document: the program's facts and, optionally, the review's
// moment, window and period.
type factsJSON struct {
	Program      string                 `json:"program"`
	At           time.Time              `json:"at,omitzero"`
	From         time.Time              `json:"from,omitzero"`
	Period       referral.Period        `json:"period,omitzero"`
	Partners     []partnerJSON          `json:"partners,omitempty"`
	Agreements   []consent.QSOAgreement `json:"agreements,omitempty"`
	Partnerships []Partnership          `json:"partnerships,omitempty"`
	Outreach     []Outreach             `json:"outreach,omitempty"`
	Received     []Received             `json:"received,omitempty"`
	Staff        []Staff                `json:"staff,omitempty"`
	Dyads        []Dyad                 `json:"dyads,omitempty"`
	SleepChecks  []SleepCheck           `json:"sleep_checks,omitempty"`
	Referrals    []referralJSON         `json:"referrals,omitempty"`
}

// partnerJSON is referral.Partner's JSON form, read strictly.
type partnerJSON struct {
	ID         string                 `json:"id"`
	Kind       referral.PartnerKind   `json:"kind"`
	AckWindow  duration               `json:"ack_window,omitempty"`
	StallAfter duration               `json:"stall_after,omitempty"`
	Agreements []consent.QSOAgreement `json:"agreements,omitempty"`
}

// referralJSON is referral.Referral's JSON form (a snapshot and its events), read strictly
// here and then handed whole to referral.DecodeReferral, which rebuilds it from its events.
type referralJSON struct {
	ID          string                  `json:"id"`
	Patient     string                  `json:"patient"`
	Subject     referral.Subject        `json:"subject"`
	Program     string                  `json:"program"`
	Partner     string                  `json:"partner"`
	PartnerKind referral.PartnerKind    `json:"partner_kind"`
	SUD         referral.SUDContent     `json:"sud,omitzero"`
	Status      referral.Status         `json:"status"`
	CreatedAt   time.Time               `json:"created_at"`
	UpdatedAt   time.Time               `json:"updated_at"`
	Consent     *referral.ConsentRecord `json:"consent,omitempty"`
	Dues        []referral.Due          `json:"dues,omitempty"`
	Count       *int                    `json:"count,omitempty"` // the log's count and head (referral.Log), when saved with them
	Head        *string                 `json:"head,omitempty"`
	Events      []referral.Event        `json:"events"`
}

// duration is a Go duration string such as "72h".
type duration time.Duration

// UnmarshalText parses a Go duration string.
func (d *duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return &jsonin.ValueError{Code: "duration_invalid", Message: `Expected a duration such as "72h".`}
	}
	*d = duration(v)
	return nil
}

// DecodeFacts reads a facts document with the default options: see
// DecodeOptions.DecodeFacts.
func DecodeFacts(data []byte) (Facts, Options, error) { return DecodeOptions{}.DecodeFacts(data) }

// DecodeFacts reads a facts document through the library's one JSON reader (see
// DecodeGuidance for its promises; the input is at most MaxBytes long,
// DefaultMaxFactsBytes by default, checked before it is read) and returns the facts and
// the review options it holds ("at", "from", "period"; At is zero when the document does
// not say). Partners are checked by referral.NewDirectory, each referral is rebuilt from
// its events by referral.DecodeReferral, and the facts are validated (Facts.Validate).
// Every problem is listed in one *ValidationError, with its path and code and never the
// input's text. The format is documented in testdata/conformance/README.md.
func (o DecodeOptions) DecodeFacts(data []byte) (Facts, Options, error) {
	var j factsJSON
	if err := jsonin.Decode(data, &j, jsonin.Options{MaxBytes: o.max(DefaultMaxFactsBytes)}); err != nil {
		return Facts{}, Options{}, fromJSON("facts JSON", err)
	}
	var ps problems
	f := Facts{Program: j.Program, Partnerships: j.Partnerships, Outreach: j.Outreach,
		Received: j.Received, Staff: j.Staff, Dyads: j.Dyads, SleepChecks: j.SleepChecks}
	opt := Options{At: j.At, From: j.From, Period: j.Period}
	// A partner's agreements, valid or not, go to Facts.Agreements: the directory refuses
	// invalid ones, and a review must report them.
	partners := make([]referral.Partner, len(j.Partners))
	for i, p := range j.Partners {
		partners[i] = referral.Partner{ID: p.ID, Kind: p.Kind, AckWindow: time.Duration(p.AckWindow),
			StallAfter: time.Duration(p.StallAfter)}
		for k, a := range p.Agreements {
			if a.Organization != local(p.ID) {
				ps.add("agreement_other_organization", idx("partners", i)+idx(".agreements", k)+".organization",
					"An agreement listed under a partner names that partner as its organization.")
			}
			f.Agreements = append(f.Agreements, a)
		}
	}
	f.Agreements = append(f.Agreements, j.Agreements...)
	dir, err := referral.NewDirectory(partners...)
	if err != nil {
		var ve *referral.ValidationError
		if errors.As(err, &ve) {
			for _, q := range ve.Problems {
				ps.add(q.Code, q.Field, q.Message)
			}
		} else {
			ps.add(ProblemReferral, "partners", "The referral package refuses the partner directory.")
		}
	}
	f.Directory = dir
	for i, rj := range j.Referrals {
		path := "referrals[" + strconv.Itoa(i) + "]"
		r, err := decodeReferral(rj)
		if err != nil {
			referralProblems(&ps, path, err)
			continue
		}
		f.Referrals = append(f.Referrals, r)
	}
	pos := make(map[string]int, len(j.Partners))
	for i, p := range j.Partners {
		pos[p.ID] = i
	}
	f.validateWith(&ps, func(_ int, id string) loc { return at("partners", pos[id]) }, agreementPath(j))
	if err := ps.err("facts"); err != nil {
		return Facts{}, Options{}, err
	}
	return f, opt, nil
}

// agreementPath maps the index of an agreement in Facts.Agreements back to its place in
// the document: under its partner, or in the top-level list.
func agreementPath(j factsJSON) func(i int) loc {
	var paths []loc
	for i, p := range j.Partners {
		for k := range p.Agreements {
			paths = append(paths, at("partners", i).in("agreements", k))
		}
	}
	for k := range j.Agreements {
		paths = append(paths, at("agreements", k))
	}
	return func(i int) loc { return paths[i] }
}

func decodeReferral(rj referralJSON) (*referral.Referral, error) {
	b, err := json.Marshal(rj)
	if err != nil {
		return nil, err
	}
	// A facts document is often written by hand, and a hand-written history carries no hash
	// chain: such a referral is read (AllowUnchained). A referral saved with its chain
	// (count, head, each event's prev) is checked in full, cut or altered logs refused.
	return referral.DecodeOptions{AllowUnchained: true}.DecodeReferral(b)
}

// referralProblems turns the referral package's refusal into problems at path, keeping
// its stable codes and never its error text (which may quote input).
func referralProblems(ps *problems, path string, err error) {
	var ve *referral.ValidationError
	var te *referral.TransitionError
	var ge *referral.GateError
	switch {
	case errors.As(err, &ve):
		base := path
		if ve.What == "event" {
			base += ".events" // Append's own problems do not say which event (DecodeReferral's do: "events[i]...")
		}
		for _, q := range ve.Problems {
			p := base
			if q.Field != "" {
				p += "." + q.Field
			}
			ps.add(q.Code, p, q.Message)
		}
	case errors.As(err, &te):
		ps.add("illegal_transition", path, "An event of the referral moves it along a transition the FHIR Task workflow does not allow.")
	case errors.As(err, &ge):
		ps.add("consent_required", path, "An event sends the referral without the permitting consent decision the gate requires.")
	default:
		ps.add(ProblemReferral, path, "The referral package refuses the referral.")
	}
}

// EncodeFacts writes the facts and the review options as the facts document DecodeFacts
// reads (Location is not part of it). Each agreement is written under the partner its
// Organization names (the directory's own first, then those of Facts.Agreements), and those
// naming no partner of the directory in the top-level "agreements".
func EncodeFacts(f Facts, opt Options) ([]byte, error) {
	j := factsJSON{Program: f.Program, At: opt.At, From: opt.From, Period: opt.Period,
		Partnerships: f.Partnerships, Outreach: f.Outreach, Received: f.Received, Staff: f.Staff,
		Dyads: f.Dyads, SleepChecks: f.SleepChecks}
	for _, id := range f.Directory.IDs() {
		p, _ := f.Directory.Lookup(id)
		pj := partnerJSON{ID: p.ID, Kind: p.Kind, AckWindow: duration(p.AckWindow),
			StallAfter: duration(p.StallAfter), Agreements: p.Agreements}
		for _, a := range f.Agreements {
			if a.Organization == local(p.ID) {
				pj.Agreements = append(pj.Agreements, a)
			}
		}
		j.Partners = append(j.Partners, pj)
	}
	for _, a := range f.Agreements {
		if _, ok := f.Directory.Lookup(a.Organization.Value); !ok || a.Organization.System != "" {
			j.Agreements = append(j.Agreements, a)
		}
	}
	type out struct {
		factsJSON
		Referrals []*referral.Referral `json:"referrals,omitempty"`
	}
	return json.Marshal(out{factsJSON: j, Referrals: f.Referrals})
}

// MarshalText writes the duration as a Go duration string.
func (d duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }
