package referral

import (
	"errors"
	"testing"
)

// legalByHand is the state machine written out from the FHIR task-status definitions (see
// machine.go), independently of the table the code builds.
var legalByHand = map[[2]Status]bool{
	{StatusDraft, StatusRequested}: true, {StatusDraft, StatusCancelled}: true,
	{StatusRequested, StatusReceived}: true, {StatusRequested, StatusAccepted}: true,
	{StatusRequested, StatusRejected}: true, {StatusRequested, StatusCancelled}: true,
	{StatusReceived, StatusAccepted}: true, {StatusReceived, StatusRejected}: true,
	{StatusReceived, StatusCancelled}:  true,
	{StatusAccepted, StatusInProgress}: true, {StatusAccepted, StatusFailed}: true,
	{StatusAccepted, StatusCancelled}: true,
	{StatusInProgress, StatusOnHold}:  true, {StatusInProgress, StatusCompleted}: true,
	{StatusInProgress, StatusFailed}: true, {StatusInProgress, StatusCancelled}: true,
	{StatusOnHold, StatusInProgress}: true, {StatusOnHold, StatusFailed}: true,
	{StatusOnHold, StatusCancelled}: true,
	// entered-in-error from every other status.
	{StatusDraft, StatusEnteredInError}: true, {StatusRequested, StatusEnteredInError}: true,
	{StatusReceived, StatusEnteredInError}: true, {StatusAccepted, StatusEnteredInError}: true,
	{StatusRejected, StatusEnteredInError}: true, {StatusReady, StatusEnteredInError}: true,
	{StatusCancelled, StatusEnteredInError}: true, {StatusInProgress, StatusEnteredInError}: true,
	{StatusOnHold, StatusEnteredInError}: true, {StatusFailed, StatusEnteredInError}: true,
	{StatusCompleted, StatusEnteredInError}: true,
}

func TestCanTransitionEveryPair(t *testing.T) {
	all := append([]Status{StatusUnknown}, Statuses()...)
	all = append(all, Status(200))
	n := 0
	for _, from := range all {
		for _, to := range all {
			want := legalByHand[[2]Status{from, to}]
			if got := CanTransition(from, to); got != want {
				t.Errorf("CanTransition(%v, %v) = %v, want %v", from, to, got, want)
			}
			if want {
				n++
			}
		}
	}
	if n != len(legalByHand) || n != 30 {
		t.Errorf("%d legal transitions counted, table has %d, want 30", n, len(legalByHand))
	}
}

// TestTransitionEveryPairOnReferral runs every (from, to) pair through a real referral:
// legal moves are applied and recorded, illegal ones refused with a *TransitionError and
// leave the referral unchanged.
func TestTransitionEveryPairOnReferral(t *testing.T) {
	for from, path := range pathTo {
		for _, to := range append([]Status{StatusUnknown}, Statuses()...) {
			t.Run(from.String()+"->"+to.String(), func(t *testing.T) {
				r := mustNew(t, draftNone("R1", PartnerPrenatalCare), t0)
				at := walk(t, r, t0, path...)
				before := r.Events()
				err := r.Transition(to, at.Add(hours(1)), "staff-2", "by_table")
				want := legalByHand[[2]Status{from, to}]
				switch {
				case want && err != nil:
					t.Fatalf("legal move refused: %v", err)
				case want:
					if r.Status() != to {
						t.Fatalf("status = %v, want %v", r.Status(), to)
					}
					last := r.Events()[len(before)]
					if last.Kind != EventTransitioned || last.From != from || last.To != to ||
						last.Actor != "staff-2" || last.Reason != "by_table" || !last.At.Equal(at.Add(hours(1))) {
						t.Fatalf("event = %+v", last)
					}
				case to == StatusUnknown:
					if !errors.Is(err, ErrInvalid) {
						t.Fatalf("err = %v, want ErrInvalid", err)
					}
				default:
					var te *TransitionError
					if !errors.As(err, &te) || !errors.Is(err, ErrIllegalTransition) || te.From != from || te.To != to {
						t.Fatalf("err = %v, want TransitionError %v -> %v", err, from, to)
					}
					if len(r.Events()) != len(before) || r.Status() != from {
						t.Fatalf("referral changed by a refused move")
					}
				}
			})
		}
	}
}

