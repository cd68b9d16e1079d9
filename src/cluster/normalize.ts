// Raw object (any served version, hand-written or read from the API) -> typed view (objects.ts).
import type { Condition } from '../report/types.ts';
import { GATEWAY_GROUP, type KindInfo, type KindName, type RouteKind } from './kinds.ts';
import { certManagerNormalizers } from './normalize-cert-manager.ts';
import type {
  AnyObject,
  BackendReference,
  BackendTLSPolicyObject,
  BaseObject,
  ConfigMapObject,
  CustomResourceDefinitionObject,
  EndpointSliceObject,
  EnvoyBackendObject,
  EnvoyProxyObject,
  EventObject,
  GatewayClassObject,
  GatewayObject,
  LabelSelector,
  ListenerSetObject,
  ListenerSpec,
  ListenerStatus,
  LoadBalancerConfigurationObject,
  Meta,
  NamespaceObject,
  Origin,
  ParametersRef,
  ParentReference,
  PodObject,
  PolicyAncestorStatus,
  ReferenceGrantObject,
  RouteObject,
  SecretObject,
  SecretObjectReference,
  ServiceObject,
  TargetGroupConfigurationObject,
  TargetGroupProps,
} from './objects.ts';

type Raw = Record<string, unknown>;

export function rec(x: unknown): Raw {
  return x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Raw) : {};
}

export function arr(x: unknown): unknown[] {
  return Array.isArray(x) ? x : [];
}

export function str(x: unknown): string | undefined {
  if (typeof x === 'string') return x;
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  return undefined;
}

export function num(x: unknown): number | undefined {
  if (typeof x === 'number' && Number.isFinite(x)) return x;
  if (typeof x === 'string' && /^\d+$/.test(x)) return Number(x);
  return undefined;
}

function bool(x: unknown): boolean | null {
  return typeof x === 'boolean' ? x : null;
}

function stringMap(x: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec(x))) {
    const s = str(v);
    if (s !== undefined) out[k] = s;
  }
  return out;
}

function meta(raw: Raw, defaultNamespace: string, namespaced: boolean): Meta {
  const m = rec(raw.metadata);
  const out: Meta = {
    name: str(m.name) ?? '',
    namespace: namespaced ? (str(m.namespace) ?? defaultNamespace) : '',
    labels: stringMap(m.labels),
    annotations: stringMap(m.annotations),
  };
  const generation = num(m.generation);
  if (generation !== undefined) out.generation = generation;
  const created = str(m.creationTimestamp);
  if (created) out.creationTimestamp = created;
  const uid = str(m.uid);
  if (uid) out.uid = uid;
  return out;
}

export function conditions(x: unknown, generation?: number, controllerName?: string): Condition[] {
  return arr(x).map((c) => {
    const r = rec(c);
    const cond: Condition = { type: str(r.type) ?? '', status: str(r.status) ?? 'Unknown' };
    const reason = str(r.reason);
    if (reason) cond.reason = reason;
    const message = str(r.message);
    if (message) cond.message = message;
    const observed = num(r.observedGeneration);
    if (observed !== undefined) {
      cond.observedGeneration = observed;
      if (generation !== undefined && observed < generation) cond.stale = true;
    }
    const lt = str(r.lastTransitionTime);
    if (lt) cond.lastTransitionTime = lt;
    if (controllerName) cond.controllerName = controllerName;
    return cond;
  });
}

function parametersRef(x: unknown): ParametersRef | undefined {
  const r = rec(x);
  const name = str(r.name);
  if (!name) return undefined;
  const out: ParametersRef = { group: str(r.group) ?? '', kind: str(r.kind) ?? '', name };
  const ns = str(r.namespace);
  if (ns) out.namespace = ns;
  return out;
}

function secretRef(x: unknown): SecretObjectReference {
  const r = rec(x);
  const out: SecretObjectReference = { group: str(r.group) ?? '', kind: str(r.kind) ?? 'Secret', name: str(r.name) ?? '' };
  const ns = str(r.namespace);
  if (ns) out.namespace = ns;
  return out;
}

function labelSelector(x: unknown): LabelSelector | undefined {
  if (x === undefined || x === null) return undefined;
  const r = rec(x);
  return {
    matchLabels: stringMap(r.matchLabels),
    matchExpressions: arr(r.matchExpressions).map((e) => {
      const er = rec(e);
      return { key: str(er.key) ?? '', operator: str(er.operator) ?? '', values: arr(er.values).map((v) => str(v) ?? '') };
    }),
  };
}

