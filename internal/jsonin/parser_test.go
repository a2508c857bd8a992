package jsonin

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// problemsOf returns the code@path of every problem of err (nil for no error).
func problemsOf(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T, want *Error", err)
	}
	out := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p.Code + "@" + p.Path
	}
	return out
}

// TestStrings: every escape of RFC 8259 section 7 decodes, and every malformed string is a
// syntax error that names an offset, never the string.
func TestStrings(t *testing.T) {
	good := map[string]string{
		`"plain"`:                  "plain",
		`"a\"b\\c\/d"`:             `a"b\c/d`,
		`"\b\f\n\r\t"`:             "\b\f\n\r\t",
		`"\u00e9\u00E9"`:           "éé",
		`"\ud83d\ude00"`:           "😀",
		`"x\ud83d"`:                "x\uFFFD", // lone high surrogate: replaced, as encoding/json does
		`"\ud83d\u0041"`:           "\uFFFDA"[:3],
		`"é raw"`:                  "é raw",
		`"` + "\u2028" + `"`:       "\u2028",
		`"\u0000"`:                 "\x00",
		`"tab\tafter\u0041escape"`: "tab\tafterAescape",
	}
	for in, want := range good {
		var s string
		err := Decode([]byte(in), &s, Options{})
		if in == `"\ud83d\u0041"` {
			// A high surrogate followed by a non-surrogate escape: the pair is not valid,
			// so the result is the replacement character (the second escape is consumed).
			if err != nil || !strings.HasPrefix(s, "\uFFFD") {
				t.Errorf("Decode(%s) = %q, %v", in, s, err)
			}
			continue
		}
		if err != nil || s != want {
			t.Errorf("Decode(%s) = %q, %v; want %q", in, s, err, want)
		}
	}
	bad := []string{
		`"unterminated`, `"bad \x escape"`, `"bad \u12 hex"`, `"bad \uZZZZ hex"`,
		"\"control \x01 char\"", "\"raw \xff byte\"", `"escaped then raw \n` + "\xff\"",
		`"ends in backslash\`, "\"escaped then control \\n \x02\"", `"escaped unterminated \n`,
	}
	for _, in := range bad {
		var s string
		got := problemsOf(t, Decode([]byte(in), &s, Options{}))
		if len(got) != 1 || got[0] != CodeSyntax+"@" {
			t.Errorf("Decode(%q) problems %v, want one json_syntax", in, got)
		}
	}
}

// TestNumbers: the JSON number grammar, and the range of each Go kind.
func TestNumbers(t *testing.T) {
	type nums struct {
		I8  int8    `json:"i8"`
		U   uint    `json:"u"`
		F32 float32 `json:"f32"`
		F   float64 `json:"f"`
	}
	var n nums
	if err := Decode([]byte(`{"i8":-128,"u":0,"f32":1.5E-3,"f":-0.0e+1}`), &n, Options{}); err != nil {
		t.Fatal(err)
	}
	if n.I8 != -128 || n.F32 != float32(1.5e-3) {
		t.Errorf("got %+v", n)
	}
	cases := map[string][]string{
		`{"i8":128}`:                    {"out_of_range@i8"},
		`{"i8":1.5}`:                    {"wrong_type@i8"},
		`{"u":-1}`:                      {"wrong_type@u"},
		`{"u":1e3}`:                     {"wrong_type@u"},
		`{"u":"1"}`:                     {"wrong_type@u"},
		`{"f32":1e39}`:                  {"out_of_range@f32"},
		`{"f":true}`:                    {"wrong_type@f"},
		`{"f":-}`:                       {"json_syntax@f"},
		`{"f":1.}`:                      {"json_syntax@f"},
		`{"f":1e}`:                      {"json_syntax@f"},
		`{"f":.5}`:                      {"wrong_type@f", "json_syntax@f"}, // not a number's first byte, then not JSON
		`{"u":99999999999999999999999}`: {"out_of_range@u"},
	}
	for in, want := range cases {
		var n nums
		if diff := cmp.Diff(want, problemsOf(t, Decode([]byte(in), &n, Options{}))); diff != "" {
			t.Errorf("%s (-want +got)\n%s", in, diff)
		}
	}
}

