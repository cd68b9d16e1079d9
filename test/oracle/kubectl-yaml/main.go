// kubectl's YAML reading, for the differential test of src/cluster/yaml-schema.ts: one YAML scalar per line on
// stdin, out the JSON that sigs.k8s.io/yaml.YAMLToJSON (what `kubectl apply -f` uses) makes of `v: <scalar>`, or
// ERR when it refuses it.
package main

import (
	"bufio"
	"fmt"
	"os"

	"sigs.k8s.io/yaml"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		j, err := yaml.YAMLToJSON([]byte("v: " + in.Text() + "\n"))
		if err != nil {
			fmt.Fprintln(out, "ERR")
			continue
		}
		fmt.Fprintln(out, string(j))
	}
}
