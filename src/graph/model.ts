// The path model: Gateway -> GatewayClass (+ parameters) -> listeners -> attached routes -> backends ->
// endpoints/pods, with the TLS objects at each hop. Built synchronously from a Snapshot; the same model serves
// the report, the rules and the terminal UI.
import type { GatewayClassObject, GatewayObject, ListenerSpec, ListenerStatus, RouteObject } from '../cluster/objects.ts';
import { ROUTE_KINDS } from '../cluster/kinds.ts';
import type { Lookup, Snapshot } from '../cluster/snapshot.ts';
import type { Hop } from '../report/types.ts';
import { listenerKinds, resolveParent, type ListenerAttach, type ListenerKinds, type ParentResolution } from './attach.ts';
import { loadBalancerBackendTLS, proxyBackendTLS, type BackendTLSDecision } from './backend-tls.ts';
import { observationKey, observeBackend, resolveBackends, type BackendObservation, type ResolvedBackend } from './backends.ts';
import { CertificateDecoder, resolveCertificateRefs, type CertRef } from './listener-certs.ts';
import { isAwsLbc } from './providers/aws-lbc.ts';
import { lbcListenerKey, lbcParameters, targetGroupFor, type LbcParameters } from './providers/aws-lbc-config.ts';
import { implementationFor, type Implementation } from './providers/index.ts';
import { listenerPath } from './path.ts';
import { issuanceChains, shimPlan, type IssuanceChain, type ShimPlan } from './cert-manager.ts';
import { intersectHostnames } from './hostnames.ts';

export interface Scope {
  /** Namespace to look in; undefined with allNamespaces. */
  namespace?: string;
  allNamespaces: boolean;
  gatewayName?: string;
}

export interface RouteModel {
  obj: RouteObject;
  parents: ParentResolution[];
  backends: ResolvedBackend[];
}

export interface Attachment {
  route: RouteModel;
  parent: ParentResolution;
  result: ListenerAttach;
}

export interface BackendHop {
  attachment: Attachment;
  backend: ResolvedBackend;
  tls: BackendTLSDecision;
}

/** Where the certificate a client receives on this listener comes from. */
export type ServedCertificate =
  | { type: 'none' }
  | { type: 'passthrough' }
  | { type: 'secrets'; refs: CertRef[] }
  | { type: 'acm-arn'; arns: string[]; entry: string; from: string }
  | { type: 'acm-discovery'; hostnames: string[] };

export interface ListenerModel {
  gateway: GatewayModel;
  spec: ListenerSpec;
  status: ListenerStatus | undefined;
  kinds: ListenerKinds;
  certRefs: CertRef[];
  served: ServedCertificate;
  /** Routes whose parentRefs select this listener, attached or not. */
  attachments: Attachment[];
  backends: BackendHop[];
  /** cert-manager's issuance chain behind each certificateRef it has a hand in (cert-manager.ts). */
  issuance: IssuanceChain[];
  path: Hop[];
}

export interface GatewayModel {
  obj: GatewayObject;
  gatewayClass: Lookup<GatewayClassObject>;
  impl: Implementation;
  features: string[];
  lbc?: LbcParameters;
  /** What cert-manager's gateway-shim makes of the Gateway's annotations. */
  certManager: ShimPlan;
  listeners: ListenerModel[];
  /** Routes whose parentRef names this Gateway's name in a namespace where no such Gateway exists. */
  misdirected: Array<{ route: RouteModel; parent: ParentResolution }>;
}

export interface Model {
  snapshot: Snapshot;
  now: Date;
  scope: Scope;
  gateways: GatewayModel[];
  /** Routes in scope: those that reference a Gateway in scope, and with no Gateway named, all routes in the namespaces in scope. */
  routes: RouteModel[];
  decoder: CertificateDecoder;
}

export interface ModelOptions {
  /** What probes of backends saw, by observationKey(namespace, service, port) (inspect --probe). */
  observations?: ReadonlyMap<string, BackendObservation>;
}

