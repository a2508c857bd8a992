package perinatal

import "strconv"

// Helpers shared by the package's enums: every enum is a uint8 whose zero value is
// "unknown", with stable snake_case codes held in an unexported, never-written table.

func enumString(kind string, v uint8, names []string) string {
	if int(v) < len(names) {
		return names[v]
	}
	return kind + "(" + strconv.Itoa(int(v)) + ")"
}

func enumValid(v uint8, names []string) bool { return v > 0 && int(v) < len(names) }

func enumMarshal(kind string, v uint8, names []string) ([]byte, error) {
	if int(v) >= len(names) {
		return nil, &unknownCodeError{kind: kind, code: strconv.Itoa(int(v))}
	}
	return []byte(names[v]), nil
}

func enumUnmarshal(kind string, b []byte, names []string) (uint8, error) {
	for i, n := range names {
		if string(b) == n {
			return uint8(i), nil
		}
	}
	return 0, &unknownCodeError{kind: kind, code: string(b)}
}

func itoa(i int) string { return strconv.Itoa(i) }
