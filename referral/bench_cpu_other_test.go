//go:build !unix

package referral

import "time"

// processCPU is not measured on this system: the cpu-ns/B metric reads 0.
func processCPU() time.Duration { return 0 }
