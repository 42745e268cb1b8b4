package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets testscript run the real vpcpath Main in-process as the
// "vpcpath" command of the scripts.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"vpcpath": func() { os.Exit(mainCheckingSchema()) },
	})
}

// TestScripts runs the golden CLI scenarios in testdata/script. Set
// VPCPATH_UPDATE_GOLDEN=1 to rewrite the expected output in place.
func TestScripts(t *testing.T) {
	testscript.Run(t, scriptParams(t, "testdata/script"))
}

func scriptParams(t *testing.T, dir string) testscript.Params {
	shared, _ := filepath.Abs("../../../shared")
	plans, _ := filepath.Abs("../../testdata/plans")
	corpus, _ := filepath.Abs("../../testdata/terraform")
	templates, _ := filepath.Abs("../../testdata/cloudformation")
	terraform, _ := filepath.Abs("../../testdata/terraform")
	return testscript.Params{
		Dir:           dir,
		UpdateScripts: os.Getenv("VPCPATH_UPDATE_GOLDEN") != "",
		Setup: func(env *testscript.Env) error {
			// No real AWS profile or credentials may leak into a test.
			env.Setenv("AWS_CONFIG_FILE", "/dev/null")
			env.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
			env.Setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
			env.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
			env.Setenv("AWS_REGION", "us-east-1")
			env.Setenv("SHARED", shared)
			env.Setenv("PLANS", plans)         // the bundled example's Terraform plans (testdata/plans/gen.py)
			env.Setenv("TFCORPUS", corpus)     // real Terraform plans of small networks (scripts/terraform-plans.sh)
			env.Setenv("TEMPLATES", templates) // CloudFormation templates (testdata/cloudformation)
			env.Setenv("TF", terraform)        // plans of small HCL networks by real terraform (scripts/terraform-plans.sh)
			return nil
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "shared":
				_, err := os.Stat(filepath.Join(shared, "fixtures", "external"))
				return err == nil, nil
			}
			return false, nil
		},
	}
}
