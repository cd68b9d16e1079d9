// Command cert-manager runs a subset of cert-manager's registered controllers out of cluster, for the e2e
// tests of kubectl-gwtls. The module proxy serves github.com/cert-manager/cert-manager (pkg/controller and
// friends) but not the controller binary's own module (github.com/cert-manager/cert-manager/controller-binary,
// cmd/controller in the repository), so this is a reduced copy of cmd/controller/app/controller.go (v1.21):
// no leader election, metrics, profiler or healthz server; the same ContextFactory, controller constructors
// and informer factories.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"
	"k8s.io/apimachinery/pkg/util/sets"

	"github.com/cert-manager/cert-manager/pkg/controller"
	logf "github.com/cert-manager/cert-manager/pkg/logs"
	utilfeature "github.com/cert-manager/cert-manager/pkg/util/feature"

	// controllers (each registers itself with controller.Register in init)
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificate-shim/gateways"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/approver"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/ca"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/selfsigned"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/issuing"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/keymanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/readiness"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/requestmanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/revisionmanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/trigger"
	_ "github.com/cert-manager/cert-manager/pkg/controller/clusterissuers"
	_ "github.com/cert-manager/cert-manager/pkg/controller/issuers"
	// issuer backends the issuers/clusterissuers controllers set up (pkg/issuer registry)
	_ "github.com/cert-manager/cert-manager/pkg/issuer/ca"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/selfsigned"
)

// The controllers started when -controllers is not given: cert-manager's default set restricted to the
// CA and SelfSigned issuers, plus the gateway-shim (which cert-manager adds when Gateway API support is on).
var defaultControllers = []string{
	"issuers", "clusterissuers",
	"certificaterequests-approver", "certificaterequests-issuer-ca", "certificaterequests-issuer-selfsigned",
	"certificates-trigger", "certificates-issuing", "certificates-key-manager", "certificates-request-manager",
	"certificates-readiness", "certificates-revision-manager",
	"gateway-shim",
}

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig of the API server")
	clusterResourceNamespace := flag.String("cluster-resource-namespace", "cert-manager", "namespace holding the Secrets of ClusterIssuers")
	controllers := flag.String("controllers", strings.Join(defaultControllers, ","), "comma-separated controllers to run")
	enableGatewayAPI := flag.Bool("enable-gateway-api", true, "cert-manager's config.enableGatewayAPI (the gateway-shim needs it)")
	workers := flag.Int("workers", 5, "workers per controller")
	minBackoff := flag.Duration("certificate-request-minimum-backoff-duration", time.Hour, "backoff after a failed issuance (cert-manager's default 1h)")
	featureGates := flag.String("feature-gates", "", "cert-manager feature gates, e.g. ServerSideApply=true")
	logf.InitLogs()
	flag.Parse()
	defer logf.FlushLogs()

	if *featureGates != "" {
		if err := utilfeature.DefaultMutableFeatureGate.Set(*featureGates); err != nil {
			fmt.Fprintf(os.Stderr, "cert-manager: -feature-gates: %v\n", err)
			os.Exit(2)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	ctx = logf.NewContext(ctx, logf.Log, "controller")
	if err := run(ctx, *kubeconfig, *clusterResourceNamespace, *controllers, *enableGatewayAPI, *workers, *minBackoff); err != nil {
		fmt.Fprintf(os.Stderr, "cert-manager: %v\n", err)
		os.Exit(1)
	}
}

func run(rootCtx context.Context, kubeconfig, clusterResourceNamespace, controllers string, enableGatewayAPI bool, workers int, minBackoff time.Duration) error {
	log := logf.FromContext(rootCtx)
	g, rootCtx := errgroup.WithContext(rootCtx)
	// the values of cert-manager's defaults (internal/apis/config/controller/v1alpha1/defaults.go, v1.21.2)
	// except the namespaces, the backoff and Gateway API support
	factory, err := controller.NewContextFactory(rootCtx, controller.ContextOptions{
		Kubeconfig:         kubeconfig,
		KubernetesAPIQPS:   20,
		KubernetesAPIBurst: 50,
		IssuerOptions: controller.IssuerOptions{
			ClusterResourceNamespace: clusterResourceNamespace,
		},
		IngressShimOptions: controller.IngressShimOptions{
			DefaultIssuerKind:                 "Issuer",
			DefaultIssuerGroup:                "cert-manager.io",
			DefaultAutoCertificateAnnotations: []string{"kubernetes.io/tls-acme"},
			GatewayAPIExtraProtocols:          sets.New[string](),
		},
		CertificateOptions: controller.CertificateOptions{
			CopiedAnnotationPrefixes:                 []string{"*", "-kubectl.kubernetes.io/", "-fluxcd.io/", "-argocd.argoproj.io/"},
			CertificateRequestMinimumBackoffDuration: minBackoff,
			CertificateRequestMaximumBackoffDuration: 32 * time.Hour,
		},
		SchedulerOptions: controller.SchedulerOptions{MaxConcurrentChallenges: 60},
		ConfigOptions:    controller.ConfigOptions{EnableGatewayAPI: enableGatewayAPI},
	})
	if err != nil {
		return err
	}
	ctx, err := factory.Build()
	if err != nil {
		return err
	}

	enabled := sets.New(strings.Split(controllers, ",")...)
	if !enableGatewayAPI {
		enabled.Delete("gateway-shim")
	}
	known := controller.Known()
	var names []string
	for n := range enabled {
		if _, ok := known[n]; !ok {
			return fmt.Errorf("unknown controller %q (built in: %s)", n, strings.Join(sets.List(sets.KeySet(known)), ", "))
		}
		names = append(names, n)
	}
	sort.Strings(names)
	log.Info("starting controllers", "controllers", names)
	for _, n := range names {
		iface, err := known[n](factory)
		if err != nil {
			return fmt.Errorf("controller %s: %w", n, err)
		}
		g.Go(func() error { return iface.Run(workers, rootCtx) })
	}

	ctx.SharedInformerFactory.Start(rootCtx.Done())
	ctx.KubeSharedInformerFactory.Start(rootCtx.Done())
	ctx.HTTP01ResourceMetadataInformersFactory.Start(rootCtx.Done())
	if enableGatewayAPI {
		ctx.GWShared.Start(rootCtx.Done())
	}
	// the e2e harness waits for this line
	fmt.Fprintln(os.Stderr, "cert-manager: controllers started")
	return g.Wait()
}
