package agent

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/vpcpath/vpcpath/probe"
)

// DefaultIMDS is the instance metadata service's address.
const DefaultIMDS = "169.254.169.254"

// imdsTimeout bounds the whole metadata exchange.
const imdsTimeout = time.Second

// HostContext describes the host the probe runs on. imds is the metadata
// service's address ("" skips it).
func HostContext(ctx context.Context, imds string) probe.Host {
	h := probe.Host{Addresses: []string{}}
	h.Hostname, _ = os.Hostname()
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			ipn, ok := a.(*net.IPNet)
			if !ok || ipn.IP.IsLoopback() || ipn.IP.IsLinkLocalUnicast() {
				continue
			}
			h.Addresses = append(h.Addresses, ipn.IP.String())
		}
	}
	if imds == "" {
		h.IMDS = "disabled"
		return h
	}
	id, err := instanceID(ctx, imds)
	if err != nil {
		h.IMDS = err.Error()
		return h
	}
	h.InstanceID, h.IMDS = id, "ok"
	return h
}

// instanceID asks IMDSv2 for the instance ID: a session token first (PUT),
// then the ID with the token, within one second in all.
func instanceID(ctx context.Context, addr string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, imdsTimeout)
	defer cancel()
	client := &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	base := "http://" + addr
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, base+"/latest/api/token", nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("X-aws-ec2-metadata-token-ttl-seconds", "60")
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("instance metadata not reachable: %v", err)
	}
	token, err := io.ReadAll(io.LimitReader(resp.Body, 4096))
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("instance metadata token: HTTP %d", resp.StatusCode)
	}
	req, err = http.NewRequestWithContext(ctx, http.MethodGet, base+"/latest/meta-data/instance-id", nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("X-aws-ec2-metadata-token", string(token))
	resp, err = client.Do(req)
	if err != nil {
		return "", fmt.Errorf("instance metadata: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 256))
	if err != nil || resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("instance metadata instance-id: HTTP %d", resp.StatusCode)
	}
	return strings.TrimSpace(string(body)), nil
}
