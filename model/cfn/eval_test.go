package cfn

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// exprTemplate holds one expression under test in the Value property of
// a resource vpcpath does not model, beside a VPC, a group, a custom
// resource, parameters, conditions and a mapping to refer to.
const exprTemplate = `
Parameters:
  P: {Type: String, Default: 10.1.0.0/16}
  L: {Type: CommaDelimitedList, Default: "a,b,c"}
  Env: {Type: String, Default: prod, AllowedValues: [prod, dev]}
  NoDefault: {Type: String}
  Ssm: {Type: "AWS::SSM::Parameter::Value<String>", Default: /vpc/cidr}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Equals [a, a]]
  Either: !Or [!Condition NotProd, !Equals [!Ref NoDefault, x]]
Mappings:
  M:
    us-east-1: {AZ: us-east-1f}
Resources:
  V:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  G:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: g, VpcId: !Ref V}
  C:
    Type: Custom::Thing
    Properties: {ServiceToken: arn}
  E:
    Type: AWS::EC2::EIP
  X:
    Type: AWS::SNS::Topic
    Properties:
      Value: %s
`

func evalExpr(expr string, params map[string]string) (any, bool, error) {
	src := fmt.Sprintf(exprTemplate, expr)
	t, err := Parse("t.yaml", []byte(src), Options{Params: params, AZs: map[string][]string{"eu-west-1": {"eu-west-1a", "eu-west-1b"}}})
	if err != nil {
		return nil, false, err
	}
	if _, err := t.Model(); err != nil {
		return nil, false, err
	}
	v, ok := t.resources["X"].vals["Value"]
	return v, ok, nil
}

func TestIntrinsics(t *testing.T) {
	region := map[string]string{"AWS::Region": "us-east-1"}
	tests := []struct {
		name   string
		expr   string
		params map[string]string
		want   any
	}{
		{"Ref parameter default", "!Ref P", nil, "10.1.0.0/16"},
		{"Ref parameter given", "!Ref P", map[string]string{"P": "10.9.0.0/16"}, "10.9.0.0/16"},
		{"Ref list parameter", "!Ref L", nil, []any{"a", "b", "c"}},
		{"Ref resource", "!Ref V", nil, "vpc-(V)"},
		{"Ref group", "!Ref G", nil, "sg-(G)"},
		{"Ref EIP is its address", "!Ref E", nil, "198.51.100.1"},
		{"Ref pseudo region given", "!Ref AWS::Region", map[string]string{"AWS::Region": "eu-west-1"}, "eu-west-1"},
		{"Ref pseudo account", "!Ref AWS::AccountId", nil, "123456789012"},
		{"Ref pseudo account given", "!Ref AWS::AccountId", map[string]string{"AWS::AccountId": "111122223333"}, "111122223333"},
		{"Ref pseudo stack name", "!Ref AWS::StackName", nil, "t"},
		{"Ref pseudo partition", "!Ref AWS::Partition", nil, "aws"},
		{"Ref pseudo URL suffix", "!Ref AWS::URLSuffix", nil, "amazonaws.com"},
		{"Sub pseudo and parameter", `!Sub "${AWS::StackName}-${Env}-${AWS::Region}"`, region, "t-prod-us-east-1"},
		{"Sub with variables", `!Sub ["${A}/${V.CidrBlock}", {A: !Ref Env}]`, nil, "prod/10.0.0.0/16"},
		{"Sub literal", `!Sub "${!Literal}-${Env}"`, nil, "${Literal}-prod"},
		{"Sub long form", "{\"Fn::Sub\": \"com.amazonaws.${AWS::Region}.s3\"}", region, "com.amazonaws.us-east-1.s3"},
		{"Join", "!Join [\"-\", [a, !Ref Env, c]]", nil, "a-prod-c"},
		{"Select", "!Select [1, !Ref L]", nil, "b"},
		{"Split", "!Split [\",\", \"x,y\"]", nil, []any{"x", "y"}},
		{"Select Split", "!Select [2, !Split [\",\", \"x,y,z\"]]", nil, "z"},
		{"GetAZs from the network", "!GetAZs \"\"", map[string]string{"AWS::Region": "eu-west-1"}, []any{"eu-west-1a", "eu-west-1b"}},
		{"GetAZs assumed", "!GetAZs us-west-2", nil, []any{"us-west-2a", "us-west-2b", "us-west-2c"}},
		{"Cidr /24s of a /16", "!Cidr [10.0.0.0/16, 3, 8]", nil, []any{"10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"}},
		{"Cidr /27s", "!Cidr [10.0.0.0/22, 3, 5]", nil, []any{"10.0.0.0/27", "10.0.0.32/27", "10.0.0.64/27"}},
		{"Cidr of GetAtt", "!Select [2, !Cidr [!GetAtt V.CidrBlock, 4, 12]]", nil, "10.0.32.0/20"},
		{"Cidr IPv6 /64s", "!Cidr [\"2600:1f14:abc:de00::/56\", 2, 64]", nil, []any{"2600:1f14:abc:de00::/64", "2600:1f14:abc:de01::/64"}},
		{"GetAtt VPC CidrBlock", "!GetAtt V.CidrBlock", nil, "10.0.0.0/16"},
		{"GetAtt VPC default group", "!GetAtt V.DefaultSecurityGroup", nil, "sg-(V:default)"},
		{"GetAtt VPC default ACL", "!GetAtt [V, DefaultNetworkAcl]", nil, "acl-(V:default)"},
		{"GetAtt group id", "!GetAtt G.GroupId", nil, "sg-(G)"},
		{"GetAtt group VPC", "!GetAtt G.VpcId", nil, "vpc-(V)"},
		{"GetAtt EIP allocation", "!GetAtt E.AllocationId", nil, "eipalloc-(E)"},
		{"If true", "!If [IsProd, yes, no]", nil, "yes"},
		{"If false", "!If [IsProd, yes, no]", map[string]string{"Env": "dev"}, "no"},
		{"If And", "!If [Both, yes, no]", nil, "yes"},
		{"If Or short-circuits past an unknown", "!If [Either, yes, no]", map[string]string{"Env": "dev"}, "yes"},
		{"FindInMap", "!FindInMap [M, !Ref AWS::Region, AZ]", region, "us-east-1f"},
		{"ImportValue given", "!ImportValue SharedVpc", map[string]string{"import:SharedVpc": "vpc-0abc"}, "vpc-0abc"},
		{"Base64", "!Base64 abc", nil, "abc"},
		{"NoValue in a list", "[a, !Ref AWS::NoValue, b]", nil, []any{"a", "b"}},
		{"bool", "true", nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := evalExpr(tc.expr, tc.params)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("%s: (-want +got)\n%s", tc.expr, d)
			}
		})
	}
}

