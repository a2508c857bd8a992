package referral

// DeadlineState is the former name of DeadlineStatus.
//
// Deprecated: use DeadlineStatus; "State" in this library means a State government (as in
// the State's practice guidance and the program's referral to the State). The alias will be
// removed in the release after next.
type DeadlineState = DeadlineStatus
