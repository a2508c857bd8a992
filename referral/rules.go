package referral

import (
	"time"

	"github.com/dyad-health/dyad/perinatal"
	"github.com/dyad-health/dyad/priority"
)

// DueInterimPrenatal returns the due time of the prenatal-care referral owed, as an
// element of interim services, to an applicant waiting for a bed under the compiled policy,
// and whether it is owed at the given moment: the referral must be sent by
// priority's interim-services due time, 48 hours after she sought treatment
// (45 CFR 96.131(d), 96.121). Nothing is owed to someone the policy owes no prenatal-care
// referral (for example a man who injects drugs).
func DueInterimPrenatal(c *priority.Compiled, a priority.Applicant, at time.Time) (Due, bool) {
	if c == nil || !c.InterimElements(a, at).Has(priority.ElementPrenatalCareReferral) {
		return Due{}, false
	}
	return Due{Rule: RuleInterimPrenatal, Milestone: MilestoneSent, At: c.InterimDue(a),
		Cite: CiteInterimPrenatal, Source: a.ID}, true
}

// DuePlanOfSafeCare returns the due time of the referral a Plan of Safe Care lists as its
// service serviceID (CAPTA, 42 U.S.C. 5106a(b)(2)(B)(iii)): sent by the plan's next
// monitoring review, or, when the plan sets none, IntervalDays×24 hours after the plan was
// made. A service the plan does not hold, one that is not a referral, a plan with neither
// a next review nor an interval, or one whose interval is longer than
// perinatal.MaxMonitoringIntervalDays is a *ValidationError listing every problem. The
// due's source is "<infant>/<service>".
func DuePlanOfSafeCare(plan perinatal.PlanOfSafeCare, serviceID string) (Due, error) {
	ps := problems{what: "plan of safe care referral"}
	var svc *perinatal.Service
	for i := range plan.Services {
		if plan.Services[i].ID == serviceID {
			svc = &plan.Services[i]
			break
		}
	}
	if svc == nil {
		ps.add("plan_service_unknown", "service", perinatal.CiteCAPTAPlan, "The plan holds no service with this identifier.")
	} else if !svc.Referral {
		ps.add("plan_service_not_referral", "service", perinatal.CiteCAPTAPlan, "The plan's service is not a referral.")
	}
	at := plan.Monitoring.NextReview
	days := plan.Monitoring.IntervalDays
	tooLong := at.IsZero() && days > perinatal.MaxMonitoringIntervalDays
	switch {
	case tooLong:
		// days×24 h would overflow a time.Duration (beyond 106,751 days) or reach past
		// any time a referral may carry.
		ps.add("plan_interval_too_long", "monitoring", perinatal.CiteCAPTAPlanMonitoring,
			"The plan's review interval is longer than perinatal.MaxMonitoringIntervalDays.")
	case at.IsZero() && days > 0 && !plan.CreatedAt.IsZero():
		at = plan.CreatedAt.Add(time.Duration(days) * 24 * time.Hour)
	}
	if at.IsZero() && !tooLong {
		ps.add("plan_timing_missing", "monitoring", perinatal.CiteCAPTAPlanMonitoring,
			"The plan has neither a next review nor a review interval with a creation time.")
	}
	src := plan.InfantID + "/" + serviceID
	if !isID(src) {
		ps.add(ProblemIdentifierInvalid, "source", "", "The plan's infant and service identifiers do not make an identifier.")
	}
	if err := ps.err(); err != nil {
		return Due{}, err
	}
	return Due{Rule: RulePlanOfSafeCare, Milestone: MilestoneSent, At: at, Cite: perinatal.CiteCAPTAPlan, Source: src}, nil
}

// PartnerKindFor suggests the partner kind for a Plan of Safe Care party role, and whether
// there is one: early_intervention, home_visiting, child_welfare and recovery_support map to
// their partner kinds; other roles have none.
func PartnerKindFor(role perinatal.PartyRole) (PartnerKind, bool) {
	switch role {
	case perinatal.RoleEarlyIntervention:
		return PartnerEarlyIntervention, true
	case perinatal.RoleHomeVisiting:
		return PartnerHomeVisiting, true
	case perinatal.RoleChildWelfare:
		return PartnerChildWelfare, true
	case perinatal.RoleRecoverySupport:
		return PartnerRecoverySupportCenter, true
	}
	return PartnerKindUnknown, false
}
