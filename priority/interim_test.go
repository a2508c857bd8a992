package priority

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/dyad-health/dyad/perinatal"
)

func TestInterimElements(t *testing.T) {
	fed := MustCompile(Federal())
	ext := MustCompile(Policy{Name: "s", InterimAlsoWhen: []string{"dependent_children"}, Tiers: Federal().Tiers})
	always := MustCompile(Policy{Name: "s", InterimWhileWaiting: true, Tiers: Federal().Tiers})
	h := time.Hour
	tests := []struct {
		name string
		c    *Compiled
		a    Applicant
		want ElementSet
	}{
		{"pregnant: seven (96.121)", fed, Applicant{SoughtAt: t0, Pregnant: true}, BaseElements | PregnancyElements},
		{"injecting: five", fed, Applicant{SoughtAt: t0, InjectsDrugs: true}, BaseElements},
		{"neither: none", fed, Applicant{SoughtAt: t0, DependentChildren: true}, 0},
		{"State extension: five", ext, Applicant{SoughtAt: t0, DependentChildren: true}, BaseElements},
		{"pregnant when she sought, delivered since: still seven", fed, Applicant{SoughtAt: t0, Pregnant: true, Pregnancy: perinatal.Pregnancy{DeliveredAt: t0.Add(h)}}, BaseElements | PregnancyElements},
		{"pregnant when she sought, pregnancy lost since: still seven", fed, Applicant{SoughtAt: t0, Pregnant: true, Pregnancy: perinatal.Pregnancy{DeliveredAt: t0.Add(h), Outcome: perinatal.OutcomePregnancyLoss}}, BaseElements | PregnancyElements},
		// Issue 12: 96.131(d) owes them "if no treatment facility has the capacity to admit",
		// 96.126(b)(2), (c) to a person who "cannot be placed": not where a program could admit.
		{"pregnant, a program could admit her that day: none", fed, Applicant{SoughtAt: t0, Pregnant: true, CapacityAtRequest: CapacityAvailable}, 0},
		{"injecting, a program could admit him that day: none", fed, Applicant{SoughtAt: t0, InjectsDrugs: true, CapacityAtRequest: CapacityAvailable}, 0},
		{"pregnant, no program could: seven", fed, Applicant{SoughtAt: t0, Pregnant: true, CapacityAtRequest: CapacityNone}, BaseElements | PregnancyElements},
		{"State option, everyone waiting: seven though a program could", always, Applicant{SoughtAt: t0, Pregnant: true, CapacityAtRequest: CapacityAvailable}, BaseElements | PregnancyElements},
		{"State option, someone not owed them at all: none", always, Applicant{SoughtAt: t0, CapacityAtRequest: CapacityAvailable}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eq(t, tt.want, tt.c.InterimElements(tt.a, t0.Add(2*h)))
			eq(t, tt.want != 0, tt.c.OwedInterim(tt.a, t0.Add(2*h)))
		})
	}
	eq(t, 5, BaseElements.Len())
	eq(t, []InterimElement{ElementFetalEffectsCounseling, ElementPrenatalCareReferral}, PregnancyElements.Slice())
}

