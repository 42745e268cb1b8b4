package awscollect

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"

	"github.com/vpcpath/vpcpath/model/awscollect/mototest"
)

// fakeAWS is a local HTTP server that answers the collector's calls the way
// the AWS APIs do: EC2 and STS in the Query protocol with XML, Route 53 in
// REST-XML, Route 53 Resolver in JSON. By default every list is empty; a
// test overrides single operations.
type fakeAWS struct {
	t   testing.TB
	srv *httptest.Server

	mu       sync.Mutex
	counts   map[string]int // "ec2:DescribeVpcs" -> requests seen
	handlers map[string]fakeHandler
}

// fakeHandler answers the n-th request (from 1) of one operation; params are
// the request's parameters (form, query, or top-level JSON members).
type fakeHandler func(w http.ResponseWriter, r *http.Request, params url.Values, n int)

const (
	ec2NS   = "http://ec2.amazonaws.com/doc/2016-11-15/"
	r53NS   = "https://route53.amazonaws.com/doc/2013-04-01/"
	fakeAcc = "123456789012"
)

func newFakeAWS(t testing.TB) *fakeAWS {
	f := &fakeAWS{t: t, counts: map[string]int{}, handlers: map[string]fakeHandler{}}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	return f
}

// setenv points the SDK's default chain at the server.
func (f *fakeAWS) setenv(t testing.TB) { mototest.SetenvEndpoint(t, f.srv.URL, "us-east-1") }

func (f *fakeAWS) handle(op string, h fakeHandler) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.handlers[op] = h
}

func (f *fakeAWS) count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts[op]
}

func (f *fakeAWS) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.counts {
		n += c
	}
	return n
}

func (f *fakeAWS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op, params, err := identify(r)
	if err != nil && r.Context().Err() == nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		f.t.Errorf("fake AWS: %v", err)
	}
	if err != nil {
		// A request the client abandoned mid-body (the collection already
		// failed and cancelled its other calls) is not a test failure.
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.counts[op]++
	n := f.counts[op]
	h := f.handlers[op]
	f.mu.Unlock()
	if h != nil {
		h(w, r, params, n)
		return
	}
	defaultAnswer(w, op, params)
}

// identify names the operation of a request.
func identify(r *http.Request) (op string, params url.Values, err error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return "", nil, err
	}
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		svc, name, _ := strings.Cut(target, ".")
		prefix := map[string]string{"Route53Resolver": "route53resolver", "OvertureService": "directconnect"}[svc]
		if prefix == "" {
			return "", nil, fmt.Errorf("unexpected target %s", target)
		}
		var members map[string]any
		if len(body) > 0 {
			if err := json.Unmarshal(body, &members); err != nil {
				return "", nil, err
			}
		}
		params = url.Values{}
		for k, v := range members {
			params.Set(k, fmt.Sprint(v))
		}
		return prefix + ":" + name, params, nil
	}
	if rest, ok := strings.CutPrefix(r.URL.Path, "/2013-04-01/hostedzone"); ok {
		params = r.URL.Query()
		parts := strings.Split(strings.Trim(rest, "/"), "/")
		switch {
		case rest == "" || rest == "/":
			return "route53:ListHostedZones", params, nil
		case len(parts) == 1:
			params.Set("Id", parts[0])
			return "route53:GetHostedZone", params, nil
		case len(parts) == 2 && parts[1] == "rrset":
			params.Set("Id", parts[0])
			return "route53:ListResourceRecordSets", params, nil
		}
		return "", nil, fmt.Errorf("unexpected Route 53 path %s", r.URL.Path)
	}
	params, err = url.ParseQuery(string(body))
	if err != nil {
		return "", nil, err
	}
	switch params.Get("Version") {
	case "2016-11-15":
		return "ec2:" + params.Get("Action"), params, nil
	case "2011-06-15":
		return "sts:" + params.Get("Action"), params, nil
	}
	return "", nil, fmt.Errorf("unexpected request %s %s %q", r.Method, r.URL, body)
}

func defaultAnswer(w http.ResponseWriter, op string, params url.Values) {
	svc, name, _ := strings.Cut(op, ":")
	switch {
	case op == "sts:GetCallerIdentity":
		stsXML(w, name, `<Arn>arn:aws:iam::`+fakeAcc+`:user/reader</Arn><UserId>AIDACKCEVSQ6C2EXAMPLE</UserId><Account>`+fakeAcc+`</Account>`)
	case op == "sts:AssumeRole":
		expires := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
		acct := strings.Split(params.Get("RoleArn"), ":")[4]
		stsXML(w, name, `<AssumedRoleUser><AssumedRoleId>AROA3XFRBF535PLBIFPI4:vpcpath-collect</AssumedRoleId><Arn>arn:aws:sts::`+acct+
			`:assumed-role/reader/vpcpath-collect</Arn></AssumedRoleUser><Credentials><AccessKeyId>ASIAFAKE`+acct+
			`</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken><Expiration>`+expires+`</Expiration></Credentials>`)
	case op == "ec2:DescribeRegions":
		ec2XML(w, name, `<regionInfo>
        <item><regionName>us-east-1</regionName><regionEndpoint>ec2.us-east-1.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>
        <item><regionName>ap-east-1</regionName><regionEndpoint>ec2.ap-east-1.amazonaws.com</regionEndpoint><optInStatus>not-opted-in</optInStatus></item>
        <item><regionName>eu-west-1</regionName><regionEndpoint>ec2.eu-west-1.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>
    </regionInfo>`)
	case svc == "ec2":
		ec2XML(w, name, "")
	case op == "route53:ListHostedZones":
		r53XML(w, name, `<HostedZones></HostedZones><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems>`)
	case svc == "route53resolver":
		key := strings.TrimPrefix(name, "List")
		resolverJSON(w, `{"MaxResults":100,"`+key+`":[]}`)
	case svc == "directconnect":
		// Direct Connect speaks JSON 1.1 too; an empty object is an empty
		// list of whatever was asked.
		resolverJSON(w, `{}`)
	default:
		http.Error(w, "fake AWS: no answer for "+op, http.StatusNotImplemented)
	}
}

func ec2XML(w http.ResponseWriter, action, inner string) {
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<%sResponse xmlns="%s">
    <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
    %s
</%sResponse>`, action, ec2NS, inner, action)
}

// ec2Error writes an error as EC2 does (also the shape STS's Query errors
// take on the wire is different; see stsError).
func ec2Error(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestID></Response>`, code, msg)
}

func stsXML(w http.ResponseWriter, action, result string) {
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<%sResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <%sResult>%s</%sResult>
  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
</%sResponse>`, action, action, result, action, action)
}

func stsError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>
  <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
</ErrorResponse>`, code, msg)
}

func r53XML(w http.ResponseWriter, op, inner string) {
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<%sResponse xmlns="%s">%s</%sResponse>`, op, r53NS, inner, op)
}

func r53Error(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0"?>
<ErrorResponse xmlns="%s"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>3d5c7b4c-1e5a-4b59-9d1a-EXAMPLE</RequestId></ErrorResponse>`, r53NS, code, msg)
}

func resolverJSON(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	io.WriteString(w, body)
}

func resolverError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"__type":"%s","Message":"%s"}`, code, msg)
}

// quickRetries makes retries wait a millisecond instead of up to seconds.
func quickRetries(o *Options) {
	o.backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return time.Millisecond, nil })
}