function listener(x: unknown, index: number): ListenerSpec {
  const r = rec(x);
  const out: ListenerSpec = {
    index,
    name: str(r.name) ?? '',
    port: num(r.port) ?? 0,
    protocol: str(r.protocol) ?? '',
    allowedRoutes: { from: 'Same' },
  };
  const hostname = str(r.hostname);
  if (hostname) out.hostname = hostname;
  if (r.tls !== undefined && r.tls !== null) {
    const t = rec(r.tls);
    const mode = str(t.mode);
    out.tls = {
      mode: mode ?? 'Terminate',
      modeSet: mode !== undefined,
      certificateRefs: arr(t.certificateRefs).map(secretRef),
      options: stringMap(t.options),
    };
  }
  const ar = rec(r.allowedRoutes);
  const ns = rec(ar.namespaces);
  out.allowedRoutes.from = str(ns.from) ?? 'Same';
  const selector = labelSelector(ns.selector);
  if (selector) out.allowedRoutes.selector = selector;
  // "When unspecified or empty, the kinds of Routes selected are determined using the Listener protocol."
  if (Array.isArray(ar.kinds) && ar.kinds.length > 0) {
    out.allowedRoutes.kinds = ar.kinds.map((k) => {
      const kr = rec(k);
      return { group: str(kr.group) ?? GATEWAY_GROUP, kind: str(kr.kind) ?? '' };
    });
  }
  return out;
}

function listenerStatus(x: unknown, generation: number | undefined): ListenerStatus[] {
  return arr(x).map((l) => {
    const r = rec(l);
    return {
      name: str(r.name) ?? '',
      attachedRoutes: num(r.attachedRoutes) ?? null,
      supportedKinds: arr(r.supportedKinds).map((k) => ({ group: str(rec(k).group) ?? GATEWAY_GROUP, kind: str(rec(k).kind) ?? '' })),
      conditions: conditions(r.conditions, generation),
    };
  });
}

/** ListenerSet and XListenerSet share one shape (GEP-1713); the parentRef defaults to a Gateway in the set's namespace. */
function listenerSet(raw: Raw, info: KindInfo, ns: string, origin?: Origin): ListenerSetObject {
  const spec = rec(raw.spec);
  const status = rec(raw.status);
  const b = base(raw, info as KindInfo & { kind: ListenerSetObject['kind'] }, ns, origin);
  const p = rec(spec.parentRef);
  return {
    ...b,
    parentRef: { group: str(p.group) ?? GATEWAY_GROUP, kind: str(p.kind) ?? 'Gateway', namespace: str(p.namespace) || b.meta.namespace, name: str(p.name) ?? '' },
    listeners: arr(spec.listeners).map(listener),
    conditions: conditions(status.conditions, b.meta.generation),
    listenerStatus: listenerStatus(status.listeners, b.meta.generation),
  };
}

function addresses(x: unknown): Array<{ type?: string; value: string }> {
  return arr(x)
    .map((a) => {
      const r = rec(a);
      const out: { type?: string; value: string } = { value: str(r.value) ?? '' };
      const type = str(r.type);
      if (type) out.type = type;
      return out;
    })
    .filter((a) => a.value !== '');
}

export function parentRef(x: unknown, routeNamespace: string): ParentReference {
  const r = rec(x);
  const out: ParentReference = {
    group: str(r.group) ?? GATEWAY_GROUP,
    kind: str(r.kind) ?? 'Gateway',
    namespace: str(r.namespace) ?? routeNamespace,
    name: str(r.name) ?? '',
  };
  const section = str(r.sectionName);
  if (section) out.sectionName = section;
  const port = num(r.port);
  if (port !== undefined) out.port = port;
  return out;
}

function backendRef(x: unknown, routeNamespace: string): BackendReference {
  const r = rec(x);
  const out: BackendReference = {
    group: str(r.group) ?? '',
    kind: str(r.kind) ?? 'Service',
    name: str(r.name) ?? '',
    namespace: str(r.namespace) ?? routeNamespace,
  };
  const port = num(r.port);
  if (port !== undefined) out.port = port;
  const weight = num(r.weight);
  if (weight !== undefined) out.weight = weight;
  return out;
}

