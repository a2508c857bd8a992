package priority

import (
	"encoding/json"
	"time"

	"github.com/dyad-health/dyad/internal/jsonin"
)

// InterimWindow is how long after a person sought treatment interim services must be made
// available (45 CFR 96.131(d), 96.126(b)(2) and (c)). It is always elapsed time.
const InterimWindow = 48 * time.Hour

// OwedInterim reports whether a person who is waiting (not admitted) is owed interim
// services: she is pregnant or injects drugs (the federal floor of 96.131(d) and
// 96.126(b)(2), (c)) or meets one of the policy's InterimAlsoWhen conditions, at the moment
// sought or at the moment at; and no program could admit her on the day of the request
// (a.CapacityAtRequest is not CapacityAvailable: unknown owes them), unless the policy's
// InterimWhileWaiting owes them to everyone waiting. Judging both moments means an
// obligation that arose when she sought treatment is not lost when her pregnancy ends,
// whatever its outcome.
func (c *Compiled) OwedInterim(a Applicant, at time.Time) bool {
	return c.InterimElements(a, at) != 0
}

// InterimElements returns the elements of 45 CFR 96.121 owed to a person waiting at at: none
// if OwedInterim is false; otherwise the five base elements, plus fetal-effects counseling and
// a prenatal-care referral if she was pregnant when she sought treatment or is pregnant at at.
//
// A person who injects drugs who asked when a program could admit her is owed the base
// elements (and the pregnancy ones if pregnant) once 14 days have passed since her request
// without admission: 45 CFR 96.126(c), "For individuals who cannot be placed in
// comprehensive treatment within 14 days, the State shall ensure t[hat interim services are
// made available]" (the stored text is cut there).
func (c *Compiled) InterimElements(a Applicant, at time.Time) ElementSet {
	r := reproOf(&a)
	conds := c.conditions(&a, r, a.SoughtAt) | c.conditions(&a, r, at)
	if s := c.owedInterimSet(conds, a.CapacityAtRequest); s != 0 {
		return s
	}
	if c.notPlacedOwed(a.SoughtAt, time.Time{}, at) {
		return c.notPlacedSet(conds, a.CapacityAtRequest)
	}
	return 0
}

// InterimDue returns when interim services are due: 48 elapsed hours after a sought treatment.
func (c *Compiled) InterimDue(a Applicant) time.Time { return a.SoughtAt.Add(InterimWindow) }

// InterimRecord records when each interim-services element was made available. It is a
// comparable value; the zero value records nothing. In JSON it is an object from element code
// to time.
type InterimRecord struct {
	at [numElements]time.Time
}

// Deliver returns a copy of r with element e recorded as made available at at. An invalid
// element, a zero time or a time outside jsonin.TimeInRange leaves r unchanged. A second
// delivery of the same element keeps the earlier time.
func (r InterimRecord) Deliver(e InterimElement, at time.Time) InterimRecord {
	if !e.IsValid() || !jsonin.TimeInRange(at) {
		return r
	}
	if r.at[e].IsZero() || at.Before(r.at[e]) {
		r.at[e] = at
	}
	return r
}

// DeliveredAt returns when element e was made available, or the zero time.
func (r InterimRecord) DeliveredAt(e InterimElement) time.Time {
	if !e.IsValid() {
		return time.Time{}
	}
	return r.at[e]
}

// Delivered returns the elements made available at or before at.
func (r InterimRecord) Delivered(at time.Time) ElementSet {
	var s ElementSet
	for e := ElementHIVTBEducation; e < numElements; e++ {
		if !r.at[e].IsZero() && !r.at[e].After(at) {
			s = s.With(e)
		}
	}
	return s
}

