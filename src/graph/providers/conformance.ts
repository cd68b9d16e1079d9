// What implementations claim in their Gateway API conformance reports (module sigs.k8s.io/gateway-api/conformance
// @v1.6.1, conformance/reports/<version>/<implementation>/*.yaml), per implementation id of ./index.ts: the
// newest report of each, and whether its GATEWAY-HTTP profile lists BackendTLSPolicySANValidation as supported
// or unsupported. An implementation that does not support it does not check BackendTLSPolicy
// validation.subjectAltNames.

export interface SanValidationClaim {
  supported: boolean;
  /** The report, as a path under conformance/reports of the module. */
  report: string;
  /** Implementation and version the report is for. */
  release: string;
  /** The same report also lists BackendTLSPolicy itself as unsupported. */
  backendTLSPolicyUnsupported?: boolean;
}

const REPORTS = 'sigs.k8s.io/gateway-api/conformance@v1.6.1 conformance/reports';

const CLAIMS: Record<string, SanValidationClaim> = {
  'envoy-gateway': { supported: true, report: 'v1.5/envoy-gateway/experimental-v1.8.0-default-report.yaml', release: 'Envoy Gateway v1.8.0' },
  calico: { supported: true, report: 'v1.5/envoy-gateway/experimental-v1.8.0-default-report.yaml', release: 'Envoy Gateway v1.8.0' },
  cilium: { supported: false, report: 'v1.5/cilium/experimental-v1.20.0-pre.2-default-report.yaml', release: 'Cilium v1.20.0-pre.2' },
  'nginx-gateway-fabric': { supported: false, report: 'v1.5/nginx-nginx-gateway-fabric/experimental-2.6.0-default-report.yaml', release: 'NGINX Gateway Fabric v2.6.0' },
  traefik: { supported: false, report: 'v1.5/traefik-traefik/experimental-v3.7.0-default-report.yaml', release: 'Traefik v3.7' },
  gke: { supported: false, report: 'v1.5/gke-gateway/v1.5.0-gke-report.yaml', release: 'GKE Gateway 1.35.2-gke.1751000', backendTLSPolicyUnsupported: true },
  kgateway: { supported: false, report: 'v1.5/kgateway/v2.3.0-beta.3-report.yaml', release: 'kgateway v2.3.0-beta.3', backendTLSPolicyUnsupported: true },
  'aws-lbc-nlb': { supported: false, report: 'v1.5/aws-load-balancer-controller/conformance-report.yaml', release: 'AWS Load Balancer Controller v3.2.0', backendTLSPolicyUnsupported: true },
  'aws-lbc-alb': { supported: false, report: 'v1.5/aws-load-balancer-controller/conformance-report.yaml', release: 'AWS Load Balancer Controller v3.2.0', backendTLSPolicyUnsupported: true },
  kong: { supported: false, report: 'v1.4.1/kong-operator/experimental-v2.1.2-expressions-report.yaml', release: 'Kong Operator v2.1.2', backendTLSPolicyUnsupported: true },
};

/** The claim for an implementation; undefined when no report says (Istio 1.28, Contour v1.33, unrecognised ones). */
export function sanValidationClaim(implId: string): SanValidationClaim | undefined {
  return CLAIMS[implId];
}

export function reportCitation(c: SanValidationClaim): string {
  return `${REPORTS}/${c.report}`;
}
