package jsonin

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type code string

func (c *code) UnmarshalText(b []byte) error {
	switch string(b) {
	case "a", "b":
		*c = code(b)
		return nil
	}
	return &ValueError{Code: "unknown_code", Message: "Unknown code."}
}

type leaky struct{}

func (*leaky) UnmarshalJSON(b []byte) error {
	return &json.UnmarshalTypeError{Value: string(b)} // text that quotes the input
}

type inner struct {
	N    int       `json:"n"`
	When time.Time `json:"when"`
}

type doc struct {
	Name   string            `json:"name"`
	Count  uint8             `json:"count"`
	Ratio  float64           `json:"ratio"`
	On     bool              `json:"on"`
	Codes  []code            `json:"codes"`
	Inner  *inner            `json:"inner"`
	Items  []inner           `json:"items"`
	ByName map[string]int    `json:"by_name"`
	Raw    json.RawMessage   `json:"raw"`
	Any    any               `json:"any"`
	Leaky  leaky             `json:"leaky"`
	Fixed  [2]int            `json:"fixed"`
	Opt    *string           `json:"opt"`
	Skip   string            `json:"-"`
	ByCode map[code]struct{} `json:"by_code"`
	embedded
}

type embedded struct {
	Deep string `json:"deep"`
}

func decodeDoc(t *testing.T, in string, o Options) (doc, *Error) {
	t.Helper()
	var d doc
	err := Decode([]byte(in), &d, o)
	if err == nil {
		return d, nil
	}
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("Decode returned %T, want *Error", err)
	}
	return d, e
}

func TestDecodeGood(t *testing.T) {
	in := `{"name":"x\u00e9","count":7,"ratio":1.5e2,"on":true,"codes":["a","b"],
	 "inner":{"n":-3,"when":"2026-03-10T09:00:00-05:00"},"items":[{"n":1},{"n":2}],
	 "by_name":{"k":1},"raw":{"a":[1,2]},"any":[1,"s"],"fixed":[4,5],"opt":null,"by_code":{"a":{}},"deep":"d"}`
	d, err := decodeDoc(t, in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2026, 3, 10, 14, 0, 0, 0, time.UTC)
	want := doc{Name: "xé", Count: 7, Ratio: 150, On: true, Codes: []code{"a", "b"}, Inner: &inner{N: -3, When: when},
		Items: []inner{{N: 1}, {N: 2}}, ByName: map[string]int{"k": 1}, Raw: json.RawMessage(`{"a":[1,2]}`),
		Any: []any{1.0, "s"}, Fixed: [2]int{4, 5}, ByCode: map[code]struct{}{"a": {}}, embedded: embedded{Deep: "d"}}
	if diff := cmp.Diff(want, d, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) }), cmp.AllowUnexported(doc{})); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestDecodeProblems(t *testing.T) {
	cases := []struct {
		name string
		in   string
		o    Options
		want []Problem
	}{
		{"duplicate key", `{"name":"a","name":"b"}`, Options{}, []Problem{{Code: CodeDuplicateKey, Path: "name"}}},
		{"case variant", `{"items":[{"n":1}],"Items":[]}`, Options{}, []Problem{{Code: CodeDuplicateKey, Path: "items"}}},
		{"case variant, lenient", `{"items":[{"n":1}],"ITEMS":[]}`, Options{AllowUnknown: true}, []Problem{{Code: CodeDuplicateKey, Path: "items"}}},
		{"duplicate deep in a skipped value", `{"zzz":{"a":1,"A":2}}`, Options{AllowUnknown: true}, []Problem{{Code: CodeDuplicateKey, Path: "?.?"}}},
		{"trailing", `{"name":"a"} {}`, Options{}, []Problem{{Code: CodeTrailingData}}},
		{"too large", `{"name":"abcdefgh"}`, Options{MaxBytes: 10}, []Problem{{Code: CodeTooLarge}}},
		{"empty", ` `, Options{}, []Problem{{Code: CodeEmpty}}},
		{"too deep", `{"any":[[[[[1]]]]]}`, Options{MaxDepth: 4}, []Problem{{Code: CodeTooDeep, Path: "any[0][0][0]"}}},
		{"unknown with suggestion", `{"nmae":"a"}`, Options{}, []Problem{{Code: CodeUnknownField, Path: "?"}}},
		{"unknown text key", `{"Jane Q Doe DOB 1990-04-01":"a"}`, Options{}, []Problem{{Code: CodeUnknownField, Path: "?"}}},
		// A made-up name is input text however schema-like its shape.
		{"unknown schema-shaped key", `{"Jane_Doe_DOB_19900401":"a"}`, Options{}, []Problem{{Code: CodeUnknownField, Path: "?"}}},
		{"map keys are data", `{"by_name":{"Jane_Doe":"x"}}`, Options{}, []Problem{{Code: CodeWrongType, Path: "by_name.?"}}},
		{"a map key its type accepts", `{"by_code":{"a":1}}`, Options{}, []Problem{{Code: CodeWrongType, Path: "by_code.a"}}},
		{"every problem", `{"count":300,"ratio":"x","on":1,"codes":["a","zz"],"inner":{"n":1.5,"when":"Jane Q Doe DOB 1990-04-01"},"leaky":"Jane"}`, Options{},
			[]Problem{{Code: CodeOutOfRange, Path: "count"}, {Code: CodeWrongType, Path: "ratio"}, {Code: CodeWrongType, Path: "on"},
				{Code: "unknown_code", Path: "codes[1]"}, {Code: CodeWrongType, Path: "inner.n"}, {Code: CodeInvalidValue, Path: "inner.when"},
				{Code: CodeInvalidValue, Path: "leaky"}}},
		{"time out of range", `{"inner":{"when":"9999-01-01T00:00:00Z"}}`, Options{}, []Problem{{Code: CodeOutOfRange, Path: "inner.when"}}},
		{"fixed array overflow", `{"fixed":[1,2,3]}`, Options{}, []Problem{{Code: CodeOutOfRange, Path: "fixed[2]"}}},
		{"syntax", `{"name":"a",}`, Options{}, []Problem{{Code: CodeSyntax}}},
		{"bad number", `{"count":01}`, Options{}, []Problem{{Code: CodeSyntax}}},
		{"root", `{"x":1}`, Options{Root: "Policy"}, []Problem{{Code: CodeUnknownField, Path: "Policy.?"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := decodeDoc(t, c.in, c.o)
			if err == nil {
				t.Fatal("no error")
			}
			got := make([]Problem, len(err.Problems))
			for i, p := range err.Problems {
				got[i] = Problem{Code: p.Code, Path: p.Path}
				if p.Message == "" {
					t.Errorf("problem %d has no message", i)
				}
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("problems (-want +got)\n%s", diff)
			}
			if s := err.Error(); strings.Contains(s, "Jane") {
				t.Errorf("error holds input text: %s", s)
			}
		})
	}
}

func TestSuggestion(t *testing.T) {
	_, err := decodeDoc(t, `{"by_nmae":{}}`, Options{})
	if err == nil || !strings.Contains(err.Problems[0].Message, `"by_name"`) {
		t.Fatalf("want a suggestion of by_name, got %v", err)
	}
}

func TestProblemCap(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"items":[`)
	for i := range 500 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"n":"x"}`)
	}
	b.WriteString(`]}`)
	_, err := decodeDoc(t, b.String(), Options{MaxProblems: 10})
	if err == nil {
		t.Fatal("no error")
	}
	if len(err.Problems) != 11 || err.Omitted != 490 || err.Problems[10].Code != CodeTooManyProblems {
		t.Fatalf("got %d problems, %d omitted, last %q; want 10 + a too_many_problems entry, 490 omitted", len(err.Problems), err.Omitted, err.Problems[len(err.Problems)-1].Code)
	}
}

