package main

import (
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vpcpath/vpcpath/model"
)

func TestHostEntries(t *testing.T) {
	m := model.New()
	m.HostedZones["Z1"] = &model.HostedZone{ID: "Z1", Name: "corp.internal.", Private: true, Records: []model.Record{
		{Name: "db.corp.internal.", Type: "A"},
		{Name: "*.corp.internal.", Type: "A"}, // a wildcard is no name to type
		{Name: "corp.internal.", Type: "SOA"}, // nor a zone's own records
		{Name: "web.corp.internal.", Type: "CNAME"},
	}}
	m.HostedZones["Z2"] = &model.HostedZone{ID: "Z2", Name: "example.com.", Records: []model.Record{{Name: "www.example.com.", Type: "A"}}}
	m.EndpointServices["com.amazonaws.us-east-1.sts"] = &model.EndpointService{Name: "com.amazonaws.us-east-1.sts", PrivateDNSNames: []string{"sts.us-east-1.amazonaws.com."}}
	m.EndpointServices["com.amazonaws.us-east-1.kms"] = &model.EndpointService{Name: "com.amazonaws.us-east-1.kms", PrivateDNSNames: []string{"kms.us-east-1.amazonaws.com."}}
	m.Endpoints["vpce-1"] = &model.VPCEndpoint{ID: "vpce-1", Type: model.EndpointInterface, ServiceName: "com.amazonaws.us-east-1.sts", PrivateDNS: true,
		DNSNames: []string{"vpce-1-abc.sts.us-east-1.vpce.amazonaws.com", "sts.us-east-1.amazonaws.com"}}
	m.Endpoints["vpce-2"] = &model.VPCEndpoint{ID: "vpce-2", Type: model.EndpointInterface, ServiceName: "com.amazonaws.us-east-1.kms"} // private DNS off
	m.Endpoints["vpce-3"] = &model.VPCEndpoint{ID: "vpce-3", Type: model.EndpointGateway, ServiceName: "com.amazonaws.us-east-1.s3"}
	want := []string{
		"db.corp.internal\tA record of private zone corp.internal",
		"web.corp.internal\tCNAME record of private zone corp.internal",
		"sts.us-east-1.amazonaws.com\tprivate DNS name of vpce-1",
		"vpce-1-abc.sts.us-east-1.vpce.amazonaws.com\tDNS name of vpce-1",
	}
	if diff := cmp.Diff(want, hostEntries(m)); diff != "" {
		t.Errorf("hostEntries (-want +got):\n%s", diff)
	}
}

func TestIniProfiles(t *testing.T) {
	dir := t.TempDir()
	config := dir + "/config"
	writeFile(t, config, "[default]\nregion = us-east-1\n[profile audit]\n[ profile  spaced ]\n[sso-session corp]\n[services s]\n")
	if diff := cmp.Diff([]string{"default", "audit", "spaced"}, iniProfiles(config, true)); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}
	creds := dir + "/credentials"
	writeFile(t, creds, "[default]\n[build]\naws_access_key_id = x\n")
	if diff := cmp.Diff([]string{"default", "build"}, iniProfiles(creds, false)); diff != "" {
		t.Errorf("credentials (-want +got):\n%s", diff)
	}
	if got := iniProfiles(dir+"/none", true); got != nil {
		t.Errorf("a missing file lists %v", got)
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
