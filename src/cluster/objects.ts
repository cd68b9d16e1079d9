// Typed views of the Kubernetes objects the tool reads. Raw input is untrusted (hand-written manifests,
// any served version), so normalize.ts turns it into these shapes with every list present and every
// scalar checked; analysis code never touches raw objects.
import type { Condition } from '../report/types.ts';
import type { KindName, ListenerSetKind, RouteKind } from './kinds.ts';
import type { CertManagerObjectsByKind } from './objects-cert-manager.ts';

export interface Origin {
  file: string;
  line: number;
}

export interface Meta {
  name: string;
  /** '' for cluster-scoped objects. */
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  generation?: number;
  creationTimestamp?: string;
  uid?: string;
}

export interface BaseObject<K extends KindName = KindName> {
  kind: K;
  apiVersion: string;
  meta: Meta;
  origin?: Origin;
  /** The object as read, for fixes that must echo it (never includes Secret data). */
  raw: Record<string, unknown>;
}

export interface ParametersRef {
  group: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface GatewayClassObject extends BaseObject<'GatewayClass'> {
  controllerName: string;
  parametersRef?: ParametersRef;
  conditions: Condition[];
  supportedFeatures: string[];
}

export interface SecretObjectReference {
  group: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: Array<{ key: string; operator: string; values: string[] }>;
}

export interface RouteGroupKind {
  group: string;
  kind: string;
}

export interface ListenerSpec {
  index: number;
  name: string;
  hostname?: string;
  port: number;
  protocol: string;
  tls?: {
    mode: 'Terminate' | 'Passthrough' | string;
    /** Whether mode was written in the manifest (it defaults to Terminate). */
    modeSet: boolean;
    certificateRefs: SecretObjectReference[];
    options: Record<string, string>;
  };
  allowedRoutes: {
    from: 'Same' | 'All' | 'Selector' | string;
    selector?: LabelSelector;
    kinds?: RouteGroupKind[];
  };
}

export interface ListenerStatus {
  name: string;
  attachedRoutes: number | null;
  supportedKinds: RouteGroupKind[];
  conditions: Condition[];
}

export interface GatewayObject extends BaseObject<'Gateway'> {
  className: string;
  listeners: ListenerSpec[];
  specAddresses: Array<{ type?: string; value: string }>;
  infrastructureParametersRef?: ParametersRef;
  backendClientCertificateRef?: SecretObjectReference;
  conditions: Condition[];
  statusAddresses: Array<{ type?: string; value: string }>;
  listenerStatus: ListenerStatus[];
  /** spec.allowedListeners.namespaces (GEP-1713): which namespaces' ListenerSets may attach; absent means None. */
  allowedListeners?: { from: 'None' | 'Same' | 'All' | 'Selector' | string; selector?: LabelSelector };
  /** status.attachedListenerSets (v1.5+): ListenerSets the controller counts as attached; null when not written. */
  attachedListenerSets: number | null;
}

/** Where a ListenerSet attaches (ParentGatewayReference: group and kind default to the Gateway's). */
export interface ParentGatewayReference {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

/** ListenerSet (gateway.networking.k8s.io/v1, Gateway API v1.5+) or XListenerSet (gateway.networking.x-k8s.io/v1alpha1, v1.3/v1.4). */
export interface ListenerSetObject extends BaseObject<ListenerSetKind> {
  parentRef: ParentGatewayReference;
  listeners: ListenerSpec[];
  conditions: Condition[];
  listenerStatus: ListenerStatus[];
}

export interface ParentReference {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  sectionName?: string;
  port?: number;
}

export interface BackendReference {
  group: string;
  kind: string;
  name: string;
  namespace: string;
  port?: number;
  weight?: number;
}

export interface RouteRule {
  index: number;
  name?: string;
  backendRefs: BackendReference[];
}

export interface RouteParentStatus {
  parentRef: ParentReference;
  controllerName: string;
  conditions: Condition[];
}

export interface RouteObject extends BaseObject<RouteKind> {
  parentRefs: ParentReference[];
  hostnames: string[];
  rules: RouteRule[];
  parents: RouteParentStatus[];
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort: number | string;
  protocol: string;
  appProtocol?: string;
  nodePort?: number;
}

export interface ServiceObject extends BaseObject<'Service'> {
  type: string;
  selector?: Record<string, string>;
  ports: ServicePort[];
  clusterIP?: string;
  externalName?: string;
}

export interface Endpoint {
  addresses: string[];
  ready: boolean | null;
  serving: boolean | null;
  terminating: boolean | null;
  nodeName?: string;
  targetRef?: { kind: string; name: string; namespace?: string };
}

export interface EndpointSliceObject extends BaseObject<'EndpointSlice'> {
  serviceName?: string;
  addressType: string;
  ports: Array<{ name?: string; port?: number; protocol?: string }>;
  endpoints: Endpoint[];
}

export interface PodObject extends BaseObject<'Pod'> {
  nodeName?: string;
  ip?: string;
  phase?: string;
  ready: boolean | null;
  containerPorts: Array<{ name?: string; containerPort: number; protocol: string }>;
  /** Secrets the pod mounts as volumes (spec.volumes[].secret and projected secret sources), e.g. its serving certificate. */
  secretVolumes?: Array<{ volume: string; secretName: string }>;
}

export interface SecretObject extends BaseObject<'Secret'> {
  type: string;
  dataKeys: string[];
  tlsCrt?: string;
  /** Held only to test whether it matches tls.crt; never printed or serialized. */
  tlsKey?: string;
  caCrt?: string;
  /** Whether the values could be base64-decoded. */
  decodeErrors: string[];
}

export interface ConfigMapObject extends BaseObject<'ConfigMap'> {
  dataKeys: string[];
  caCrt?: string;
  /** Raw string values, for implementation config maps (envoy-gateway-config). */
  data: Record<string, string>;
}

export interface NamespaceObject extends BaseObject<'Namespace'> {
  /** True when the namespace was not in the input and its labels are assumed. */
  synthetic?: boolean;
}

export interface ReferenceGrantObject extends BaseObject<'ReferenceGrant'> {
  from: Array<{ group: string; kind: string; namespace: string }>;
  to: Array<{ group: string; kind: string; name?: string }>;
}

export interface PolicyTargetReference {
  group: string;
  kind: string;
  name: string;
  sectionName?: string;
}

export interface PolicyAncestorStatus {
  ancestorRef: ParentReference;
  controllerName: string;
  conditions: Condition[];
}

export interface BackendTLSPolicyObject extends BaseObject<'BackendTLSPolicy'> {
  targetRefs: PolicyTargetReference[];
  hostname?: string;
  caCertificateRefs: Array<{ group: string; kind: string; name: string }>;
  wellKnownCACertificates?: string;
  subjectAltNames: Array<{ type: string; hostname?: string; uri?: string }>;
  options: Record<string, string>;
  ancestors: PolicyAncestorStatus[];
}

export interface LoadBalancerListenerConfiguration {
  index: number;
  protocolPort: string;
  defaultCertificate?: string;
  certificates: string[];
  sslPolicy?: string;
  alpnPolicy?: string;
}

export interface LoadBalancerConfigurationObject extends BaseObject<'LoadBalancerConfiguration'> {
  loadBalancerName?: string;
  scheme?: string;
  mergingMode?: string;
  listenerConfigurations: LoadBalancerListenerConfiguration[];
  defaultTargetGroupConfiguration?: string;
}

export interface TargetGroupProps {
  targetType?: string;
  protocol?: string;
  protocolVersion?: string;
  healthCheckProtocol?: string;
}

export interface TargetGroupConfigurationObject extends BaseObject<'TargetGroupConfiguration'> {
  targetReference?: { group?: string; kind: string; name: string };
  defaultConfiguration: TargetGroupProps;
  routeConfigurations: Array<{ routeIdentifier: { kind?: string; namespace?: string; name?: string }; targetGroupProps: TargetGroupProps }>;
}

export interface EnvoyBackendObject extends BaseObject<'Backend'> {
  endpoints: Array<{ fqdn?: { hostname: string; port?: number }; ip?: { address: string; port?: number }; unix?: { path: string } }>;
  tls?: {
    caCertificateRefs: Array<{ group: string; kind: string; name: string }>;
    wellKnownCACertificates?: string;
    insecureSkipVerify: boolean;
    sni?: string;
  };
  conditions: Condition[];
}

export interface EventObject extends BaseObject<'Event'> {
  involvedObject: { kind: string; name: string; namespace?: string };
  reason: string;
  message: string;
  type: string;
  count: number;
  lastTimestamp?: string;
}

export interface EnvoyProxyObject extends BaseObject<'EnvoyProxy'> {
  backendTLSClientCertificate?: boolean;
}

/** What the tool reads of a CRD: which API group it defines and which Gateway API bundle it came from. */
export interface CustomResourceDefinitionObject extends BaseObject<'CustomResourceDefinition'> {
  /** spec.group, or what the name says (`<plural>.<group>`) when only metadata was read. */
  group: string;
  /** gateway.networking.k8s.io/bundle-version, e.g. v1.6.1 */
  bundleVersion?: string;
  /** gateway.networking.k8s.io/channel: standard or experimental */
  channel?: string;
}

export interface ObjectsByKind extends CertManagerObjectsByKind {
  GatewayClass: GatewayClassObject;
  Gateway: GatewayObject;
  HTTPRoute: RouteObject;
  GRPCRoute: RouteObject;
  TLSRoute: RouteObject;
  TCPRoute: RouteObject;
  UDPRoute: RouteObject;
  ListenerSet: ListenerSetObject;
  XListenerSet: ListenerSetObject;
  ReferenceGrant: ReferenceGrantObject;
  BackendTLSPolicy: BackendTLSPolicyObject;
  Service: ServiceObject;
  EndpointSlice: EndpointSliceObject;
  Pod: PodObject;
  Secret: SecretObject;
  ConfigMap: ConfigMapObject;
  Namespace: NamespaceObject;
  Event: EventObject;
  LoadBalancerConfiguration: LoadBalancerConfigurationObject;
  TargetGroupConfiguration: TargetGroupConfigurationObject;
  Backend: EnvoyBackendObject;
  EnvoyProxy: EnvoyProxyObject;
  CustomResourceDefinition: CustomResourceDefinitionObject;
}

export type AnyObject = ObjectsByKind[KindName];

export function refOf(obj: BaseObject): { apiVersion: string; kind: string; namespace?: string; name: string } {
  return obj.meta.namespace
    ? { apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.meta.namespace, name: obj.meta.name }
    : { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.meta.name };
}

export function nsName(obj: { meta: Meta }): string {
  return obj.meta.namespace ? `${obj.meta.namespace}/${obj.meta.name}` : obj.meta.name;
}
