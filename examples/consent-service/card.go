package main

import (
	"slices"
	"strings"

	"github.com/dyad-health/dyad/consent"
	"github.com/dyad-health/dyad/consent/fhir"
)

// card is a CDS Hooks card in the shape the LEAP service answers the consult with:
// summary is the decision, and extension holds decision, obligations and basedOn, with
// this service's reasons beside them.
type card struct {
	Summary   string  `json:"summary"`
	Detail    string  `json:"detail"`
	Indicator string  `json:"indicator"`
	Source    source  `json:"source"`
	Extension cardExt `json:"extension"`
}

type source struct {
	Label string `json:"label"`
	URL   string `json:"url"`
}

type cardExt struct {
	Decision    fhir.Answer  `json:"decision"`
	Obligations []obligation `json:"obligations"`
	BasedOn     string       `json:"basedOn,omitempty"`
	Reasons     []reason     `json:"reasons"`
}

// obligation is what the discloser must do, in the LEAP service's shape: an id coding and
// parameters.
type obligation struct {
	ID         systemCode  `json:"id"`
	Parameters *parameters `json:"parameters,omitempty"`
}

type parameters struct {
	Codes []systemCode `json:"codes"`
}

// reason is one reason of the decision: a stable code, its citation and a sentence (the
// engine's sentences name codes and consent ids, never a patient's text).
type reason struct {
	Code    string `json:"code"`
	Cite    string `json:"cite,omitempty"`
	Message string `json:"message"`
	Consent string `json:"consent,omitempty"`
}

// maxDetail bounds a card's detail.
const maxDetail = 2000

func (s *service) card(e *fhir.Engine, res fhir.ConsultResult) card {
	c := card{
		Summary: string(res.Answer),
		Source:  source{Label: s.cfg.sourceLabel, URL: s.cfg.sourceURL},
		Extension: cardExt{
			Decision:    res.Answer,
			Obligations: []obligation{},
			Reasons:     []reason{},
		},
	}
	if len(res.BasedOn) > 0 {
		c.Extension.BasedOn = "Consent/" + res.BasedOn[0]
	}
	for _, r := range res.Decision.Reasons() {
		c.Extension.Reasons = append(c.Extension.Reasons, reason{Code: string(r.Code), Cite: r.Cite, Message: r.Message, Consent: e.Resource(r.Consent)})
	}
	switch res.Answer {
	case fhir.AnswerPermit:
		c.Indicator = "info"
		for _, o := range res.Decision.Obligations() {
			oc := fhir.ObligationCoding(o.Code)
			c.Extension.Obligations = append(c.Extension.Obligations, obligation{ID: systemCode{oc.System, oc.Code}})
		}
		labels := obligation{ID: systemCode{fhir.SystemObligation, fhir.ObligationLabels}, Parameters: &parameters{}}
		for _, l := range res.Labels {
			labels.Parameters.Codes = append(labels.Parameters.Codes, systemCode{l.System, l.Code})
		}
		c.Extension.Obligations = append(c.Extension.Obligations, labels)
		c.Detail = "Permitted under " + strings.Join(refs(res.BasedOn), ", ") + " (42 CFR 2.33); the disclosure carries the obligations listed."
	case fhir.AnswerNoConsent:
		c.Indicator = "warning"
		c.Detail = "No consent of the patient's is on file; nothing permits this disclosure under 42 CFR Part 2."
	default:
		c.Indicator = "critical"
		c.Detail = denyDetail(e, res.Decision)
	}
	if len(c.Detail) > maxDetail {
		c.Detail = c.Detail[:maxDetail-3] + "..."
	}
	return c
}

func refs(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = "Consent/" + id
	}
	return out
}

// deficiencyWords names the 2.31(a) elements a consent lacks, for a card's detail.
var deficiencyWords = map[string]string{
	string(consent.CodeMissingPatient):      "no patient",
	string(consent.CodeMissingDiscloser):    "no discloser named",
	string(consent.CodeMissingInformation):  "no kind of information",
	string(consent.CodeMissingDescription):  "no description of the information",
	string(consent.CodeMissingRecipient):    "no recipient named",
	string(consent.CodeMissingPurpose):      "no purpose",
	string(consent.CodeMissingRevocation):   "no statement of the right to revoke",
	string(consent.CodeMissingExpiration):   "no expiration",
	string(consent.CodeExpiresBeforeSigned): "an expiration before the signing",
	string(consent.CodeUnknownSigner):       "no signature",
	string(consent.CodeMissingSignedDate):   "no date signed",
	string(consent.CodeMissingRedisclosure): "no statement on redisclosure",
	string(consent.CodeMissingRefusal):      "no statement of the consequences of refusing",
}

// denyDetail says why in words a vendor can act on: which consent lacks which 2.31(a)
// elements, which consent refuses or excludes, which could not be read.
func denyDetail(e *fhir.Engine, d consent.Decision) string {
	var parts []string
	add := func(s string) {
		if !slices.Contains(parts, s) {
			parts = append(parts, s)
		}
	}
	for _, r := range d.Reasons() {
		res := e.Resource(r.Consent)
		switch r.Code {
		case consent.CodeConsentDeficient:
			var ws []string
			for _, f := range e.Findings(res) {
				if f.Effect != fhir.EffectDeficient {
					continue
				}
				w, ok := deficiencyWords[string(f.Code)]
				if !ok {
					w = string(f.Code)
				}
				w += " (" + f.Cite + ")"
				if !slices.Contains(ws, w) {
					ws = append(ws, w)
				}
			}
			add("Consent/" + res + " is not a valid Part 2 consent: " + strings.Join(ws, ", "))
		case fhir.CodeConsentGrantsNothing:
			add("Consent/" + res + " grants nothing as read (see its findings)")
		case fhir.CodeLaterRefusal, fhir.CodePatientRefused:
			add("Consent/" + res + " refuses this disclosure")
		case consent.CodeRecipientExcluded, fhir.CodeActorExcluded:
			add("Consent/" + res + " excludes the actor")
		case fhir.CodeUnmappableConsent:
			add("a consent on file for the patient could not be read; denied on doubt")
		}
	}
	if len(parts) == 0 {
		var codes []string
		for _, r := range d.Reasons() {
			if !slices.Contains(codes, string(r.Code)) {
				codes = append(codes, string(r.Code))
			}
		}
		return "Denied: no consent of the patient's permits this disclosure (" + strings.Join(codes, ", ") + ")."
	}
	return "Denied: " + strings.Join(parts, "; ") + "."
}