// CompleteAt returns when the last of the owed elements was made available, or the zero time
// if one of them has not been (or owed is empty).
func (r InterimRecord) CompleteAt(owed ElementSet) time.Time {
	var last time.Time
	for e := ElementHIVTBEducation; e < numElements; e++ {
		if !owed.Has(e) {
			continue
		}
		t := r.at[e]
		if t.IsZero() {
			return time.Time{}
		}
		if t.After(last) {
			last = t
		}
	}
	return last
}

// MarshalJSON encodes the record as an object from element code to RFC 3339 time.
func (r InterimRecord) MarshalJSON() ([]byte, error) {
	m := make(map[string]time.Time)
	for e := ElementHIVTBEducation; e < numElements; e++ {
		if !r.at[e].IsZero() {
			m[e.String()] = r.at[e]
		}
	}
	return json.Marshal(m)
}

// interimRecordMaxBytes bounds the JSON of one record: seven codes and times take far less.
const interimRecordMaxBytes = 4096

// UnmarshalJSON decodes an object from element code to time, through the package's one JSON
// reader (at most 4 KiB; duplicate codes, unknown codes and times outside
// jsonin.TimeInRange are refused without quoting the input).
func (r *InterimRecord) UnmarshalJSON(b []byte) error {
	var m map[InterimElement]time.Time
	if err := jsonin.Decode(b, &m, jsonin.Options{MaxBytes: interimRecordMaxBytes}); err != nil {
		return &jsonin.ValueError{Code: jsonin.CodeInvalidValue, Message: "Expected an object from interim element code to time."}
	}
	var out InterimRecord
	for e, t := range m {
		if !e.IsValid() || t.IsZero() {
			return &jsonin.ValueError{Code: CodeUnknownCode, Message: "An interim record entry is not a delivered element."}
		}
		out.at[e] = t
	}
	*r = out
	return nil
}

// InterimCompliance is how a person's interim services stand at a moment against the
// 48-hour deadline.
type InterimCompliance struct {
	Owed       ElementSet       `json:"owed"`                 // elements owed (empty: none owed)
	Delivered  ElementSet       `json:"delivered"`            // owed elements made available by the moment judged
	Missing    ElementSet       `json:"missing"`              // owed elements not yet made available
	Due        time.Time        `json:"due,omitzero"`         // 48 hours after she sought treatment
	CompleteAt time.Time        `json:"complete_at,omitzero"` // when the last owed element was made available
	Status     ObligationStatus `json:"status"`               // StatusUnknown when nothing is owed
}

// InterimCompliance judges r for a, still waiting, at the moment at: which owed elements are
// made available and whether the whole set was complete by the 48-hour mark.
// For a person owed them only because she was not placed within 14 days (see
// InterimElements), the due time is the end of the 14 days.
func (c *Compiled) InterimCompliance(a Applicant, r InterimRecord, at time.Time) InterimCompliance {
	due := c.InterimDue(a)
	rp := reproOf(&a)
	if c.owedInterimSet(c.conditions(&a, rp, a.SoughtAt)|c.conditions(&a, rp, at), a.CapacityAtRequest) == 0 {
		due = c.AfterDays(a.SoughtAt, AdmissionDays)
	}
	return interimCompliance(c.InterimElements(a, at), due, r, time.Time{}, at)
}

func interimCompliance(owed ElementSet, due time.Time, r InterimRecord, end, at time.Time) InterimCompliance {
	if owed == 0 {
		return InterimCompliance{}
	}
	delivered := r.Delivered(at) & owed
	ic := InterimCompliance{Owed: owed, Delivered: delivered, Missing: owed &^ delivered, Due: due}
	if ic.Missing == 0 {
		ic.CompleteAt = r.CompleteAt(owed)
	}
	ic.Status = statusOf(ic.Due, ic.CompleteAt, end, at)
	return ic
}

// Equal reports whether r and s record the same instants for every element.
func (r InterimRecord) Equal(s InterimRecord) bool {
	for i := range r.at {
		if !r.at[i].Equal(s.at[i]) {
			return false
		}
	}
	return true
}
