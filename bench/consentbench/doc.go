// Package consentbench compares dyad's consent decision engine with the general policy
// engine a data-sharing vendor would otherwise pick, Cedar (github.com/cedar-policy/cedar-go),
// on the same six consent rules and the same generated requests.
//
// The six rules, written once as Cedar policies (policies/consent.cedar, schema in
// policies/consent.cedarschema) and once as dyad consent values:
//
//  1. a single TPO consent with its general designations (42 CFR 2.31(a)(4)(i), 2.33);
//  2. a general consent naming its recipient (42 CFR 2.31(a)(4));
//  3. an expired consent does not count (42 CFR 2.31(c));
//  4. a revoked consent does not count from the moment of revocation (42 CFR 2.31(c));
//  5. SUD counseling notes are never released under a consent for other records
//     (42 CFR 2.31(b));
//  6. the medical emergency exception: disclosure to medical personnel to meet a bona fide
//     medical emergency without consent (42 CFR 2.51).
//
// Generate makes a deterministic, seeded set of patients, consents and requests in a neutral
// form ([Set], [Consent], [Request]): what an application holds in its own types. Each engine
// is built from the consents once, outside any timing (NewDyadEngine, NewCedarEngine). What
// an application must then do per request is one method per side, each in a file of its
// own: DyadEngine.Decide (adapter_dyad.go) builds the consent.Request and decides;
// CedarEngine.Decide (adapter_cedar.go) builds Cedar's request and asks Cedar once per
// consent on file, then once for the exceptions. The agreement test checks that both give the
// same decision on every request through those very methods; BenchmarkDecideWorkload times
// them.
//
// # References
//
//   - 42 CFR part 2, Confidentiality of Substance Use Disorder Patient Records, as amended by
//     the final rule of 2024-02-16 (89 FR 12472).
//   - Cedar policy language, https://docs.cedarpolicy.com, as implemented by cedar-go v1.9.0.
package consentbench