// TestWrongTypes: each Go kind refuses each other JSON type with wrong_type at its path,
// and reading goes on to list the next problem.
func TestWrongTypes(t *testing.T) {
	in := `{"name":1,"on":"x","codes":{},"inner":[],"items":"x","by_name":[],"fixed":{},"inner2":null,"by_code":1,"raw":1,"opt":2,"any":{"a":[1]}}`
	var d struct {
		doc
		Inner2 *inner `json:"inner2"`
	}
	got := problemsOf(t, Decode([]byte(in), &d, Options{}))
	want := []string{"wrong_type@name", "wrong_type@on", "wrong_type@codes", "wrong_type@inner", "wrong_type@items",
		"wrong_type@by_name", "wrong_type@fixed", "wrong_type@by_code", "wrong_type@opt"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

// TestUnreadable: Go types JSON cannot fill are problems, not panics.
func TestUnreadable(t *testing.T) {
	var v struct {
		C  chan int          `json:"c"`
		M  map[[2]int]string `json:"m"`
		E  error             `json:"e"`
		B  []byte            `json:"b"`
		B2 []byte            `json:"b2"`
	}
	got := problemsOf(t, Decode([]byte(`{"c":1,"m":{"a":"b"},"e":"x","b":"aGk=","b2":"not base64!"}`), &v, Options{}))
	want := []string{"invalid_value@c", "invalid_value@m", "invalid_value@e", "invalid_value@b2"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if string(v.B) != "hi" {
		t.Errorf("b = %q", v.B)
	}
}

// TestNull: null leaves a value, and clears a pointer, slice or map.
func TestNull(t *testing.T) {
	s := "keep"
	d := doc{Name: "keep", Opt: &s, Codes: []code{"a"}, ByName: map[string]int{"k": 1}}
	if err := Decode([]byte(`{"name":null,"opt":null,"codes":null,"by_name":null,"inner":null}`), &d, Options{}); err != nil {
		t.Fatal(err)
	}
	if d.Name != "keep" || d.Opt != nil || d.Codes != nil || d.ByName != nil || d.Inner != nil {
		t.Errorf("got %+v", d)
	}
	if got := problemsOf(t, Decode([]byte(`{"name":nul}`), &d, Options{})); len(got) != 1 || got[0] != "json_syntax@name" {
		t.Errorf("nul: %v", got)
	}
}

// TestParser: the low-level reader a hand-written decoder uses.
func TestParser(t *testing.T) {
	data := []byte(` {"a":[true,false,null,"s",1.5,{}],"b":null} `)
	p := NewParser(data, Options{Root: "R"})
	if p.Kind() != "object" || p.Failed() || p.Fatal() {
		t.Fatalf("kind %q", p.Kind())
	}
	var kinds []string
	var paths []string
	p.Object(func(key []byte) {
		if string(key) == "b" {
			if !p.Null() {
				t.Error("b is not null")
			}
			return
		}
		p.Array(func(i int) {
			kinds = append(kinds, p.Kind())
			paths = append(paths, p.Path())
			switch i {
			case 0, 1:
				if _, ok := p.Bool(); !ok {
					t.Errorf("element %d is not a bool", i)
				}
			case 3:
				if p.Null() {
					t.Error("a string read as null")
				}
				p.Skip()
			default:
				if raw, ok := p.Raw(); !ok || len(raw) == 0 {
					t.Errorf("element %d: raw %q", i, raw)
				}
			}
		})
	})
	if err := p.End(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"boolean", "boolean", "null", "string", "number", "object"}, kinds); diff != "" {
		t.Error(diff)
	}
	if paths[5] != "R.a[5]" {
		t.Errorf("path %q", paths[5])
	}
	if p.Offset() != len(data) {
		t.Errorf("offset %d", p.Offset())
	}

	p = NewParser([]byte(`[1,"x"]`), Options{})
	if p.Object(func([]byte) { t.Error("called") }) || !p.Failed() {
		t.Error("an array read as an object")
	}
	if got := problemsOf(t, p.End()); len(got) != 1 || got[0] != "wrong_type@" {
		t.Errorf("problems %v", got)
	}
	p = NewParser([]byte(`{"a":1}`), Options{})
	if p.Array(func(int) { t.Error("called") }) {
		t.Error("an object read as an array")
	}
	p = NewParser([]byte(`x`), Options{})
	if _, ok := p.Bool(); ok || p.Kind() != "" {
		t.Error("x read as a bool")
	}
	if diff := cmp.Diff([]string{"wrong_type@", "json_syntax@"}, problemsOf(t, p.End())); diff != "" {
		t.Errorf("x (-want +got)\n%s", diff)
	}
	for _, in := range []string{`{`, `{"a"`, `{"a":1`, `{"a":1 "b":2}`, `{1:2}`, `[`, `[1 2]`, `[1,`, `tru`, `{"a":}`} {
		p := NewParser([]byte(in), Options{})
		p.Skip()
		if got := problemsOf(t, p.End()); len(got) != 1 || !strings.HasPrefix(got[0], CodeSyntax) {
			t.Errorf("%s: problems %v", in, got)
		}
	}
}

// TestNested: the problems of a value that read itself with Decode are listed at their
// place, and what they omitted is counted.
func TestNested(t *testing.T) {
	var v struct {
		Items []selfReader `json:"items"`
	}
	err := Decode([]byte(`{"items":[{"n":1},{"n":"x","zz":1},[{"n":"y"}]]}`), &v, Options{})
	want := []string{"wrong_type@items[1].n", "unknown_field@items[1].?", "wrong_type@items[2][0].n"}
	if diff := cmp.Diff(want, problemsOf(t, err)); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	// A nested list that was itself cut short: its omitted problems count here.
	var many strings.Builder
	many.WriteString(`{"items":[[`)
	for i := range 30 {
		if i > 0 {
			many.WriteByte(',')
		}
		many.WriteString(`{"n":"x"}`)
	}
	many.WriteString(`]]}`)
	err = Decode([]byte(many.String()), &v, Options{MaxProblems: 5})
	var e *Error
	if !errors.As(err, &e) || len(e.Problems) != 6 || e.Omitted != 25 {
		t.Fatalf("got %v", err)
	}
	if !strings.HasPrefix(e.Error(), "json: 30 problems: ") {
		t.Errorf("Error() = %q, want a count of 30", e.Error())
	}
}

// selfReader reads an object {"n": int} or an array of them with its own Decode (as
// referral.Partner does), with a cap of 10 problems.
type selfReader struct{ N int }

func (s *selfReader) UnmarshalJSON(b []byte) error {
	if b[0] == '[' {
		var list []inner
		return Decode(b, &list, Options{MaxProblems: 10})
	}
	var in inner
	if err := Decode(b, &in, Options{}); err != nil {
		return err
	}
	s.N = in.N
	return nil
}

// TestErrorCount: Error() counts the problems of the input, not the too_many_problems entry.
func TestErrorCount(t *testing.T) {
	e := &Error{Problems: []Problem{{Code: "a"}, {Code: CodeTooManyProblems}}, Omitted: 3}
	if got := e.Error(); got != "json: 4 problems: a; too_many_problems" {
		t.Errorf("Error() = %q", got)
	}
	e = &Error{Problems: []Problem{{Code: "a", Path: "x"}}}
	if got := e.Error(); got != "json: 1 problem: a at x" {
		t.Errorf("Error() = %q", got)
	}
	if diff := cmp.Diff([]string{"a"}, e.Codes()); diff != "" {
		t.Error(diff)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestReadAllErrors(t *testing.T) {
	if _, err := ReadAll(failingReader{}, 10); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("err = %v", err)
	}
	b, err := ReadAll(strings.NewReader("abc"), 0) // default limit
	if err != nil || string(b) != "abc" {
		t.Errorf("got %q, %v", b, err)
	}
}

// TestTimeAllocs: a time costs no allocation of its own (it used to be boxed in an
// interface for reflect.Value.Set: one allocation per time read). Allocation counts are
// deterministic, so this checks the improvement without timing anything.
func TestTimeAllocs(t *testing.T) {
	var sb strings.Builder
	sb.WriteString(`{"items":[`)
	for i := range 200 {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(`{"n":1,"when":"2026-03-10T09:00:00Z"}`)
	}
	sb.WriteString(`]}`)
	data := []byte(sb.String())
	allocs := testing.AllocsPerRun(20, func() {
		var d doc
		if err := Decode(data, &d, Options{}); err != nil {
			t.Fatal(err)
		}
	})
	// The slice of 200 items grows by doubling (about 9 allocations) and the parser and its
	// stacks take a handful: far fewer than one per time.
	if allocs > 40 {
		t.Errorf("%v allocations for 200 times, want at most 40", allocs)
	}
}

// TestTimes: RFC 3339 only, within the range, offsets kept.
func TestTimes(t *testing.T) {
	var v struct {
		T time.Time `json:"t"`
	}
	if err := Decode([]byte(`{"t":"2026-03-10T09:00:00.123-05:00"}`), &v, Options{}); err != nil {
		t.Fatal(err)
	}
	if _, off := v.T.Zone(); off != -5*3600 || v.T.Nanosecond() != 123e6 {
		t.Errorf("t = %v", v.T)
	}
	v.T = time.Now()
	if err := Decode([]byte(`{"t":"0001-01-01T00:00:00Z"}`), &v, Options{}); err != nil || !v.T.IsZero() {
		t.Errorf("the zero time as encoding/json writes it: %v, %v", v.T, err)
	}
	for in, want := range map[string]string{
		`{"t":"0001-01-01T00:00:00+01:00"}`:      "out_of_range@t",
		`{"t":"0001-01-01T00:00:00.000000001Z"}`: "out_of_range@t",
		`{"t":"1899-12-31T23:59:59Z"}`:           "out_of_range@t",
		`{"t":"2200-01-01T00:00:00Z"}`:           "out_of_range@t",
		`{"t":"2026-03-10"}`:                     "invalid_value@t",
		`{"t":1}`:                                "wrong_type@t",
	} {
		if got := problemsOf(t, Decode([]byte(in), &v, Options{})); len(got) != 1 || got[0] != want {
			t.Errorf("%s: %v, want %s", in, got, want)
		}
	}
	if !TimeInRange(time.Date(2199, 12, 31, 23, 59, 59, 999999999, time.UTC)) || TimeInRange(time.Time{}) {
		t.Error("TimeInRange bounds")
	}
}

// TestDuplicateNamesWithEscapes: a member name written with escapes is compared by its
// decoded bytes (member names are kept as offsets into the input when they hold no escape,
// and decoded otherwise), in small and large objects, nested or not.
func TestDuplicateNamesWithEscapes(t *testing.T) {
	many := `"a0":0,"a1":1,"a2":2,"a3":3,"a4":4,"a5":5,"a6":6,"a7":7,"a8":8,"a9":9,"b0":0,"b1":1,"b2":2,"b3":3,"b4":4,"b5":5,"b6":6,`
	for in, dup := range map[string]bool{
		`{"key":1,"\u006bey":2}`:             true,
		`{"KEY":1,"\u006bey":2}`:             true,
		`{"k\u0065y":1,"KEY":2}`:             true,
		`{"k\u0065y":1,"kez":2}`:             false,
		`{"a":{"\u0062":1},"b":2}`:           false,
		`{"a":{"\u0062":1,"B":2}}`:           true,
		`{` + many + `"key":1,"\u006bey":2}`: true,
		`{` + many + `"key":1,"kez":2}`:      false,
	} {
		p := NewParser([]byte(in), Options{})
		p.Skip()
		err := p.End()
		var e *Error
		got := errors.As(err, &e) && slices.Contains(e.Codes(), CodeDuplicateKey)
		if got != dup {
			t.Errorf("%s: duplicate %v, want %v (%v)", in, got, dup, err)
		}
	}
}

// TestResetReuses: a Parser reset over another document reads it as a new one would, and
// the problems of the first stay with the first document's error.
func TestResetReuses(t *testing.T) {
	var p Parser
	p.Reset([]byte(`{"a":1,"A":2}`), Options{})
	p.Skip()
	first := p.End()
	p.Release()
	p.Reset([]byte(`{"b":[1,2,{"c":"d"}]}`), Options{Root: "r"})
	p.Skip()
	if err := p.End(); err != nil {
		t.Errorf("second document: %v", err)
	}
	var e *Error
	if !errors.As(first, &e) || len(e.Problems) != 1 || e.Problems[0].Code != CodeDuplicateKey || e.Problems[0].Path != "?" { // a skipped value's names are not the schema's
		t.Errorf("first document's error changed: %v", first)
	}
	p.Release()
	p.Reset(nil, Options{})
	if err := p.End(); err == nil {
		t.Error("an empty document after a reset was accepted")
	}
}
