package perinatal

import (
	"errors"
	"testing"
	"time"
)

func TestPregnancyOutcome(t *testing.T) {
	for i, code := range []string{"unknown", "live_birth", "stillbirth", "pregnancy_loss"} {
		o := PregnancyOutcome(i)
		if o.String() != code || o.IsValid() != (i != 0) {
			t.Errorf("%d: %s valid %v", i, o, o.IsValid())
		}
		b, err := o.MarshalText()
		if err != nil || string(b) != code {
			t.Errorf("%d: %s %v", i, b, err)
		}
		var back PregnancyOutcome
		if err := back.UnmarshalText([]byte(code)); err != nil || back != o {
			t.Errorf("%s: %v %v", code, back, err)
		}
	}
	var o PregnancyOutcome
	if err := o.UnmarshalText([]byte("miscarriage")); !errors.Is(err, ErrUnknownCode) {
		t.Errorf("unknown code: %v", err)
	}
	if _, err := PregnancyOutcome(9).MarshalText(); err == nil {
		t.Error("marshalled an invalid outcome")
	}
}

// TestPregnancyOutcomeValidate: an outcome needs the moment the pregnancy ended; a loss ends
// the pregnancy like a birth (the status after it is postpartum, as State laws count the
// postpartum period from "the end of the pregnancy").
func TestPregnancyOutcomeValidate(t *testing.T) {
	lmp := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	end := lmp.AddDate(0, 0, 70) // 10w0d
	loss := Pregnancy{LMP: lmp, DeliveredAt: end, Outcome: OutcomePregnancyLoss}
	if err := loss.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := loss.StatusAt(DefaultPostpartumWindow(), end.Add(time.Hour)); got != StatusPostpartum {
		t.Errorf("after a loss: %s, want postpartum", got)
	}
	var ve *ValidationError
	err := Pregnancy{LMP: lmp, Outcome: OutcomeLiveBirth}.Validate()
	if !errors.As(err, &ve) || ve.Codes()[0] != "outcome_without_end" {
		t.Errorf("outcome without an end: %v", err)
	}
	err = Pregnancy{LMP: lmp, DeliveredAt: end, Outcome: PregnancyOutcome(7)}.Validate()
	if !errors.As(err, &ve) || ve.Codes()[0] != "unknown_outcome" {
		t.Errorf("unknown outcome: %v", err)
	}
	// ValidateEnd checks an undated pregnancy's end alone.
	if err := (Pregnancy{DeliveredAt: end, Outcome: OutcomeStillbirth}).ValidateEnd(); err != nil {
		t.Error(err)
	}
	if err := (Pregnancy{Outcome: OutcomeStillbirth}).ValidateEnd(); err == nil {
		t.Error("an outcome without an end passed ValidateEnd")
	}
}