function base<K extends KindName>(raw: Raw, info: KindInfo & { kind: K }, defaultNamespace: string, origin?: Origin): BaseObject<K> {
  const obj: BaseObject<K> = {
    kind: info.kind,
    apiVersion: str(raw.apiVersion) ?? '',
    meta: meta(raw, defaultNamespace, info.namespaced),
    raw,
  };
  if (origin) obj.origin = origin;
  return obj;
}

function decodeSecretValue(data: Raw, stringData: Raw, key: string, errors: string[]): string | undefined {
  const plain = str(stringData[key]);
  if (plain !== undefined) return plain;
  const encoded = str(data[key]);
  if (encoded === undefined) return undefined;
  const compact = encoded.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    errors.push(`data.${key} is not valid base64`);
    return undefined;
  }
  return Buffer.from(compact, 'base64').toString('utf8');
}

function targetGroupProps(x: unknown): TargetGroupProps {
  const r = rec(x);
  const hc = rec(r.healthCheckConfig);
  const out: TargetGroupProps = {};
  const targetType = str(r.targetType);
  if (targetType) out.targetType = targetType;
  const protocol = str(r.protocol);
  if (protocol) out.protocol = protocol;
  const protocolVersion = str(r.protocolVersion);
  if (protocolVersion) out.protocolVersion = protocolVersion;
  const hcp = str(hc.healthCheckProtocol);
  if (hcp) out.healthCheckProtocol = hcp;
  return out;
}

type Normalizer = (raw: Raw, info: KindInfo, ns: string, origin?: Origin) => AnyObject;

