package jsonin

import (
	"encoding"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ValueError is what a type's UnmarshalJSON or UnmarshalText may return to have its own
// code and message reported at the value's path. Its Message must not hold input text. An
// UnmarshalJSON may also return an *Error (as errors.As finds it): its problems are then
// listed each at the value's path joined with its own path, so a type that reads itself
// with Decode keeps every problem and its place. Any other error from those methods is
// reported as invalid_value with a generic sentence, since its text may quote the input.
type ValueError struct {
	Code    string
	Message string
}

// Error returns the message.
func (e *ValueError) Error() string { return e.Message }

// Decode reads the JSON document data into v, a non-nil pointer, the way the library reads
// its own formats: members are matched to `json` tags exactly (letter case included), unknown
// members are problems (unless o.AllowUnknown), and every problem of the document is listed
// in the returned *Error, with its path, up to the cap. Values of a type implementing
// json.Unmarshaler or encoding.TextUnmarshaler are handed to it (see ValueError); time.Time
// must be an RFC 3339 string within the range of TimeInRange, or the zero time
// "0001-01-01T00:00:00Z" (which is how encoding/json writes a time not set, and which every
// rule reads as absent). null leaves a value as it is
// (and sets a pointer, slice or map to nil). v is partly filled when there are problems.
func Decode(data []byte, v any, o Options) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &Error{Problems: []Problem{{Code: CodeInvalidValue, Message: "The decoder was given no place to put the value."}}}
	}
	p := NewParser(data, o)
	if !p.Fatal() {
		d := decoder{p: p, allowUnknown: o.AllowUnknown}
		d.value(rv.Elem())
	}
	return p.End()
}

// ReadAll reads r to its end, but no more than max bytes (DefaultMaxBytes if max <= 0): a
// longer input is refused with input_too_large after max+1 bytes, without reading the rest.
func ReadAll(r io.Reader, max int) ([]byte, error) {
	if max <= 0 {
		max = DefaultMaxBytes
	}
	b, err := io.ReadAll(io.LimitReader(r, int64(max)+1))
	if err != nil {
		return nil, err
	}
	if len(b) > max {
		return nil, &Error{Problems: []Problem{{Code: CodeTooLarge, Message: "The input is more than the " + strconv.Itoa(max) + " bytes accepted."}}}
	}
	return b, nil
}

