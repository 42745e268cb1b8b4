package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/vpcpath/vpcpath/model/awscollect"
)

type collectOptions struct {
	profile     string
	regions     []string
	allRegions  bool
	roleARNs    []string
	out         string
	concurrency int
	callTimeout time.Duration
	printPolicy bool
}

func newCollectCmd(s *streams) *cobra.Command {
	o := &collectOptions{}
	c := &cobra.Command{
		Use:   "collect [--profile NAME] [--region R ... | --all-regions] [--role-arn ARN ...] --out DIR",
		Short: "Read the network from live AWS accounts into a snapshot folder",
		Long: `Read the network from live AWS accounts, with read-only Describe, Get, List
and Search calls, into a snapshot folder that --snapshot reads: the same JSON
files the AWS CLI writes, one per call, under DIR/<account>/<region>/, and a
manifest.json saying when, from which accounts and regions, every call made
and every call refused.

Credentials come from the standard chain (environment, shared config and SSO
profiles, instance role); --role-arn assumes a role to add its account. The
region comes from --region, else from AWS_REGION or the profile. A call
refused for lack of permission is a warning, recorded in the manifest; any
other failure stops the collection and writes nothing. Ctrl-C leaves no
half-written snapshot. AWS_ENDPOINT_URL is honoured (LocalStack, moto).

Progress goes to stderr; --print-iam-policy prints the minimal IAM policy.

Exit codes: 0 collected (perhaps with warnings), 2 error.`,
		Example: `  vpcpath collect --region us-east-1 --out ./snap
  vpcpath collect --profile audit --all-regions --role-arn arn:aws:iam::111122223333:role/vpcpath-reader --out ./snap
  vpcpath collect --print-iam-policy`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			switch {
			case o.printPolicy && o.out != "":
				return errors.New("--print-iam-policy collects nothing: drop --out")
			case o.printPolicy:
			case o.out == "":
				return errors.New("--out DIR is required")
			case o.allRegions && len(o.regions) > 0:
				return errors.New("give --region or --all-regions, not both")
			case o.concurrency < 1:
				return errors.New("--concurrency must be 1 or more")
			case o.callTimeout <= 0:
				return errors.New("--call-timeout must be positive")
			}
			ctx, stop := signal.NotifyContext(c.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runCollect(ctx, s, o)
		},
	}
	c.Flags().StringVar(&o.profile, "profile", "", "shared config profile (default: the standard credential chain)")
	c.Flags().StringSliceVar(&o.regions, "region", nil, "region to collect; repeat or separate with commas (default: AWS_REGION or the profile's)")
	c.Flags().BoolVar(&o.allRegions, "all-regions", false, "collect every region enabled in each account")
	c.Flags().StringArrayVar(&o.roleARNs, "role-arn", nil, "IAM role to assume to collect its account too; repeatable")
	c.Flags().StringVar(&o.out, "out", "", "snapshot folder to write (replaced if it holds a previous snapshot)")
	c.Flags().IntVar(&o.concurrency, "concurrency", awscollect.DefaultConcurrency, "API requests in flight at most")
	c.Flags().DurationVar(&o.callTimeout, "call-timeout", awscollect.DefaultCallTimeout, "time limit of one request, retries included")
	c.Flags().BoolVar(&o.printPolicy, "print-iam-policy", false, "print the minimal IAM policy the collector needs and exit")
	mustComplete(c, "profile", completeAWSProfiles)
	mustComplete(c, "out", completeDirs)
	freeText(c, "region", "role-arn", "concurrency", "call-timeout")
	return c
}

func runCollect(ctx context.Context, s *streams, o *collectOptions) error {
	if o.printPolicy {
		_, err := s.Out.Write(awscollect.IAMPolicy)
		return err
	}
	res, err := awscollect.Collect(ctx, awscollect.Options{
		Profile:     o.profile,
		Regions:     o.regions,
		AllRegions:  o.allRegions,
		RoleARNs:    o.roleARNs,
		Concurrency: o.concurrency,
		CallTimeout: o.callTimeout,
		Progress:    s.ErrOut,
		ToolVersion: version,
	})
	if err != nil {
		msg := err.Error()
		if errors.Is(err, context.Canceled) {
			msg = "collection cancelled; nothing written"
		}
		return errors.New(msg)
	}
	if err := res.WriteDir(o.out); err != nil {
		return err
	}
	m := res.Manifest
	var accounts []string
	for _, a := range m.Accounts {
		accounts = append(accounts, a.AccountID)
	}
	sort.Strings(accounts)
	fmt.Fprintf(s.ErrOut, "collect: wrote %s: %d files from account %s, region %s (%d calls)\n",
		o.out, len(res.Files()), strings.Join(accounts, ", "), strings.Join(m.Regions, ", "), len(m.Calls))
	if n := len(m.Gaps); n > 0 {
		fmt.Fprintf(s.ErrOut, "collect: %d calls refused (warnings above); %s lists them, and traces that need their data answer unknown\n",
			n, awscollect.ManifestFile)
	}
	return nil
}