// TestIntrinsicsUnknown: what the template does not decide is unknown,
// with the reason, never a guess.
func TestIntrinsicsUnknown(t *testing.T) {
	tests := []struct {
		name, expr, why string
		params          map[string]string
	}{
		{"parameter without value", "!Ref NoDefault", "parameter NoDefault has no value", nil},
		{"SSM parameter", "!Ref Ssm", "SSM parameter /vpc/cidr", nil},
		{"ImportValue", "!ImportValue SharedVpc", "Fn::ImportValue SharedVpc is exported by another stack", nil},
		{"Sub of an unknown", `!Sub "${NoDefault}/24"`, "parameter NoDefault", nil},
		{"Join of an unknown", "!Join [\"\", [a, !ImportValue X]]", "Fn::ImportValue X", nil},
		{"Select of an unknown", "!Select [0, !Split [\",\", !Ref NoDefault]]", "parameter NoDefault", nil},
		{"If on an unknown condition", "!If [Either, yes, no]", "parameter NoDefault", nil},
		{"custom resource attribute", "!GetAtt C.VpcId", "C (Custom::Thing) is built outside the template", nil},
		{"custom resource Ref", "!Ref C", "C (Custom::Thing) is built outside the template", nil},
		{"attribute known after creation", "!GetAtt V.Ipv6CidrBlocks", "known only after the stack creates V", nil},
		{"SSM given is known", "!Ref Ssm", "", map[string]string{"Ssm": "10.0.0.0/16"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := evalExpr(tc.expr, tc.params)
			if err != nil {
				t.Fatal(err)
			}
			u, ok := got.(unknown)
			if tc.why == "" {
				if ok {
					t.Fatalf("%s = unknown (%s), want known", tc.expr, u.why)
				}
				return
			}
			if !ok || !strings.Contains(u.why, tc.why) {
				t.Fatalf("%s = %#v, want unknown naming %q", tc.expr, got, tc.why)
			}
		})
	}
}

func TestNoValueDropsTheProperty(t *testing.T) {
	_, ok, err := evalExpr("!Ref AWS::NoValue", nil)
	if err != nil || ok {
		t.Fatalf("Value present=%v err=%v, want absent", ok, err)
	}
}

