package consent

import (
	"encoding"
	"encoding/json"
	"strings"
	"testing"
)

type enum interface {
	encoding.TextMarshaler
	String() string
	IsValid() bool
}

// Every enum: the zero value is unknown, every known code round-trips, and an unknown code
// decodes to the zero value without error.
func TestEnums(t *testing.T) {
	type tc struct {
		name  string
		zero  enum
		codes []string
		parse func(string) (enum, bool)
		dec   func([]byte) (enum, error)
	}
	mk := func(name string, zero enum, codes []string, parse func(string) (enum, bool), dec func([]byte) (enum, error)) tc {
		return tc{name, zero, codes, parse, dec}
	}
	tests := []tc{
		mk("Kind", KindUnknown, []string{"general", "tpo", "counseling_notes", "proceedings", "research"},
			func(s string) (enum, bool) { v, ok := ParseKind(s); return v, ok },
			func(b []byte) (enum, error) { var v Kind; err := v.UnmarshalText(b); return v, err }),
		mk("Purpose", PurposeUnknown, []string{"treatment", "payment", "operations", "patient_request", "emergency_treatment", "research", "audit", "public_health", "proceedings", "child_abuse_report", "crime_on_premises", "qso_service"},
			func(s string) (enum, bool) { v, ok := ParsePurpose(s); return v, ok },
			func(b []byte) (enum, error) { var v Purpose; err := v.UnmarshalText(b); return v, err }),
		mk("InfoKind", InfoKindUnknown, []string{"sud_records", "counseling_notes", "patient_identity"},
			func(s string) (enum, bool) { v, ok := ParseInfoKind(s); return v, ok },
			func(b []byte) (enum, error) { var v InfoKind; err := v.UnmarshalText(b); return v, err }),
		mk("RecipientKind", RecipientKindUnknown, []string{"part2_program", "covered_entity", "business_associate", "qso", "lawful_holder", "medical_personnel", "law_enforcement", "child_protective_services", "researcher", "auditor", "public_health_authority", "court", "same_program", "intermediary", "contractor"},
			func(s string) (enum, bool) { v, ok := ParseRecipientKind(s); return v, ok },
			func(b []byte) (enum, error) { var v RecipientKind; err := v.UnmarshalText(b); return v, err }),
		mk("Designation", DesignationUnknown, []string{"treating_providers", "health_plans", "third_party_payers", "program_operations"},
			func(s string) (enum, bool) { v, ok := ParseDesignation(s); return v, ok },
			func(b []byte) (enum, error) { var v Designation; err := v.UnmarshalText(b); return v, err }),
		mk("Signer", SignerUnknown, []string{"patient", "guardian", "personal_representative"},
			func(s string) (enum, bool) { v, ok := ParseSigner(s); return v, ok },
			func(b []byte) (enum, error) { var v Signer; err := v.UnmarshalText(b); return v, err }),
		mk("ObligationCode", ObligationCodeUnknown, []string{"notice_2_32", "record_disclosure", "document_emergency", "limit_to_need"},
			func(s string) (enum, bool) { v, ok := ParseObligationCode(s); return v, ok },
			func(b []byte) (enum, error) { var v ObligationCode; err := v.UnmarshalText(b); return v, err }),
		mk("BasisKind", BasisKindUnknown, []string{"consent", "exception", "redisclosure"},
			func(s string) (enum, bool) { v, ok := ParseBasisKind(s); return v, ok },
			func(b []byte) (enum, error) { var v BasisKind; err := v.UnmarshalText(b); return v, err }),
		mk("Severity", SeverityUnknown, []string{"error", "warning"},
			func(s string) (enum, bool) { v, ok := ParseSeverity(s); return v, ok },
			func(b []byte) (enum, error) { var v Severity; err := v.UnmarshalText(b); return v, err }),
		mk("Status", StatusUnknown, []string{"in_force", "not_yet_signed", "deficient", "expired", "revoked", "known_false"},
			func(s string) (enum, bool) { v, ok := ParseStatus(s); return v, ok },
			func(b []byte) (enum, error) { var v Status; err := v.UnmarshalText(b); return v, err }),
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.zero.IsValid() || tt.zero.String() != "unknown" {
				t.Errorf("zero value: valid=%v string=%q", tt.zero.IsValid(), tt.zero.String())
			}
			for _, code := range tt.codes {
				v, ok := tt.parse(code)
				if !ok || !v.IsValid() || v.String() != code {
					t.Errorf("Parse(%q) = %v, %v", code, v, ok)
				}
				b, err := v.MarshalText()
				if err != nil || string(b) != code {
					t.Errorf("MarshalText(%q) = %q, %v", code, b, err)
				}
				d, err := tt.dec([]byte(code))
				if err != nil || d.String() != code {
					t.Errorf("UnmarshalText(%q) = %v, %v", code, d, err)
				}
			}
			for _, bad := range []string{"", "unknown", "Treatment", "no_such_code"} {
				d, err := tt.dec([]byte(bad))
				if err != nil || d.IsValid() {
					t.Errorf("UnmarshalText(%q) = %v, %v; want unknown, nil", bad, d, err)
				}
				if _, ok := tt.parse(bad); ok {
					t.Errorf("Parse(%q) reported known", bad)
				}
			}
		})
	}
	if Purpose(200).String() != "unknown" || Purpose(200).IsValid() {
		t.Error("out-of-range purpose")
	}
}

