// Which ListenerSet kinds each implementation reads, each entry checked against the implementation's source or its
// conformance report (sigs.k8s.io/gateway-api/conformance@v1.6.1 conformance/reports/v1.5/...).
import type { ListenerSetKind } from '../../cluster/kinds.ts';
import type { GatewayModel } from '../../graph/model.ts';

export interface ListenerSetSupport {
  /** The kinds the implementation reads; empty: none. */
  reads: readonly ListenerSetKind[];
  /** What it is known from, in words, with the file or report. */
  source: string;
}

const REPORTS = 'sigs.k8s.io/gateway-api/conformance@v1.6.1 conformance/reports/v1.5';

const SUPPORT: Record<string, ListenerSetSupport> = {
  'aws-lbc-nlb': {
    reads: ['ListenerSet'],
    source:
      'AWS Load Balancer Controller: ListenerSet v1 from v3.2.0 (pkg/gateway/routeutils/listener_set.go lists gwv1.ListenerSetList only; docs/guide/gateway/listenersets.md); from v3.3.0 behind --feature-gates GatewayListenerSet (default true, pkg/config/feature_gates.go); v3.5.0 turns the gate off at start when gateway.networking.k8s.io/v1 ListenerSet is not served (pkg/gateway/crddetect/gateway_feature_flags.go); XListenerSet is never read',
  },
  calico: { reads: ['ListenerSet'], source: 'Envoy Gateway v1.9.1 reads gateway.networking.k8s.io/v1 ListenerSet only (internal/gatewayapi/listenerset.go, internal/provider/kubernetes/controller.go); its v1.8.0 conformance report supports ListenerSet and skips ListenerSetHostnameConflict and ListenerSetProtocolConflict' },
  'envoy-gateway': { reads: ['ListenerSet'], source: 'Envoy Gateway v1.9.1 reads gateway.networking.k8s.io/v1 ListenerSet only (internal/gatewayapi/listenerset.go, internal/provider/kubernetes/controller.go); its v1.8.0 conformance report supports ListenerSet and skips ListenerSetHostnameConflict and ListenerSetProtocolConflict' },
  traefik: { reads: [], source: `Traefik: no ListenerSet in the Kubernetes Gateway provider of v3.6.12 or v3.7.13 (pkg/provider/kubernetes/gateway); ${REPORTS}/traefik-traefik/experimental-v3.7.0-default-report.yaml lists ListenerSet as unsupported` },
  cilium: { reads: [], source: `${REPORTS}/cilium/experimental-v1.20.0-pre.2-default-report.yaml lists ListenerSet as unsupported` },
  gke: { reads: [], source: `${REPORTS}/gke-gateway/v1.5.0-gke-report.yaml lists ListenerSet as unsupported` },
  'nginx-gateway-fabric': { reads: ['ListenerSet'], source: `${REPORTS}/nginx-nginx-gateway-fabric/experimental-2.6.0-default-report.yaml supports ListenerSet (2.5.0 did not)` },
  kgateway: { reads: ['ListenerSet'], source: `${REPORTS}/kgateway/v2.3.0-beta.3-report.yaml supports ListenerSet` },
};
SUPPORT['aws-lbc-alb'] = SUPPORT['aws-lbc-nlb']!;

/**
 * What the Gateway's implementation does with a ListenerSet of this kind: the GatewayClass's own claim
 * (status.supportedFeatures, when it lists any) first, then what is known of the implementation; undefined when
 * nothing is known (assume the spec).
 */
export function listenerSetSupport(gm: GatewayModel, kind: ListenerSetKind): { supported: boolean; why: string } | undefined {
  const known = SUPPORT[gm.impl.id];
  const cls = gm.gatewayClass.found ? gm.gatewayClass.obj : undefined;
  if (gm.features.length > 0) {
    if (!gm.features.includes('ListenerSet')) return { supported: false, why: `GatewayClass ${cls?.meta.name ?? gm.obj.className} does not list ListenerSet among status.supportedFeatures${gm.impl.id === 'generic' ? '' : ` (${gm.impl.name})`}` };
    if (kind === 'XListenerSet' && known && !known.reads.includes('XListenerSet')) return { supported: false, why: `${gm.impl.name} reads ListenerSet v1, not the experimental XListenerSet: ${known.source}` };
    return { supported: true, why: `GatewayClass ${cls?.meta.name ?? gm.obj.className} lists ListenerSet among status.supportedFeatures` };
  }
  if (!known) return undefined;
  if (known.reads.includes(kind)) return { supported: true, why: known.source };
  return { supported: false, why: known.reads.length ? `${gm.impl.name} reads ${known.reads.join(', ')} only, not ${kind}: ${known.source}` : `${gm.impl.name} does not support ListenerSets: ${known.source}` };
}
