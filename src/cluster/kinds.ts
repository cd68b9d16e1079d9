// Every kind the tool reads, where it lives, and which versions it has been served at (newest first).
// The versions table follows ../shared/reference/gateway-tls-domain.md §1.1 (Gateway API v1.2 … v1.6) and §2.1/§2.2
// (AWS Load Balancer Controller, Envoy Gateway).

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
/** The experimental X-kinds of Gateway API v1.3/v1.4 (XListenerSet), removed from the bundle in v1.5. */
export const X_GATEWAY_GROUP = 'gateway.networking.x-k8s.io';
export const LBC_GROUP = 'gateway.k8s.aws';
export const ENVOY_GROUP = 'gateway.envoyproxy.io';
export const CRD_GROUP = 'apiextensions.k8s.io';
export const CERT_MANAGER_GROUP = 'cert-manager.io';
export const ACME_GROUP = 'acme.cert-manager.io';

export type RouteKind = 'HTTPRoute' | 'GRPCRoute' | 'TLSRoute' | 'TCPRoute' | 'UDPRoute';
export type ListenerSetKind = 'ListenerSet' | 'XListenerSet';
export const LISTENER_SET_KINDS: readonly ListenerSetKind[] = ['ListenerSet', 'XListenerSet'];
export const ROUTE_KINDS: readonly RouteKind[] = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'];

export type KindName =
  | 'GatewayClass'
  | 'Gateway'
  | RouteKind
  // GEP-1713: listeners attached to a Gateway from another object (Standard v1 since v1.5; XListenerSet v1alpha1 in v1.3/v1.4)
  | 'ListenerSet'
  | 'XListenerSet'
  | 'ReferenceGrant'
  | 'BackendTLSPolicy'
  | 'Service'
  | 'EndpointSlice'
  | 'Pod'
  | 'Secret'
  | 'ConfigMap'
  | 'Namespace'
  | 'Event'
  | 'LoadBalancerConfiguration'
  | 'TargetGroupConfiguration'
  | 'Backend'
  | 'EnvoyProxy'
  | 'CustomResourceDefinition'
  // cert-manager (objects-cert-manager.ts): the issuance chain of listener certificates
  | 'Certificate'
  | 'CertificateRequest'
  | 'Issuer'
  | 'ClusterIssuer'
  | 'Order'
  | 'Challenge';

export interface KindInfo {
  kind: KindName;
  group: string;
  plural: string;
  namespaced: boolean;
  /** Versions this tool understands, newest first. */
  versions: readonly string[];
  /** Implementation-specific kinds are only needed for Gateways of that implementation. */
  provider?: 'aws-lbc' | 'envoy-gateway' | 'cert-manager';
  /** Only metadata is needed (and read from a cluster as PartialObjectMetadata): CRDs carry megabytes of schema. */
  metadataOnly?: boolean;
}

