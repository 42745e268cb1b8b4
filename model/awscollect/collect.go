package awscollect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"runtime/debug"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
	"golang.org/x/sync/errgroup"
)

// Defaults used when the matching [Options] field is zero.
const (
	DefaultConcurrency = 8
	DefaultCallTimeout = 60 * time.Second
)

// Options says what to collect and how.
type Options struct {
	// Profile names a shared config profile; empty means the default chain
	// (environment, default profile, SSO, instance role...).
	Profile string
	// Regions to collect. Empty means the region of the profile or of
	// AWS_REGION / AWS_DEFAULT_REGION; with no region anywhere Collect fails
	// before making any call.
	Regions []string
	// AllRegions collects every region enabled for each account (from
	// ec2:DescribeRegions, asked in the configured region). It excludes Regions.
	AllRegions bool
	// RoleARNs are roles to assume (through sts:AssumeRole with the base
	// credentials) to collect more accounts in the same snapshot. The base
	// credentials' own account is collected too. When two identities land in
	// the same account it is collected once, with the first role given for
	// it, or with the base credentials if no role was.
	RoleARNs []string
	// Concurrency bounds the API requests in flight over the whole
	// collection (all accounts, regions and calls). 0 means
	// DefaultConcurrency; 1 makes every call one after another.
	Concurrency int
	// CallTimeout bounds one request (one page of a call), retries included.
	// 0 means DefaultCallTimeout.
	CallTimeout time.Duration
	// MaxAttempts per request under the adaptive retry mode; 0 keeps the
	// SDK's default (3).
	MaxAttempts int
	// Progress receives progress lines and warnings (normally os.Stderr).
	// On a terminal a single line is updated in place. nil means silent.
	Progress io.Writer
	// ToolVersion is written to the manifest; empty means the module version
	// from the build information.
	ToolVersion string

	// apiOptions are extra middleware for every client (tests record the
	// operations invoked through them).
	apiOptions []func(*middleware.Stack) error
	// backoff replaces the retry backoff (tests shorten it).
	backoff retry.BackoffDelayer
	// now replaces time.Now for the manifest (tests).
	now func() time.Time
}

var (
	regionRE  = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
	roleARNRE = regexp.MustCompile(`^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$`)
)

func (o *Options) validate() error {
	if o.AllRegions && len(o.Regions) > 0 {
		return errors.New("awscollect: give either regions or all regions, not both")
	}
	for _, r := range o.Regions {
		if !regionRE.MatchString(r) {
			return fmt.Errorf("awscollect: %q is not an AWS region name (like us-east-1)", r)
		}
	}
	for _, a := range o.RoleARNs {
		if !roleARNRE.MatchString(a) {
			return fmt.Errorf("awscollect: %q is not an IAM role ARN (arn:aws:iam::<account-id>:role/<name>)", a)
		}
	}
	if o.Concurrency < 0 {
		return fmt.Errorf("awscollect: concurrency %d is negative", o.Concurrency)
	}
	if o.CallTimeout < 0 {
		return fmt.Errorf("awscollect: call timeout %s is negative", o.CallTimeout)
	}
	if o.MaxAttempts < 0 {
		return fmt.Errorf("awscollect: max attempts %d is negative", o.MaxAttempts)
	}
	if o.Concurrency == 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.CallTimeout == 0 {
		o.CallTimeout = DefaultCallTimeout
	}
	if o.ToolVersion == "" {
		o.ToolVersion = buildVersion()
	}
	if o.now == nil {
		o.now = time.Now
	}
	return nil
}

func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// Result is a finished collection: the files of the snapshot, held in
// memory until [Result.WriteDir], and its manifest.
type Result struct {
	Manifest Manifest
	files    map[string][]byte // slash-separated path under the snapshot root -> content
}

