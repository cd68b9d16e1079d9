// Objects from a live cluster. Reads each kind with LISTs scoped as narrowly as the question allows (the
// Gateway's namespace, the namespaces its routes and backends live in, label- and field-selected where the
// API supports it), so the number of requests for one Gateway does not grow with the size of the cluster.
// Routes are the exception: whatever points at the Gateway matters wherever it lives (a route the listener
// refuses is the diagnosis), so route kinds are read in every namespace (one LIST per kind), and where RBAC
// forbids that, in the namespaces the Gateway and the routes already read name, with `skipped` saying so.
// With -A, one cluster-wide LIST per kind. In overlay mode, objects from -f files are merged into what the
// cluster holds as server-side apply would merge them, kind by kind as they are read, so every later read
// follows the path the changed objects describe.
import { UserError } from '../cli/errors.ts';
import type { Scope } from '../graph/model.ts';
import { isAwsLbc } from '../graph/providers/aws-lbc.ts';
import { implementationFor, isEnvoyBackend } from '../graph/providers/index.ts';
import { selectorMatches } from '../graph/selectors.ts';
import { applyConfigurations } from '../fixes/merge.ts';
import { ApiClient, ApiError, ConnectionError } from './api-client.ts';
import { discover, versionToRead, type Served } from './discovery.ts';
import { readCertManager } from './live-cert-manager.ts';
import { apiVersionFor, kindFor, KINDS, LBC_GROUP, LISTENER_SET_KINDS, ROUTE_KINDS, type KindName } from './kinds.ts';
import { loadKubeConfig } from './kubeconfig.ts';
import { readManifestObjects, type InputError, type InputWarning, type ManifestObject } from './manifests.ts';
import { normalize } from './normalize.ts';
import { inheritedShimAnnotations } from '../graph/listener-sets.ts';
import type { AnyObject, GatewayObject, ListenerSetObject, ObjectsByKind, RouteObject } from './objects.ts';
import { Snapshot } from './snapshot.ts';
import type { LoadRequest, LoadResult } from './source.ts';

const ALL = '*';
/** Items as PartialObjectMetadata: names, labels and annotations without the spec (a CRD's schema runs to megabytes). */
const METADATA_ONLY = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
/** Where Envoy Gateway's startup config lives in a default install, on Calico (older and newer operators). */
const ENVOY_CONFIG_NAMESPACES = ['envoy-gateway-system', 'calico-system', 'tigera-gateway'];

interface ListQuery {
  namespace: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** Objects from -f files waiting to be laid over what the cluster returns, per kind. */
class Overlay {
  private readonly byKind = new Map<KindName, ManifestObject[]>();
  private readonly defaultNamespace: string;

  constructor(objects: ManifestObject[], defaultNamespace: string) {
    this.defaultNamespace = defaultNamespace;
    for (const o of objects) {
      const list = this.byKind.get(o.info.kind) ?? [];
      if (list.length === 0) this.byKind.set(o.info.kind, list);
      list.push(o);
    }
  }

  /** Namespaces of file objects of this kind: read there too, so each one meets the object it changes. */
  namespaces(kind: KindName): string[] {
    if (!KINDS[kind].namespaced) return [];
    return [...new Set((this.byKind.get(kind) ?? []).map((o) => this.namespaceOf(o)))];
  }

  namespaceOf(o: ManifestObject): string {
    const m = o.raw.metadata as Record<string, unknown>;
    return o.info.namespaced ? (typeof m.namespace === 'string' && m.namespace !== '' ? m.namespace : this.defaultNamespace) : '';
  }

  /** Takes the file objects of a kind (once): the caller merges them into what it read. */
  take(kind: KindName): ManifestObject[] {
    const list = this.byKind.get(kind) ?? [];
    this.byKind.delete(kind);
    return list;
  }

  rest(): ManifestObject[] {
    const out = [...this.byKind.values()].flat();
    this.byKind.clear();
    return out;
  }
}

/** A file object as server-side apply sends it: status belongs to the status subresource and is not applied. */
function applyConfiguration(o: ManifestObject): Record<string, unknown> {
  const { status: _status, ...rest } = o.raw;
  return rest;
}

class Reader {
  private readonly client: ApiClient;
  private readonly snapshot: Snapshot;
  private readonly served: Served;
  private readonly context: string;
  private readonly server: string;
  private readonly reported = new Set<string>();
  private readonly overlay: Overlay | undefined;
  /** Kinds a LIST was attempted for. */
  readonly attempted = new Set<KindName>();

