// Command etcd is the etcd server, built from the published go.etcd.io/etcd/server/v3
// module for the kubectl-gwtls end-to-end control plane (see test/e2e/README.md).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
