// Command vpcpath tells whether a packet will get where it should inside
// AWS, why, and what to change.
package main

import "os"

func main() { os.Exit(Main()) }
