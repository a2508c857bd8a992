package perinatal

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// lmp is the dating origin used by these tests. By hand: 2026-01-01 + 280 days is
// 2026-10-08 (Naegele: + 1 year - 3 months + 7 days); day 97 (13w6d) is 2026-04-08.
var lmp = date(2026, 1, 1)

func TestDueDate(t *testing.T) {
	tests := []struct {
		name string
		p    Pregnancy
		want time.Time
	}{
		{"from LMP", PregnancyFromLMP(lmp), date(2026, 10, 8)},
		{"from LMP in a leap year", PregnancyFromLMP(date(2024, 1, 1)), date(2024, 10, 7)},
		{"from EDD", PregnancyFromEDD(date(2026, 10, 8)), date(2026, 10, 8)},
		{"EDD wins over LMP", Pregnancy{LMP: lmp, EDD: date(2026, 10, 1)}, date(2026, 10, 1)},
		{"LMP late in the evening west of UTC keeps its date", PregnancyFromLMP(time.Date(2026, 1, 1, 23, 0, 0, 0, time.FixedZone("EST", -5*3600))), date(2026, 10, 8)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.p.DueDate()
			if err != nil || !got.Equal(tt.want) {
				t.Errorf("DueDate = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestGestationalAgeAndTrimester(t *testing.T) {
	fromLMP := PregnancyFromLMP(lmp)
	fromEDD := PregnancyFromEDD(date(2026, 10, 8))
	est := time.FixedZone("EST", -5*3600)
	tests := []struct {
		at    time.Time
		ga    string
		trime Trimester
	}{
		{date(2026, 1, 1), "0w0d", TrimesterFirst},
		{date(2026, 4, 8), "13w6d", TrimesterFirst},
		{date(2026, 4, 9), "14w0d", TrimesterSecond},
		{time.Date(2026, 4, 8, 23, 30, 0, 0, est), "13w6d", TrimesterFirst}, // 04:30 UTC next day; local date counts
		{date(2026, 7, 15), "27w6d", TrimesterSecond},
		{date(2026, 7, 16), "28w0d", TrimesterThird},
		{date(2026, 10, 8), "40w0d", TrimesterThird},
	}
	for _, tt := range tests {
		for name, p := range map[string]Pregnancy{"lmp": fromLMP, "edd": fromEDD} {
			t.Run(name+"/"+tt.ga, func(t *testing.T) {
				ga, err := p.GestationalAgeAt(tt.at)
				if err != nil || ga.String() != tt.ga {
					t.Fatalf("GestationalAgeAt = %v, %v; want %s", ga, err, tt.ga)
				}
				tr, err := p.TrimesterAt(tt.at)
				if err != nil || tr != tt.trime {
					t.Errorf("TrimesterAt = %v, %v; want %v", tr, err, tt.trime)
				}
			})
		}
	}
}

func TestGestationalAgeErrors(t *testing.T) {
	delivered := time.Date(2026, 9, 17, 8, 0, 0, 0, time.UTC)
	p := Pregnancy{LMP: lmp, DeliveredAt: delivered}
	if _, err := p.GestationalAgeAt(date(2025, 12, 31)); !errors.Is(err, ErrBeforePregnancy) {
		t.Errorf("before LMP: %v", err)
	}
	if ga, err := p.GestationalAgeAt(delivered); err != nil || ga != GA(37, 0) {
		t.Errorf("at delivery: %v, %v; want 37w0d", ga, err)
	}
	if _, err := p.GestationalAgeAt(delivered.Add(time.Nanosecond)); !errors.Is(err, ErrDelivered) {
		t.Errorf("after delivery: %v", err)
	}
	if _, err := PregnancyFromLMP(lmp).GestationalAgeAtDelivery(); !errors.Is(err, ErrNotDelivered) {
		t.Errorf("undelivered: %v", err)
	}
	if _, err := (Pregnancy{}).GestationalAgeAt(lmp); !errors.Is(err, ErrInvalid) {
		t.Errorf("undated: %v", err)
	}
	if _, err := (Pregnancy{}).TermAtDelivery(); !errors.Is(err, ErrInvalid) {
		t.Errorf("undated term: %v", err)
	}
}

func TestTermAtDelivery(t *testing.T) {
	tests := []struct {
		delivered time.Time
		ga        GestationalAge
		want      Term
	}{
		{date(2026, 9, 16), GA(36, 6), TermPreterm},
		{date(2026, 9, 17), GA(37, 0), TermEarly},
		{date(2026, 9, 30), GA(38, 6), TermEarly},
		{date(2026, 10, 1), GA(39, 0), TermFull},
		{date(2026, 10, 14), GA(40, 6), TermFull},
		{date(2026, 10, 15), GA(41, 0), TermLate},
		{date(2026, 10, 21), GA(41, 6), TermLate},
		{date(2026, 10, 22), GA(42, 0), TermPostterm},
	}
	for _, tt := range tests {
		t.Run(tt.ga.String(), func(t *testing.T) {
			p := Pregnancy{LMP: lmp, DeliveredAt: tt.delivered.Add(13 * time.Hour)}
			ga, err := p.GestationalAgeAtDelivery()
			if err != nil || ga != tt.ga {
				t.Fatalf("GestationalAgeAtDelivery = %v, %v; want %v", ga, err, tt.ga)
			}
			term, err := p.TermAtDelivery()
			if err != nil || term != tt.want {
				t.Errorf("TermAtDelivery = %v, %v; want %v", term, err, tt.want)
			}
			if term.IsPreterm() != (tt.ga.Days() < 259) || term.IsTerm() != (tt.ga.Days() >= 259 && tt.ga.Days() < 294) {
				t.Errorf("IsPreterm/IsTerm wrong for %v", tt.ga)
			}
		})
	}
}

func TestPregnancyValidate(t *testing.T) {
	tests := []struct {
		name string
		p    Pregnancy
		want []string
	}{
		{"LMP only", PregnancyFromLMP(lmp), nil},
		{"no dating", Pregnancy{}, []string{"no_dating"}},
		{"no dating, delivered", Pregnancy{DeliveredAt: lmp}, []string{"no_dating"}},
		{"EDD on LMP", Pregnancy{LMP: lmp, EDD: lmp}, []string{"edd_not_after_lmp"}},
		{"EDD before LMP", Pregnancy{LMP: lmp, EDD: date(2025, 12, 1)}, []string{"edd_not_after_lmp"}},
		{"delivered 13 days after LMP", Pregnancy{LMP: lmp, DeliveredAt: date(2026, 1, 14)}, []string{"delivered_before_conception"}},
		{"delivered 14 days after LMP", Pregnancy{LMP: lmp, DeliveredAt: date(2026, 1, 15)}, nil},
		{"delivered before LMP", Pregnancy{LMP: lmp, DeliveredAt: date(2025, 6, 1)}, []string{"delivered_before_conception"}},
		{"delivered at 47w6d", Pregnancy{LMP: lmp, DeliveredAt: lmp.AddDate(0, 0, 335)}, nil},
		{"delivered at 48w0d", Pregnancy{LMP: lmp, DeliveredAt: lmp.AddDate(0, 0, 336)}, []string{"delivery_implausibly_late"}},
		{"every problem at once", Pregnancy{LMP: lmp, EDD: date(2025, 12, 1), DeliveredAt: date(2025, 6, 1)}, []string{"edd_not_after_lmp", "delivered_before_conception"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			var got []string
			if err != nil {
				var ve *ValidationError
				if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
					t.Fatalf("error %v is not a *ValidationError matching ErrInvalid", err)
				}
				got = ve.Codes()
				if strings.Contains(err.Error(), "2025") || strings.Contains(err.Error(), "2026") {
					t.Errorf("error leaks a date: %v", err)
				}
				for _, p := range ve.Problems {
					if p.Cite == "" || p.Message == "" {
						t.Errorf("problem %q lacks cite or message", p.Code)
					}
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPregnancyStatusAt(t *testing.T) {
	delivered := time.Date(2026, 9, 17, 8, 0, 0, 0, time.UTC)
	p := Pregnancy{LMP: lmp, DeliveredAt: delivered}
	w := DefaultPostpartumWindow()
	tests := []struct {
		name string
		p    Pregnancy
		at   time.Time
		want Status
	}{
		{"before LMP", p, date(2025, 12, 31), StatusNotPregnant},
		{"on LMP", p, lmp, StatusPregnant},
		{"just before delivery", p, delivered.Add(-time.Second), StatusPregnant},
		{"at delivery", p, delivered, StatusPostpartum},
		{"last instant of window", p, delivered.Add(365 * 24 * time.Hour), StatusPostpartum},
		{"after window", p, delivered.Add(365*24*time.Hour + 1), StatusNotPregnant},
		{"invalid pregnancy", Pregnancy{}, lmp, StatusUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.StatusAt(w, tt.at); got != tt.want {
				t.Errorf("StatusAt = %v, want %v", got, tt.want)
			}
		})
	}
	if !p.Delivered(delivered) || p.Delivered(delivered.Add(-1)) {
		t.Error("Delivered boundary wrong")
	}
}

func TestGestationalAgeText(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want GestationalAge
		ok   bool
	}{
		{"0w0d", GA(0, 0), true},
		{"13w6d", GA(13, 6), true},
		{"52w6d", GA(52, 6), true},
		{"53w0d", GestationalAge{}, false},
		{"13w7d", GestationalAge{}, false},
		{"w6d", GestationalAge{}, false},
		{"13w6", GestationalAge{}, false},
		{"130w1d", GestationalAge{}, false},
		{"-1w0d", GestationalAge{}, false},
		{"00w0d", GestationalAge{}, false},
		{"09w1d", GestationalAge{}, false},
		{"", GestationalAge{}, false},
	} {
		var g GestationalAge
		err := g.UnmarshalText([]byte(tt.in))
		if (err == nil) != tt.ok || g != tt.want {
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v ok=%v", tt.in, g, err, tt.want, tt.ok)
		}
		if !tt.ok && !errors.Is(err, ErrUnknownCode) {
			t.Errorf("UnmarshalText(%q) error %v does not wrap ErrUnknownCode", tt.in, err)
		}
		if tt.ok {
			b, _ := g.MarshalText()
			if string(b) != tt.in {
				t.Errorf("MarshalText = %q, want %q", b, tt.in)
			}
		}
	}
	if GA(13, 13) != GA(14, 6) || GADays(-5) != GA(0, 0) || GA(2, 3).Days() != 17 || GA(2, 3).Weeks() != 2 || GA(2, 3).ExtraDays() != 3 {
		t.Error("GA arithmetic wrong")
	}
}

// TestDatingWhereThePatientIs pins the documented reading QA raised (package doc, "Dates
// and time zones"): GestationalAgeAt dates a moment in the offset it is written with, so
// an evening visit in New York and the same instant in UTC can be a day apart; the ...In
// methods date it where the patient is, and give equal ages for equal instants.
// Hand-computed: LMP 1 January 2026 in New York; 97 days later, 21:00 EDT on 8 April, is
// 13w6d, the last day of the first trimester (below 14w0d, CiteTrimesters), and is 01:00 on
// 9 April UTC, 14w0d; 258 days later, 21:00 EDT on 16 September, is 36w6d, preterm (below
// 37w0d, CiteTerm), and 37w0d, early term, on 17 September UTC.
func TestDatingWhereThePatientIs(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	p := PregnancyFromLMP(time.Date(2026, 1, 1, 0, 0, 0, 0, ny))
	visit := time.Date(2026, 4, 8, 21, 0, 0, 0, ny)
	if got := visit.UTC(); got != time.Date(2026, 4, 9, 1, 0, 0, 0, time.UTC) {
		t.Fatalf("setup: the visit in UTC is %s", got)
	}
	ga := func(g GestationalAge, err error) string {
		if err != nil {
			return err.Error()
		}
		return g.String()
	}
	tri := func(tr Trimester, err error) string {
		if err != nil {
			return err.Error()
		}
		return tr.String()
	}
	for _, c := range []struct{ name, got, want string }{
		{"At, local", ga(p.GestationalAgeAt(visit)), "13w6d"},
		{"At, UTC (the offset written decides)", ga(p.GestationalAgeAt(visit.UTC())), "14w0d"},
		{"In New York, local", ga(p.GestationalAgeIn(visit, ny)), "13w6d"},
		{"In New York, UTC", ga(p.GestationalAgeIn(visit.UTC(), ny)), "13w6d"},
		{"In nil, UTC (its own location)", ga(p.GestationalAgeIn(visit.UTC(), nil)), "14w0d"},
		{"TrimesterAt, UTC", tri(p.TrimesterAt(visit.UTC())), "second"},
		{"TrimesterIn New York, UTC", tri(p.TrimesterIn(visit.UTC(), ny)), "first"},
	} {
		if c.got != c.want {
			t.Errorf("%s: %s, want %s", c.name, c.got, c.want)
		}
	}
	birth := time.Date(2026, 9, 16, 21, 0, 0, 0, ny)
	local, utc := p, p
	local.DeliveredAt, utc.DeliveredAt = birth, birth.UTC()
	for _, c := range []struct {
		name string
		p    Pregnancy
		loc  *time.Location
		want Term
	}{
		{"local, own location", local, nil, TermPreterm},
		{"UTC, own location", utc, nil, TermEarly},
		{"local, in New York", local, ny, TermPreterm},
		{"UTC, in New York", utc, ny, TermPreterm},
	} {
		if got, err := c.p.TermAtDeliveryIn(c.loc); err != nil || got != c.want {
			t.Errorf("%s: %s %v, want %s", c.name, got, err, c.want)
		}
	}
	if got, err := utc.TermAtDelivery(); err != nil || got != TermEarly {
		t.Errorf("TermAtDelivery of the UTC birth: %s %v, want early_term", got, err)
	}
	if _, err := p.GestationalAgeAtDeliveryIn(ny); !errors.Is(err, ErrNotDelivered) {
		t.Errorf("not delivered: %v", err)
	}
}
