//go:build !unix

package consentbench

import "testing"

// cpuNanos is unavailable here: CPU-time metrics read zero and only wall time counts.
func cpuNanos(testing.TB) int64 { return 0 }
