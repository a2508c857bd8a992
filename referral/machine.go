package referral

// The referral state machine: the statuses of the FHIR R4 Task workflow and only these
// transitions (from → to):
//
//	draft        → requested, cancelled
//	requested    → received, accepted, rejected, cancelled
//	received     → accepted, rejected, cancelled
//	accepted     → in_progress, failed, cancelled
//	in_progress  → on_hold, completed, failed, cancelled
//	on_hold      → in_progress, failed, cancelled
//	any status but entered_in_error → entered_in_error
//
// rejected, cancelled, failed and completed are terminal except for entered_in_error, which
// is terminal outright. ready is a FHIR status used "in place of requested / received /
// accepted / rejected when request assignment and acceptance is a given"; a referral to a
// community partner always seeks acceptance, so no referral enters ready (its row is
// empty). rejected is a decision "prior to performing any action", so it leaves only
// requested and received; on-hold means "started but paused", so it is entered only from
// in-progress and resumes to in-progress; failed means "attempted but could not be
// completed", so it needs at least an acceptance.
var legal = func() (t [numStatuses]uint16) {
	allow := func(from Status, to ...Status) {
		for _, s := range to {
			t[from] |= 1 << s
		}
	}
	allow(StatusDraft, StatusRequested, StatusCancelled)
	allow(StatusRequested, StatusReceived, StatusAccepted, StatusRejected, StatusCancelled)
	allow(StatusReceived, StatusAccepted, StatusRejected, StatusCancelled)
	allow(StatusAccepted, StatusInProgress, StatusFailed, StatusCancelled)
	allow(StatusInProgress, StatusOnHold, StatusCompleted, StatusFailed, StatusCancelled)
	allow(StatusOnHold, StatusInProgress, StatusFailed, StatusCancelled)
	for s := StatusDraft; s < numStatuses; s++ {
		if s != StatusEnteredInError {
			allow(s, StatusEnteredInError)
		}
	}
	return t
}()

// CanTransition reports whether the state machine allows a referral in status from to move
// to status to. Unknown and undeclared statuses allow nothing.
func CanTransition(from, to Status) bool {
	if !from.IsValid() || !to.IsValid() {
		return false
	}
	return legal[from]&(1<<to) != 0
}

// Next returns the statuses a referral in status from may move to, in code order.
func Next(from Status) []Status {
	var out []Status
	for _, to := range Statuses() {
		if CanTransition(from, to) {
			out = append(out, to)
		}
	}
	return out
}

// reaches reports whether entering status s reaches milestone m.
func reaches(s Status, m Milestone) bool {
	switch m {
	case MilestoneSent:
		return s == StatusRequested
	case MilestoneAcknowledged:
		return s == StatusReceived || s == StatusAccepted || s == StatusRejected
	case MilestoneAccepted:
		return s == StatusAccepted
	case MilestoneCompleted:
		return s == StatusCompleted
	}
	return false
}
