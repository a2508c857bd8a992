package perinatal

// Substance is a class of substance a woman uses or an infant was exposed to before birth.
// The zero value is SubstanceUnknown.
type Substance uint8

// The substance classes.
const (
	SubstanceUnknown    Substance = iota
	SubstanceOpioids              // heroin, fentanyl, prescription opioids, methadone, buprenorphine
	SubstanceAlcohol              // alcohol
	SubstanceStimulants           // cocaine, methamphetamine and other stimulants
	SubstanceCannabis             // cannabis
	SubstanceSedatives            // benzodiazepines and other sedatives or hypnotics
	SubstanceTobacco              // tobacco and nicotine
	SubstanceOther                // any other substance
)

var substanceNames = []string{"unknown", "opioids", "alcohol", "stimulants", "cannabis", "sedatives", "tobacco_nicotine", "other"}

// String returns the substance's stable code, e.g. "tobacco_nicotine".
func (s Substance) String() string { return enumString("Substance", uint8(s), substanceNames) }

// IsValid reports whether s is a declared substance other than SubstanceUnknown.
func (s Substance) IsValid() bool { return enumValid(uint8(s), substanceNames) }

// IsDrug reports whether s is a drug in the sense of ICD-10-CM O99.32- ("drug use"), which
// codes alcohol (O99.31-) and tobacco (O99.33-) apart.
func (s Substance) IsDrug() bool {
	return s.IsValid() && s != SubstanceAlcohol && s != SubstanceTobacco
}

// MarshalText encodes the substance as its stable code.
func (s Substance) MarshalText() ([]byte, error) {
	return enumMarshal("substance", uint8(s), substanceNames)
}

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (s *Substance) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("substance", b, substanceNames)
	*s = Substance(v)
	return err
}

// Route is how a substance is taken, as far as priority rules care: by injection or not
// (45 CFR 96.126 concerns people who inject drugs). The zero value is RouteUnknown.
type Route uint8

// The routes.
const (
	RouteUnknown      Route = iota
	RouteInjection          // injected
	RouteNonInjection       // smoked, snorted, swallowed or otherwise not injected
)

var routeNames = []string{"unknown", "injection", "non_injection"}

// String returns the route's stable code, e.g. "injection".
func (r Route) String() string { return enumString("Route", uint8(r), routeNames) }

// IsValid reports whether r is a declared route other than RouteUnknown.
func (r Route) IsValid() bool { return enumValid(uint8(r), routeNames) }

// MarshalText encodes the route as its stable code.
func (r Route) MarshalText() ([]byte, error) { return enumMarshal("route", uint8(r), routeNames) }

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (r *Route) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("route", b, routeNames)
	*r = Route(v)
	return err
}

// MOUD is a medication for opioid use disorder. Methadone and buprenorphine are the
// recommended treatment in pregnancy; withdrawal-based approaches are not. The zero value
// is MOUDUnknown; MOUDNone records that she takes none.
type MOUD uint8

// The medications.
const (
	MOUDUnknown       MOUD = iota
	MOUDNone               // no medication for opioid use disorder
	MOUDMethadone          // methadone
	MOUDBuprenorphine      // buprenorphine, alone or with naloxone
	MOUDNaltrexone         // naltrexone
)

var moudNames = []string{"unknown", "none", "methadone", "buprenorphine", "naltrexone"}

// String returns the medication's stable code, e.g. "buprenorphine".
func (m MOUD) String() string { return enumString("MOUD", uint8(m), moudNames) }

// IsValid reports whether m is a declared value other than MOUDUnknown.
func (m MOUD) IsValid() bool { return enumValid(uint8(m), moudNames) }

// IsMedication reports whether m is an actual medication (not unknown, not none).
func (m MOUD) IsMedication() bool { return m.IsValid() && m != MOUDNone }

// MarshalText encodes the medication as its stable code.
func (m MOUD) MarshalText() ([]byte, error) { return enumMarshal("moud", uint8(m), moudNames) }

// UnmarshalText decodes a stable code; an unknown code wraps ErrUnknownCode.
func (m *MOUD) UnmarshalText(b []byte) error {
	v, err := enumUnmarshal("moud", b, moudNames)
	*m = MOUD(v)
	return err
}

// SubstanceUse is one substance a woman uses and how.
type SubstanceUse struct {
	Substance Substance `json:"substance"`
	Route     Route     `json:"route"`
}

// SubstanceUseHistory is what is known of a woman's substance use and treatment.
type SubstanceUseHistory struct {
	Uses []SubstanceUse `json:"uses,omitempty"`
	MOUD MOUD           `json:"moud"`
}

// InjectsDrugs reports whether any recorded use is by injection.
func (h SubstanceUseHistory) InjectsDrugs() bool {
	for _, u := range h.Uses {
		if u.Route == RouteInjection {
			return true
		}
	}
	return false
}

// UsesSubstance reports whether the history records use of s.
func (h SubstanceUseHistory) UsesSubstance(s Substance) bool {
	for _, u := range h.Uses {
		if u.Substance == s {
			return true
		}
	}
	return false
}

// Validate lists every problem: a use of an unknown substance or with an unknown route
// (an unknown route is reported as "route_unknown": priority rules need to know whether
// she injects), a substance listed twice, or a medication code out of range. A medication
// without current opioid use is not a problem: she may be in remission on maintenance.
func (h SubstanceUseHistory) Validate() error {
	ps := problems{what: "substance use history"}
	var seen uint32 // bit s set once substance s is listed
	for i, u := range h.Uses {
		f := "uses[" + itoa(i) + "]"
		switch {
		case !u.Substance.IsValid():
			ps.add("unknown_substance", f+".substance", "", "A substance use has no known substance.")
		case seen&(1<<u.Substance) != 0:
			ps.add("duplicate_substance", f+".substance", "", "The same substance is listed more than once.")
		default:
			seen |= 1 << u.Substance
		}
		if !u.Route.IsValid() {
			ps.add("route_unknown", f+".route", "45 CFR 96.126", "Whether the substance is injected is not recorded.")
		}
	}
	if int(h.MOUD) >= len(moudNames) {
		ps.add("unknown_moud", "moud", "", "The medication for opioid use disorder is not a known code.")
	}
	return ps.err()
}
