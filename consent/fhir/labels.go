package fhir

import "github.com/dyad-health/dyad/consent"

// Labels returns the security labels that the data of a permitted disclosure must carry,
// as Coding values ready for meta.security, in this order:
//
//   - v3 Confidentiality R (restricted): highly sensitive, potentially stigmatizing
//     information;
//   - v3 ActCode SUD (substance use disorder information sensitivity), and ETH (substance
//     abuse information sensitivity), the older code many receivers still read;
//   - v3 ActCode 42CFRPart2: the privacy law that governs the records;
//   - v3 ActCode NORDSCLCD (no redisclosure without consent directive): the refrain that
//     the notice of 42 CFR 2.32 states in words.
//
// A deny returns nil: nothing is disclosed, so nothing is labelled. Each call returns a new
// slice the caller may keep.
func Labels(d consent.Decision) []Coding {
	if !d.Permit {
		return nil
	}
	return []Coding{
		{System: SystemConfidentiality, Code: ConfidentialityRestricted, Display: "restricted"},
		{System: SystemActCode, Code: SensitivitySUD, Display: "substance use disorder information sensitivity"},
		{System: SystemActCode, Code: SensitivityETH, Display: "substance abuse information sensitivity"},
		{System: SystemActCode, Code: Law42CFRPart2, Display: "42 CFR Part2"},
		{System: SystemActCode, Code: RefrainNORDSCLCD, Display: "no redisclosure without consent directive"},
	}
}

// AddSecurityLabels adds to meta.security each label it does not already hold (same system
// and code), keeping the labels already there.
func AddSecurityLabels(meta *Meta, labels []Coding) {
	for _, l := range labels {
		found := false
		for _, s := range meta.Security {
			if s.System == l.System && s.Code == l.Code {
				found = true
				break
			}
		}
		if !found {
			meta.Security = append(meta.Security, l)
		}
	}
}
