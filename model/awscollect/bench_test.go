package awscollect

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/vpcpath/vpcpath/model/awscollect/mototest"
)

// The example's network (and the extras: 71 calls over two accounts) in
// moto, collected with the calls in parallel and then one after another:
//
//	go test ./model/awscollect -run '^$' -bench Collect -benchtime 5x
//
// "direct" talks to moto itself, which answers one request at a time (one
// Python process), so parallel calls cannot go faster there. "rtt=30ms"
// puts a loopback proxy in front that delays every request by 30ms, as the
// round trip to a real AWS region does, which is what the parallel calls
// overlap.
func BenchmarkCollectParallel(b *testing.B)   { benchmarkCollect(b, DefaultConcurrency) }
func BenchmarkCollectSequential(b *testing.B) { benchmarkCollect(b, 1) }

func benchmarkCollect(b *testing.B, concurrency int) {
	srv := mototest.Start(b)
	ctx := context.Background()
	ex, err := mototest.LoadExample(exampleDir)
	if err != nil {
		b.Fatal(err)
	}
	cfg := srv.AccountConfig(region, exampleAccount)
	ids, err := mototest.Replay(ctx, cfg, ex)
	if err != nil {
		b.Fatal(err)
	}
	addExtras(b, ctx, cfg, ids.Of(aws.ToString(ex.Vpcs[0].VpcId)))
	opts := Options{RoleARNs: []string{mototest.RoleARN(exampleAccount)}, Concurrency: concurrency}

	target, _ := url.Parse(srv.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	delayed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(30 * time.Millisecond)
		proxy.ServeHTTP(w, r)
	}))
	defer delayed.Close()

	for _, endpoint := range []struct{ name, url string }{{"direct", srv.URL}, {"rtt=30ms", delayed.URL}} {
		b.Run(endpoint.name, func(b *testing.B) {
			mototest.SetenvEndpoint(b, endpoint.url, region)
			b.Setenv("AWS_ENDPOINT_URL_DIRECT_CONNECT", mototest.NewDirectConnect(b).URL) // moto has no Direct Connect gateways
			// Warm moto up: its first answers of a kind are slow.
			if _, err := Collect(ctx, opts); err != nil {
				b.Fatal(err)
			}
			calls := 0
			for b.Loop() {
				res, err := Collect(ctx, opts)
				if err != nil {
					b.Fatal(err)
				}
				calls = len(res.Manifest.Calls)
			}
			b.ReportMetric(float64(calls), "calls/op")
		})
	}
}