// Files returns the paths of the snapshot's files (without manifest.json),
// slash-separated and relative to the snapshot root, sorted.
func (r *Result) Files() []string {
	names := make([]string, 0, len(r.files))
	for n := range r.files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// File returns the content of one file named as by [Result.Files].
func (r *Result) File(name string) ([]byte, bool) {
	b, ok := r.files[name]
	return b, ok
}

// Collect reads the network of every account and region named by opts and
// returns it as a snapshot. Permission gaps are warnings recorded in the
// manifest; any other failed call stops the collection and Collect returns a
// *CallError naming it (or the context's error when ctx was cancelled), and
// no Result.
func Collect(ctx context.Context, opts Options) (*Result, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	base, err := loadConfig(ctx, &opts)
	if err != nil {
		return nil, err
	}
	c := &collector{
		opts:     opts,
		sem:      make(chan struct{}, opts.Concurrency),
		files:    map[string][]byte{},
		progress: newProgress(opts.Progress),
	}
	defer c.progress.close()
	started := opts.now().UTC()

	// Phase 1: who is each identity, and which regions does it cover.
	ids := []*identity{{cfg: base}}
	for _, arn := range opts.RoleARNs {
		cfg := base.Copy()
		provider := stscreds.NewAssumeRoleProvider(sts.NewFromConfig(base), arn, func(o *stscreds.AssumeRoleOptions) {
			o.RoleSessionName = "vpcpath-collect"
		})
		cfg.Credentials = aws.NewCredentialsCache(provider)
		ids = append(ids, &identity{roleARN: arn, cfg: cfg})
	}
	g, gctx := errgroup.WithContext(ctx)
	for _, id := range ids {
		g.Go(func() error { return c.identify(gctx, id) })
	}
	if err := g.Wait(); err != nil {
		return nil, c.finalError(ctx, err)
	}
	accounts := pickAccounts(ids)

	// Phase 2: every call of every account and region.
	g, gctx = errgroup.WithContext(ctx)
	for _, id := range accounts {
		for i, region := range id.regions {
			r := &regionRun{
				c:       c,
				account: id.account.AccountID,
				region:  region,
				cfg:     id.cfg,
				global:  i == 0,
			}
			r.start(gctx, g)
		}
	}
	if err := g.Wait(); err != nil {
		return nil, c.finalError(ctx, err)
	}

	res := &Result{files: c.files}
	res.Manifest = c.manifest(started, opts.ToolVersion, accounts)
	return res, nil
}

// finalError prefers the caller's cancellation over the errors it caused.
func (c *collector) finalError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("awscollect: collection cancelled: %w", context.Cause(ctx))
	}
	return err
}

func loadConfig(ctx context.Context, opts *Options) (aws.Config, error) {
	var lo []func(*config.LoadOptions) error
	if opts.Profile != "" {
		lo = append(lo, config.WithSharedConfigProfile(opts.Profile))
	}
	if len(opts.Regions) > 0 {
		lo = append(lo, config.WithRegion(opts.Regions[0]))
	}
	maxAttempts, backoff := opts.MaxAttempts, opts.backoff
	lo = append(lo,
		config.WithRetryer(func() aws.Retryer {
			return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
				o.StandardOptions = append(o.StandardOptions, func(so *retry.StandardOptions) {
					if maxAttempts > 0 {
						so.MaxAttempts = maxAttempts
					}
					if backoff != nil {
						so.Backoff = backoff
					}
				})
			})
		}),
		config.WithAPIOptions(append([]func(*middleware.Stack) error{readOnlyGuard, countAttempts}, opts.apiOptions...)),
	)
	cfg, err := config.LoadDefaultConfig(ctx, lo...)
	if err != nil {
		if opts.Profile != "" {
			return aws.Config{}, fmt.Errorf("awscollect: loading AWS configuration for profile %q: %w", opts.Profile, err)
		}
		return aws.Config{}, fmt.Errorf("awscollect: loading AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return aws.Config{}, errors.New("awscollect: no AWS region: give one (--region), or set AWS_REGION, or set region in the profile")
	}
	if cfg.Credentials == nil {
		return aws.Config{}, errors.New("awscollect: no AWS credentials found (environment, shared config, SSO or instance role)")
	}
	if len(opts.Regions) == 0 && !opts.AllRegions {
		opts.Regions = []string{cfg.Region}
	}
	return cfg, nil
}

// identity is one set of credentials: the base ones or an assumed role.
type identity struct {
	roleARN string
	cfg     aws.Config
	account Account
	regions []string
}

