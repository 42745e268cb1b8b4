// Package agent is the probe that runs inside the VPC: it runs a plan's
// checks (DNS queries, TCP connects, TLS handshakes) and writes a report.
//
// It never listens on a port, contacts only the plan's targets (and the
// resolver and, unless disabled, instance metadata), runs at most the
// plan's concurrency of checks at once, bounds each by the plan's timeout
// and all of them by its deadline, and never leaves a goroutine behind.
package agent

import (
	"context"
	"sync"
	"time"

	"github.com/vpcpath/vpcpath/probe"
)

// Options configure a run.
type Options struct {
	// Resolver overrides the DNS server (ip:port); "" reads ResolvConf.
	Resolver   string
	ResolvConf string // default /etc/resolv.conf
	// IMDS is the instance metadata address; "" skips it (tests, labs).
	IMDS    string
	Version string
	// Timeout, Deadline and Concurrency override the plan's when non-zero.
	Timeout     time.Duration
	Deadline    time.Duration
	Concurrency int
}

// Run runs every check of plan and returns the report. It returns an error
// only when it cannot start (no resolver and DNS checks to make).
func Run(ctx context.Context, plan *probe.Plan, opts Options) (*probe.Report, error) {
	start := time.Now()
	timeout := pick(opts.Timeout, time.Duration(plan.TimeoutMS)*time.Millisecond, probe.DefaultTimeoutMS*time.Millisecond)
	deadline := pick(opts.Deadline, time.Duration(plan.DeadlineMS)*time.Millisecond, probe.DefaultDeadlineMS*time.Millisecond)
	conc := opts.Concurrency
	if conc <= 0 {
		conc = plan.Concurrency
	}
	if conc <= 0 {
		conc = probe.DefaultConcurrency
	}
	ctx, cancel := context.WithTimeout(ctx, deadline)
	defer cancel()

	rep := &probe.Report{SchemaVersion: probe.SchemaVersion, Kind: "vpcpath-probe-report", Version: opts.Version, Started: start.UTC(),
		Source: plan.Source, Resolver: plan.Resolver, TimeoutMS: int(timeout / time.Millisecond), DeadlineMS: int(deadline / time.Millisecond),
		Concurrency: conc, DNS: plan.DNS, Results: make([]probe.Result, len(plan.Checks))}
	rep.Host = HostContext(ctx, opts.IMDS)
	server, from, err := resolver(opts)
	needDNS := false
	for _, c := range plan.Checks {
		needDNS = needDNS || c.Kind == probe.KindDNS
	}
	if err != nil && needDNS {
		return nil, err
	}
	rep.Host.Resolver, rep.Host.ResolverFrom = server, from

	// One unit of work per DNS check and per TCP port, bounded by a
	// semaphore; every goroutine is joined before Run returns.
	type unit struct {
		i    int
		port uint16
		slot int
	}
	var units []unit
	for i, c := range plan.Checks {
		rep.Results[i].Check = c
		switch c.Kind {
		case probe.KindDNS:
			rep.Results[i].DNS = &probe.DNSObservation{Resolver: server, Outcome: probe.NotRun, Chain: []string{}, Answers: []string{}, Class: "none"}
			units = append(units, unit{i: i})
		case probe.KindTCP:
			pr := c.Ports
			if pr == nil {
				rep.Results[i].TCP = []probe.TCPObservation{{Outcome: probe.Failed, Error: "no port range"}}
				continue
			}
			if int(pr.Last)-int(pr.First)+1 > probe.MaxPortsPerCheck {
				rep.Results[i].TCP = []probe.TCPObservation{{Outcome: probe.Failed, Error: "too wide port range " + pr.String()}}
				continue
			}
			for p := int(pr.First); p <= int(pr.Last); p++ {
				rep.Results[i].TCP = append(rep.Results[i].TCP, probe.TCPObservation{Port: uint16(p), Outcome: probe.NotRun})
				units = append(units, unit{i: i, port: uint16(p), slot: len(rep.Results[i].TCP) - 1})
			}
		}
	}
	sem := make(chan struct{}, conc)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, u := range units {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break // the rest stay not-run
		}
		wg.Add(1)
		go func(u unit) {
			defer wg.Done()
			defer func() { <-sem }()
			c := plan.Checks[u.i]
			switch c.Kind {
			case probe.KindDNS:
				o := QueryDNS(ctx, server, c.Name, timeout, c.Expect)
				mu.Lock()
				rep.Results[u.i].DNS = &o
				mu.Unlock()
			case probe.KindTCP:
				o := Connect(ctx, c.Host, u.port, timeout, c.TLS, c.SNI)
				mu.Lock()
				rep.Results[u.i].TCP[u.slot] = o
				mu.Unlock()
			}
		}(u)
	}
	wg.Wait()
	rep.DurationMS = ms(time.Since(start))
	return rep, nil
}

func resolver(opts Options) (string, string, error) {
	if opts.Resolver != "" {
		return opts.Resolver, "--resolver", nil
	}
	conf := opts.ResolvConf
	if conf == "" {
		conf = "/etc/resolv.conf"
	}
	s, err := ResolverFromConf(conf)
	return s, conf, err
}

func pick(ds ...time.Duration) time.Duration {
	for _, d := range ds {
		if d > 0 {
			return d
		}
	}
	return 0
}