export const KINDS: Readonly<Record<KindName, KindInfo>> = {
  GatewayClass: { kind: 'GatewayClass', group: GATEWAY_GROUP, plural: 'gatewayclasses', namespaced: false, versions: ['v1', 'v1beta1'] },
  Gateway: { kind: 'Gateway', group: GATEWAY_GROUP, plural: 'gateways', namespaced: true, versions: ['v1', 'v1beta1'] },
  HTTPRoute: { kind: 'HTTPRoute', group: GATEWAY_GROUP, plural: 'httproutes', namespaced: true, versions: ['v1', 'v1beta1'] },
  GRPCRoute: { kind: 'GRPCRoute', group: GATEWAY_GROUP, plural: 'grpcroutes', namespaced: true, versions: ['v1', 'v1alpha2'] },
  TLSRoute: { kind: 'TLSRoute', group: GATEWAY_GROUP, plural: 'tlsroutes', namespaced: true, versions: ['v1', 'v1alpha3', 'v1alpha2'] },
  TCPRoute: { kind: 'TCPRoute', group: GATEWAY_GROUP, plural: 'tcproutes', namespaced: true, versions: ['v1', 'v1alpha2'] },
  UDPRoute: { kind: 'UDPRoute', group: GATEWAY_GROUP, plural: 'udproutes', namespaced: true, versions: ['v1', 'v1alpha2'] },
  ListenerSet: { kind: 'ListenerSet', group: GATEWAY_GROUP, plural: 'listenersets', namespaced: true, versions: ['v1'] },
  XListenerSet: { kind: 'XListenerSet', group: X_GATEWAY_GROUP, plural: 'xlistenersets', namespaced: true, versions: ['v1alpha1'] },
  ReferenceGrant: { kind: 'ReferenceGrant', group: GATEWAY_GROUP, plural: 'referencegrants', namespaced: true, versions: ['v1', 'v1beta1', 'v1alpha2'] },
  BackendTLSPolicy: { kind: 'BackendTLSPolicy', group: GATEWAY_GROUP, plural: 'backendtlspolicies', namespaced: true, versions: ['v1', 'v1alpha3', 'v1alpha2'] },
  Service: { kind: 'Service', group: '', plural: 'services', namespaced: true, versions: ['v1'] },
  EndpointSlice: { kind: 'EndpointSlice', group: 'discovery.k8s.io', plural: 'endpointslices', namespaced: true, versions: ['v1'] },
  Pod: { kind: 'Pod', group: '', plural: 'pods', namespaced: true, versions: ['v1'] },
  Secret: { kind: 'Secret', group: '', plural: 'secrets', namespaced: true, versions: ['v1'] },
  ConfigMap: { kind: 'ConfigMap', group: '', plural: 'configmaps', namespaced: true, versions: ['v1'] },
  Namespace: { kind: 'Namespace', group: '', plural: 'namespaces', namespaced: false, versions: ['v1'] },
  Event: { kind: 'Event', group: '', plural: 'events', namespaced: true, versions: ['v1'] },
  LoadBalancerConfiguration: { kind: 'LoadBalancerConfiguration', group: LBC_GROUP, plural: 'loadbalancerconfigurations', namespaced: true, versions: ['v1', 'v1beta1'], provider: 'aws-lbc' },
  TargetGroupConfiguration: { kind: 'TargetGroupConfiguration', group: LBC_GROUP, plural: 'targetgroupconfigurations', namespaced: true, versions: ['v1', 'v1beta1'], provider: 'aws-lbc' },
  Backend: { kind: 'Backend', group: ENVOY_GROUP, plural: 'backends', namespaced: true, versions: ['v1alpha1'], provider: 'envoy-gateway' },
  EnvoyProxy: { kind: 'EnvoyProxy', group: ENVOY_GROUP, plural: 'envoyproxies', namespaced: true, versions: ['v1alpha1'], provider: 'envoy-gateway' },
  CustomResourceDefinition: { kind: 'CustomResourceDefinition', group: CRD_GROUP, plural: 'customresourcedefinitions', namespaced: false, versions: ['v1'], metadataOnly: true },
  Certificate: { kind: 'Certificate', group: CERT_MANAGER_GROUP, plural: 'certificates', namespaced: true, versions: ['v1'], provider: 'cert-manager' },
  CertificateRequest: { kind: 'CertificateRequest', group: CERT_MANAGER_GROUP, plural: 'certificaterequests', namespaced: true, versions: ['v1'], provider: 'cert-manager' },
  Issuer: { kind: 'Issuer', group: CERT_MANAGER_GROUP, plural: 'issuers', namespaced: true, versions: ['v1'], provider: 'cert-manager' },
  ClusterIssuer: { kind: 'ClusterIssuer', group: CERT_MANAGER_GROUP, plural: 'clusterissuers', namespaced: false, versions: ['v1'], provider: 'cert-manager' },
  Order: { kind: 'Order', group: ACME_GROUP, plural: 'orders', namespaced: true, versions: ['v1'], provider: 'cert-manager' },
  Challenge: { kind: 'Challenge', group: ACME_GROUP, plural: 'challenges', namespaced: true, versions: ['v1'], provider: 'cert-manager' },
};

/** The kind registered for a group (apiVersion without version) and kind, if the tool reads it. */
export function kindFor(apiVersion: string, kind: string): KindInfo | undefined {
  const info = KINDS[kind as KindName] as KindInfo | undefined;
  if (!info) return undefined;
  return groupOf(apiVersion) === info.group ? info : undefined;
}

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function versionOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
}

export function apiVersionFor(info: KindInfo, version: string): string {
  return info.group === '' ? version : `${info.group}/${version}`;
}

/** `kind.group` the way kubectl names resources, e.g. `tcproutes.gateway.networking.k8s.io`. */
export function resourceName(info: KindInfo): string {
  return info.group === '' ? info.plural : `${info.plural}.${info.group}`;
}
