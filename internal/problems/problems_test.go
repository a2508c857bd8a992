package problems

import (
	"errors"
	"strconv"
	"testing"

	"github.com/dyad-health/dyad/internal/jsonin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestListCap(t *testing.T) {
	l := List{Max: 3}
	for i := range 10 {
		l.Add("c"+strconv.Itoa(i), "f", "", "m")
	}
	assert.True(t, l.Full())
	assert.Equal(t, 10, l.Len())
	assert.Equal(t, 7, l.Omitted)
	final := l.Final()
	require.Len(t, final, 4)
	assert.Equal(t, CodeTooMany, final[3].Code)
	assert.Equal(t, "7 further problems were found and not listed.", final[3].Message)
	assert.Len(t, l.Items, 3, "Final does not change the list")

	var z List // the zero value holds DefaultMax
	for range DefaultMax + 1 {
		z.Add("c", "", "", "")
	}
	assert.Len(t, z.Items, DefaultMax)
	assert.Equal(t, 1, z.Omitted)
}

func TestSkip(t *testing.T) {
	l := List{Skip: map[string]struct{}{"a[1]": {}}}
	l.Add("x", "a[1]", "", "")
	l.Add("y", "a[2]", "", "")
	assert.Equal(t, []Problem{{Code: "y", Field: "a[2]"}}, l.Final())
}

func TestMergeAndJoin(t *testing.T) {
	assert.Equal(t, "a.b", Join("a", "b"))
	assert.Equal(t, "a[2].b", Join("a", "[2].b"))
	assert.Equal(t, "a", Join("a", ""))
	assert.Equal(t, "b", Join("", "b"))

	var l List
	l.Merge("events[3]", []Problem{{Code: "p", Field: "at"}, {Code: "q"}, {Code: CodeTooMany}}, 5)
	assert.Equal(t, []Problem{{Code: "p", Field: "events[3].at"}, {Code: "q", Field: "events[3]"}}, l.Items)
	assert.Equal(t, 5, l.Omitted)
}

func TestAddJSON(t *testing.T) {
	var v struct {
		N int `json:"n"`
	}
	err := jsonin.Decode([]byte(`{"n":"x","m":1}`), &v, jsonin.Options{MaxProblems: 1})
	var l List
	require.True(t, l.AddJSON(err))
	assert.Equal(t, []Problem{{Code: jsonin.CodeWrongType, Field: "n", Message: "Expected a number, found a string."}}, l.Items)
	assert.Equal(t, 1, l.Omitted)
	assert.False(t, l.AddJSON(errors.New("other")))
}

func TestErrorText(t *testing.T) {
	ps := []Problem{{Code: "a", Field: "x"}, {Code: "b"}, {Code: CodeTooMany}}
	at := func(i int) (string, string) { return ps[i].Code, ps[i].Field }
	assert.Equal(t, "pkg: invalid thing: 9 problems: a (x); b; too_many_problems", ErrorText("pkg", "thing", 3, 7, at))
	assert.Equal(t, "pkg: invalid thing: 1 problem: a (x)", ErrorText("pkg", "thing", 1, 0, at))
}
