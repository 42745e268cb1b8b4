//go:build !unix

// Package cputime reads the CPU time the process has used, for benchmarks
// on a shared machine, where wall time is inflated by other processes.
package cputime

import "time"

// Process returns false: the system does not say.
func Process() (time.Duration, bool) { return 0, false }

// PeakRSS returns false: the system does not say.
func PeakRSS() (int64, bool) { return 0, false }
