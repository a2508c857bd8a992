package consent

// Covers reports whether the general designation covers a party of kind k receiving for
// purpose p (PurposeUnknown: for some purpose), as the engine reads the classes of persons of
// 42 CFR 2.31(a)(4)(i) (see the package documentation): "my treating providers" covers a
// part2_program, covered_entity or medical_personnel for any purpose; "health plans" a
// covered_entity, and "third-party payers" a covered_entity or lawful_holder, for payment or
// operations; "people helping to operate this program" a business_associate, qso or
// contractor for payment or operations. An unknown designation covers no one.
//
// It lets code outside the engine (consent/fhir's reading of a patient's later refusals)
// apply the same reading of a designation as the engine, rather than a second coding of it.
func (d Designation) Covers(k RecipientKind, p Purpose) bool { return designationCovers(d, k, p) }
