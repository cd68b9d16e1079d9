// The path model: Gateway -> GatewayClass (+ parameters) -> listeners -> attached routes -> backends ->
// endpoints/pods, with the TLS objects at each hop. Built synchronously from a Snapshot; the same model serves
// the report, the rules and the terminal UI.
import type { GatewayClassObject, GatewayObject, ListenerSetObject, ListenerSpec, ListenerStatus, RouteObject } from '../cluster/objects.ts';
import { LISTENER_SET_KINDS, ROUTE_KINDS } from '../cluster/kinds.ts';
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
import {
  admitListenerSet,
  applyPrecedence,
  compareListenerSets,
  inheritedShimAnnotations,
  listenerInvalidity,
  listenerSetKindOf,
  listenerSetVerdict,
  parentGatewayOf,
  type ListenerConflict,
  type ListenerSetModel,
  type OrphanListenerSet,
} from './listener-sets.ts';

export type { ListenerSetModel, OrphanListenerSet } from './listener-sets.ts';

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
  /** The ListenerSet that defines this listener (GEP-1713); undefined for the Gateway's own listeners. */
  set?: ListenerSetModel;
  /** A listener of higher precedence this one conflicts with: the controller sets Conflicted=True and does not accept it. */
  conflict?: ListenerConflict & { with: ListenerModel };
  spec: ListenerSpec;
  status: ListenerStatus | undefined;
  kinds: ListenerKinds;
  certRefs: CertRef[];
  served: ServedCertificate;
  /** Routes whose parentRefs select this listener, attached or not. */
  attachments: Attachment[];
  /** Why the routes that could attach were not all read (a kind the listener accepts absent, forbidden, or read elsewhere); undefined when they were. */
  routesNotRead?: string;
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
  /** Its own listeners, then those of the ListenerSets it admits, in GEP-1713 precedence order. */
  listeners: ListenerModel[];
  /** ListenerSets whose parentRef names this Gateway, admitted or not, in precedence order (oldest first). */
  listenerSets: ListenerSetModel[];
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
  /** ListenerSets in scope whose parentRef names no Gateway in scope (a missing Gateway, or not a Gateway). */
  orphanListenerSets: OrphanListenerSet[];
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

  // ListenerSets, by the Gateway in scope they name; the others in scope are orphans.
  const setsByGateway = new Map<string, ListenerSetObject[]>();
  const orphanListenerSets: OrphanListenerSet[] = [];
  for (const kind of LISTENER_SET_KINDS) {
    for (const ls of snapshot.list(kind)) {
      const parent = parentGatewayOf(ls, snapshot);
      const id = `${ls.parentRef.namespace}/${ls.parentRef.name}`;
      if (parent.found && gatewayIds.has(id)) {
        const list = setsByGateway.get(id) ?? [];
        if (list.length === 0) setsByGateway.set(id, list);
        list.push(ls);
      } else if (!parent.found && (scope.gatewayName ? ls.parentRef.name === scope.gatewayName : inScope(ls.meta.namespace))) {
        orphanListenerSets.push({ obj: ls, parent });
      }
    }
  }
  // A route that names a ListenerSet of a Gateway in scope is about that Gateway.
  const viaListenerSet = (p: RouteObject['parentRefs'][number]) => {
    const kind = listenerSetKindOf(p);
    const ls = kind ? snapshot.get(kind, p.namespace, p.name) : undefined;
    return ls !== undefined && gatewayIds.has(`${ls.parentRef.namespace}/${ls.parentRef.name}`);
  };
  const routes: RouteModel[] = [];
  for (const kind of ROUTE_KINDS) {
    for (const r of snapshot.list(kind)) {
      const targetsScope = r.parentRefs.some((p) => gatewayIds.has(`${p.namespace}/${p.name}`) || misdirected(p.namespace, p.name, r.meta.namespace) || viaListenerSet(p));
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
      } else if (parent.reason === 'GatewayNotFound' && !parent.listenerSet) {
        const list = missingByName.get(parent.ref.name) ?? [];
        if (list.length === 0) missingByName.set(parent.ref.name, list);
        list.push({ route, parent });
      }
    }
  }

  const gateways = gatewayObjs.map((obj) => {
    const gatewayClass = classOf(obj);
    const impl = implOf(obj);
    const gm: GatewayModel = { obj, gatewayClass, impl, features: featuresOf(obj), certManager: shimPlan({ kind: 'Gateway', meta: obj.meta, listeners: obj.listeners }), listeners: [], listenerSets: [], misdirected: [] };
    // Meant for this Gateway unless another of the same name lives in the route's namespace.
    gm.misdirected = (missingByName.get(obj.meta.name) ?? []).filter(({ route }) => route.obj.meta.namespace === obj.meta.namespace || !snapshot.get('Gateway', route.obj.meta.namespace, obj.meta.name));
    if (isAwsLbc(impl)) gm.lbc = lbcParameters(obj, gatewayClass.found ? gatewayClass.obj : undefined, snapshot);
    const parents = parentsByGateway.get(obj) ?? [];
    gm.listeners = obj.listeners.map((spec) => buildListener(gm, spec, parents, snapshot, decoder, now));
    gm.listenerSets = (setsByGateway.get(`${obj.meta.namespace}/${obj.meta.name}`) ?? []).sort(compareListenerSets).map((ls, i) => {
      const lsm: ListenerSetModel = { obj: ls, gateway: gm, admission: admitListenerSet(obj, ls.meta.namespace, snapshot), precedence: i + 1, listeners: [], expected: { accepted: null, reason: 'AdmissionUnknown', why: '' }, validListeners: [] };
      lsm.listeners = ls.listeners.map((spec) => buildListener(gm, spec, parents, snapshot, decoder, now, lsm));
      return lsm;
    });
    applyPrecedence(gm, gm.listenerSets);
    for (const lsm of gm.listenerSets) {
      lsm.validListeners = lsm.listeners.filter((l) => listenerInvalidity(l) === undefined);
      lsm.expected = listenerSetVerdict(lsm);
      if (lsm.admission.allowed === true) gm.listeners.push(...lsm.listeners);
    }
    for (const lm of gm.listeners) lm.path = listenerPath(lm, now);
    if (gm.lbc) {
      const keys = new Set(gm.listeners.map((l) => lbcListenerKey(l.spec)));
      gm.lbc.unmatched = [...gm.lbc.listenerConfigs.entries()].filter(([k]) => !keys.has(k)).map(([, v]) => v);
    }
    return gm;
  });
  return { snapshot, now, scope, gateways, routes, orphanListenerSets, decoder };
}

