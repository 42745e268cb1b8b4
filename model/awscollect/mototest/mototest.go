// Package mototest runs moto_server, a local emulator of the AWS APIs, for
// tests, and builds networks in it through the real SDK.
//
// With [Start], one moto_server process serves every test of a test binary:
// it is launched on a free loopback port the first time and its state is
// reset on every call, so tests that use it must not run in parallel with
// each other. It is stopped by [Stop] (call it from TestMain) and, as a
// safety net, killed by the kernel when the test binary dies. [New] starts a
// server of the test's own instead.
//
// Only 127.0.0.1 is ever contacted.
package mototest

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Binary is the emulator's command.
const Binary = "moto_server"

// Static credentials moto accepts; its default account is DefaultAccount.
const (
	AccessKeyID     = "AKIAMOTOTESTING00001"
	SecretAccessKey = "moto-test-secret"
	DefaultAccount  = "123456789012"
)

// Server is a running moto_server.
type Server struct {
	URL string // like http://127.0.0.1:41234

	cmd    *exec.Cmd
	stderr *lockedBuffer
	exited chan struct{}
}

var shared struct {
	mu  sync.Mutex
	srv *Server
}

// Start returns the test binary's moto_server, started on first use, with
// its state reset. It skips tb when moto_server is not on PATH and fails it
// when the server does not come up.
func Start(tb testing.TB) *Server {
	tb.Helper()
	if _, err := exec.LookPath(Binary); err != nil {
		tb.Skipf("%s is not on PATH (pip install 'moto[server]'); skipping the test against the AWS emulator", Binary)
	}
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.srv != nil {
		select {
		case <-shared.srv.exited:
			shared.srv = nil // died; start another
		default:
		}
	}
	if shared.srv == nil {
		srv, err := launch()
		if err != nil {
			tb.Fatalf("starting %s: %v", Binary, err)
		}
		shared.srv = srv
	}
	if err := shared.srv.Reset(); err != nil {
		tb.Fatalf("resetting %s: %v", Binary, err)
	}
	return shared.srv
}

// New starts a moto_server of tb's own, stopped when tb ends; for test
// binaries that cannot call [Stop] from TestMain. It skips tb when
// moto_server is not on PATH.
func New(tb testing.TB) *Server {
	tb.Helper()
	if _, err := exec.LookPath(Binary); err != nil {
		tb.Skipf("%s is not on PATH (pip install 'moto[server]'); skipping the test against the AWS emulator", Binary)
	}
	srv, err := launch()
	if err != nil {
		tb.Fatalf("starting %s: %v", Binary, err)
	}
	tb.Cleanup(srv.stop)
	return srv
}

// Stop ends the shared moto_server, if one was started.
func Stop() {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.srv != nil {
		shared.srv.stop()
		shared.srv = nil
	}
}

func launch() (*Server, error) {
	var lastErr error
	for try := 0; try < 3; try++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		srv := &Server{URL: "http://127.0.0.1:" + strconv.Itoa(port), stderr: &lockedBuffer{}, exited: make(chan struct{})}
		srv.cmd = exec.Command(Binary, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
		srv.cmd.Stdout = srv.stderr
		srv.cmd.Stderr = srv.stderr
		srv.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
		if err := srv.cmd.Start(); err != nil {
			return nil, err
		}
		go func() { srv.cmd.Wait(); close(srv.exited) }()
		if err := srv.waitReady(30 * time.Second); err != nil {
			srv.stop()
			lastErr = err
			continue // most likely the port was taken meanwhile
		}
		return srv, nil
	}
	return nil, lastErr
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (s *Server) waitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	client := &http.Client{Timeout: time.Second}
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return fmt.Errorf("%s exited: %s", Binary, s.stderr.String())
		default:
		}
		resp, err := client.Get(s.URL + "/moto-api/data.json")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer on %s within %s: %s", Binary, s.URL, limit, s.stderr.String())
}

func (s *Server) stop() {
	if s.cmd.Process != nil {
		// The process group: the pyenv shim may have left a parent behind.
		syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	}
	<-s.exited
}

// Reset drops every resource of every account and region.
func (s *Server) Reset() error {
	resp, err := http.Post(s.URL+"/moto-api/reset", "application/json", nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("reset: HTTP %d", resp.StatusCode)
	}
	return nil
}

// Setenv points the SDK's default configuration chain at the server through
// AWS_ENDPOINT_URL (nothing else), with static credentials and the given
// region, and keeps any real profile, credentials file or instance role out.
func (s *Server) Setenv(tb testing.TB, region string) {
	tb.Helper()
	SetenvEndpoint(tb, s.URL, region)
	// moto has no Direct Connect gateways or virtual interfaces: an empty
	// stand-in answers for it (see [DirectConnect]).
	tb.Setenv("AWS_ENDPOINT_URL_DIRECT_CONNECT", NewDirectConnect(tb).URL)
}

// SetenvEndpoint is [Server.Setenv] for any local endpoint URL.
func SetenvEndpoint(tb testing.TB, url, region string) {
	tb.Helper()
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL":                    url,
		"AWS_ACCESS_KEY_ID":                   AccessKeyID,
		"AWS_SECRET_ACCESS_KEY":               SecretAccessKey,
		"AWS_SESSION_TOKEN":                   "",
		"AWS_REGION":                          region,
		"AWS_DEFAULT_REGION":                  "",
		"AWS_PROFILE":                         "",
		"AWS_DEFAULT_PROFILE":                 "",
		"AWS_CONFIG_FILE":                     os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE":         os.DevNull,
		"AWS_EC2_METADATA_DISABLED":           "true",
		"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "",
		"AWS_ENDPOINT_URL_EC2":                "",
		"AWS_ENDPOINT_URL_STS":                "",
		"AWS_ENDPOINT_URL_ROUTE_53":           "",
		"AWS_ENDPOINT_URL_ROUTE53RESOLVER":    "",
		"AWS_ENDPOINT_URL_DIRECT_CONNECT":     "",
		"AWS_RETRY_MODE":                      "",
		"AWS_MAX_ATTEMPTS":                    "",
	} {
		tb.Setenv(k, v)
	}
}

// Config returns a configuration that reaches the server through
// BaseEndpoint, for building test resources in DefaultAccount. It reads
// nothing from the environment.
func (s *Server) Config(region string) aws.Config {
	cfg := aws.NewConfig()
	cfg.Region = region
	cfg.BaseEndpoint = aws.String(s.URL)
	cfg.Credentials = aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(AccessKeyID, SecretAccessKey, ""))
	return *cfg
}

// AccountConfig is [Server.Config] for another account: moto keeps each
// account's resources apart by the account of the credentials, and hands out
// credentials for any account through sts:AssumeRole.
func (s *Server) AccountConfig(region, account string) aws.Config {
	cfg := s.Config(region)
	if account == DefaultAccount {
		return cfg
	}
	cfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), RoleARN(account)))
	return cfg
}

// RoleARN is a role moto lets anyone assume in account; moto keeps each
// account's resources apart by the account of the credentials.
func RoleARN(account string) string {
	return "arn:aws:iam::" + account + ":role/vpcpath-reader"
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 1<<20 {
		return len(p), nil
	}
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