const NORMALIZERS: Record<KindName, Normalizer> = {
  GatewayClass: (raw, info, ns, origin) => {
    const spec = rec(raw.spec);
    const status = rec(raw.status);
    const b = base(raw, info as KindInfo & { kind: 'GatewayClass' }, ns, origin);
    const out: GatewayClassObject = {
      ...b,
      controllerName: str(spec.controllerName) ?? '',
      conditions: conditions(status.conditions, b.meta.generation),
      supportedFeatures: arr(status.supportedFeatures)
        .map((f) => (typeof f === 'string' ? f : str(rec(f).name)))
        .filter((f): f is string => !!f),
    };
    const pr = parametersRef(spec.parametersRef);
    if (pr) out.parametersRef = pr;
    return out;
  },
  Gateway: (raw, info, ns, origin) => {
    const spec = rec(raw.spec);
    const status = rec(raw.status);
    const b = base(raw, info as KindInfo & { kind: 'Gateway' }, ns, origin);
    const out: GatewayObject = {
      ...b,
      className: str(spec.gatewayClassName) ?? '',
      listeners: arr(spec.listeners).map(listener),
      specAddresses: addresses(spec.addresses),
      conditions: conditions(status.conditions, b.meta.generation),
      statusAddresses: addresses(status.addresses),
      listenerStatus: listenerStatus(status.listeners, b.meta.generation),
      attachedListenerSets: num(status.attachedListenerSets) ?? null,
    };
    const allowed = rec(rec(spec.allowedListeners).namespaces);
    if (spec.allowedListeners !== undefined && spec.allowedListeners !== null) {
      // The CRD defaults namespaces to {from: None}; a file may leave either out.
      out.allowedListeners = { from: str(allowed.from) ?? 'None' };
      const selector = labelSelector(allowed.selector);
      if (selector) out.allowedListeners.selector = selector;
    }
    const infra = parametersRef(rec(spec.infrastructure).parametersRef);
    if (infra) out.infrastructureParametersRef = infra;
    const clientCert = rec(rec(spec.tls).backend).clientCertificateRef ?? rec(spec.backendTLS).clientCertificateRef;
    if (clientCert) out.backendClientCertificateRef = secretRef(clientCert);
    return out;
  },
  HTTPRoute: route,
  GRPCRoute: route,
  TLSRoute: route,
  TCPRoute: route,
  UDPRoute: route,
  ListenerSet: listenerSet,
  XListenerSet: listenerSet,
  ReferenceGrant: (raw, info, ns, origin) => {
    const spec = rec(raw.spec);
    const out: ReferenceGrantObject = {
      ...base(raw, info as KindInfo & { kind: 'ReferenceGrant' }, ns, origin),
      from: arr(spec.from).map((f) => ({ group: str(rec(f).group) ?? '', kind: str(rec(f).kind) ?? '', namespace: str(rec(f).namespace) ?? '' })),
      to: arr(spec.to).map((t) => {
        const r = rec(t);
        const o: { group: string; kind: string; name?: string } = { group: str(r.group) ?? '', kind: str(r.kind) ?? '' };
        const name = str(r.name);
        if (name) o.name = name;
        return o;
      }),
    };
    return out;
  },
  BackendTLSPolicy: (raw, info, ns, origin) => {
    const spec = rec(raw.spec);
    const status = rec(raw.status);
    const b = base(raw, info as KindInfo & { kind: 'BackendTLSPolicy' }, ns, origin);
    // v1alpha2 (Gateway API v1.0/v1.1) had a single targetRef and spec.tls; v1alpha3 and v1 use targetRefs and spec.validation.
    const targets = spec.targetRefs !== undefined ? arr(spec.targetRefs) : spec.targetRef !== undefined ? [spec.targetRef] : [];
    const validation = rec(spec.validation ?? spec.tls);
    const out: BackendTLSPolicyObject = {
      ...b,
      targetRefs: targets.map((t) => {
        const r = rec(t);
        const o: BackendTLSPolicyObject['targetRefs'][number] = { group: str(r.group) ?? '', kind: str(r.kind) ?? 'Service', name: str(r.name) ?? '' };
        const section = str(r.sectionName);
        if (section) o.sectionName = section;
        return o;
      }),
      caCertificateRefs: arr(validation.caCertificateRefs ?? validation.caCertRefs).map((c) => ({
        group: str(rec(c).group) ?? '',
        kind: str(rec(c).kind) ?? 'ConfigMap',
        name: str(rec(c).name) ?? '',
      })),
      subjectAltNames: arr(validation.subjectAltNames).map((s) => {
        const r = rec(s);
        const o: { type: string; hostname?: string; uri?: string } = { type: str(r.type) ?? '' };
        const h = str(r.hostname);
        if (h) o.hostname = h;
        const u = str(r.uri);
        if (u) o.uri = u;
        return o;
      }),
      options: stringMap(spec.options),
      ancestors: arr(status.ancestors).map((a): PolicyAncestorStatus => {
        const r = rec(a);
        const controllerName = str(r.controllerName) ?? '';
        return { ancestorRef: parentRef(r.ancestorRef, b.meta.namespace), controllerName, conditions: conditions(r.conditions, b.meta.generation, controllerName) };
      }),
    };
    const hostname = str(validation.hostname);
    if (hostname) out.hostname = hostname;
    const wk = str(validation.wellKnownCACertificates ?? validation.wellKnownCACerts);
    if (wk) out.wellKnownCACertificates = wk;
    return out;
  },
  Service: (raw, info, ns, origin) => {
    const spec = rec(raw.spec);
    const out: ServiceObject = {
      ...base(raw, info as KindInfo & { kind: 'Service' }, ns, origin),
      type: str(spec.type) ?? 'ClusterIP',
      ports: arr(spec.ports).map((p) => {
        const r = rec(p);
        const port = num(r.port) ?? 0;
        const tp = r.targetPort;
        const o: ServiceObject['ports'][number] = {
          port,
          targetPort: typeof tp === 'number' ? tp : typeof tp === 'string' ? (/^\d+$/.test(tp) ? Number(tp) : tp) : port,
          protocol: str(r.protocol) ?? 'TCP',
        };
        const name = str(r.name);
        if (name) o.name = name;
        const ap = str(r.appProtocol);
        if (ap) o.appProtocol = ap;
        const np = num(r.nodePort);
        if (np !== undefined) o.nodePort = np;
        return o;
      }),
    };
    if (spec.selector !== undefined && spec.selector !== null) out.selector = stringMap(spec.selector);
    const ip = str(spec.clusterIP);
    if (ip) out.clusterIP = ip;
    const en = str(spec.externalName);
    if (en) out.externalName = en;
    return out;
  },
  EndpointSlice: (raw, info, ns, origin) => {
    // Slices are many and large; nothing needs them as written.
    const b = base({ apiVersion: raw.apiVersion, kind: raw.kind, metadata: raw.metadata }, info as KindInfo & { kind: 'EndpointSlice' }, ns, origin);
    const out: EndpointSliceObject = {
      ...b,
      addressType: str(raw.addressType) ?? 'IPv4',
      ports: arr(raw.ports).map((p) => {
        const r = rec(p);
        const o: { name?: string; port?: number; protocol?: string } = {};
        const name = str(r.name);
        if (name) o.name = name;
        const port = num(r.port);
        if (port !== undefined) o.port = port;
        const protocol = str(r.protocol);
        if (protocol) o.protocol = protocol;
        return o;
      }),
      endpoints: arr(raw.endpoints).map((e) => {
        const r = rec(e);
        const c = rec(r.conditions);
        const ep: EndpointSliceObject['endpoints'][number] = {
          addresses: arr(r.addresses).map((a) => str(a) ?? '').filter(Boolean),
          ready: bool(c.ready),
          serving: bool(c.serving),
          terminating: bool(c.terminating),
        };
        const node = str(r.nodeName);
        if (node) ep.nodeName = node;
        const t = rec(r.targetRef);
        const tname = str(t.name);
        if (tname) {
          ep.targetRef = { kind: str(t.kind) ?? 'Pod', name: tname };
          const tns = str(t.namespace);
          if (tns) ep.targetRef.namespace = tns;
        }
        return ep;
      }),
    };
    const svc = b.meta.labels['kubernetes.io/service-name'];
    if (svc) out.serviceName = svc;
    return out;
  },
  Pod: (raw, info, ns, origin) => {
    const spec = rec(raw.spec);
    const status = rec(raw.status);
    const readyCond = arr(status.conditions).map(rec).find((c) => c.type === 'Ready');
    const out: PodObject = {
      // Pods are the most numerous objects; keep only what the path needs.
      ...base({ apiVersion: raw.apiVersion, kind: raw.kind, metadata: raw.metadata }, info as KindInfo & { kind: 'Pod' }, ns, origin),
      ready: readyCond ? readyCond.status === 'True' : null,
      containerPorts: arr(spec.containers).flatMap((c) =>
        arr(rec(c).ports).map((p) => {
          const r = rec(p);
          const o: { name?: string; containerPort: number; protocol: string } = { containerPort: num(r.containerPort) ?? 0, protocol: str(r.protocol) ?? 'TCP' };
          const name = str(r.name);
          if (name) o.name = name;
          return o;
        }),
      ),
    };
    const secretVolumes = podSecretVolumes(spec.volumes);
    if (secretVolumes.length > 0) out.secretVolumes = secretVolumes;
    const node = str(spec.nodeName);
    if (node) out.nodeName = node;
    const ip = str(status.podIP);
    if (ip) out.ip = ip;
    const phase = str(status.phase);
    if (phase) out.phase = phase;
    return out;
  },
  Secret: (raw, info, ns, origin) => {
    const data = rec(raw.data);
    const stringData = rec(raw.stringData);
    const decodeErrors: string[] = [];
    // Never keep the raw Secret: only the three keys that matter, decoded.
    const out: SecretObject = {
      ...base({ apiVersion: raw.apiVersion, kind: raw.kind, metadata: raw.metadata, type: raw.type }, info as KindInfo & { kind: 'Secret' }, ns, origin),
      type: str(raw.type) ?? 'Opaque',
      dataKeys: [...new Set([...Object.keys(data), ...Object.keys(stringData)])].sort(),
      decodeErrors,
    };
    const crt = decodeSecretValue(data, stringData, 'tls.crt', decodeErrors);
    if (crt !== undefined) out.tlsCrt = crt;
    const key = decodeSecretValue(data, stringData, 'tls.key', decodeErrors);
    if (key !== undefined) out.tlsKey = key;
    const ca = decodeSecretValue(data, stringData, 'ca.crt', decodeErrors);
    if (ca !== undefined) out.caCrt = ca;
    return out;
  },
  ConfigMap: (raw, info, ns, origin) => {
    const data = stringMap(raw.data);
    const out: ConfigMapObject = {
      ...base({ apiVersion: raw.apiVersion, kind: raw.kind, metadata: raw.metadata }, info as KindInfo & { kind: 'ConfigMap' }, ns, origin),
      dataKeys: Object.keys(data).sort(),
      data,
    };
    if (data['ca.crt'] !== undefined) out.caCrt = data['ca.crt'];
    return out;
  },
  Namespace: (raw, info, ns, origin) => {
    const out: NamespaceObject = base(raw, info as KindInfo & { kind: 'Namespace' }, ns, origin);
    // The API server sets this label on every namespace (Kubernetes >= 1.21); manifests usually omit it.
    out.meta.labels['kubernetes.io/metadata.name'] ??= out.meta.name;
    return out;
  },
  Event: (raw, info, ns, origin) => {
    const io = rec(raw.involvedObject ?? raw.regarding);
    const out: EventObject = {
      ...base(raw, info as KindInfo & { kind: 'Event' }, ns, origin),
      involvedObject: { kind: str(io.kind) ?? '', name: str(io.name) ?? '' },
      reason: str(raw.reason) ?? '',
      message: str(raw.message ?? raw.note) ?? '',
      type: str(raw.type) ?? 'Normal',
      count: num(raw.count) ?? num(rec(raw.series).count) ?? 1,
    };
    const ions = str(io.namespace);
    if (ions) out.involvedObject.namespace = ions;
    const last = str(raw.lastTimestamp) ?? str(raw.eventTime);
    if (last) out.lastTimestamp = last;
    return out;
  },
  LoadBalancerConfiguration: (raw, info, ns, origin) => {
    const spec = rec(raw.spec);
    const out: LoadBalancerConfigurationObject = {
      ...base(raw, info as KindInfo & { kind: 'LoadBalancerConfiguration' }, ns, origin),
      listenerConfigurations: arr(spec.listenerConfigurations).map((l, index) => {
        const r = rec(l);
        const o: LoadBalancerConfigurationObject['listenerConfigurations'][number] = {
          index,
          protocolPort: str(r.protocolPort) ?? '',
          certificates: arr(r.certificates).map((c) => str(c) ?? '').filter(Boolean),
        };
        const dc = str(r.defaultCertificate);
        if (dc) o.defaultCertificate = dc;
        const sp = str(r.sslPolicy);
        if (sp) o.sslPolicy = sp;
        const ap = str(r.alpnPolicy);
        if (ap) o.alpnPolicy = ap;
        return o;
      }),
    };
    const lbName = str(spec.loadBalancerName);
    if (lbName) out.loadBalancerName = lbName;
    const scheme = str(spec.scheme);
    if (scheme) out.scheme = scheme;
    const mm = str(spec.mergingMode);
    if (mm) out.mergingMode = mm;
    const dtgc = str(rec(spec.defaultTargetGroupConfiguration).name);
    if (dtgc) out.defaultTargetGroupConfiguration = dtgc;
    return out;
  },
  TargetGroupConfiguration: (raw, info, ns, origin) => {
    const spec = rec(raw.spec);
    const out: TargetGroupConfigurationObject = {
      ...base(raw, info as KindInfo & { kind: 'TargetGroupConfiguration' }, ns, origin),
      defaultConfiguration: targetGroupProps(spec.defaultConfiguration),
      routeConfigurations: arr(spec.routeConfigurations).map((rc) => {
        const r = rec(rc);
        const id = rec(r.routeIdentifier);
        const routeIdentifier: { kind?: string; namespace?: string; name?: string } = {};
        const kind = str(id.kind);
        if (kind) routeIdentifier.kind = kind;
        const rns = str(id.namespace);
        if (rns) routeIdentifier.namespace = rns;
        const name = str(id.name);
        if (name) routeIdentifier.name = name;
        return { routeIdentifier, targetGroupProps: targetGroupProps(r.targetGroupProps) };
      }),
    };
    const tr = rec(spec.targetReference);
    const trName = str(tr.name);
    if (trName) {
      out.targetReference = { kind: str(tr.kind) ?? 'Service', name: trName };
      const g = str(tr.group);
      if (g !== undefined) out.targetReference.group = g;
    }
    return out;
  },
  Backend: (raw, info, ns, origin) => {
    const spec = rec(raw.spec);
    const status = rec(raw.status);
    const b = base(raw, info as KindInfo & { kind: 'Backend' }, ns, origin);
    const out: EnvoyBackendObject = {
      ...b,
      endpoints: arr(spec.endpoints).map((e) => {
        const r = rec(e);
        const o: EnvoyBackendObject['endpoints'][number] = {};
        if (r.fqdn) {
          o.fqdn = { hostname: str(rec(r.fqdn).hostname) ?? '' };
          const p = num(rec(r.fqdn).port);
          if (p !== undefined) o.fqdn.port = p;
        }
        if (r.ip) {
          o.ip = { address: str(rec(r.ip).address) ?? '' };
          const p = num(rec(r.ip).port);
          if (p !== undefined) o.ip.port = p;
        }
        if (r.unix) o.unix = { path: str(rec(r.unix).path) ?? '' };
        return o;
      }),
      conditions: conditions(status.conditions, b.meta.generation),
    };
    if (spec.tls !== undefined && spec.tls !== null) {
      const t = rec(spec.tls);
      out.tls = {
        caCertificateRefs: arr(t.caCertificateRefs).map((c) => ({ group: str(rec(c).group) ?? '', kind: str(rec(c).kind) ?? 'ConfigMap', name: str(rec(c).name) ?? '' })),
        insecureSkipVerify: t.insecureSkipVerify === true,
      };
      const wk = str(t.wellKnownCACertificates);
      if (wk) out.tls.wellKnownCACertificates = wk;
      const sni = str(t.sni);
      if (sni) out.tls.sni = sni;
    }
    return out;
  },
  EnvoyProxy: (raw, info, ns, origin) => {
    const out: EnvoyProxyObject = base(raw, info as KindInfo & { kind: 'EnvoyProxy' }, ns, origin);
    if (rec(rec(raw.spec).backendTLS).clientCertificateRef) out.backendTLSClientCertificate = true;
    return out;
  },
  CustomResourceDefinition: (raw, info, ns, origin) => {
    const b = base(raw, info as KindInfo & { kind: 'CustomResourceDefinition' }, ns, origin);
    const dot = b.meta.name.indexOf('.');
    const out: CustomResourceDefinitionObject = { ...b, group: str(rec(raw.spec).group) ?? (dot < 0 ? '' : b.meta.name.slice(dot + 1)) };
    const bundleVersion = b.meta.annotations[`${GATEWAY_GROUP}/bundle-version`];
    const channel = b.meta.annotations[`${GATEWAY_GROUP}/channel`];
    if (bundleVersion) out.bundleVersion = bundleVersion;
    if (channel) out.channel = channel;
    return out;
  },
  ...certManagerNormalizers(base),
};

