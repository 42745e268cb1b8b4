package awscollect

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53resolver"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
)

// callSpec names one logical call (all its pages).
type callSpec struct {
	service   string // IAM service prefix: ec2, route53, route53resolver, sts
	operation string // API operation name, which is also the IAM action name
	account   string
	region    string // "" for global services
	file      string // path of the file it feeds, relative to the snapshot root
	// perResource calls ask about one resource listed by an earlier call:
	// if it vanished meanwhile (a *.NotFound error) that is a gap, not a
	// failure.
	perResource bool
	// fatal calls (identity, region list) cannot have gaps: without them
	// there is nothing to collect.
	fatal bool
}

func (s callSpec) iamAction() string { return s.service + ":" + s.operation }

func (s callSpec) where() string {
	switch {
	case s.account == "":
		return ""
	case s.region == "":
		return "account " + s.account
	default:
		return "account " + s.account + ", region " + s.region
	}
}

// CallError is the failure of one call, which stops the collection.
type CallError struct {
	Service   string // IAM service prefix, like ec2
	Operation string // like DescribeVpcs
	Account   string // empty when not known yet
	Region    string // empty for global services
	Detail    string // what went wrong, in words; may be empty
	Err       error  // the SDK's error
}

func (e *CallError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "awscollect: %s:%s", e.Service, e.Operation)
	if w := (callSpec{account: e.Account, region: e.Region}).where(); w != "" {
		fmt.Fprintf(&b, " (%s)", w)
	}
	b.WriteString(" failed")
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *CallError) Unwrap() error { return e.Err }

func (s callSpec) fail(detail string, err error) *CallError {
	return &CallError{Service: s.service, Operation: s.operation, Account: s.account, Region: s.region, Detail: detail, Err: err}
}

// onePage makes a single-request call look like a paginator.
func onePage() func() bool {
	done := false
	return func() bool {
		more := !done
		done = true
		return more
	}
}

// fetch runs one call page by page: more says whether another page is due,
// next asks for it (an SDK paginator's HasMorePages and NextPage fit), each
// consumes it. Every request holds a concurrency slot and has its own
// timeout. ok is false with a nil error when the call ended in a gap, which
// fetch has recorded.
func fetch[T, O any](ctx context.Context, c *collector, s callSpec, more func() bool,
	next func(context.Context, ...func(*O)) (T, error), each func(T)) (ok bool, err error) {
	start := time.Now()
	var attempts atomic.Int64
	pages := 0
	seen := map[string]bool{}
	record := func(ok bool, err error) {
		c.record(s, Call{Pages: pages, Attempts: int(attempts.Load()), Duration: time.Since(start), OK: ok}, err)
	}
	finish := func(ok bool, err error) (bool, error) {
		record(ok, err)
		return ok, err
	}
	c.progress.begin(s)
	for more() {
		if err := c.acquire(ctx); err != nil {
			return finish(false, s.fail("cancelled", err))
		}
		pctx, cancel := context.WithTimeout(context.WithValue(ctx, attemptsKey{}, &attempts), c.opts.CallTimeout)
		out, err := next(pctx)
		timedOut := err != nil && errors.Is(pctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil
		cancel()
		c.release()
		if err != nil {
			switch {
			case ctx.Err() != nil:
				return finish(false, s.fail("cancelled", err))
			case timedOut:
				return finish(false, s.fail(fmt.Sprintf("no complete answer within the call timeout of %s", c.opts.CallTimeout), err))
			}
			if reason, code := gapReason(s, err); reason != "" {
				c.gap(s, reason, code, err)
				record(false, err)
				return false, nil
			}
			var de *smithy.DeserializationError
			if errors.As(err, &de) {
				return finish(false, s.fail(fmt.Sprintf("the response to page %d could not be decoded", pages+1), err))
			}
			return finish(false, s.fail("", err))
		}
		pages++
		// A token handed out twice would make the SDK's paginators stop
		// early in silence (or loop): a snapshot missing pages is wrong.
		if tok := pageToken(out); tok != "" {
			if seen[tok] {
				return finish(false, s.fail(fmt.Sprintf("page %d", pages), errRepeatedToken))
			}
			seen[tok] = true
		}
		each(out)
	}
	return finish(true, nil)
}

// pageToken returns the token an SDK output gives for its next page
// (NextToken, or NextMarker for Route 53), or "".
func pageToken(out any) string {
	v := reflect.ValueOf(out)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return ""
	}
	for _, name := range []string{"NextToken", "NextMarker"} {
		if f := v.FieldByName(name); f.IsValid() {
			if p, ok := f.Interface().(*string); ok && p != nil {
				return *p
			}
		}
	}
	return ""
}