export function buildModel(snapshot: Snapshot, scope: Scope, now: Date = new Date(), options: ModelOptions = {}): Model {
  const decoder = new CertificateDecoder(now);
  const inScope = (ns: string) => scope.allNamespaces || scope.namespace === undefined || ns === scope.namespace;
  const gatewayObjs = snapshot.list('Gateway').filter((g) => inScope(g.meta.namespace) && (!scope.gatewayName || g.meta.name === scope.gatewayName));
  const classes = new Map<string, Lookup<GatewayClassObject>>();
  const classOf = (g: GatewayObject) => {
    let c = classes.get(g.className);
    if (!c) classes.set(g.className, (c = snapshot.lookup('GatewayClass', '', g.className)));
    return c;
  };
  const implOf = (g: GatewayObject) => {
    const c = classOf(g);
    return implementationFor(c.found ? c.obj.controllerName : undefined, g.className);
  };
  const featuresOf = (g: GatewayObject) => {
    const c = classOf(g);
    return c.found ? c.obj.supportedFeatures : [];
  };

  const gatewayIds = new Set(gatewayObjs.map((g) => `${g.meta.namespace}/${g.meta.name}`));
  const gatewayNames = new Set(gatewayObjs.map((g) => g.meta.name));
  // A parentRef to a Gateway name in scope, in a namespace where no Gateway of that name exists, was most
  // likely meant for the one in scope (a wrong or missing parentRef namespace), unless a Gateway of that name out
  // of scope lives in the route's own namespace: then it was meant for that one.
  const misdirected = (ns: string, name: string, routeNs: string) => gatewayNames.has(name) && !snapshot.get('Gateway', ns, name) && (!snapshot.get('Gateway', routeNs, name) || gatewayIds.has(`${routeNs}/${name}`));
  const routes: RouteModel[] = [];
  for (const kind of ROUTE_KINDS) {
    for (const r of snapshot.list(kind)) {
      const targetsScope = r.parentRefs.some((p) => gatewayIds.has(`${p.namespace}/${p.name}`) || misdirected(p.namespace, p.name, r.meta.namespace));
      if (!targetsScope && (scope.gatewayName || !inScope(r.meta.namespace))) continue;
      routes.push({
        obj: r,
        parents: r.parentRefs.map((p, i) => resolveParent(r, p, i, { snapshot, implFor: implOf, featuresFor: featuresOf })),
        backends: resolveBackends(r, snapshot),
      });
      const observations = options.observations;
      if (observations?.size) {
        for (const b of routes[routes.length - 1]!.backends) {
          const obs = b.type === 'service' && b.ref.port !== undefined ? observations.get(observationKey(b.ref.namespace, b.ref.name, b.ref.port)) : undefined;
          if (obs) observeBackend(b, obs);
        }
      }
    }
  }

  // Route parents by the Gateway they resolve to (and, for misdirected ones, by the Gateway name they use).
  const parentsByGateway = new Map<GatewayObject, Array<{ route: RouteModel; parent: ParentResolution }>>();
  const missingByName = new Map<string, Array<{ route: RouteModel; parent: ParentResolution }>>();
  for (const route of routes) {
    for (const parent of route.parents) {
      if (parent.gateway?.found) {
        const list = parentsByGateway.get(parent.gateway.obj) ?? [];
        if (list.length === 0) parentsByGateway.set(parent.gateway.obj, list);
        list.push({ route, parent });
      } else if (parent.reason === 'GatewayNotFound') {
        const list = missingByName.get(parent.ref.name) ?? [];
        if (list.length === 0) missingByName.set(parent.ref.name, list);
        list.push({ route, parent });
      }
    }
  }

  const gateways = gatewayObjs.map((obj) => {
    const gatewayClass = classOf(obj);
    const impl = implOf(obj);
    const gm: GatewayModel = { obj, gatewayClass, impl, features: featuresOf(obj), certManager: shimPlan({ kind: 'Gateway', meta: obj.meta, listeners: obj.listeners }), listeners: [], misdirected: [] };
    // Meant for this Gateway unless another of the same name lives in the route's namespace.
    gm.misdirected = (missingByName.get(obj.meta.name) ?? []).filter(({ route }) => route.obj.meta.namespace === obj.meta.namespace || !snapshot.get('Gateway', route.obj.meta.namespace, obj.meta.name));
    if (isAwsLbc(impl)) gm.lbc = lbcParameters(obj, gatewayClass.found ? gatewayClass.obj : undefined, snapshot);
    const parents = parentsByGateway.get(obj) ?? [];
    gm.listeners = obj.listeners.map((spec) => buildListener(gm, spec, parents, snapshot, decoder, now));
    if (gm.lbc) {
      const keys = new Set(obj.listeners.map(lbcListenerKey));
      gm.lbc.unmatched = [...gm.lbc.listenerConfigs.entries()].filter(([k]) => !keys.has(k)).map(([, v]) => v);
    }
    return gm;
  });
  return { snapshot, now, scope, gateways, routes, decoder };
}

