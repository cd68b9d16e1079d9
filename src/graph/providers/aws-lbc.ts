// AWS Load Balancer Controller (gateway-tls-domain.md §2.1). The load balancer itself is the data plane:
// certificates come from LoadBalancerConfiguration listenerConfigurations (ACM/IAM ARNs) or ACM discovery by
// hostname, never from listener certificateRefs; target-group protocols come from TargetGroupConfiguration
// or are inferred from the route kind; the NLB never validates target certificates; BackendTLSPolicy is
// not supported.
import type { RouteKind } from '../../cluster/kinds.ts';
import type { Implementation } from './implementation.ts';

// The kinds a listener takes when allowedRoutes.kinds is empty: pkg/gateway/routeutils/constants.go@v3.5.0
// (DefaultProtocolToRouteKindMap; TLS listeners take TLSRoute and TCPRoute whatever the mode since v3.1.0).
const NLB_KINDS: Record<string, RouteKind[]> = {
  TLS: ['TLSRoute', 'TCPRoute'],
  TCP: ['TCPRoute'],
  UDP: ['UDPRoute'],
};

const ALB_KINDS: Record<string, RouteKind[]> = {
  HTTP: ['HTTPRoute'],
  HTTPS: ['HTTPRoute', 'GRPCRoute'],
};

// The kinds allowedRoutes.kinds may list without InvalidRouteKinds, whatever the listener protocol:
// pkg/gateway/routeutils/listener_utils.go@v3.5.0 (getSupportedKinds) accepts TCPRoute, TLSRoute and UDPRoute on
// every NLB listener and HTTPRoute and GRPCRoute on every ALB listener, and listener_attachment_helper.go
// (kindCheck) attaches any kind listed. What the NLB then builds is GWTLS-LBC-016's subject.
export const NLB_LISTABLE_KINDS: readonly RouteKind[] = ['TCPRoute', 'TLSRoute', 'UDPRoute'];
const ALB_LISTABLE_KINDS: readonly RouteKind[] = ['HTTPRoute', 'GRPCRoute'];

export const awsLbcNlb: Implementation = {
  id: 'aws-lbc-nlb',
  name: 'AWS Load Balancer Controller (NLB)',
  dataPlane: 'load-balancer',
  routeKinds(protocol) {
    const kinds = NLB_KINDS[protocol];
    if (!kinds) return { valid: [], defaults: [], unsupportedProtocol: `an NLB gateway accepts only TCP, UDP and TLS listeners, not ${protocol}` };
    return { valid: [...NLB_LISTABLE_KINDS], defaults: [...kinds] };
  },
  readsCertificateRefs: false,
  supportsBackendTLSPolicy: false,
  rejectsCertificateRefsOnPassthrough: false,
  backendKinds: [{ group: '', kind: 'TargetGroupName' }],
};

export const awsLbcAlb: Implementation = {
  id: 'aws-lbc-alb',
  name: 'AWS Load Balancer Controller (ALB)',
  dataPlane: 'load-balancer',
  routeKinds(protocol) {
    const kinds = ALB_KINDS[protocol];
    if (!kinds) return { valid: [], defaults: [], unsupportedProtocol: `an ALB gateway accepts only HTTP and HTTPS listeners, not ${protocol}` };
    return { valid: [...ALB_LISTABLE_KINDS], defaults: [...kinds] };
  },
  readsCertificateRefs: false,
  supportsBackendTLSPolicy: false,
  rejectsCertificateRefsOnPassthrough: false,
  backendKinds: [{ group: '', kind: 'TargetGroupName' }],
};

export function isAwsLbc(impl: Implementation): boolean {
  return impl.id === 'aws-lbc-nlb' || impl.id === 'aws-lbc-alb';
}

/** LBC's effective NLB listener protocol: TLS+Passthrough became a TCP listener in v3.1.0 (PR #4559). */
export function lbcListenerProtocol(protocol: string, mode: string | undefined): string {
  return protocol === 'TLS' && mode === 'Passthrough' ? 'TCP' : protocol;
}

/** Target-group protocol LBC infers for a route kind on an NLB (model_build_target_group.go). */
export function inferredTargetProtocol(routeKind: string, nlb: boolean): string {
  switch (routeKind) {
    case 'TCPRoute':
      return 'TCP';
    case 'UDPRoute':
      return 'UDP';
    case 'TLSRoute':
      return nlb ? 'TLS' : 'HTTPS';
    default:
      return 'HTTP';
  }
}
