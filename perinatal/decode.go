package perinatal

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"time"
)

// Decoders that report every problem at once. encoding/json stops at the first enum code
// it cannot decode; these decode codes as plain strings first, then convert each one,
// so that a document with three unknown codes yields one *ValidationError listing all
// three (code "unknown_code", the field path, and the code quoted truncated to 32 bytes),
// followed by the problems of the value's own Validate. Unknown JSON fields, malformed
// JSON and trailing data are reported as a single "malformed_json" problem (the JSON
// decoder's own message is not included: it may quote patient free text).

// ProblemUnknownCode is the problem code for an enum or gestational age code this
// package does not know.
const ProblemUnknownCode = "unknown_code"

// ProblemMalformedJSON is the problem code for input that is not a single JSON object of
// the expected shape (syntax error, wrong type, unknown field, trailing data).
const ProblemMalformedJSON = "malformed_json"

func strictDecode(what string, data []byte, v any) *problems {
	ps := &problems{what: what}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			err = errors.New("trailing data")
		}
	}
	if err != nil {
		field := ""
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			field = te.Field
		}
		ps.add(ProblemMalformedJSON, field, "", "The input is not a JSON object of the expected shape.")
	}
	return ps
}

// code converts s with the enum's names, recording an unknown_code problem at field.
func (p *problems) code(kind, field, s string, names []string) uint8 {
	if s == "" {
		return 0 // absent: the enum's unknown value, judged by the rules
	}
	for i, n := range names {
		if s == n {
			return uint8(i)
		}
	}
	p.add(ProblemUnknownCode, field, "", "Unknown "+kind+" code "+strconv.Quote(truncate(s, 32))+".")
	return 0
}

// mergeValidation appends the problems of a Validate error, except those on a field
// already reported as an unknown code (the same fault would otherwise be listed twice).
func (p *problems) mergeValidation(err error) {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return
	}
	n := len(p.list)
	for _, q := range ve.Problems {
		dup := false
		for _, r := range p.list[:n] {
			if r.Code == ProblemUnknownCode && r.Field == q.Field {
				dup = true
				break
			}
		}
		if !dup {
			p.list = append(p.list, q)
		}
	}
}

// DecodeInfant decodes an Infant from JSON (the field names of Infant's tags) and checks
// it, returning every unknown code and every Validate problem in one *ValidationError.
func DecodeInfant(data []byte) (Infant, error) {
	var raw struct {
		ID                    string    `json:"id"`
		BornAt                time.Time `json:"born_at"`
		GestationalAgeAtBirth string    `json:"gestational_age_at_birth"`
		PrenatalExposures     []string  `json:"prenatal_exposures"`
		Withdrawal            string    `json:"withdrawal"`
		SubstanceAffected     string    `json:"substance_affected"`
		FASD                  string    `json:"fasd"`
	}
	ps := strictDecode("infant", data, &raw)
	if len(ps.list) > 0 {
		return Infant{}, ps.err()
	}
	inf := Infant{ID: raw.ID, BornAt: raw.BornAt}
	if raw.GestationalAgeAtBirth != "" {
		ga, err := ParseGestationalAge(raw.GestationalAgeAtBirth)
		if err != nil {
			ps.add(ProblemUnknownCode, "gestational_age_at_birth", "", "Unknown gestational age "+strconv.Quote(truncate(raw.GestationalAgeAtBirth, 32))+".")
		}
		inf.GestationalAgeAtBirth = ga
	}
	for i, s := range raw.PrenatalExposures {
		inf.PrenatalExposures = append(inf.PrenatalExposures, Substance(ps.code("substance", "prenatal_exposures["+itoa(i)+"]", s, substanceNames)))
	}
	inf.Withdrawal = Finding(ps.code("finding", "withdrawal", raw.Withdrawal, findingNames))
	inf.SubstanceAffected = Finding(ps.code("finding", "substance_affected", raw.SubstanceAffected, findingNames))
	inf.FASD = Finding(ps.code("finding", "fasd", raw.FASD, findingNames))
	ps.mergeValidation(inf.Validate())
	if err := ps.err(); err != nil {
		return inf, err
	}
	return inf, nil
}

