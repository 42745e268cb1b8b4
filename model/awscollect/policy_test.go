package awscollect

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/smithy-go/middleware"
)

// opRecorder records every operation any client of a collection invokes,
// through a middleware on the clients themselves (so calls the collector
// does not report, like the credential chain's, are seen too).
type opRecorder struct {
	mu  sync.Mutex
	ops map[string]bool // "EC2 DescribeVpcs"
}

func (r *opRecorder) install(o *Options) {
	r.ops = map[string]bool{}
	o.apiOptions = append(o.apiOptions, func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("testRecordOperation",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				r.mu.Lock()
				r.ops[middleware.GetServiceID(ctx)+" "+middleware.GetOperationName(ctx)] = true
				r.mu.Unlock()
				return next.HandleInitialize(ctx, in)
			}), middleware.Before)
	})
}

// IAM service prefixes by SDK service ID, written out here rather than taken
// from the product.
var iamPrefix = map[string]string{"EC2": "ec2", "Route 53": "route53", "Route53Resolver": "route53resolver", "STS": "sts", "Direct Connect": "directconnect"}

// actions maps the recorded operations to IAM actions, failing the test for
// a service it does not know.
func (r *opRecorder) actions(t *testing.T) []string {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for op := range r.ops {
		var svc, name string
		for id, prefix := range iamPrefix {
			if len(op) > len(id) && op[:len(id)+1] == id+" " {
				svc, name = prefix, op[len(id)+1:]
			}
		}
		if svc == "" {
			t.Errorf("the collector called %q, a service outside the policy", op)
			continue
		}
		out = append(out, svc+":"+name)
	}
	sort.Strings(out)
	return out
}

func policyActions(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("iam-policy.json")
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != string(IAMPolicy) {
		t.Errorf("IAMPolicy differs from iam-policy.json")
	}
	var p struct {
		Version   string
		Statement []struct {
			Effect   string
			Action   []string
			Resource string
		}
	}
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("iam-policy.json: %v", err)
	}
	if p.Version != "2012-10-17" || len(p.Statement) != 1 || p.Statement[0].Effect != "Allow" || p.Statement[0].Resource != "*" {
		t.Fatalf("iam-policy.json: unexpected shape %+v", p)
	}
	return p.Statement[0].Action
}

var readAction = regexp.MustCompile(`^[a-z0-9]+:(Describe|Get|List|Search)[A-Z][A-Za-z]+$`)

// checkPolicy asserts that every action in got is a read action in the
// policy (sts:AssumeRole, which the base identity needs for --role-arn, is
// the one exception, allowed only when roles were given), and returns the
// policy's actions that got did not use.
func checkPolicy(t *testing.T, got []string, roles bool) (unused []string) {
	t.Helper()
	policy := policyActions(t)
	for _, a := range got {
		if a == "sts:AssumeRole" && roles {
			continue
		}
		if !readAction.MatchString(a) {
			t.Errorf("the collector invoked %s, which is not a Describe/Get/List/Search call", a)
		}
		if !slices.Contains(policy, a) {
			t.Errorf("the collector invoked %s, which iam-policy.json does not allow", a)
		}
	}
	for _, a := range policy {
		if !readAction.MatchString(a) {
			t.Errorf("iam-policy.json allows %s, which is not a read action", a)
		}
		if !slices.Contains(got, a) {
			unused = append(unused, a)
		}
	}
	return unused
}

// TestReadmeListsThePolicy keeps the list of IAM actions in
// docs/collect.md equal to iam-policy.json.
func TestReadmeListsThePolicy(t *testing.T) {
	data, err := os.ReadFile("../../docs/collect.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "```\nec2:")
	if !ok {
		t.Fatal("docs/collect.md lists no IAM actions")
	}
	block, _, _ := strings.Cut("ec2:"+rest, "```")
	got := strings.Fields(block)
	want := policyActions(t)
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("docs/collect.md lists\n%v\niam-policy.json has\n%v", got, want)
	}
}