// identify resolves who id is and which regions it covers.
func (c *collector) identify(ctx context.Context, id *identity) error {
	if id.roleARN != "" {
		// Assume the role now, so that a refusal names the role rather than
		// the first call made with it.
		spec := callSpec{service: "sts", operation: "AssumeRole"}
		start := time.Now()
		_, err := id.cfg.Credentials.Retrieve(ctx)
		c.record(spec, Call{Pages: 1, Attempts: 1, Duration: time.Since(start), OK: err == nil}, err)
		if err != nil {
			return &CallError{Service: "sts", Operation: "AssumeRole", Detail: "assuming role " + id.roleARN, Err: err}
		}
	} else {
		if _, err := id.cfg.Credentials.Retrieve(ctx); err != nil {
			return fmt.Errorf("awscollect: retrieving AWS credentials: %w", err)
		}
	}
	stsClient := sts.NewFromConfig(id.cfg)
	var who *sts.GetCallerIdentityOutput
	spec := callSpec{service: "sts", operation: "GetCallerIdentity", fatal: true}
	if _, err := fetch(ctx, c, spec, onePage(), func(ctx context.Context, _ ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error) {
		return stsClient.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	}, func(o *sts.GetCallerIdentityOutput) { who = o }); err != nil {
		return err
	}
	id.account = Account{
		AccountID: aws.ToString(who.Account),
		ARN:       aws.ToString(who.Arn),
		UserID:    aws.ToString(who.UserId),
		RoleARN:   id.roleARN,
	}
	if !c.opts.AllRegions {
		id.regions = slices.Clone(c.opts.Regions)
		slices.Sort(id.regions)
		id.regions = slices.Compact(id.regions)
		id.account.Regions = id.regions
		return nil
	}
	client := ec2.NewFromConfig(id.cfg)
	spec = callSpec{service: "ec2", operation: "DescribeRegions", account: id.account.AccountID, region: id.cfg.Region, fatal: true}
	var regions []string
	if _, err := fetch(ctx, c, spec, onePage(), func(ctx context.Context, o ...func(*ec2.Options)) (*ec2.DescribeRegionsOutput, error) {
		return client.DescribeRegions(ctx, &ec2.DescribeRegionsInput{}, o...)
	}, func(o *ec2.DescribeRegionsOutput) {
		for _, r := range o.Regions {
			if s := aws.ToString(r.OptInStatus); s == "not-opted-in" {
				continue
			}
			regions = append(regions, aws.ToString(r.RegionName))
		}
	}); err != nil {
		return err
	}
	if len(regions) == 0 {
		return fmt.Errorf("awscollect: ec2:DescribeRegions for account %s listed no enabled region", id.account.AccountID)
	}
	sort.Strings(regions)
	id.regions = regions
	id.account.Regions = regions
	return nil
}

// pickAccounts keeps one identity per account: the first role given for it,
// or the base credentials when no role was.
func pickAccounts(ids []*identity) []*identity {
	byAccount := map[string]*identity{}
	var order []string
	for _, id := range ids {
		acct := id.account.AccountID
		prev, seen := byAccount[acct]
		if !seen {
			order = append(order, acct)
			byAccount[acct] = id
			continue
		}
		if prev.roleARN == "" && id.roleARN != "" {
			byAccount[acct] = id
		}
	}
	out := make([]*identity, 0, len(order))
	for _, acct := range order {
		out = append(out, byAccount[acct])
	}
	sort.Slice(out, func(i, j int) bool { return out[i].account.AccountID < out[j].account.AccountID })
	return out
}

// collector is the state shared by all calls of one collection.
type collector struct {
	opts     Options
	sem      chan struct{}
	progress *progress

	mu    sync.Mutex
	files map[string][]byte
	calls []Call
	gaps  []Gap
}

// acquire takes one of the Concurrency request slots.
func (c *collector) acquire(ctx context.Context) error {
	select {
	case c.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *collector) release() { <-c.sem }

// put stores one file of the snapshot.
func (c *collector) put(name string, v any) error {
	b, err := marshalCLI(v)
	if err != nil {
		return fmt.Errorf("awscollect: encoding %s: %w", name, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, dup := c.files[name]; dup {
		return fmt.Errorf("awscollect: %s collected twice", name)
	}
	c.files[name] = b
	return nil
}

func (c *collector) manifest(started time.Time, version string, ids []*identity) Manifest {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := Manifest{
		FormatVersion: ManifestFormatVersion,
		CollectedAt:   started,
		Tool:          "vpcpath",
		ToolVersion:   version,
		Accounts:      []Account{},
		Regions:       []string{},
		Calls:         slices.Clone(c.calls),
		Gaps:          slices.Clone(c.gaps),
	}
	for _, id := range ids {
		m.Accounts = append(m.Accounts, id.account)
		m.Regions = append(m.Regions, id.regions...)
	}
	slices.Sort(m.Regions)
	m.Regions = slices.Compact(m.Regions)
	sortCalls(m.Calls)
	sort.SliceStable(m.Gaps, func(i, j int) bool { return m.Gaps[i].File < m.Gaps[j].File })
	if m.Calls == nil {
		m.Calls = []Call{}
	}
	if m.Gaps == nil {
		m.Gaps = []Gap{}
	}
	return m
}