func TestStatusCodes(t *testing.T) {
	// The 12 codes of http://hl7.org/fhir/task-status, R4, in code-system order.
	fhir := []string{"draft", "requested", "received", "accepted", "rejected", "ready", "cancelled",
		"in-progress", "on-hold", "failed", "completed", "entered-in-error"}
	ss := Statuses()
	if len(ss) != 12 {
		t.Fatalf("%d statuses, want 12", len(ss))
	}
	for i, s := range ss {
		if s.FHIRCode() != fhir[i] {
			t.Errorf("FHIRCode(%v) = %q, want %q", s, s.FHIRCode(), fhir[i])
		}
		got, err := ParseFHIRStatus(fhir[i])
		if err != nil || got != s {
			t.Errorf("ParseFHIRStatus(%q) = %v, %v", fhir[i], got, err)
		}
		b, err := s.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Status
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("text round trip of %v: %v %v", s, back, err)
		}
	}
	if _, err := ParseFHIRStatus("in_progress"); !errors.Is(err, ErrUnknownCode) {
		t.Errorf("snake code accepted as FHIR code: %v", err)
	}
	if StatusUnknown.IsValid() || StatusUnknown.FHIRCode() != "" {
		t.Error("StatusUnknown is valid")
	}
	if _, err := StatusUnknown.MarshalText(); !errors.Is(err, ErrUnknownCode) {
		t.Errorf("StatusUnknown marshalled: %v", err)
	}
	if got := Status(99).String(); got != "Status(99)" {
		t.Errorf("String of undeclared = %q", got)
	}
}

func TestEnumsRoundTrip(t *testing.T) {
	type textEnum interface {
		MarshalText() ([]byte, error)
		String() string
		IsValid() bool
	}
	check := func(name string, vals []textEnum, decode func([]byte) (textEnum, error)) {
		for _, v := range vals {
			if !v.IsValid() {
				t.Errorf("%s %v not valid", name, v)
			}
			b, err := v.MarshalText()
			if err != nil || string(b) != v.String() {
				t.Errorf("%s %v: %q %v", name, v, b, err)
			}
			back, err := decode(b)
			if err != nil || back != v {
				t.Errorf("%s round trip %v: %v %v", name, v, back, err)
			}
		}
		if _, err := decode([]byte("no_such_code")); !errors.Is(err, ErrUnknownCode) {
			t.Errorf("%s accepted an unknown code: %v", name, err)
		}
		if _, err := decode([]byte("unknown")); !errors.Is(err, ErrUnknownCode) {
			t.Errorf("%s accepted the unknown code: %v", name, err)
		}
	}
	var kinds []textEnum
	for _, k := range PartnerKinds() {
		kinds = append(kinds, k)
	}
	if len(kinds) != 15 {
		t.Errorf("%d partner kinds, want the 15 of the issue", len(kinds))
	}
	check("PartnerKind", kinds, func(b []byte) (textEnum, error) { var v PartnerKind; err := v.UnmarshalText(b); return v, err })
	check("Subject", []textEnum{SubjectWoman, SubjectInfant, SubjectCaregiver}, func(b []byte) (textEnum, error) { var v Subject; err := v.UnmarshalText(b); return v, err })
	check("SUDContent", []textEnum{SUDNone, SUDCarries}, func(b []byte) (textEnum, error) { var v SUDContent; err := v.UnmarshalText(b); return v, err })
	check("EventKind", []textEnum{EventCreated, EventTransitioned, EventConsentRecorded, EventConsentRevoked, EventDueAdded}, func(b []byte) (textEnum, error) { var v EventKind; err := v.UnmarshalText(b); return v, err })
	check("Rule", []textEnum{RuleInterimPrenatal, RuleEarlyIntervention, RulePlanOfSafeCare, RulePartnerAck, RuleProgram}, func(b []byte) (textEnum, error) { var v Rule; err := v.UnmarshalText(b); return v, err })
	check("Milestone", []textEnum{MilestoneSent, MilestoneAcknowledged, MilestoneAccepted, MilestoneCompleted}, func(b []byte) (textEnum, error) { var v Milestone; err := v.UnmarshalText(b); return v, err })
	check("DeadlineStatus", []textEnum{DeadlineOpen, DeadlineOverdue, DeadlineMet, DeadlineMetLate, DeadlineMissed}, func(b []byte) (textEnum, error) { var v DeadlineStatus; err := v.UnmarshalText(b); return v, err })
	if PartnerKindUnknown.IsValid() || SubjectUnknown.IsValid() || SUDUnknown.IsValid() || EventUnknown.IsValid() ||
		RuleUnknown.IsValid() || MilestoneUnknown.IsValid() || DeadlineUnknown.IsValid() {
		t.Error("a zero enum is valid")
	}
	if !SUDUnknown.Gated() || !SUDCarries.Gated() || SUDNone.Gated() {
		t.Error("Gated: only SUDNone is ungated")
	}
}