// TestBadTemplates: errors name the file, the logical ID and the line.
func TestBadTemplates(t *testing.T) {
	tests := []struct {
		name, src, want string
		params          map[string]string
	}{
		{"malformed YAML", "Resources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: [}\n", "t.yaml:4: malformed YAML: ", nil},
		{"malformed JSON", "{\"Resources\": {\n  \"V\": {\"Type\": \"AWS::EC2::VPC\"\n  \"X\": 1}}}\n", "t.yaml:3: malformed JSON: invalid character", nil},
		{"unknown Ref", "Resources:\n  S:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Nope\n", "t.yaml:5: S: unknown Ref Nope: not a parameter or a resource of the template", nil},
		{"circular conditions", "Conditions:\n  A: !Condition B\n  B: !Not [!Condition A]\nResources:\n  V:\n    Type: AWS::EC2::VPC\n    Condition: A\n", "t.yaml:2: Conditions.A: circular conditions: A -> B -> A", nil},
		{"GetAtt of nothing", "Resources:\n  S:\n    Type: AWS::EC2::Subnet\n    Properties:\n      CidrBlock: !GetAtt Gone.CidrBlock\n", "t.yaml:5: S: Fn::GetAtt Gone.CidrBlock: Gone is not a resource of the template", nil},
		{"no Resources", "Parameters: {}\n", "t.yaml:1: no Resources section", nil},
		{"no Type", "Resources:\n  V:\n    Properties: {}\n", "t.yaml:3: V: no Type", nil},
		{"Select out of range", "Resources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: !Select [3, [a]]\n", "t.yaml:5: V: Fn::Select: index 3 is outside the list of 1", nil},
		{"Cidr too many", "Resources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: !Select [0, !Cidr [10.0.0.0/24, 3, 7]]\n", "V: Fn::Cidr: 10.0.0.0/24 holds only 2 blocks of /25, not 3", nil},
		{"host bits", "Resources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.1/16\n", "t.yaml:5: V: CidrBlock: \"10.0.0.1/16\" has host bits set", nil},
		{"unknown parameter given", "Resources:\n  V:\n    Type: AWS::EC2::VPC\n", "t.yaml: Parameters: --template-param Nope: the template has no such parameter", map[string]string{"Nope": "x"}},
		{"not allowed", "Parameters:\n  E: {Type: String, AllowedValues: [a, b]}\nResources:\n  V:\n    Type: AWS::EC2::VPC\n", "t.yaml:2: Parameters.E: value \"c\" is not among its AllowedValues", map[string]string{"E": "c"}},
		{"FindInMap missing key", "Mappings:\n  M: {us-east-1: {A: b}}\nResources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: !FindInMap [M, eu-west-1, A]\n", "t.yaml:7: V: Fn::FindInMap: mapping M has no key eu-west-1", nil},
		{"undefined resource condition", "Resources:\n  V:\n    Type: AWS::EC2::VPC\n    Condition: Nope\n", "t.yaml:4: V: Condition Nope is not in the Conditions section", nil},
		{"not a template", "- a\n- b\n", "t.yaml:1: not a CloudFormation template", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tm, err := Parse("t.yaml", []byte(tc.src), Options{Params: tc.params})
			if err == nil {
				_, err = tm.Model()
			}
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestGetAttLongFormKeepsItsLine(t *testing.T) {
	src := "Resources:\n  S:\n    Type: AWS::EC2::Subnet\n    Properties:\n      CidrBlock:\n        Fn::GetAtt: Gone.CidrBlock\n"
	tm, err := Parse("t.yaml", []byte(src), Options{})
	if err == nil {
		_, err = tm.Model()
	}
	if err == nil || !strings.HasPrefix(err.Error(), "t.yaml:6: S: Fn::GetAtt Gone.CidrBlock") {
		t.Fatalf("error %v, want it at line 6", err)
	}
}

func TestAssumedRegionIsSaid(t *testing.T) {
	src := "Mappings:\n  M: {eu-west-1: {A: 10.0.0.0/16}}\nResources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: !FindInMap [M, !Ref AWS::Region, A]}\n"
	tm, err := Parse("t.yaml", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tm.Model(); err == nil || !strings.Contains(err.Error(), "AWS::Region was taken as us-east-1") {
		t.Fatalf("error %v, want it to say the region was assumed", err)
	}
	m, _ := build(t, "Resources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\n", nil)
	if a := m.Assumptions["vpc-(V)"]; len(a) != 1 || !strings.Contains(a[0], "taken as us-east-1") {
		t.Errorf("assumptions: %v", a)
	}
}
