package consent

// Covers reports whether the general designation covers a party of kind k receiving for
// purpose p (PurposeUnknown: for some purpose), as the engine reads the classes of persons of
// 42 CFR 2.31(a)(4)(i) (see the package documentation), taking a treating provider
// relationship as established: "my treating providers" covers a part2_program,
// covered_entity or medical_personnel for any purpose; "health plans" a covered_entity, and
// "third-party payers" a covered_entity or lawful_holder, for payment or operations; "people
// helping to operate this program" a business_associate, qso or contractor for payment or
// operations. An unknown designation covers no one.
//
// Taking the relationship as established makes Covers the wider reach, the one a refusal of
// the class must have (fail closed). To ask whether a designation permits a request's
// recipient, use CoversRequest, which asks the request whether the relationship is
// established as the engine does.
//
// It lets code outside the engine (consent/fhir's reading of a patient's later refusals)
// apply the same reading of a designation as the engine, rather than a second coding of it.
func (d Designation) Covers(k RecipientKind, p Purpose) bool {
	return designationCovers(d, k, p, true)
}

// CoversRequest reports whether the general designation covers the request's recipient for
// the request's purpose, as the engine judges it: for "my treating providers", only when the
// request establishes the recipient's treating provider relationship with the patient (a
// disclosure for treatment or emergency treatment, or Facts.TreatingProviderRelationship;
// 42 CFR 2.11, 2.31(a)(4)(i)).
func (d Designation) CoversRequest(r Request) bool {
	return designationCovers(d, r.Recipient.Kind, r.Purpose, recipientTreats(&r))
}