func TestManyKeysDuplicate(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"by_name":{`)
	for i := range 1000 {
		b.WriteString(`"k` + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + `_` + strconv.Itoa(i) + `":1,`)
	}
	b.WriteString(`"K1X":2,"k1x":3}}`)
	_, err := decodeDoc(t, b.String(), Options{})
	if err == nil || len(err.Problems) != 1 || err.Problems[0].Code != CodeDuplicateKey {
		t.Fatalf("want one duplicate_key, got %v", err)
	}
}

func TestReadAll(t *testing.T) {
	if _, err := ReadAll(bytes.NewReader(make([]byte, 11)), 10); err == nil {
		t.Fatal("11 bytes read under a limit of 10")
	}
	b, err := ReadAll(bytes.NewReader(make([]byte, 10)), 10)
	if err != nil || len(b) != 10 {
		t.Fatalf("ReadAll = %d bytes, %v", len(b), err)
	}
}

func TestNotAPointer(t *testing.T) {
	if err := Decode([]byte(`{}`), doc{}, Options{}); err == nil {
		t.Fatal("no error for a non-pointer")
	}
}

// FuzzDecode: Decode never panics; a marker (with a hyphen, or shaped like a schema name)
// never reaches a problem, wherever it is in the input;and the problem list keeps its cap.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"name":"QQ-MARK-QQ","codes":["QQ-MARK-QQ"],"inner":{"when":"QQ-MARK-QQ"}}`))
	f.Add([]byte(`{"QQ-MARK-QQ":1,"by_name":{"QQ-MARK-QQ":"x"}}`))
	f.Add([]byte(`{"items":[{"n":1},{"n":"QQ-MARK-QQ"}],"Items":1}`))
	f.Add([]byte(`{"QQMARKQQ":{"QQMARKQQ":1},"by_name":{"QQMARKQQ":[]},"items":[{"QQMARKQQ":1}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var d doc
		err := Decode(data, &d, Options{MaxProblems: 20})
		if err == nil {
			return
		}
		e := err.(*Error)
		if len(e.Problems) > 21 {
			t.Fatalf("%d problems listed, cap 20", len(e.Problems))
		}
		for _, p := range e.Problems {
			if strings.Contains(p.Path+p.Message, "QQ-MARK") || strings.Contains(p.Path+p.Message, "QQMARK") {
				t.Fatalf("input text in problem %+v", p)
			}
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"items":[`)
	for i := range 1000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(`{"n":12345,"when":"2026-03-10T09:00:00Z"}`)
	}
	sb.WriteString(`]}`)
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var d doc
		if err := Decode(data, &d, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTooLarge(b *testing.B) {
	data := make([]byte, 64<<20)
	b.ReportAllocs()
	for b.Loop() {
		var d doc
		if err := Decode(data, &d, Options{}); err == nil {
			b.Fatal("accepted")
		}
	}
}
