package perinatal

// Tests of the decoders as an attacker would try them (issue 13): size, duplicate and
// case-variant keys, trailing data, unknown members, patient text in errors, problem
// lists without end, identifiers that forge log lines, times no clinic ever saw.

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// marker is patient free text as a careless sender would put it anywhere in a document.
const marker = "Jane Q Doe DOB 1990-04-01 heroin relapse"

// leaks reports whether s holds any recognisable piece of the marker.
func leaks(s string) bool {
	for _, piece := range []string{"Jane", "Doe", "1990", "heroin", "relapse"} {
		if strings.Contains(s, piece) {
			return true
		}
	}
	return false
}

// decoders are the package's three decoders, as functions of the bytes.
var decoders = map[string]func([]byte) error{
	"infant": func(b []byte) error { _, err := DecodeInfant(b); return err },
	"plan":   func(b []byte) error { _, err := DecodePlanOfSafeCare(b); return err },
	"sleep":  func(b []byte) error { _, err := DecodeSleepChecklist(b); return err },
}

// validationOf returns err as a *ValidationError, failing the test otherwise.
func validationOf(t *testing.T, err error) *ValidationError {
	t.Helper()
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	require.ErrorIs(t, err, ErrInvalid)
	return ve
}

// codeFields returns "code@field" for every problem.
func codeFields(ve *ValidationError) []string {
	out := make([]string, len(ve.Problems))
	for i, p := range ve.Problems {
		out[i] = p.Code + "@" + p.Field
	}
	return out
}

// TestDecodeDuplicateKeys: a second copy of a member, in any letter case, never silently
// replaces the first (a saved infant whose "prenatal_exposures" is repeated empty would
// otherwise lose every exposure). The second copy is refused with duplicate_key at its path.
func TestDecodeDuplicateKeys(t *testing.T) {
	cases := map[string]struct{ in, want string }{
		"infant": {`{"id":"B1","prenatal_exposures":["opioids"],"Prenatal_Exposures":[]}`, "duplicate_key@prenatal_exposures"},
		"plan":   {`{"infant_id":"B1","parties":[{"id":"c","role":"coordinator","ID":"x"}]}`, "duplicate_key@parties[0].id"},
		"sleep":  {`{"no_bed_sharing":"unmet","no_bed_sharing":"met"}`, "duplicate_key@no_bed_sharing"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			ve := validationOf(t, decoders[name]([]byte(c.in)))
			assert.Contains(t, codeFields(ve), c.want)
		})
	}
}

// TestDecodeTrailingData: one JSON value, nothing after it.
func TestDecodeTrailingData(t *testing.T) {
	for name, dec := range decoders {
		ve := validationOf(t, dec([]byte(`{} {"id":"B2"}`)))
		assert.Equal(t, []string{"trailing_data@"}, codeFields(ve), name)
	}
}

// TestDecodeUnknownMembers: a member the format does not have is refused with its path, the
// made-up name written "?" however it is shaped (it may be free text: "name" could as well be
// "Jane_Doe"); a duplicate shows the schema's name it stands for.
func TestDecodeUnknownMembers(t *testing.T) {
	ve := validationOf(t, decoders["infant"]([]byte(`{"id":"B1","name":"x","`+marker+`":1}`)))
	assert.Equal(t, []string{"unknown_field@?", "unknown_field@?"}, codeFields(ve))
	ve = validationOf(t, decoders["plan"]([]byte(`{"services":[{"id":"s","prty":"p"}]}`)))
	assert.Equal(t, []string{"unknown_field@services[0].?"}, codeFields(ve))
	ve = validationOf(t, decoders["sleep"]([]byte(`{"crib_color":"met"}`)))
	assert.Equal(t, []string{"unknown_field@?"}, codeFields(ve))
}