function buildListener(gm: GatewayModel, spec: ListenerSpec, parents: Array<{ route: RouteModel; parent: ParentResolution }>, snapshot: Snapshot, decoder: CertificateDecoder, now: Date): ListenerModel {
  const gw = gm.obj;
  const attachments: Attachment[] = [];
  for (const { route, parent } of parents) {
    const result = parent.listeners.find((l) => l.listener === spec);
    if (result?.selected) attachments.push({ route, parent, result });
  }
  const lm: ListenerModel = {
    gateway: gm,
    spec,
    status: gw.listenerStatus.find((s) => s.name === spec.name),
    kinds: listenerKinds(spec, gm.impl, gm.features),
    certRefs: gm.impl.readsCertificateRefs ? resolveCertificateRefs(gw, spec, snapshot, decoder) : ignoredCertificateRefs(gw, spec, gm.impl.name),
    served: { type: 'none' },
    attachments,
    backends: [],
    issuance: [],
    path: [],
  };
  lm.served = servedCertificate(lm);
  // ListenerSets (cert-manager's "listenerset" shim, v1.20+): once they are modelled, plan their listeners with
  // shimPlan({ kind: 'ListenerSet', ... }) and call issuanceChains with that plan and the ListenerSet as owner.
  if (gm.impl.readsCertificateRefs) lm.issuance = issuanceChains({ kind: 'Gateway', meta: gw.meta, listeners: gw.listeners }, gm.certManager, spec, snapshot, now);
  const passthrough = spec.protocol === 'TLS' && spec.tls?.mode === 'Passthrough';
  for (const a of attachments) {
    if (!a.result.accepted) continue;
    for (const backend of a.route.backends) {
      let tls: BackendTLSDecision;
      if (gm.impl.dataPlane === 'load-balancer') {
        const svc = backend.service?.found ? backend.service.obj : undefined;
        const choice = svc ? targetGroupFor(a.route.obj, svc, gm.lbc, snapshot, gm.impl.id === 'aws-lbc-nlb') : undefined;
        tls = loadBalancerBackendTLS(backend, choice, passthrough, gm.impl, snapshot);
      } else {
        tls = proxyBackendTLS(backend, gm.impl, passthrough, snapshot, now, a.route.obj.kind);
      }
      lm.backends.push({ attachment: a, backend, tls });
    }
  }
  lm.path = listenerPath(lm, now);
  return lm;
}

/** Implementations that never read certificateRefs (AWS NLB/ALB): list them, but do not look the Secrets up. */
function ignoredCertificateRefs(gw: GatewayObject, spec: ListenerSpec, implName: string): CertRef[] {
  return (spec.tls?.certificateRefs ?? []).map((r, index) => ({
    index,
    ref: { ...r, namespace: r.namespace ?? gw.meta.namespace },
    crossNamespace: (r.namespace ?? gw.meta.namespace) !== gw.meta.namespace,
    grant: { allowed: true, why: 'not used' },
    secret: null,
    state: 'ignored' as const,
    why: `${implName} does not read certificateRefs`,
  }));
}

function servedCertificate(lm: ListenerModel): ServedCertificate {
  const { spec, gateway } = lm;
  const terminates = spec.protocol === 'HTTPS' || (spec.protocol === 'TLS' && spec.tls?.mode !== 'Passthrough');
  if (spec.protocol === 'TLS' && spec.tls?.mode === 'Passthrough') return { type: 'passthrough' };
  if (!terminates) return { type: 'none' };
  if (gateway.impl.readsCertificateRefs || !gateway.lbc) return { type: 'secrets', refs: lm.certRefs };
  const cfg = gateway.lbc.listenerConfigs.get(lbcListenerKey(spec));
  const arns = cfg ? [cfg.entry.defaultCertificate, ...cfg.entry.certificates].filter((a): a is string => !!a) : [];
  if (cfg && arns.length > 0) {
    return { type: 'acm-arn', arns, entry: `listenerConfigurations[${cfg.entry.index}] (protocolPort ${cfg.entry.protocolPort})`, from: `LoadBalancerConfiguration ${cfg.from.meta.namespace}/${cfg.from.meta.name}` };
  }
  // ACM discovery uses the listener hostname plus the hostnames of attached routes (model_build_listener.go).
  const hostnames = new Set<string>();
  if (spec.hostname) hostnames.add(spec.hostname);
  for (const a of lm.attachments) if (a.result.accepted) for (const h of intersectHostnames(spec.hostname, a.route.obj.hostnames)) if (h !== '*') hostnames.add(h);
  return { type: 'acm-discovery', hostnames: [...hostnames] };
}
