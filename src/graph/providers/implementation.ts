import type { RouteKind } from '../../cluster/kinds.ts';
import type { ServicePort } from '../../cluster/objects.ts';

/** What an implementation does differently from the spec, as far as the TLS path is concerned. */
export interface Implementation {
  id: string;
  /** How users know it ("Calico Ingress Gateway (Envoy Gateway)"). */
  name: string;
  /** Who terminates client TLS: a proxy the implementation runs, or a cloud load balancer it provisions. */
  dataPlane: 'proxy' | 'load-balancer';
  /**
   * Route kinds a listener of this protocol/mode accepts (`valid`), and those it accepts when
   * allowedRoutes.kinds is empty (`defaults`). `unsupportedProtocol` when the listener itself is refused.
   */
  routeKinds(protocol: string, mode: string | undefined, supportedFeatures: readonly string[]): RouteKindRule;
  /** Whether the certificate clients get comes from listener certificateRefs (false for AWS NLB/ALB). */
  readsCertificateRefs: boolean;
  /** Whether BackendTLSPolicy is honoured (null: unknown implementation, assume the spec). */
  supportsBackendTLSPolicy: boolean | null;
  /** Route kinds whose backends honour BackendTLSPolicy (absent: every kind; Traefik: HTTPRoute only). */
  backendTLSPolicyRouteKinds?: readonly RouteKind[];
  /**
   * Why the implementation opens TLS (verifying against the system roots) to a Service port no BackendTLSPolicy
   * targets, or null when it sends plaintext (absent: always plaintext, as the spec says; Traefik: port 443, a
   * port named https*, appProtocol https).
   */
  upstreamTlsWithoutPolicy?: (port: ServicePort | undefined) => string | null;
  /** Envoy Gateway refuses a Passthrough listener that carries certificateRefs; the spec says they are ignored. */
  rejectsCertificateRefsOnPassthrough: boolean;
  /** A route that fits a listener the implementation refused (certificateRefs unresolved) is not Accepted (Traefik: NoMatchingParent), though attachedRoutes counts it. */
  attachesOnlyToProgrammedListeners?: boolean;
  /** The implementation refuses a Secret whose key does not match its certificate: the listener serves nothing from it (Traefik, Envoy Gateway v1.9+). */
  refusesMismatchedKey?: boolean;
  /** Backend kinds beyond core Service that backendRefs may name. */
  backendKinds: ReadonlyArray<{ group: string; kind: string }>;
  /**
   * A route hostname that is exactly the hostname of another listener on the same port belongs to that listener
   * only: the less specific listener does not serve it (Envoy Gateway: internal/gatewayapi/helpers.go computeHosts).
   */
  listenerHostnamesExclusive?: boolean;
}

export interface RouteKindRule {
  valid: RouteKind[];
  defaults: RouteKind[];
  unsupportedProtocol?: string;
}

export const SPEC_DEFAULT_KINDS: Record<string, RouteKind[]> = {
  HTTP: ['HTTPRoute', 'GRPCRoute'],
  HTTPS: ['HTTPRoute', 'GRPCRoute'],
  'TLS/Passthrough': ['TLSRoute'],
  'TLS/Terminate': ['TLSRoute', 'TCPRoute'],
  TCP: ['TCPRoute'],
  UDP: ['UDPRoute'],
};

export function protocolKey(protocol: string, mode: string | undefined): string {
  return protocol === 'TLS' ? `TLS/${mode ?? 'Terminate'}` : protocol;
}

/** Whether the GatewayClass advertises support for TLSRoute on Terminate listeners (null: it says nothing). */
export function advertisesTlsRouteTerminate(features: readonly string[]): boolean | null {
  if (features.length === 0) return null;
  return features.includes('TLSRouteModeTerminate');
}