/** `set`: the ListenerSet that defines the listener (its namespace owns the certificateRefs and allowedRoutes). */
/** Whether every route of the kinds the listener accepts, from where it accepts them, was read; if not, why. */
function routesNotRead(lm: ListenerModel, ownerNamespace: string, snapshot: Snapshot): string | undefined {
  // '' is no namespace: coverage() then answers for all namespaces (complete only if the kind was read everywhere).
  const ns = lm.spec.allowedRoutes.from === 'Same' ? ownerNamespace : '';
  const whys = lm.kinds.allowed.flatMap((k) => {
    const cov = snapshot.coverage(k, ns);
    return cov.complete ? [] : [cov.why];
  });
  return whys.length ? whys.join('; ') : undefined;
}

function buildListener(gm: GatewayModel, spec: ListenerSpec, parents: Array<{ route: RouteModel; parent: ParentResolution }>, snapshot: Snapshot, decoder: CertificateDecoder, now: Date, set?: ListenerSetModel): ListenerModel {
  const gw = gm.obj;
  const owner = set?.obj ?? gw;
  const attachments: Attachment[] = [];
  for (const { route, parent } of parents) {
    const result = parent.listeners.find((l) => l.listener === spec);
    if (result?.selected) attachments.push({ route, parent, result });
  }
  const lm: ListenerModel = {
    gateway: gm,
    ...(set ? { set } : {}),
    spec,
    status: owner.listenerStatus.find((s) => s.name === spec.name),
    kinds: listenerKinds(spec, gm.impl, gm.features),
    certRefs: gm.impl.readsCertificateRefs ? resolveCertificateRefs(owner, spec, snapshot, decoder) : ignoredCertificateRefs(owner, spec, gm.impl.name),
    served: { type: 'none' },
    attachments,
    backends: [],
    issuance: [],
    path: [],
  };
  lm.served = servedCertificate(lm);
  const notRead = routesNotRead(lm, owner.meta.namespace, snapshot);
  if (notRead) lm.routesNotRead = notRead;
  if (gm.impl.readsCertificateRefs) {
    if (!set) lm.issuance = issuanceChains({ kind: 'Gateway', meta: gw.meta, listeners: gw.listeners }, gm.certManager, spec, snapshot, now);
    else {
      // cert-manager's "listenerset" shim (v1.20+) runs the gateway-shim's sync on a ListenerSet v1, with the
      // Gateway's issuer annotations inherited; it never reads XListenerSet.
      const annotations = set.obj.kind === 'ListenerSet' ? inheritedShimAnnotations(set.obj, gw) : {};
      const owner = { kind: 'ListenerSet' as const, meta: { ...set.obj.meta, annotations }, listeners: set.obj.listeners };
      lm.issuance = issuanceChains(owner, shimPlan(owner), spec, snapshot, now);
    }
  }
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
  // The path is written once precedence conflicts are known (buildModel).
  return lm;
}

/** Implementations that never read certificateRefs (AWS NLB/ALB): list them, but do not look the Secrets up. */
function ignoredCertificateRefs(gw: GatewayObject | ListenerSetObject, spec: ListenerSpec, implName: string): CertRef[] {
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