// Error codes that mean "this identity may not make this call".
var deniedCodes = map[string]bool{
	"AccessDenied":                 true, // Route 53, STS
	"AccessDeniedException":        true, // Route 53 Resolver (JSON protocol)
	"UnauthorizedOperation":        true, // EC2
	"Client.UnauthorizedOperation": true,
}

// gapReason says whether err is a gap (a refusal, or the resource of a
// per-resource call gone) rather than a failure, and returns the error code.
func gapReason(s callSpec, err error) (reason GapReason, code string) {
	if s.fatal {
		return "", ""
	}
	// An error of a nested call (for example sts:AssumeRole while refreshing
	// the credentials) is not about this call's permission.
	var outer *smithy.OperationError
	if errors.As(err, &outer) {
		var inner *smithy.OperationError
		if errors.As(outer.Err, &inner) {
			return "", ""
		}
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return "", ""
	}
	code = ae.ErrorCode()
	switch {
	case deniedCodes[code]:
		return GapAccessDenied, code
	case s.perResource && (strings.HasSuffix(code, ".NotFound") || code == "NoSuchHostedZone"):
		return GapNotFound, code
	}
	return "", ""
}

func (c *collector) record(s callSpec, call Call, err error) {
	call.Service, call.Operation, call.IAMAction = s.service, s.operation, s.iamAction()
	call.Account, call.Region, call.File = s.account, s.region, s.file
	call.DurationMS = math.Round(float64(call.Duration)/float64(100*time.Microsecond)) / 10
	if err != nil {
		call.Error = err.Error()
	}
	c.mu.Lock()
	c.calls = append(c.calls, call)
	c.mu.Unlock()
	c.progress.end(call)
}

func (c *collector) gap(s callSpec, reason GapReason, code string, err error) {
	g := Gap{
		Service: s.service, Operation: s.operation, IAMAction: s.iamAction(),
		Account: s.account, Region: s.region, File: s.file,
		Reason: reason, ErrorCode: code, Error: err.Error(),
	}
	c.mu.Lock()
	c.gaps = append(c.gaps, g)
	c.mu.Unlock()
	c.progress.warn(g.Warning())
}

// attemptsKey carries a fetch's attempt counter down to countAttempts.
type attemptsKey struct{}

// countAttempts counts the HTTP attempts of each request, retries included
// (it sits after the retry middleware).
func countAttempts(stack *middleware.Stack) error {
	return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("vpcpathCountAttempts",
		func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			if n, ok := ctx.Value(attemptsKey{}).(*atomic.Int64); ok {
				n.Add(1)
			}
			return next.HandleFinalize(ctx, in)
		}), middleware.After)
}

// readPrefixes are the only kinds of operation the collector may invoke on
// the services it reads.
var readPrefixes = []string{"Describe", "Get", "List", "Search"}

// guardedServices are the services whose data the collector reads. STS and
// the SSO services are left to the credential chain.
var guardedServices = map[string]bool{ec2.ServiceID: true, route53.ServiceID: true, route53resolver.ServiceID: true}

// readOnlyGuard refuses, before anything is sent, any operation of a data
// service that is not a Describe, Get, List or Search call.
func readOnlyGuard(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("vpcpathReadOnlyGuard",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			svc, op := middleware.GetServiceID(ctx), middleware.GetOperationName(ctx)
			if guardedServices[svc] && !isReadOperation(op) {
				return middleware.InitializeOutput{}, middleware.Metadata{},
					fmt.Errorf("awscollect: refusing to call %s %s: the collector only reads", svc, op)
			}
			return next.HandleInitialize(ctx, in)
		}), middleware.Before)
}

func isReadOperation(op string) bool {
	for _, p := range readPrefixes {
		if rest, ok := strings.CutPrefix(op, p); ok && rest != "" && rest[0] >= 'A' && rest[0] <= 'Z' {
			return true
		}
	}
	return false
}
