package priority

import (
	"encoding/json"
	"fmt"
	"time"
)

// InterimWindow is how long after a person sought treatment interim services must be made
// available (45 CFR 96.131(d), 96.126(b)). It is always elapsed time.
const InterimWindow = 48 * time.Hour

// OwedInterim reports whether the policy makes a person who is waiting (not admitted) owed
// interim services: pregnant or injecting drugs (the federal floor) or meeting one of the
// policy's InterimAlsoWhen conditions, at the moment sought or at the moment at. Judging both
// moments means an obligation that arose when she sought treatment is not lost when she
// delivers.
func (c *Compiled) OwedInterim(a Applicant, at time.Time) bool {
	return (c.Conditions(a, a.SoughtAt)|c.Conditions(a, at))&c.interimWhen != 0
}

// InterimElements returns the elements of 45 CFR 96.121 owed to a person waiting at at: none
// if OwedInterim is false; otherwise the five base elements, plus fetal-effects counseling and
// a prenatal-care referral if she was pregnant when she sought treatment or is pregnant at at.
func (c *Compiled) InterimElements(a Applicant, at time.Time) ElementSet {
	sought, now := c.Conditions(a, a.SoughtAt), c.Conditions(a, at)
	if (sought|now)&c.interimWhen == 0 {
		return 0
	}
	if (sought | now).Has(ConditionPregnant) {
		return BaseElements | PregnancyElements
	}
	return BaseElements
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
// element or a zero time leaves r unchanged. A second delivery of the same element keeps the
// earlier time.
func (r InterimRecord) Deliver(e InterimElement, at time.Time) InterimRecord {
	if !e.IsValid() || at.IsZero() {
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
	for _, e := range owed.Slice() {
		t := r.DeliveredAt(e)
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

// UnmarshalJSON decodes an object from element code to time.
func (r *InterimRecord) UnmarshalJSON(b []byte) error {
	var m map[string]time.Time
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	var out InterimRecord
	for k, t := range m {
		var e InterimElement
		if err := e.UnmarshalText([]byte(k)); err != nil {
			return err
		}
		if !e.IsValid() || t.IsZero() {
			return fmt.Errorf("priority: interim record entry %q is not a delivered element", truncate(k, 32))
		}
		out.at[e] = t
	}
	*r = out
	return nil
}

// InterimCompliance is how a person's interim services stand at a moment against the
// 48-hour deadline.
type InterimCompliance struct {
	Owed       ElementSet      `json:"owed"`                 // elements owed (empty: none owed)
	Delivered  ElementSet      `json:"delivered"`            // owed elements made available by the moment judged
	Missing    ElementSet      `json:"missing"`              // owed elements not yet made available
	Due        time.Time       `json:"due,omitzero"`         // 48 hours after she sought treatment
	CompleteAt time.Time       `json:"complete_at,omitzero"` // when the last owed element was made available
	State      ObligationState `json:"state"`                // StateUnknown when nothing is owed
}

// InterimCompliance judges r for a at the moment at: which owed elements are made available
// and whether the whole set was complete by the 48-hour mark.
func (c *Compiled) InterimCompliance(a Applicant, r InterimRecord, at time.Time) InterimCompliance {
	owed := c.InterimElements(a, at)
	if owed == 0 {
		return InterimCompliance{}
	}
	delivered := r.Delivered(at) & owed
	ic := InterimCompliance{Owed: owed, Delivered: delivered, Missing: owed &^ delivered, Due: c.InterimDue(a)}
	if ic.Missing == 0 {
		ic.CompleteAt = r.CompleteAt(owed)
	}
	ic.State = stateOf(ic.Due, ic.CompleteAt, at)
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
