package cfn

import "testing"

// FuzzTemplate: any input is a template, an error naming the file, or a
// model; never a panic or a hang.
func FuzzTemplate(f *testing.F) {
	f.Add([]byte(network))
	f.Add([]byte(exprTemplate))
	f.Add([]byte("Resources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: !Select [0, !Cidr [10.0.0.0/16, 4, 8]]}\n"))
	f.Add([]byte(`{"Resources": {"S": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "V"}}}, "V": {"Type": "AWS::EC2::VPC"}}}`))
	f.Add([]byte("Conditions:\n  A: !Condition B\n  B: !Condition A\nResources:\n  V: {Type: AWS::EC2::VPC, Condition: A}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tm, err := Parse("fuzz.yaml", data, Options{Params: map[string]string{"AWS::Region": "us-east-1"}})
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if _, err := tm.Model(); err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
		}
	})
}