// The time range every decoder accepts: from 1900-01-01T00:00:00Z (inclusive) to
// 2200-01-01T00:00:00Z (exclusive). Outside it a time is a typing error or an attack (a
// year 20260 cannot even be written back as RFC 3339), never a clinical fact.
var (
	minTime = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// TimeRange says the accepted range in words.
const TimeRange = "from 1900-01-01 to 2199-12-31 (UTC)"

// TimeInRange reports whether t lies in the accepted range (the zero time does not).
func TimeInRange(t time.Time) bool {
	return !t.Before(minTime) && t.Before(maxTime)
}

var (
	timeType       = reflect.TypeFor[time.Time]()
	rawType        = reflect.TypeFor[json.RawMessage]()
	unmarshalerT   = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalT = reflect.TypeFor[encoding.TextUnmarshaler]()
)

type decoder struct {
	p            *Parser
	allowUnknown bool
}

func (d *decoder) value(v reflect.Value) {
	p := d.p
	if p.fatal {
		return
	}
	if p.Peek() == 'n' {
		if p.literal("null") {
			switch v.Kind() {
			case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
				v.SetZero()
			}
		}
		return
	}
	t := v.Type()
	if t.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		d.value(v.Elem())
		return
	}
	switch {
	case t == timeType:
		d.time(v)
		return
	case t == rawType:
		if raw, ok := p.Raw(); ok {
			v.SetBytes(append([]byte(nil), raw...))
		}
		return
	case reflect.PointerTo(t).Implements(unmarshalerT) && v.CanAddr():
		raw, ok := p.Raw()
		if ok {
			d.valueErr(v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(raw))
		}
		return
	case reflect.PointerTo(t).Implements(textUnmarshalT) && v.CanAddr():
		if p.Peek() != '"' {
			d.wrongType("a string")
			return
		}
		s, ok := p.String()
		if ok {
			d.valueErr(v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText(s))
		}
		return
	}
	switch t.Kind() {
	case reflect.String:
		if p.Peek() != '"' {
			d.wrongType("a string")
			return
		}
		if s, ok := p.String(); ok {
			v.SetString(string(s))
		}
	case reflect.Bool:
		if b, ok := p.Bool(); ok {
			v.SetBool(b)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if n, ok := d.number(); ok {
			i, err := strconv.ParseInt(string(n), 10, t.Bits())
			switch {
			case err == nil:
				v.SetInt(i)
			case errors.Is(err, strconv.ErrRange):
				p.Problem(CodeOutOfRange, "The number is out of range for this field.")
			default:
				p.Problem(CodeWrongType, "Expected a whole number.")
			}
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if n, ok := d.number(); ok {
			i, err := strconv.ParseUint(string(n), 10, t.Bits())
			switch {
			case err == nil:
				v.SetUint(i)
			case errors.Is(err, strconv.ErrRange):
				p.Problem(CodeOutOfRange, "The number is out of range for this field.")
			default:
				p.Problem(CodeWrongType, "Expected a whole number, zero or more.")
			}
		}
	case reflect.Float32, reflect.Float64:
		if n, ok := d.number(); ok {
			f, err := strconv.ParseFloat(string(n), t.Bits())
			if err != nil {
				p.Problem(CodeOutOfRange, "The number is out of range for this field.")
				return
			}
			v.SetFloat(f)
		}
	case reflect.Struct:
		d.object(v, structOf(t))
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && p.Peek() == '"' {
			s, ok := p.String()
			if !ok {
				return
			}
			b, err := base64.StdEncoding.DecodeString(string(s))
			if err != nil {
				p.Problem(CodeInvalidValue, "Expected base64 data.")
				return
			}
			v.SetBytes(b)
			return
		}
		if p.Peek() != '[' {
			d.wrongType("an array")
			return
		}
		v.SetLen(0)
		if v.IsNil() {
			v.Set(reflect.MakeSlice(t, 0, 0))
		}
		p.Array(func(i int) {
			if v.Len() == v.Cap() {
				v.Grow(1)
			}
			v.SetLen(i + 1)
			d.value(v.Index(i))
		})
	case reflect.Array:
		if p.Peek() != '[' {
			d.wrongType("an array")
			return
		}
		p.Array(func(i int) {
			if i >= v.Len() {
				p.Problem(CodeOutOfRange, "The array has more than "+strconv.Itoa(v.Len())+" elements.")
				p.Skip()
				return
			}
			d.value(v.Index(i))
		})
	case reflect.Map:
		d.mapValue(v)
	case reflect.Interface:
		if t.NumMethod() != 0 {
			p.Problem(CodeInvalidValue, "This field cannot be read from JSON.")
			p.Skip()
			return
		}
		raw, ok := p.Raw()
		if !ok {
			return
		}
		var x any
		if err := json.Unmarshal(raw, &x); err != nil { // structure already checked
			p.Problem(CodeInvalidValue, "The value cannot be read.")
			return
		}
		v.Set(reflect.ValueOf(&x).Elem())
	default:
		p.Problem(CodeInvalidValue, "This field cannot be read from JSON.")
		p.Skip()
	}
}

// number reads a number, or records wrong_type and skips the value.
func (d *decoder) number() ([]byte, bool) {
	c := d.p.Peek()
	if c == '-' || c >= '0' && c <= '9' {
		return d.p.Number()
	}
	d.wrongType("a number")
	return nil, false
}

func (d *decoder) wrongType(want string) {
	d.p.Problem(CodeWrongType, "Expected "+want+", found "+d.p.kindArticle()+".")
	d.p.Skip()
}

func (d *decoder) valueErr(err error) {
	if err == nil {
		return
	}
	var ve *ValueError
	if errors.As(err, &ve) {
		d.p.Problem(ve.Code, ve.Message)
		return
	}
	var e *Error
	if errors.As(err, &e) {
		d.p.Nested(e)
		return
	}
	d.p.Problem(CodeInvalidValue, "The value is not one this field accepts.")
}

func (d *decoder) time(v reflect.Value) {
	p := d.p
	if p.Peek() != '"' {
		d.wrongType("an RFC 3339 date-time string")
		return
	}
	s, ok := p.String()
	if !ok {
		return
	}
	t, err := time.Parse(time.RFC3339Nano, string(s))
	if err != nil {
		p.Problem(CodeInvalidValue, "Expected an RFC 3339 date-time such as 2026-03-10T09:00:00-05:00.")
		return
	}
	if !TimeInRange(t) && !t.IsZero() {
		p.Problem(CodeOutOfRange, "The time is outside the range accepted, "+TimeRange+".")
		return
	}
	if v.CanAddr() {
		*v.Addr().Interface().(*time.Time) = t // no boxing of t: one allocation fewer per time
		return
	}
	v.Set(reflect.ValueOf(t))
}

func (d *decoder) mapValue(v reflect.Value) {
	p := d.p
	t := v.Type()
	kt := t.Key()
	textKey := reflect.PointerTo(kt).Implements(textUnmarshalT)
	if kt.Kind() != reflect.String && !textKey {
		p.Problem(CodeInvalidValue, "This field cannot be read from JSON.")
		p.Skip()
		return
	}
	if p.Peek() != '{' {
		d.wrongType("an object")
		return
	}
	if v.IsNil() {
		v.Set(reflect.MakeMap(t))
	}
	// A map's keys are data: they appear in paths only when the key's type accepts them as
	// its own codes.
	known := noName
	if textKey {
		known = func(key []byte) (string, bool) {
			k := reflect.New(kt)
			if k.Interface().(encoding.TextUnmarshaler).UnmarshalText(key) != nil {
				return "", false
			}
			return string(key), true
		}
	}
	p.ObjectKnown(known, func(key []byte) {
		k := reflect.New(kt).Elem()
		if textKey {
			if err := k.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText(key); err != nil {
				d.valueErr(err)
				p.Skip()
				return
			}
		} else {
			k.SetString(string(key))
		}
		e := reflect.New(t.Elem()).Elem()
		if old := v.MapIndex(k); old.IsValid() {
			e.Set(old)
		}
		d.value(e)
		v.SetMapIndex(k, e)
	})
}

func (d *decoder) object(v reflect.Value, si *structInfo) {
	p := d.p
	if p.Peek() != '{' {
		d.wrongType("an object")
		return
	}
	p.ObjectKnown(si.known, func(key []byte) {
		i, ok := si.byName[string(key)]
		if !ok {
			if d.allowUnknown {
				p.Skip()
				return
			}
			p.HideKey() // even a case variant of a known name: the path must not name a member that is not there
			p.Problem(CodeUnknownField, si.unknownMessage(key))
			p.Skip()
			return
		}
		d.value(v.FieldByIndex(si.fields[i].index))
	})
}

// structInfo is what Decode needs of a struct type: its members by exact JSON name.
type structInfo struct {
	byName map[string]int
	folded map[string]string // lower-case name -> the struct's name
	fields []fieldInfo
	known  func(key []byte) (string, bool) // the struct's name for a member name, if any
}

type fieldInfo struct {
	name  string
	index []int
}

var structCache sync.Map // reflect.Type -> *structInfo; a cache, never observable

func structOf(t reflect.Type) *structInfo {
	if si, ok := structCache.Load(t); ok {
		return si.(*structInfo)
	}
	si := &structInfo{byName: map[string]int{}}
	addFields(si, t, nil)
	si.folded = make(map[string]string, len(si.fields))
	for _, f := range si.fields {
		if _, dup := si.folded[strings.ToLower(f.name)]; !dup {
			si.folded[strings.ToLower(f.name)] = f.name
		}
	}
	si.known = func(key []byte) (string, bool) {
		if _, ok := si.byName[string(key)]; ok {
			return string(key), true
		}
		name, ok := si.folded[strings.ToLower(string(key))]
		return name, ok
	}
	v, _ := structCache.LoadOrStore(t, si)
	return v.(*structInfo)
}

func addFields(si *structInfo, t reflect.Type, prefix []int) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		index := append(append([]int(nil), prefix...), i)
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			addFields(si, f.Type, index)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, dup := si.byName[name]; dup {
			continue // the shallower field wins, as in encoding/json
		}
		si.byName[name] = len(si.fields)
		si.fields = append(si.fields, fieldInfo{name: name, index: index})
	}
}

// unknownMessage says a member is unknown and, when its name is close to a known one,
// which one was perhaps meant: the suggestion is the schema's name, never the input's.
func (si *structInfo) unknownMessage(key []byte) string {
	if SafeName(key) != "?" {
		best, bestD := "", 3
		k := strings.ToLower(string(key))
		for _, f := range si.fields {
			if dist := editDistance(k, strings.ToLower(f.name), bestD); dist < bestD {
				best, bestD = f.name, dist
			}
		}
		if best != "" {
			return "Unknown member; did you mean " + strconv.Quote(best) + "?"
		}
	}
	return "Unknown member; this object does not have it."
}

// editDistance is the Levenshtein distance between a and b, or limit when it is at least
// limit (so that long names cost little).
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			c = min(c, prev[j]+1, cur[j-1]+1)
			cur[j] = c
			rowMin = min(rowMin, c)
		}
		if rowMin >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], limit)
}
