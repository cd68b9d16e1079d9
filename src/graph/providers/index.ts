// Implementations are recognised by GatewayClass.spec.controllerName (gateway-tls-domain.md §2.4). The name is
// a hint: operators can rename controllers, so unknown names fall back to the spec's behaviour.
import { ENVOY_GROUP } from '../../cluster/kinds.ts';
import type { RouteKind } from '../../cluster/kinds.ts';
import { awsLbcAlb, awsLbcNlb } from './aws-lbc.ts';
import { envoyGateway } from './envoy-gateway.ts';
import { traefik } from './traefik.ts';
import { advertisesTlsRouteTerminate, protocolKey, SPEC_DEFAULT_KINDS, type Implementation, type RouteKindRule } from './implementation.ts';

export type { Implementation } from './implementation.ts';

function specKinds(protocol: string, mode: string | undefined, features: readonly string[], tlsRouteTerminate: boolean): RouteKindRule {
  const key = protocolKey(protocol, mode);
  const kinds = SPEC_DEFAULT_KINDS[key];
  if (!kinds) return { valid: [], defaults: [], unsupportedProtocol: `protocol ${protocol} is not a Gateway API core protocol` };
  const terminate = advertisesTlsRouteTerminate(features) ?? tlsRouteTerminate;
  const valid = key === 'TLS/Terminate' && !terminate ? kinds.filter((k) => k !== 'TLSRoute') : [...kinds];
  return { valid, defaults: valid };
}

function generic(id: string, name: string, opts: { tlsRouteTerminate: boolean; backendTLSPolicy: boolean | null }): Implementation {
  return {
    id,
    name,
    dataPlane: 'proxy',
    routeKinds: (protocol, mode, features) => specKinds(protocol, mode, features, opts.tlsRouteTerminate),
    readsCertificateRefs: true,
    supportsBackendTLSPolicy: opts.backendTLSPolicy,
    rejectsCertificateRefsOnPassthrough: false,
    backendKinds: [],
  };
}

const KNOWN: Array<{ match: (controller: string) => boolean; impl: Implementation }> = [
  { match: (c) => c === 'gateway.k8s.aws/nlb', impl: awsLbcNlb },
  { match: (c) => c === 'gateway.k8s.aws/alb', impl: awsLbcAlb },
  { match: (c) => c === 'gateway.envoyproxy.io/gatewayclass-controller', impl: envoyGateway },
  // Conformance reports for Gateway API v1.5/v1.6 (gateway-tls-domain.md §2.4).
  { match: (c) => c === 'istio.io/gateway-controller', impl: generic('istio', 'Istio', { tlsRouteTerminate: true, backendTLSPolicy: true }) },
  { match: (c) => c === 'io.cilium/gateway-controller', impl: generic('cilium', 'Cilium', { tlsRouteTerminate: false, backendTLSPolicy: true }) },
  { match: (c) => c === 'gateway.nginx.org/nginx-gateway-controller', impl: generic('nginx-gateway-fabric', 'NGINX Gateway Fabric', { tlsRouteTerminate: true, backendTLSPolicy: true }) },
  // Traefik's own profile, from its source (traefik.ts).
  { match: (c) => c === 'traefik.io/gateway-controller', impl: traefik },
  { match: (c) => c.startsWith('konghq.com/'), impl: generic('kong', 'Kong', { tlsRouteTerminate: true, backendTLSPolicy: false }) },
  { match: (c) => c === 'networking.gke.io/gateway', impl: generic('gke', 'GKE Gateway', { tlsRouteTerminate: false, backendTLSPolicy: true }) },
  { match: (c) => c === 'projectcontour.io/gateway-controller', impl: generic('contour', 'Contour', { tlsRouteTerminate: true, backendTLSPolicy: null }) },
  { match: (c) => c === 'kgateway.dev/kgateway', impl: generic('kgateway', 'kgateway', { tlsRouteTerminate: true, backendTLSPolicy: true }) },
];

export const genericImplementation = generic('generic', 'an unrecognised implementation (spec behaviour assumed)', { tlsRouteTerminate: true, backendTLSPolicy: null });

export function implementationFor(controllerName: string | undefined, className?: string): Implementation {
  const found = controllerName ? KNOWN.find((k) => k.match(controllerName))?.impl : undefined;
  if (!found) return genericImplementation;
  // The Tigera operator deploys Envoy Gateway under this class name (gateway-tls-domain.md §2.3).
  if (found.id === 'envoy-gateway' && className === 'tigera-gateway-class') return { ...found, id: 'calico', name: 'Calico Ingress Gateway (Envoy Gateway)' };
  return found;
}

export function isEnvoyBackend(group: string, kind: string): boolean {
  return group === ENVOY_GROUP && kind === 'Backend';
}

export function routeKindList(kinds: readonly RouteKind[]): string {
  if (kinds.length === 0) return 'no route kinds';
  return kinds.length === 1 ? kinds[0]! : `${kinds.slice(0, -1).join(', ')} and ${kinds.at(-1)}`;
}
