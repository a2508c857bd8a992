package consent

// JudgeDirectly judges r as Decide (explain false) or Explain (explain true) would, but
// straight from the request, keeping nothing: the record a decision judged again from its
// kept query (interned strings, instants without location) must equal. For the tests of
// package consent_test.
func JudgeDirectly(e *Engine, r Request, explain bool) DecisionRecord {
	if !e.compiled() {
		return notCompiled.Record()
	}
	k := e.k
	r.At = r.At.UTC()
	if r.Holder != nil {
		h := *r.Holder
		h.ReceivedAt = h.ReceivedAt.UTC()
		r.Holder = &h
	}
	var x derived
	k.derive(&r, &x)
	var c collector
	t := k.judge(&r, &x, &c)
	rec := DecisionRecord{Reasons: k.reasons(t, &c), Citations: k.citations(t, &c), Edition: RuleEdition}
	if t != nil {
		rec.Permit, rec.Basis, rec.Obligations, rec.Until = true, t.basis, append([]Obligation(nil), t.obligations...), t.until
		if !explain {
			rec.Reasons, rec.Citations = append([]Reason(nil), t.reasons...), append([]string(nil), t.citations...)
		}
	}
	return rec
}
