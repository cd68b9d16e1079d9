// Envoy Gateway (and Calico Ingress Gateway, which is Envoy Gateway deployed by the Tigera operator).
// Route kinds per listener: internal/gatewayapi/listener.go allowedRouteKindsForProtocol (v1.7+: TLSRoute
// is accepted on TLS/Terminate listeners; TCPRoute never on HTTPS). gateway-tls-domain.md §1.3, §2.2.
import { ENVOY_GROUP } from '../../cluster/kinds.ts';
import { advertisesTlsRouteTerminate, protocolKey, type Implementation } from './implementation.ts';
import type { RouteKind } from '../../cluster/kinds.ts';

const KINDS: Record<string, RouteKind[]> = {
  HTTP: ['HTTPRoute', 'GRPCRoute'],
  HTTPS: ['HTTPRoute', 'GRPCRoute'],
  'TLS/Passthrough': ['TLSRoute'],
  'TLS/Terminate': ['TCPRoute', 'TLSRoute'],
  TCP: ['TCPRoute'],
  UDP: ['UDPRoute'],
};

export const envoyGateway: Implementation = {
  id: 'envoy-gateway',
  name: 'Envoy Gateway',
  dataPlane: 'proxy',
  routeKinds(protocol, mode, features) {
    const kinds = KINDS[protocolKey(protocol, mode)];
    if (!kinds) return { valid: [], defaults: [], unsupportedProtocol: `Envoy Gateway does not support protocol ${protocol}` };
    // Envoy Gateway <= v1.6 accepted only TCPRoute on Terminate; the class says so when it lists its features.
    const valid = protocolKey(protocol, mode) === 'TLS/Terminate' && advertisesTlsRouteTerminate(features) === false ? kinds.filter((k) => k !== 'TLSRoute') : [...kinds];
    return { valid, defaults: valid };
  },
  readsCertificateRefs: true,
  supportsBackendTLSPolicy: true,
  rejectsCertificateRefsOnPassthrough: true,
  backendKinds: [{ group: ENVOY_GROUP, kind: 'Backend' }],
  listenerHostnamesExclusive: true,
};