  constructor(client: ApiClient, snapshot: Snapshot, served: Served, context: string, server: string, overlay?: Overlay) {
    this.client = client;
    this.snapshot = snapshot;
    this.served = served;
    this.context = context;
    this.server = server;
    this.overlay = overlay;
  }

  /** Lays the file objects of `kind` over what was read of it; returns the objects as they now stand. */
  private layOver<K extends KindName>(kind: K, read: Array<{ raw: Record<string, unknown>; obj: ObjectsByKind[K] }>): Array<ObjectsByKind[K]> {
    const files = this.overlay?.take(kind) ?? [];
    if (files.length === 0) return read.map((r) => r.obj);
    const info = KINDS[kind];
    const key = (ns: string, name: string) => `${ns}/${name}`;
    const byKey = new Map(read.map((r) => [key(r.obj.meta.namespace, r.obj.meta.name), r]));
    for (const f of files) {
      const ns = this.overlay!.namespaceOf(f);
      const name = String((f.raw.metadata as Record<string, unknown>).name);
      const live = byKey.get(key(ns, name));
      const cfg = applyConfiguration(f);
      // As `kubectl apply --server-side -f` would: field manager kubectl, conflicts taken (--force-conflicts).
      const [merged] = applyConfigurations(live ? [live.raw] : [], [cfg], ns || 'default', { manager: 'kubectl', force: true });
      const obj = normalize(merged!, kindFor(String(merged!.apiVersion ?? ''), kind) ?? info, ns || 'default', f.origin) as ObjectsByKind[K];
      this.snapshot.add(obj as AnyObject);
      byKey.set(key(ns, name), { raw: merged!, obj });
    }
    return [...byKey.values()].map((r) => r.obj);
  }

  /** Reads a kind in the given scopes; problems become `skipped` entries, not failures (except for fatal ones). */
  async list<K extends KindName>(kind: K, queries: ListQuery[], opts: { quiet?: boolean; onForbidden?: () => void; unpaginated?: boolean } = {}): Promise<Array<ObjectsByKind[K]>> {
    const info = KINDS[kind];
    const version = versionToRead(kind, this.served);
    if (!version) return [];
    this.attempted.add(kind);
    const out: Array<{ raw: Record<string, unknown>; obj: ObjectsByKind[K] }> = [];
    const all = queries.some((q) => q.namespace === ALL);
    const extra = all ? [] : (this.overlay?.namespaces(kind) ?? []).filter((n) => !queries.some((q) => q.namespace === n && !q.labelSelector && !q.fieldSelector)).map((n) => ({ namespace: n }));
    await Promise.all(
      [...queries, ...extra].map(async (q: ListQuery) => {
        const prefix = info.group === '' ? `/api/${version}` : `/apis/${info.group}/${version}`;
        const path = info.namespaced && q.namespace !== ALL ? `${prefix}/namespaces/${encodeURIComponent(q.namespace)}/${info.plural}` : `${prefix}/${info.plural}`;
        const query: Record<string, string> = {};
        if (q.labelSelector) query.labelSelector = q.labelSelector;
        if (q.fieldSelector) query.fieldSelector = q.fieldSelector;
        try {
          const res = await this.client.list(path, query, info.metadataOnly ? METADATA_ONLY : undefined, opts.unpaginated ? 0 : undefined);
          const apiVersion = apiVersionFor(info, version);
          for (const item of res.items) {
            const raw = { ...item, apiVersion, kind };
            const obj = normalize(raw, info, q.namespace === ALL ? 'default' : q.namespace) as ObjectsByKind[K];
            this.snapshot.add(obj as AnyObject);
            out.push({ raw, obj });
          }
          // A selected LIST still answers every question the model asks of that namespace.
          if (info.namespaced && q.namespace !== ALL) this.snapshot.markScope(kind, q.namespace);
        } catch (e) {
          if (opts.onForbidden && e instanceof ApiError && e.status === 403) opts.onForbidden();
          else this.failed(kind, q, e, opts.quiet ?? false);
        }
      }),
    );
    return this.layOver(kind, out);
  }

  /** File objects of kinds this question never read: added as they are (the cluster's copy was not looked at). */
  addRest(): void {
    for (const f of this.overlay?.rest() ?? []) {
      const ns = this.overlay!.namespaceOf(f);
      this.snapshot.add(normalize(applyConfiguration(f), f.info, ns || 'default', f.origin));
    }
  }

