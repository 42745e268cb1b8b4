//go:build !unix

package estate_test

import "time"

func processCPU() (time.Duration, bool) { return 0, false }