function podSecretVolumes(volumes: unknown): NonNullable<PodObject['secretVolumes']> {
  const out: NonNullable<PodObject['secretVolumes']> = [];
  for (const v of arr(volumes)) {
    const r = rec(v);
    const volume = str(r.name) ?? '';
    const direct = str(rec(r.secret).secretName);
    if (direct) out.push({ volume, secretName: direct });
    for (const source of arr(rec(r.projected).sources)) {
      const name = str(rec(rec(source).secret).name);
      if (name) out.push({ volume, secretName: name });
    }
  }
  return out;
}

function route(raw: Raw, info: KindInfo, ns: string, origin?: Origin): RouteObject {
  const spec = rec(raw.spec);
  const status = rec(raw.status);
  const b = base(raw, info as KindInfo & { kind: RouteKind }, ns, origin);
  const routeNs = b.meta.namespace;
  return {
    ...b,
    parentRefs: arr(spec.parentRefs).map((p) => parentRef(p, routeNs)),
    hostnames: arr(spec.hostnames).map((h) => str(h) ?? '').filter(Boolean),
    rules: arr(spec.rules).map((r, index) => {
      const rr = rec(r);
      const rule: RouteObject['rules'][number] = { index, backendRefs: arr(rr.backendRefs).map((x) => backendRef(x, routeNs)) };
      const name = str(rr.name);
      if (name) rule.name = name;
      return rule;
    }),
    parents: arr(status.parents).map((p) => {
      const r = rec(p);
      const controllerName = str(r.controllerName) ?? '';
      return { parentRef: parentRef(r.parentRef, routeNs), controllerName, conditions: conditions(r.conditions, b.meta.generation, controllerName) };
    }),
  };
}

export function normalize(raw: Raw, info: KindInfo, defaultNamespace: string, origin?: Origin): AnyObject {
  return NORMALIZERS[info.kind](raw, info, defaultNamespace, origin);
}