// DecodePlanOfSafeCare decodes a PlanOfSafeCare from JSON and checks it, returning every
// unknown code and every Validate problem in one *ValidationError.
func DecodePlanOfSafeCare(data []byte) (PlanOfSafeCare, error) {
	type rawNeed struct {
		For      string   `json:"for"`
		Domain   string   `json:"domain"`
		Services []string `json:"services"`
	}
	type rawService struct {
		ID         string    `json:"id"`
		For        string    `json:"for"`
		Domain     string    `json:"domain"`
		Party      string    `json:"party"`
		Referral   bool      `json:"referral"`
		ReferredAt time.Time `json:"referred_at"`
	}
	type rawParty struct {
		ID   string `json:"id"`
		Role string `json:"role"`
	}
	var raw struct {
		InfantID   string       `json:"infant_id"`
		CreatedAt  time.Time    `json:"created_at"`
		Needs      []rawNeed    `json:"needs"`
		Services   []rawService `json:"services"`
		Parties    []rawParty   `json:"parties"`
		Monitoring Monitoring   `json:"monitoring"`
	}
	ps := strictDecode("plan of safe care", data, &raw)
	if len(ps.list) > 0 {
		return PlanOfSafeCare{}, ps.err()
	}
	p := PlanOfSafeCare{InfantID: raw.InfantID, CreatedAt: raw.CreatedAt, Monitoring: raw.Monitoring}
	for i, n := range raw.Needs {
		f := "needs[" + itoa(i) + "]"
		p.Needs = append(p.Needs, Need{
			For:      Recipient(ps.code("recipient", f+".for", n.For, recipientNames)),
			Domain:   NeedDomain(ps.code("need domain", f+".domain", n.Domain, needNames)),
			Services: n.Services,
		})
	}
	for i, s := range raw.Services {
		f := "services[" + itoa(i) + "]"
		p.Services = append(p.Services, Service{
			ID:         s.ID,
			For:        Recipient(ps.code("recipient", f+".for", s.For, recipientNames)),
			Domain:     NeedDomain(ps.code("need domain", f+".domain", s.Domain, needNames)),
			Party:      s.Party,
			Referral:   s.Referral,
			ReferredAt: s.ReferredAt,
		})
	}
	for i, q := range raw.Parties {
		p.Parties = append(p.Parties, Party{ID: q.ID, Role: PartyRole(ps.code("party role", "parties["+itoa(i)+"].role", q.Role, roleNames))})
	}
	ps.mergeValidation(p.Validate())
	if err := ps.err(); err != nil {
		return p, err
	}
	return p, nil
}

// DecodeSleepChecklist decodes a SleepChecklist from JSON, returning every unknown answer
// code in one *ValidationError. Absent items are AnswerUnknown, which is not a problem.
func DecodeSleepChecklist(data []byte) (SleepChecklist, error) {
	var raw map[string]string
	ps := strictDecode("sleep checklist", data, &raw)
	if len(ps.list) > 0 {
		return SleepChecklist{}, ps.err()
	}
	var c SleepChecklist
	fields := []*Answer{nil, &c.BackToSleep, &c.FirmFlatSurface, &c.OwnSpaceInRoom, &c.NoBedSharing,
		&c.NoSoftObjects, &c.NoOverheating, &c.SmokeFree, &c.NoAlcoholOrDrugs, &c.PacifierOffered,
		&c.TummyTime, &c.BreastfeedingSupported}
	// Walk items in checklist order so problems come in a deterministic order.
	for i := 1; i < len(sleepItemNames); i++ {
		name := sleepItemNames[i]
		if v, ok := raw[name]; ok {
			*fields[i] = Answer(ps.code("answer", name, v, answerNames))
			delete(raw, name)
		}
	}
	if len(raw) > 0 {
		ps.add(ProblemMalformedJSON, "", "", "The checklist has items this package does not know.")
	}
	if err := ps.err(); err != nil {
		return c, err
	}
	return c, nil
}