// TestDecodeNeverQuotesInput: wherever patient text is put (a code, a gestational age, a
// time, an identifier, a member name), no error text and no problem holds any of it.
func TestDecodeNeverQuotesInput(t *testing.T) {
	m := `"` + marker + `"`
	inputs := map[string][]string{
		"infant": {
			`{"id":"B1","withdrawal":` + m + `}`,
			`{"id":"B1","gestational_age_at_birth":` + m + `}`,
			`{"id":"B1","prenatal_exposures":["opioids",` + m + `]}`,
			`{"id":"B1","born_at":` + m + `}`,
			`{"id":` + m + `}`,
			`{` + m + `:1}`,
			`{"id":"B1"} ` + m,
			`{"id":"B1",` + m + `}`,
		},
		"plan": {
			`{"needs":[{"for":` + m + `,"domain":` + m + `}],"parties":[{"id":` + m + `,"role":` + m + `}]}`,
			`{"infant_id":` + m + `,"monitoring":{"party":` + m + `,"next_review":` + m + `}}`,
			`{"services":[{"id":` + m + `,"party":` + m + `,"referred_at":` + m + `}]}`,
		},
		"sleep": {
			`{"back_to_sleep":` + m + `}`,
			`{` + m + `:"met"}`,
		},
	}
	for name, ins := range inputs {
		for _, in := range ins {
			err := decoders[name]([]byte(in))
			require.Error(t, err, in)
			assert.False(t, leaks(err.Error()), "%s: Error() leaks input: %s", name, err)
			var ve *ValidationError
			if errors.As(err, &ve) {
				for _, p := range ve.Problems {
					assert.False(t, leaks(p.Field+p.Message+p.Cite), "%s: problem leaks input: %+v", name, p)
				}
			}
		}
	}
}

// TestDecodeTooLarge: 64 MiB is refused before it is read, with a short error.
func TestDecodeTooLarge(t *testing.T) {
	big := make([]byte, 64<<20)
	copy(big, `{"id":"`)
	for i := 7; i < len(big)-2; i++ {
		big[i] = 'x'
	}
	copy(big[len(big)-2:], `"}`)
	for name, dec := range decoders {
		err := dec(big)
		ve := validationOf(t, err)
		assert.Equal(t, []string{"input_too_large@"}, codeFields(ve), name)
		assert.Less(t, len(err.Error()), 200, name)
	}
}

