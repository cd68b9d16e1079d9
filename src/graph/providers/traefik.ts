// Traefik Proxy's Kubernetes Gateway provider (controllerName traefik.io/gateway-controller). Every statement
// below is read from github.com/traefik/traefik/v3 v3.6.12, pkg/provider/kubernetes/gateway/ (kubernetes.go,
// httproute.go, grpcroute.go, tcproute.go, tlsroute.go), and checked against the running binary by
// test/e2e/gateway/*.test.ts; docs: https://doc.traefik.io/traefik/v3.6/reference/install-configuration/providers/kubernetes/kubernetes-gateway/
// and https://doc.traefik.io/traefik/v3.6/reference/routing-configuration/kubernetes/gateway-api/.
//
// - Listener -> entry point: a listener is served by the entry point whose address ends in `:<listener port>`
//   (an HTTP listener skips entry points with http.tls); none -> Accepted=False PortUnavailable
//   (kubernetes.go entryPointName). Listener ports are entry-point ports, not container ports behind a Service.
// - Route kinds (kubernetes.go supportedRouteKinds): HTTP and HTTPS accept HTTPRoute and GRPCRoute; TLS accepts
//   TCPRoute and TLSRoute in both modes (Passthrough included); TCP accepts TCPRoute. TLS and TCP need
//   `experimentalChannel: true` (else Conflicted). Any other protocol (UDP) is "Unsupported listener protocol".
// - HTTPS with tls.mode Passthrough: Accepted=False UnsupportedProtocol. HTTP or TCP with a tls block:
//   Accepted=False. Passthrough with certificateRefs: accepted, the refs are ignored (a log line only).
// - Certificates (loadGatewayListeners, getTLS): only certificateRefs[0] is used; it must be a core Secret
//   with non-empty tls.crt and tls.key that tls.X509KeyPair accepts, so a key that does not match the
//   certificate makes ResolvedRefs=False InvalidCertificateRef and Programmed=False Invalid. Validity dates are
//   not checked: an expired certificate is loaded and served. A Secret in another namespace needs a
//   ReferenceGrant from Gateway (else ResolvedRefs=False RefNotPermitted).
// - One invalid listener makes the whole Gateway Accepted=False ListenersNotValid (makeGatewayStatus); the valid
//   listeners keep serving. A route that fits a refused listener counts in its attachedRoutes but stays
//   Accepted=False NoMatchingParent (httproute.go loadHTTPRoutes: "Only consider the route attached if the
//   listener is in an attached state").
// - Backend TLS (httproute.go loadHTTPServers, getHTTPServiceProtocol): for HTTPRoute backends only
//   (grpcroute.go, tcproute.go and tlsroute.go never read BackendTLSPolicy). With a BackendTLSPolicy for the
//   Service port: HTTPS with a ServersTransport (serverName = validation.hostname, rootCAs = ca.crt of each
//   caCertificateRefs ConfigMap; wellKnownCACertificates = the system roots); subjectAltNames are not checked.
//   A ConfigMap that is missing or has no ca.crt, or a Secret reference, makes the policy Accepted=False and the
//   route ResolvedRefs=False (its backend gets no servers). Without a policy, Traefik still speaks HTTPS to a
//   Service port 443, a port whose name starts with `https`, or appProtocol `https` / `kubernetes.io/wss`,
//   through the default ServersTransport: no tls.Config (pkg/server/service/transport.go createTLSConfig), so Go
//   verifies the backend against the system roots and the endpoint IP as the name; a self-signed or privately
//   issued backend fails (HTTP 500).
// - Backends: Services through their EndpointSlices (ready endpoints only); ExternalName Services are refused;
//   TraefikService (traefik.io) is Traefik's own backend kind.
import type { RouteKind } from '../../cluster/kinds.ts';
import type { ServicePort } from '../../cluster/objects.ts';
import { protocolKey, type Implementation } from './implementation.ts';

export const TRAEFIK_SOURCE = 'traefik/traefik v3.6.12 pkg/provider/kubernetes/gateway';

const KINDS: Record<string, RouteKind[]> = {
  HTTP: ['HTTPRoute', 'GRPCRoute'],
  HTTPS: ['HTTPRoute', 'GRPCRoute'],
  'TLS/Terminate': ['TCPRoute', 'TLSRoute'],
  'TLS/Passthrough': ['TCPRoute', 'TLSRoute'],
  TCP: ['TCPRoute'],
};

/** Why Traefik speaks HTTPS to a Service port that no BackendTLSPolicy targets (getHTTPServiceProtocol), or null. */
export function traefikImplicitHttps(port: ServicePort | undefined): string | null {
  if (!port) return null;
  const ap = port.appProtocol?.toLowerCase();
  if (ap !== undefined) return ap === 'https' || ap === 'kubernetes.io/wss' ? `appProtocol ${port.appProtocol}` : null;
  if (port.port === 443) return 'port 443';
  if (port.name?.startsWith('https')) return `port name ${port.name}`;
  return null;
}

export const traefik: Implementation = {
  id: 'traefik',
  name: 'Traefik',
  dataPlane: 'proxy',
  routeKinds(protocol, mode) {
    if (protocol === 'HTTPS' && mode === 'Passthrough') return { valid: [], defaults: [], unsupportedProtocol: 'Traefik refuses HTTPS with tls.mode Passthrough (UnsupportedProtocol): use protocol TLS' };
    const kinds = KINDS[protocolKey(protocol, mode)];
    if (!kinds) return { valid: [], defaults: [], unsupportedProtocol: `Traefik does not support protocol ${protocol} ("Unsupported listener protocol")` };
    return { valid: [...kinds], defaults: [...kinds] };
  },
  readsCertificateRefs: true,
  supportsBackendTLSPolicy: true,
  backendTLSPolicyRouteKinds: ['HTTPRoute'],
  upstreamTlsWithoutPolicy: traefikImplicitHttps,
  rejectsCertificateRefsOnPassthrough: false,
  refusesMismatchedKey: true,
  attachesOnlyToProgrammedListeners: true,
  backendKinds: [{ group: 'traefik.io', kind: 'TraefikService' }],
};