func TestServiceText(t *testing.T) {
	var s Service
	if err := json.Unmarshal([]byte(`"prenatal care at the clinic next door to the program"`), &s); err != nil {
		t.Fatal(err)
	}
	if s.IsValid() {
		t.Error("free-text service reported as a 2.11 category")
	}
	if got, want := s.String(), `"prenatal care at the clinic next"`; got != want {
		t.Errorf("String() = %s, want %s (truncated to 32 bytes)", got, want)
	}
	b, _ := json.Marshal(s)
	if string(b) != `"prenatal care at the clinic next door to the program"` {
		t.Errorf("free text does not round-trip: %s", b)
	}
	if !ServiceLaboratoryAnalyses.IsValid() || ServiceLaboratoryAnalyses.String() != "laboratory_analyses" {
		t.Error("category service")
	}
	if ServiceUnknown.String() != "unknown" || ServiceUnknown.IsValid() {
		t.Error("zero service")
	}
}

// A consent decodes from and encodes back to the corpus form without losing anything.
func TestConsentJSONRoundTrip(t *testing.T) {
	in := tpoConsent()
	in.Recipients = append(in.Recipients, Recipient{ID: id("hie-1"), Intermediary: true, Members: ids("ob-clinic")})
	in.RevokedAt = at("2026-05-01T00:00:00Z")
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out Consent
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(out)
	if string(b) != string(b2) {
		t.Errorf("round trip differs:\n%s\n%s", b, b2)
	}
}

// knownServices (the strings a kept request's service may be interned to) are exactly the
// services IsValid accepts: each of them, and none of the near misses.
func TestKnownServicesAreTheValidOnes(t *testing.T) {
	seen := map[Service]bool{}
	for _, s := range knownServices {
		if !s.IsValid() || seen[s] {
			t.Errorf("%q: valid %v, listed twice %v", s, s.IsValid(), seen[s])
		}
		seen[s] = true
		for _, near := range []Service{s + " ", Service(strings.ToUpper(string(s))), s[1:], "x" + s} {
			if near.IsValid() {
				t.Errorf("%q is valid", near)
			}
		}
	}
	// The constants of qsoa.go, other than ServiceUnknown: ten categories (42 CFR 2.11).
	if len(seen) != 10 || ServiceUnknown.IsValid() {
		t.Errorf("%d known services, want 10; unknown valid: %v", len(seen), ServiceUnknown.IsValid())
	}
}