// TestProblemListCapped: a document with thousands of faults gets a bounded list: 100
// problems and a last entry, too_many_problems, saying how many more there were. Found
// by hand: 5,000 copies of "opioids" are 4,999 duplicate exposures (the first is not a
// duplicate); 100 are listed and 4,899 counted.
func TestProblemListCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"id":"B1","born_at":"2026-09-17T08:00:00Z","gestational_age_at_birth":"37w0d","withdrawal":"absent","substance_affected":"absent","fasd":"absent","prenatal_exposures":["opioids"`)
	for range 4999 {
		b.WriteString(`,"opioids"`)
	}
	b.WriteString(`]}`)
	ve := validationOf(t, decoders["infant"]([]byte(b.String())))
	require.Len(t, ve.Problems, 101)
	assert.Equal(t, "duplicate_exposure", ve.Problems[99].Code)
	last := ve.Problems[100]
	assert.Equal(t, "too_many_problems", last.Code)
	assert.Contains(t, last.Message, "4899")

	// The same cap holds for Validate of a value built in memory.
	inf := infant(nil)
	for range 4999 {
		inf.PrenatalExposures = append(inf.PrenatalExposures, SubstanceOpioids)
	}
	ve = validationOf(t, inf.Validate())
	require.Len(t, ve.Problems, 101)
	assert.Equal(t, "too_many_problems", ve.Problems[100].Code)

	p := validPlan()
	for range 1000 {
		p.Services = append(p.Services, Service{ID: "peds", For: RecipientInfant, Domain: NeedHealth, Party: "clinic"})
	}
	ve = validationOf(t, p.Validate())
	require.Len(t, ve.Problems, 101)
	assert.Equal(t, "too_many_problems", ve.Problems[100].Code)
	assert.Contains(t, ve.Problems[100].Message, "900") // 1,000 duplicate services, 100 listed
}

// TestIdentifierRule: identifiers follow the one rule of the library (letters, digits and
// . _ - : / @ #, 1 to 128 bytes), so a name, a padded ID or a line break never passes as
// one. Missing identifiers keep their own codes.
func TestIdentifierRule(t *testing.T) {
	for _, id := range []string{"Jane Doe", " a-1 ", "B1\nlevel=INFO msg=forged", strings.Repeat("x", 129), "é"} {
		ve := validationOf(t, infant(func(i *Infant) { i.ID = id }).Validate())
		assert.Equal(t, []string{"identifier_invalid@id"}, codeFields(ve), "%q", id)

		p := validPlan()
		p.InfantID = id
		p.Services[0].Party = id
		p.Parties[0].ID = id
		p.Monitoring.Party = id
		p.Needs[0].Services[0] = id
		p.Services[1].ID = id
		got := codeFields(validationOf(t, p.Validate()))
		for _, f := range []string{"infant_id", "needs[0].services[0]", "services[0].party", "services[1].id", "parties[0].id", "monitoring.party"} {
			assert.Contains(t, got, "identifier_invalid@"+f, "%q", id)
		}
	}
	for _, id := range []string{"B1", "urn:oid:2.16.840.1.113883.4.1", "mrn#42@site", strings.Repeat("x", 128)} {
		assert.NoError(t, infant(func(i *Infant) { i.ID = id }).Validate(), "%q", id)
	}
}

// TestTimeRange: a time outside 1900-01-01 to 2199-12-31 (UTC) is refused at the door, by
// the decoders and by Validate: year 20260 is a typing error, and cannot even be written
// back as RFC 3339.
func TestTimeRange(t *testing.T) {
	far := time.Date(20260, 1, 1, 0, 0, 0, 0, time.UTC)
	early := time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
	for _, at := range []time.Time{far, early} {
		ve := validationOf(t, infant(func(i *Infant) { i.BornAt = at }).Validate())
		assert.Contains(t, codeFields(ve), "time_out_of_range@born_at")

		ve = validationOf(t, Pregnancy{LMP: at}.Validate())
		assert.Contains(t, codeFields(ve), "time_out_of_range@lmp")
		ve = validationOf(t, Pregnancy{LMP: lmp, EDD: at}.Validate())
		assert.Contains(t, codeFields(ve), "time_out_of_range@edd")
		ve = validationOf(t, Pregnancy{LMP: lmp, DeliveredAt: at}.Validate())
		assert.Contains(t, codeFields(ve), "time_out_of_range@delivered_at")

		p := validPlan()
		p.CreatedAt = at
		p.Services[1].ReferredAt = at
		p.Monitoring.NextReview = at
		got := codeFields(validationOf(t, p.Validate()))
		for _, f := range []string{"created_at", "services[1].referred_at", "monitoring.next_review"} {
			assert.Contains(t, got, "time_out_of_range@"+f)
		}
	}
	ve := validationOf(t, decoders["infant"]([]byte(`{"id":"B1","born_at":"2300-01-01T00:00:00Z"}`)))
	assert.Equal(t, []string{"out_of_range@born_at"}, codeFields(ve))
	ve = validationOf(t, decoders["plan"]([]byte(`{"created_at":"1066-10-14T09:00:00Z"}`)))
	assert.Equal(t, []string{"out_of_range@created_at"}, codeFields(ve))
}

// TestMonitoringIntervalBound: an interval so long that the plan's dates cannot be
// computed exactly (days × 24 h overflows a time.Duration beyond 106,751 days) is refused;
// ten years (3,660 days) is the bound, far beyond the life of any plan.
func TestMonitoringIntervalBound(t *testing.T) {
	p := validPlan()
	p.Monitoring.IntervalDays = 1 << 40
	assert.Contains(t, codeFields(validationOf(t, p.Validate())), "monitoring_interval_too_long@monitoring.interval_days")
	p.Monitoring.IntervalDays = 3660
	assert.NoError(t, p.Validate())
}

// TestDecodeInfantAgainstReference compares DecodeInfant with a deliberately naive
// reference of what it must return (the rule of the package doc): read the codes one by
// one in document order, listing each unknown one; then Validate, dropping every problem
// on a field already listed as an unknown code, by comparing each with each (the
// quadratic check the decoder replaced with a set). Random infants, seeded.
func TestDecodeInfantAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 13))
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	for range 3000 {
		var raw struct {
			ID, BornAt, GA, Withdrawal, SubstanceAffected, FASD string
			Exposures                                           []string
		}
		raw.ID = pick("", "B1", "B 1", "b-2")
		raw.BornAt = pick("", "2026-09-17T08:00:00Z")
		raw.GA = pick("", "37w0d", "19w6d", "37w9d", "x")
		raw.Withdrawal = pick("", "present", "absent", "unknown", "yes")
		raw.SubstanceAffected = pick("", "present", "absent", "maybe")
		raw.FASD = pick("", "absent", "no")
		for range rng.IntN(6) {
			raw.Exposures = append(raw.Exposures, pick("opioids", "alcohol", "heroin", "unknown", "opioids"))
		}
		// The document, members in the order of Infant's fields, absent when "".
		var b strings.Builder
		b.WriteString(`{"id":"` + raw.ID + `"`)
		member := func(name, v string) {
			if v != "" {
				b.WriteString(`,"` + name + `":"` + v + `"`)
			}
		}
		member("born_at", raw.BornAt)
		member("gestational_age_at_birth", raw.GA)
		if raw.Exposures != nil {
			b.WriteString(`,"prenatal_exposures":["` + strings.Join(raw.Exposures, `","`) + `"]`)
		}
		member("withdrawal", raw.Withdrawal)
		member("substance_affected", raw.SubstanceAffected)
		member("fasd", raw.FASD)
		b.WriteString(`}`)

		// The reference.
		var want []string
		inf := Infant{ID: raw.ID}
		if raw.BornAt != "" {
			inf.BornAt = born
		}
		if raw.GA != "" {
			ga, err := ParseGestationalAge(raw.GA)
			if err != nil {
				want = append(want, "unknown_code@gestational_age_at_birth")
			}
			inf.GestationalAgeAtBirth = ga
		}
		for i, s := range raw.Exposures {
			var v Substance
			if v.UnmarshalText([]byte(s)) != nil {
				want = append(want, "unknown_code@prenatal_exposures["+strconv.Itoa(i)+"]")
			}
			inf.PrenatalExposures = append(inf.PrenatalExposures, v)
		}
		for _, f := range []struct {
			name, v string
			dst     *Finding
		}{{"withdrawal", raw.Withdrawal, &inf.Withdrawal}, {"substance_affected", raw.SubstanceAffected, &inf.SubstanceAffected}, {"fasd", raw.FASD, &inf.FASD}} {
			if f.v != "" && f.dst.UnmarshalText([]byte(f.v)) != nil {
				want = append(want, "unknown_code@"+f.name)
			}
		}
		n := len(want)
		if err := inf.Validate(); err != nil {
			for _, q := range err.(*ValidationError).Problems {
				dup := false
				for _, r := range want[:n] {
					if r == "unknown_code@"+q.Field {
						dup = true
					}
				}
				if !dup {
					want = append(want, q.Code+"@"+q.Field)
				}
			}
		}

		got, err := DecodeInfant([]byte(b.String()))
		var gotCodes []string
		if err != nil {
			gotCodes = codeFields(validationOf(t, err))
		}
		require.Equal(t, want, gotCodes, b.String())
		if err == nil {
			require.Equal(t, inf, got)
		}
	}
}

// TestDecodeErrorBounded: a 10 MiB bad string, under a limit raised to 16 MiB, gives an
// error of a few hundred bytes, whatever the decoder and wherever the string is.
func TestDecodeErrorBounded(t *testing.T) {
	bad := `"` + strings.Repeat("Jane ", 2<<20) + `"`
	o := DecodeOptions{MaxBytes: 16 << 20}
	for name, in := range map[string]string{
		"infant code":   `{"id":"B1","withdrawal":` + bad + `}`,
		"infant key":    `{` + bad + `:1}`,
		"plan time":     `{"created_at":` + bad + `}`,
		"plan id":       `{"infant_id":` + bad + `}`,
		"sleep answer":  `{"back_to_sleep":` + bad + `}`,
		"sleep trailer": `{}` + bad,
	} {
		var err error
		switch {
		case strings.HasPrefix(name, "infant"):
			_, err = o.DecodeInfant([]byte(in))
		case strings.HasPrefix(name, "plan"):
			_, err = o.DecodePlanOfSafeCare([]byte(in))
		default:
			_, err = o.DecodeSleepChecklist([]byte(in))
		}
		require.Error(t, err, name)
		assert.Less(t, len(err.Error()), 4096, name)
		assert.False(t, leaks(err.Error()), name)
	}
}
