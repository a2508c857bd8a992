module github.com/dyad-health/dyad/bench

go 1.26.0

replace github.com/dyad-health/dyad => ../

require (
	github.com/cedar-policy/cedar-go v1.9.0
	github.com/dyad-health/dyad v0.0.0-00010101000000-000000000000
	github.com/google/go-cmp v0.7.0
)

require (
	github.com/go-json-experiment/json v0.0.0-20260820222146-c27c302e5fc3 // indirect
	golang.org/x/exp v0.0.0-20261014143641-f0251eb4aa3e // indirect
)