func TestInterimCompliance(t *testing.T) {
	c := MustCompile(Federal())
	h := time.Hour
	w := Applicant{ID: "W", SoughtAt: t0, Pregnant: true}
	all := BaseElements | PregnancyElements
	var rec InterimRecord
	for _, e := range BaseElements.Slice() {
		rec = rec.Deliver(e, t0.Add(10*h))
	}
	rec = rec.Deliver(ElementFetalEffectsCounseling, t0.Add(20*h))
	partial := rec
	onTime := rec.Deliver(ElementPrenatalCareReferral, t0.Add(47*h))
	late := rec.Deliver(ElementPrenatalCareReferral, t0.Add(49*h))
	tests := []struct {
		name string
		r    InterimRecord
		at   time.Time
		want InterimCompliance
	}{
		{"nothing yet, 47 h", InterimRecord{}, t0.Add(47 * h), InterimCompliance{Owed: all, Missing: all, Due: t0.Add(48 * h), Status: StatusOpen}},
		{"six of seven at 50 h", partial, t0.Add(50 * h), InterimCompliance{Owed: all, Delivered: all&^PregnancyElements.With(ElementPrenatalCareReferral) | 1<<ElementFetalEffectsCounseling,
			Missing: 1 << ElementPrenatalCareReferral, Due: t0.Add(48 * h), Status: StatusOverdue}},
		{"complete at 47 h", onTime, t0.Add(50 * h), InterimCompliance{Owed: all, Delivered: all, Due: t0.Add(48 * h), CompleteAt: t0.Add(47 * h), Status: StatusMet}},
		{"complete at 49 h", late, t0.Add(50 * h), InterimCompliance{Owed: all, Delivered: all, Due: t0.Add(48 * h), CompleteAt: t0.Add(49 * h), Status: StatusMetLate}},
		{"complete at 49 h, judged at 48 h", late, t0.Add(48 * h), InterimCompliance{Owed: all, Delivered: all &^ (1 << ElementPrenatalCareReferral),
			Missing: 1 << ElementPrenatalCareReferral, Due: t0.Add(48 * h), Status: StatusOpen}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { eq(t, tt.want, c.InterimCompliance(w, tt.r, tt.at)) })
	}
	eq(t, InterimCompliance{}, c.InterimCompliance(Applicant{ID: "O", SoughtAt: t0}, onTime, t0))
}

func TestInterimRecord(t *testing.T) {
	var r InterimRecord
	r = r.Deliver(ElementHIVTBEducation, t0.Add(time.Hour))
	r = r.Deliver(ElementHIVTBEducation, t0.Add(2*time.Hour)) // a second delivery keeps the first
	r = r.Deliver(ElementHIVTBEducation, t0)                  // an earlier one replaces it
	r = r.Deliver(ElementUnknown, t0)                         // ignored
	r = r.Deliver(ElementNeedleSharingRisks, time.Time{})     // ignored
	eq(t, t0, r.DeliveredAt(ElementHIVTBEducation))
	eq(t, time.Time{}, r.DeliveredAt(ElementNeedleSharingRisks))
	eq(t, time.Time{}, r.DeliveredAt(InterimElement(200)))
	eq(t, ElementSet(1<<ElementHIVTBEducation), r.Delivered(t0))
	eq(t, time.Time{}, r.CompleteAt(BaseElements))
	eq(t, t0, r.CompleteAt(1<<ElementHIVTBEducation))
	b, err := json.Marshal(r)
	noErr(t, err)
	eq(t, `{"hiv_tb_education":"2026-03-01T08:00:00Z"}`, string(b))
	var back InterimRecord
	noErr(t, json.Unmarshal(b, &back))
	eq(t, r, back)
	// Issue 13: duplicate and case-variant keys, times out of range, unknown codes, oversize
	// input: refused, and never quoted.
	for _, bad := range []string{`{"x":"2026-03-01T08:00:00Z"}`, `{"unknown":"2026-03-01T08:00:00Z"}`, `{"hiv_tb_education":"0001-01-01T00:00:00Z"}`, `[]`,
		`{"hiv_tb_education":"2026-03-01T08:00:00Z","hiv_tb_education":"2026-03-02T08:00:00Z"}`,
		`{"hiv_tb_education":"2026-03-01T08:00:00Z","HIV_TB_EDUCATION":"2026-03-02T08:00:00Z"}`,
		`{"hiv_tb_education":"20260-03-01T08:00:00Z"}`, `{"Jane Q Doe":"2026-03-01T08:00:00Z"}`,
		`{"hiv_tb_education":"2026-03-01T08:00:00Z"} x`, `{"hiv_tb_education":"` + strings.Repeat("x", 5000) + `"}`} {
		err := json.Unmarshal([]byte(bad), &back)
		if err == nil {
			t.Errorf("decoded %.60s", bad)
		} else if strings.Contains(err.Error(), "Jane") || strings.Contains(err.Error(), "xxx") {
			t.Errorf("the error quotes the input: %v", err)
		}
	}
	// A time outside the range is not recorded.
	eq(t, r, r.Deliver(ElementNeedleSharingRisks, time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)))
}