  private failed(kind: KindName, q: ListQuery, e: unknown, quiet: boolean): void {
    const info = KINDS[kind];
    const where = info.namespaced ? (q.namespace === ALL ? ' in all namespaces' : ` in namespace ${q.namespace}`) : '';
    if (e instanceof ConnectionError) throw new UserError(`cannot reach the API server ${this.server} (context ${this.context}): ${e.message}`, { cause: e });
    if (e instanceof ApiError && e.status === 401) throw new UserError(`the API server ${this.server} (context ${this.context}) rejected the credentials (401 Unauthorized): ${e.message}`, { cause: e });
    if (quiet) return;
    const key = `${kind}${where}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    if (e instanceof ApiError && e.status === 403) {
      this.snapshot.setState(kind, { state: 'forbidden', detail: `list ${info.plural}${where}: forbidden` });
      this.snapshot.skipped.push({ what: info.plural, reason: 'forbidden', detail: `${e.message} (RBAC: needs "list" on ${info.plural}${info.group ? `.${info.group}` : ''}${where})` });
    } else if (e instanceof ApiError && e.status === 404) {
      this.snapshot.setState(kind, { state: 'not-served', detail: `${info.plural}${info.group ? `.${info.group}` : ''} is not served (404)` });
      this.snapshot.skipped.push({ what: info.plural, reason: 'not-served', detail: `the server answered 404 for ${info.plural}${where}` });
    } else {
      const msg = describeFailure(e);
      this.snapshot.setState(kind, { state: 'error', detail: msg });
      this.snapshot.skipped.push({ what: info.plural, reason: 'error', detail: `list ${info.plural}${where}: ${msg}` });
    }
  }
}

export async function loadFromCluster(req: LoadRequest): Promise<LoadResult> {
  const { kc, context, server, namespace: contextNamespace } = loadKubeConfig(req.cluster);
  const client = new ApiClient(kc, server, { timeoutMs: req.cluster.requestTimeoutMs ?? 30_000, concurrency: 8 });
  const snapshot = new Snapshot({ type: 'cluster', context, server });
  let served: Served;
  try {
    served = await discover(client);
  } catch (e) {
    throw fatal(e, server, context);
  }
  const kinds: Record<string, string> = {};
  for (const kind of Object.keys(KINDS) as KindName[]) {
    const v = versionToRead(kind, served);
    if (v) kinds[kind] = v;
    else snapshot.setState(kind, { state: 'not-served', detail: `the cluster does not serve ${KINDS[kind].plural}${KINDS[kind].group ? `.${KINDS[kind].group}` : ''}` });
  }
  snapshot.source.kinds = kinds;
  snapshot.source.served = Object.fromEntries([...served.versions].map(([k, v]) => [k, [...v]]));
  for (const kind of ['GatewayClass', 'Gateway', ...ROUTE_KINDS, 'BackendTLSPolicy', 'ReferenceGrant'] as KindName[]) {
    if (!kinds[kind]) snapshot.skipped.push({ what: KINDS[kind].plural, reason: 'not-served', detail: `the cluster does not serve ${KINDS[kind].plural}.${KINDS[kind].group} (CRD not installed)` });
  }
  if (!kinds.Gateway) throw new UserError(`the API server ${server} (context ${context}) does not serve gateways.gateway.networking.k8s.io: the Gateway API CRDs are not installed`);

  const namespace = req.namespace ?? contextNamespace;
  const all = req.allNamespaces;
  const scope: Scope = { allNamespaces: all };
  if (!all) scope.namespace = namespace;
  if (req.gatewayName) scope.gatewayName = req.gatewayName;
  let input: { errors: InputError[]; warnings: InputWarning[]; ignored: Record<string, number> } = { errors: [], warnings: [], ignored: {} };
  let overlay: Overlay | undefined;
  if (req.overlay && req.files?.length) {
    // Objects without a namespace go where `kubectl apply -f` would put them: -n, or the context's namespace.
    const read = await readManifestObjects(req.files, namespace, req.maxInputBytes === undefined ? {} : { maxInputBytes: req.maxInputBytes });
    input = read;
    overlay = new Overlay(read.objects, namespace);
    snapshot.source.files = read.files;
  }
  const reader = new Reader(client, snapshot, served, context, server, overlay);
  const ns = (n: string) => ({ namespace: n });
  const spread = (set: Set<string>) => (all || set.has(ALL) ? [ns(ALL)] : [...set].map(ns));

  // Phase 1: the Gateways in question and their classes, and which bundles the Gateway API CRDs came from.
  // Gateways of every namespace, when allowed (one request): which Gateway a route with a wrong parentRef was
  // meant for, and where a Gateway of the name asked for lives, depend on the others.
  let gatewaysForbidden = all;
  const [, gatewaysEverywhere] = await Promise.all([
    reader.list('GatewayClass', [ns(ALL)]),
    reader.list('Gateway', [ns(ALL)], all ? {} : { unpaginated: true, onForbidden: () => (gatewaysForbidden = true) }),
    reader.list('CustomResourceDefinition', [ns(ALL)]),
  ]);
  const gatewaysListed = gatewaysForbidden && !all ? await reader.list('Gateway', [ns(namespace)]) : gatewaysEverywhere;
  const gwState = snapshot.state('Gateway');
  if (gwState.state === 'forbidden') throw new UserError(`no access to Gateways on ${server} (context ${context}): ${snapshot.skipped.find((s) => s.what === 'gateways')?.detail ?? 'forbidden'}`);
  // Without the Gateways nothing else means anything: a failed read is the answer, never "not found".
  if (gwState.state === 'error' || gwState.state === 'not-served') throw new UserError(`cannot list Gateways ${all ? 'in all namespaces' : `in namespace ${namespace}`} on ${server} (context ${context}): ${gwState.detail}`);
  const gateways = gatewaysListed.filter((g) => (all || g.meta.namespace === namespace) && (!req.gatewayName || g.meta.name === req.gatewayName));
  const implOf = (g: GatewayObject) => {
    const cls = snapshot.get('GatewayClass', '', g.className);
    return implementationFor(cls?.controllerName, g.className);
  };

  // Phase 1b: ListenerSets that name them (GEP-1713), wherever they live: one LIST per served kind, or where RBAC
  // forbids that, the Gateways' namespaces (and the ones their allowedListeners names by label, read below).
  const gatewayIds = new Set(gateways.map((g) => `${g.meta.namespace}/${g.meta.name}`));
  const setLists = await Promise.all(
    LISTENER_SET_KINDS.map(async (k) => {
      let forbidden = false;
      const listed = await reader.list(k, [ns(ALL)], all ? {} : { unpaginated: true, onForbidden: () => (forbidden = true) });
      if (!forbidden) return listed;
      const where = [...new Set([namespace, ...gateways.map((g) => g.meta.namespace)])].sort();
      const found = await reader.list(k, where.map(ns));
      if (snapshot.state(k).state === 'listed') snapshot.skipped.push({ what: KINDS[k].plural, reason: 'forbidden', detail: `cannot list ${KINDS[k].plural} in all namespaces (RBAC: needs "list" on ${KINDS[k].plural}.${KINDS[k].group} cluster-wide): read in ${where.join(', ')} only; a ${k} elsewhere that names this Gateway is not seen` });
      return found;
    }),
  );
  const listenerSets = (setLists.flat() as ListenerSetObject[]).filter((ls) => gatewayIds.has(`${ls.parentRef.namespace}/${ls.parentRef.name}`));
  // Listeners as cert-manager and the Secret reads see them: the Gateways' own, then those of their ListenerSets.
  const owners = [
    ...gateways.map((g) => ({ kind: 'Gateway', meta: g.meta, listeners: g.listeners })),
    ...listenerSets.map((ls) => {
      const gw = gateways.find((g) => g.meta.namespace === ls.parentRef.namespace && g.meta.name === ls.parentRef.name)!;
      return { kind: ls.kind, meta: { ...ls.meta, annotations: ls.kind === 'ListenerSet' ? inheritedShimAnnotations(ls, gw) : {} }, listeners: ls.listeners };
    }),
  ];

  // Phase 2: routes that point at them (read in every namespace), and the objects their classes read.
  let selectors = false;
  for (const o of owners) for (const l of o.listeners) if (l.allowedRoutes.from === 'Selector') selectors = true;
  for (const g of gateways) if (g.allowedListeners?.from === 'Selector') selectors = true;
  const lbcGateways = gateways.filter((g) => isAwsLbc(implOf(g)));
  const lbcNamespaces = new Set<string>();
  for (const g of lbcGateways) {
    lbcNamespaces.add(g.meta.namespace);
    const ref = snapshot.get('GatewayClass', '', g.className)?.parametersRef;
    if (ref?.namespace) lbcNamespaces.add(ref.namespace);
  }
  // A Gateway that names a LoadBalancerConfiguration is judged on it whatever its class says.
  for (const g of gateways) if (g.infrastructureParametersRef?.group === LBC_GROUP) lbcNamespaces.add(g.meta.namespace);
  // Implementation kinds matter only for Gateways of that implementation: say when they cannot be read.
  if (lbcGateways.length) {
    for (const kind of ['LoadBalancerConfiguration', 'TargetGroupConfiguration'] as const) {
      if (!kinds[kind]) snapshot.skipped.push({ what: KINDS[kind].plural, reason: 'not-served', detail: `the cluster does not serve ${KINDS[kind].plural}.${KINDS[kind].group}: the AWS Load Balancer Controller CRDs are not installed` });
    }
  }
  const forbiddenKinds = new Set<KindName>();
  const [routeLists, namespaces] = await Promise.all([
    // For one Gateway, in one answer per kind: the number of requests stays the same however many routes there are.
    Promise.all(ROUTE_KINDS.map((k) => reader.list(k, [ns(ALL)], all ? {} : { onForbidden: () => forbiddenKinds.add(k), unpaginated: true }))),
    selectors ? reader.list('Namespace', [ns(ALL)]) : Promise.resolve([]),
    lbcNamespaces.size ? reader.list('LoadBalancerConfiguration', spread(lbcNamespaces)) : Promise.resolve([]),
    lbcGateways.length ? reader.list('Event', all ? [{ namespace: ALL, fieldSelector: 'involvedObject.kind=Gateway' }] : [...new Set(lbcGateways.map((g) => g.meta.namespace))].map((n) => ({ namespace: n, fieldSelector: 'involvedObject.kind=Gateway' }))) : Promise.resolve([]),
  ]);
  const gatewayNames = new Set(gateways.map((g) => g.meta.name));
  const setIds = new Set(listenerSets.map((ls) => `${ls.kind}/${ls.meta.namespace}/${ls.meta.name}`));
  const namesGateway = (r: RouteObject) => r.parentRefs.some((p) => gatewayIds.has(`${p.namespace}/${p.name}`) || setIds.has(`${p.kind}/${p.namespace}/${p.name}`) || (!snapshot.get('Gateway', p.namespace, p.name) && gatewayNames.has(p.name)));
  const allRoutes = routeLists.flat() as RouteObject[];
  if (forbiddenKinds.size) {
    // RBAC forbids a cluster-wide LIST: read where routes for these Gateways are most likely, and say what was not seen.
    const fallback = new Set<string>([namespace, ...gateways.map((g) => g.meta.namespace), ...listenerSets.map((ls) => ls.meta.namespace)]);
    for (const g of owners) {
      for (const l of g.listeners) {
        if (l.allowedRoutes.from !== 'Selector' || !l.allowedRoutes.selector) continue;
        for (const n of namespaces) if (selectorMatches(l.allowedRoutes.selector, n.meta.labels)) fallback.add(n.meta.name);
      }
    }
    for (const r of allRoutes) if (namesGateway(r)) fallback.add(r.meta.namespace);
    const where = [...fallback].sort();
    const lists = await Promise.all([...forbiddenKinds].map((k) => reader.list(k, where.map(ns))));
    allRoutes.push(...(lists.flat() as RouteObject[]));
    for (const k of forbiddenKinds) {
      const info = KINDS[k];
      if (snapshot.state(k).state !== 'listed') continue;
      snapshot.skipped.push({ what: info.plural, reason: 'forbidden', detail: `cannot list ${info.plural} in all namespaces (RBAC: needs "list" on ${info.plural}.${info.group} cluster-wide): read in ${where.join(', ')} only; a ${k} elsewhere that names this Gateway is not seen` });
    }
  }
  const routes = allRoutes.filter((r) => namesGateway(r) || (!req.gatewayName && (all || r.meta.namespace === namespace)));

  // Phase 3: backends, TLS objects and grants, in the namespaces the routes and listeners point at.
  const backendNs = new Set<string>();
  const serviceNames = new Map<string, Set<string>>();
  let envoyBackends = false;
  for (const r of routes) {
    for (const rule of r.rules) {
      for (const b of rule.backendRefs) {
        backendNs.add(b.namespace);
        if (b.group === '' && b.kind === 'Service') {
          if (!serviceNames.has(b.namespace)) serviceNames.set(b.namespace, new Set());
          serviceNames.get(b.namespace)!.add(b.name);
        }
        if (isEnvoyBackend(b.group, b.kind)) envoyBackends = true;
      }
    }
  }
  const secretNs = new Set<string>();
  const grantNs = new Set<string>(backendNs);
  for (const g of owners) for (const l of g.listeners) for (const c of l.tls?.certificateRefs ?? []) secretNs.add(c.namespace ?? g.meta.namespace);
  for (const g of gateways) if (g.backendClientCertificateRef) secretNs.add(g.backendClientCertificateRef.namespace ?? g.meta.namespace);
  for (const n of secretNs) grantNs.add(n);
  const envoyGateways = gateways.some((g) => ['envoy-gateway', 'calico'].includes(implOf(g).id));
  let policiesForbidden = false;
  const sliceQueries = all
    ? [ns(ALL)]
    : [...backendNs].map((n) => {
        const names = [...(serviceNames.get(n) ?? [])];
        return names.length > 0 && names.length <= 50 ? { namespace: n, labelSelector: `kubernetes.io/service-name in (${names.join(',')})` } : ns(n);
      });
  const [, slices, policies, , , , , secrets] = await Promise.all([
    reader.list('Service', spread(backendNs)),
    reader.list('EndpointSlice', sliceQueries),
    // Every namespace when allowed (one request): a policy written in the wrong namespace is a diagnosis too.
    all ? reader.list('BackendTLSPolicy', [ns(ALL)]) : reader.list('BackendTLSPolicy', [ns(ALL)], { unpaginated: true, onForbidden: () => (policiesForbidden = true) }).then(async (p) => (policiesForbidden ? reader.list('BackendTLSPolicy', spread(backendNs)) : p)),
    lbcGateways.length ? reader.list('TargetGroupConfiguration', spread(new Set([...backendNs, ...lbcNamespaces]))) : Promise.resolve([]),
    envoyBackends || envoyGateways ? reader.list('Backend', spread(backendNs)) : Promise.resolve([]),
    reader.list('ReferenceGrant', spread(grantNs)),
    envoyGateways ? reader.list('ConfigMap', ENVOY_CONFIG_NAMESPACES.map((n) => ({ namespace: n, fieldSelector: 'metadata.name=envoy-gateway-config' })), { quiet: true }) : Promise.resolve([]),
    secretNs.size ? reader.list('Secret', all ? [{ namespace: ALL, fieldSelector: 'type=kubernetes.io/tls' }] : [...secretNs].map((n) => ({ namespace: n, fieldSelector: 'type=kubernetes.io/tls' }))) : Promise.resolve([]),
  ]);

  // Follow-ups that depend on what was read: certificate Secrets of another type, CA ConfigMaps, and Pods
  // where EndpointSlices cannot answer (named targetPorts, no endpoints, no slices at all).
  const followUps: Array<Promise<unknown>> = [];
  if (snapshot.state('Secret').state === 'listed') {
    const found = new Set(secrets.map((s) => `${s.meta.namespace}/${s.meta.name}`));
    for (const g of owners) {
      for (const l of g.listeners) {
        for (const c of l.tls?.certificateRefs ?? []) {
          const id = `${c.namespace ?? g.meta.namespace}/${c.name}`;
          if ((c.kind ?? 'Secret') === 'Secret' && !found.has(id)) followUps.push(reader.list('Secret', [{ namespace: c.namespace ?? g.meta.namespace, fieldSelector: `metadata.name=${c.name}` }]));
        }
      }
    }
  }
  const caByNs = new Map<string, Set<string>>();
  for (const p of policies.filter((x) => all || backendNs.has(x.meta.namespace))) for (const c of p.caCertificateRefs) if (c.kind === 'ConfigMap' && c.group === '') (caByNs.get(p.meta.namespace) ?? caByNs.set(p.meta.namespace, new Set()).get(p.meta.namespace)!).add(c.name);
  for (const [n, names] of caByNs) followUps.push(reader.list('ConfigMap', names.size === 1 ? [{ namespace: n, fieldSelector: `metadata.name=${[...names][0]}` }] : [ns(n)]));
  const slicesByService = new Set(slices.map((s) => `${s.meta.namespace}/${s.serviceName ?? ''}`));
  const podQueries: ListQuery[] = [];
  for (const [n, names] of serviceNames) {
    for (const name of names) {
      const svc = snapshot.get('Service', n, name);
      if (!svc?.selector || Object.keys(svc.selector).length === 0) continue;
      const sliceEps = slices.filter((s) => s.meta.namespace === n && s.serviceName === name).flatMap((s) => s.endpoints);
      const needsPods = svc.ports.some((p) => typeof p.targetPort === 'string') || !slicesByService.has(`${n}/${name}`) || sliceEps.every((e) => e.ready === false);
      // For one Gateway, read the backend Pods too: the serving certificates they mount tell whether a backend
      // speaks TLS and with which certificate. With -A that would mean every Pod of the cluster: only when needed.
      if (needsPods || !all) podQueries.push({ namespace: n, labelSelector: Object.entries(svc.selector).map(([k, v]) => `${k}=${v}`).join(',') });
    }
  }
  if (podQueries.length) {
    followUps.push(
      reader.list('Pod', podQueries).then(async (pods) => {
        // The serving certificates the backend pods mount, whatever the Secrets' type: by name where one is missing.
        const missing = new Map<string, Set<string>>();
        for (const p of pods) {
          for (const v of p.secretVolumes ?? []) {
            if (snapshot.get('Secret', p.meta.namespace, v.secretName)) continue;
            (missing.get(p.meta.namespace) ?? missing.set(p.meta.namespace, new Set()).get(p.meta.namespace)!).add(v.secretName);
          }
        }
        if (missing.size && snapshot.state('Secret').state === 'listed') await reader.list('Secret', [...missing].map(([n, names]) => (names.size === 1 ? { namespace: n, fieldSelector: `metadata.name=${[...names][0]}` } : { namespace: n })));
      }),
    );
  }
  // cert-manager's issuance chain behind the listeners' Secrets (live-cert-manager.ts).
  followUps.push(readCertManager({ list: (kind, queries, opts) => reader.list(kind, queries, opts), snapshot, gateways: owners, all, served: kinds }));
  await Promise.all(followUps);
  // Pods not listed for a namespace are still known through EndpointSlices; the backend model asks only where it needs them.
  for (const n of backendNs) snapshot.markScope('Pod', n);
  // Kinds this question never needed were not read: references to them are unknown, not missing.
  for (const kind of Object.keys(KINDS) as KindName[]) {
    if (kinds[kind] && !reader.attempted.has(kind)) snapshot.setState(kind, { state: 'unread', detail: `${KINDS[kind].plural} were not read for this question` });
  }
  reader.addRest();
  snapshot.source.requests = client.requests;
  return { snapshot, scope, inputErrors: input.errors, inputWarnings: input.warnings, ignored: input.ignored, cluster: { client, context, server } };
}

function fatal(e: unknown, server: string, context: string): Error {
  if (e instanceof UserError) return e;
  if (e instanceof ConnectionError) return new UserError(`cannot reach the API server ${server} (context ${context}): ${e.message}`, { cause: e });
  if (e instanceof ApiError) {
    if (e.status === 401) return new UserError(`the API server ${server} (context ${context}) rejected the credentials (401 Unauthorized)`, { cause: e });
    if (e.status === 403) return new UserError(`the API server ${server} (context ${context}) refused discovery (403 Forbidden): ${e.message}`, { cause: e });
    return new UserError(`the API server ${server} (context ${context}) answered ${e.status} ${e.reason}: ${e.message}`, { cause: e });
  }
  return new UserError(`cannot talk to the API server ${server} (context ${context}): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
}

/** What went wrong with a read, in one line: the status the server answered, or why its answer was unusable. */
function describeFailure(e: unknown): string {
  if (e instanceof ApiError) {
    const status = `the server answered ${e.status}${e.reason ? ` ${e.reason}` : ''}`;
    if (e.status >= 300 && e.status < 400) return `${status} (a redirect: is the server address that of the API server, not of a proxy or login page?)`;
    return e.message && e.message !== e.reason ? (e.status >= 200 && e.status < 300 ? e.message : `${status}: ${e.message}`) : status;
  }
  if (e instanceof TypeError) return `the server's answer is not a list (${e.message})`;
  return e instanceof Error ? e.message : String(e);
}
