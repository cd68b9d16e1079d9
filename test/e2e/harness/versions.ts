/**
 * Every version the end-to-end control plane pins. Changing a Go pin means regenerating the wrapper
 * module: `node test/e2e/harness/cli.ts gen-gomod` (rewrites go.mod/go.sum from the upstream go.mod).
 */

/** kube-apiserver, built from k8s.io/kubernetes/cmd/kube-apiserver. */
export const KUBERNETES_VERSION = 'v1.37.1';

/** etcd, built from go.etcd.io/etcd/server/v3 (etcdmain). */
export const ETCD_VERSION = 'v3.6.16';

export type GatewayApiVersion = 'v1.6.1' | 'v1.4.1';
export const DEFAULT_GATEWAY_API_VERSION: GatewayApiVersion = 'v1.6.1';
export const GATEWAY_API_MODULE = 'sigs.k8s.io/gateway-api';
/** Directory inside the gateway-api module zip; `*_vap_*` files are skipped (see crds.ts). */
export const GATEWAY_API_CRD_DIR = 'config/crd/experimental';

/**
 * AWS Load Balancer Controller v3.5.0 gateway CRDs. The controller's own module
 * (sigs.k8s.io/aws-load-balancer-controller/v3) is not served by the module proxy reachable here, so the
 * CRDs come from the controller's official Helm chart, published in the github.com/aws/eks-charts module
 * (chart `stable/aws-load-balancer-controller` version 3.5.0, appVersion v3.5.0). crds.ts checks the
 * chart's appVersion before using the file.
 */
export const LBC_VERSION = 'v3.5.0';
export const LBC_MODULE = 'github.com/aws/eks-charts';
export const LBC_MODULE_VERSION = 'v0.0.243-0.20260821194545-743f98a89b5b';
export const LBC_CHART_DIR = 'stable/aws-load-balancer-controller';
export const LBC_CRD_FILE = 'stable/aws-load-balancer-controller/crds/gateway-crds.yaml';

/** Envoy Gateway: only the Backend and EnvoyProxy CRDs are installed. */
export const ENVOY_GATEWAY_MODULE = 'github.com/envoyproxy/gateway';
export const ENVOY_GATEWAY_VERSION = 'v1.9.0';
export const ENVOY_GATEWAY_CRD_DIR = 'charts/gateway-helm/charts/crds/crds/generated';
export const ENVOY_GATEWAY_CRD_FILES = ['gateway.envoyproxy.io_backends.yaml', 'gateway.envoyproxy.io_envoyproxies.yaml'];

/**
 * Traefik, the Gateway API implementation the gateway scenarios run (test/e2e/gateway/), built from
 * github.com/traefik/traefik/v3/cmd/traefik. v3.6.12 (Gateway API v1.4.0) rather than v3.7.x: v3.7 replaces
 * github.com/traefik/traefik/dynamic/ext with a nested module (./pkg/config/dynamic/ext) that the module proxy
 * does not serve and that module zips leave out, so it cannot be built from the proxy alone.
 */
export const TRAEFIK_VERSION = 'v3.6.12';
export const TRAEFIK_MODULE = 'github.com/traefik/traefik/v3';
/** The GatewayClass controllerName Traefik's Kubernetes Gateway provider reconciles. */
export const TRAEFIK_CONTROLLER_NAME = 'traefik.io/gateway-controller';

/**
 * cert-manager v1.21.2: its CRDs (deploy/crds) from the module zip, and the controllers of the same module built
 * into a small out-of-cluster wrapper (test/e2e/controlplane/cert-manager). The module proxy serves
 * github.com/cert-manager/cert-manager but not the controller binary's own module (cmd/controller).
 */
export const CERT_MANAGER_MODULE = 'github.com/cert-manager/cert-manager';
export const CERT_MANAGER_VERSION = 'v1.21.2';
export const CERT_MANAGER_CRD_DIR = 'deploy/crds';

/**
 * The differential oracle (test/oracle): Envoy Gateway's own translator, `egctl x translate`, built with
 * `go install EGCTL_PACKAGE@EGCTL_VERSION` (CGO_ENABLED=0) into the harness cache beside kube-apiserver.
 */
export const EGCTL_PACKAGE = 'github.com/envoyproxy/gateway/cmd/egctl';
export const EGCTL_VERSION = 'v1.9.1';

/** kubeconfig context names written by the harness. */
export const ADMIN_CONTEXT = 'gwtls-admin';
export const RESTRICTED_CONTEXT = 'gwtls-restricted';
