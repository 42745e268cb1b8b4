package mototest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// DirectConnect stands in for the AWS Direct Connect API, which moto 5
// emulates only for connections and LAGs: its DescribeDirectConnectGateways,
// DescribeDirectConnectGatewayAssociations and DescribeVirtualInterfaces
// answer HTTP 500. This loopback server answers those three in Direct
// Connect's JSON 1.1 protocol, from what a test adds (nothing by default),
// and anything else with an error.
type DirectConnect struct {
	URL string

	mu       sync.Mutex
	gateways []map[string]any
	vifs     []map[string]any
	assocs   map[string][]map[string]any
}

// NewDirectConnect starts a stand-in, closed when tb ends.
func NewDirectConnect(tb testing.TB) *DirectConnect {
	d := &DirectConnect{assocs: map[string][]map[string]any{}}
	srv := httptest.NewServer(http.HandlerFunc(d.serve))
	tb.Cleanup(srv.Close)
	d.URL = srv.URL
	return d
}

// AddGateway adds a Direct Connect gateway, in the API's camelCase
// members ("directConnectGatewayId", ...).
func (d *DirectConnect) AddGateway(g map[string]any) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.gateways = append(d.gateways, g)
}

// AddAssociation adds an association of gateway gw.
func (d *DirectConnect) AddAssociation(gw string, a map[string]any) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.assocs[gw] = append(d.assocs[gw], a)
}

// AddVirtualInterface adds a virtual interface.
func (d *DirectConnect) AddVirtualInterface(v map[string]any) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.vifs = append(d.vifs, v)
}

func (d *DirectConnect) serve(w http.ResponseWriter, r *http.Request) {
	var in map[string]any
	_ = json.NewDecoder(r.Body).Decode(&in)
	_, op, _ := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
	d.mu.Lock()
	var out map[string]any
	switch op {
	case "DescribeDirectConnectGateways":
		out = map[string]any{"directConnectGateways": nonNil(d.gateways)}
	case "DescribeDirectConnectGatewayAssociations":
		gw, _ := in["directConnectGatewayId"].(string)
		out = map[string]any{"directConnectGatewayAssociations": nonNil(d.assocs[gw])}
	case "DescribeVirtualInterfaces":
		out = map[string]any{"virtualInterfaces": nonNil(d.vifs)}
	}
	d.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if out == nil {
		w.Header().Set("X-Amzn-ErrorType", "DirectConnectClientException")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"__type": "DirectConnectClientException", "message": "the stand-in does not answer " + op})
		return
	}
	_ = json.NewEncoder(w).Encode(out)
}

func nonNil(l []map[string]any) []map[string]any {
	if l == nil {
		return []map[string]any{}
	}
	return l
}
