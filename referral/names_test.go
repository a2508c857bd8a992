package referral

import "testing"

// The former name keeps compiling for one release, with the same values and codes.
func TestDeadlineStateAlias(t *testing.T) {
	var old DeadlineState = DeadlineOverdue
	var now DeadlineStatus = old
	if now != DeadlineOverdue || old.String() != "overdue" {
		t.Errorf("alias: %v, %v", now, old)
	}
	var d Deadline
	d.State = old // the field takes either name
	if d.State.String() != "overdue" {
		t.Errorf("field: %v", d.State)
	}
}
