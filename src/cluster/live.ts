// Objects from a live cluster. Reads each kind with LISTs scoped as narrowly as the question allows (the
// Gateway's namespace, the namespaces its routes and backends live in, label- and field-selected where the
// API supports it), so the number of requests for one Gateway does not grow with the size of the cluster.
// With -A, one cluster-wide LIST per kind.
import { UserError } from '../cli/errors.ts';
import type { Scope } from '../graph/model.ts';
import { isAwsLbc } from '../graph/providers/aws-lbc.ts';
import { implementationFor, isEnvoyBackend } from '../graph/providers/index.ts';
import { ApiClient, ApiError, ConnectionError } from './api-client.ts';
import { discover, versionToRead, type Served } from './discovery.ts';
import { apiVersionFor, KINDS, ROUTE_KINDS, type KindName } from './kinds.ts';
import { loadKubeConfig } from './kubeconfig.ts';
import { normalize } from './normalize.ts';
import type { AnyObject, GatewayObject, ObjectsByKind, RouteObject } from './objects.ts';
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

class Reader {
  private readonly client: ApiClient;
  private readonly snapshot: Snapshot;
  private readonly served: Served;
  private readonly context: string;
  private readonly server: string;
  private readonly reported = new Set<string>();
  /** Kinds a LIST was attempted for. */
  readonly attempted = new Set<KindName>();

  constructor(client: ApiClient, snapshot: Snapshot, served: Served, context: string, server: string) {
    this.client = client;
    this.snapshot = snapshot;
    this.served = served;
    this.context = context;
    this.server = server;
  }

  /** Reads a kind in the given scopes; problems become `skipped` entries, not failures (except for fatal ones). */
  async list<K extends KindName>(kind: K, queries: ListQuery[], opts: { quiet?: boolean } = {}): Promise<Array<ObjectsByKind[K]>> {
    const info = KINDS[kind];
    const version = versionToRead(kind, this.served);
    if (!version) return [];
    this.attempted.add(kind);
    const out: Array<ObjectsByKind[K]> = [];
    await Promise.all(
      queries.map(async (q) => {
        const prefix = info.group === '' ? `/api/${version}` : `/apis/${info.group}/${version}`;
        const path = info.namespaced && q.namespace !== ALL ? `${prefix}/namespaces/${encodeURIComponent(q.namespace)}/${info.plural}` : `${prefix}/${info.plural}`;
        const query: Record<string, string> = {};
        if (q.labelSelector) query.labelSelector = q.labelSelector;
        if (q.fieldSelector) query.fieldSelector = q.fieldSelector;
        try {
          const res = await this.client.list(path, query, info.metadataOnly ? METADATA_ONLY : undefined);
          const apiVersion = apiVersionFor(info, version);
          for (const item of res.items) {
            const obj = normalize({ ...item, apiVersion, kind }, info, q.namespace === ALL ? 'default' : q.namespace) as ObjectsByKind[K];
            this.snapshot.add(obj as AnyObject);
            out.push(obj);
          }
          // A selected LIST still answers every question the model asks of that namespace.
          if (info.namespaced && q.namespace !== ALL) this.snapshot.markScope(kind, q.namespace);
        } catch (e) {
          this.failed(kind, q, e, opts.quiet ?? false);
        }
      }),
    );
    return out;
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
      const msg = e instanceof Error ? e.message : String(e);
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
  const reader = new Reader(client, snapshot, served, context, server);
  const ns = (n: string) => ({ namespace: n });
  const spread = (set: Set<string>) => (all || set.has(ALL) ? [ns(ALL)] : [...set].map(ns));

  // Phase 1: the Gateways in question and their classes, and which bundles the Gateway API CRDs came from.
  const [, gatewaysListed] = await Promise.all([reader.list('GatewayClass', [ns(ALL)]), reader.list('Gateway', [ns(all ? ALL : namespace)]), reader.list('CustomResourceDefinition', [ns(ALL)])]);
  if (snapshot.state('Gateway').state === 'forbidden') throw new UserError(`no access to Gateways on ${server} (context ${context}): ${snapshot.skipped.find((s) => s.what === 'gateways')?.detail ?? 'forbidden'}`);
  const gateways = gatewaysListed.filter((g) => !req.gatewayName || g.meta.name === req.gatewayName);
  const implOf = (g: GatewayObject) => {
    const cls = snapshot.get('GatewayClass', '', g.className);
    return implementationFor(cls?.controllerName, g.className);
  };

  // Phase 2: routes that may attach to them, and the objects their classes read.
  const routeNamespaces = new Set<string>([namespace]);
  let selectors = false;
  for (const g of gateways) {
    for (const l of g.listeners) {
      if (l.allowedRoutes.from === 'Same') routeNamespaces.add(g.meta.namespace);
      else routeNamespaces.add(ALL);
      if (l.allowedRoutes.from === 'Selector') selectors = true;
    }
  }
  const lbcGateways = gateways.filter((g) => isAwsLbc(implOf(g)));
  const lbcNamespaces = new Set<string>();
  for (const g of lbcGateways) {
    lbcNamespaces.add(g.meta.namespace);
    const ref = snapshot.get('GatewayClass', '', g.className)?.parametersRef;
    if (ref?.namespace) lbcNamespaces.add(ref.namespace);
  }
  // Implementation kinds matter only for Gateways of that implementation: say when they cannot be read.
  if (lbcGateways.length) {
    for (const kind of ['LoadBalancerConfiguration', 'TargetGroupConfiguration'] as const) {
      if (!kinds[kind]) snapshot.skipped.push({ what: KINDS[kind].plural, reason: 'not-served', detail: `the cluster does not serve ${KINDS[kind].plural}.${KINDS[kind].group}: the AWS Load Balancer Controller CRDs are not installed` });
    }
  }
  const routeLists = await Promise.all([
    ...ROUTE_KINDS.map((k) => reader.list(k, spread(routeNamespaces))),
    selectors ? reader.list('Namespace', [ns(ALL)]) : Promise.resolve([]),
    lbcNamespaces.size ? reader.list('LoadBalancerConfiguration', spread(lbcNamespaces)) : Promise.resolve([]),
    lbcGateways.length ? reader.list('Event', all ? [{ namespace: ALL, fieldSelector: 'involvedObject.kind=Gateway' }] : [...new Set(lbcGateways.map((g) => g.meta.namespace))].map((n) => ({ namespace: n, fieldSelector: 'involvedObject.kind=Gateway' }))) : Promise.resolve([]),
  ]);
  const gatewayIds = new Set(gateways.map((g) => `${g.meta.namespace}/${g.meta.name}`));
  const gatewayNames = new Set(gateways.map((g) => g.meta.name));
  const routes = (routeLists.slice(0, ROUTE_KINDS.length).flat() as RouteObject[]).filter(
    (r) => r.parentRefs.some((p) => gatewayIds.has(`${p.namespace}/${p.name}`) || (!snapshot.get('Gateway', p.namespace, p.name) && gatewayNames.has(p.name))) || (!req.gatewayName && (all || r.meta.namespace === namespace)),
  );

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
  for (const g of gateways) {
    for (const l of g.listeners) for (const c of l.tls?.certificateRefs ?? []) secretNs.add(c.namespace ?? g.meta.namespace);
    if (g.backendClientCertificateRef) secretNs.add(g.backendClientCertificateRef.namespace ?? g.meta.namespace);
  }
  for (const n of secretNs) grantNs.add(n);
  const envoyGateways = gateways.some((g) => ['envoy-gateway', 'calico'].includes(implOf(g).id));
  const sliceQueries = all
    ? [ns(ALL)]
    : [...backendNs].map((n) => {
        const names = [...(serviceNames.get(n) ?? [])];
        return names.length > 0 && names.length <= 50 ? { namespace: n, labelSelector: `kubernetes.io/service-name in (${names.join(',')})` } : ns(n);
      });
  const [, slices, policies, , , , , secrets] = await Promise.all([
    reader.list('Service', spread(backendNs)),
    reader.list('EndpointSlice', sliceQueries),
    reader.list('BackendTLSPolicy', spread(backendNs)),
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
    for (const g of gateways) {
      for (const l of g.listeners) {
        for (const c of l.tls?.certificateRefs ?? []) {
          const id = `${c.namespace ?? g.meta.namespace}/${c.name}`;
          if ((c.kind ?? 'Secret') === 'Secret' && !found.has(id)) followUps.push(reader.list('Secret', [{ namespace: c.namespace ?? g.meta.namespace, fieldSelector: `metadata.name=${c.name}` }]));
        }
      }
    }
  }
  const caByNs = new Map<string, Set<string>>();
  for (const p of policies) for (const c of p.caCertificateRefs) if (c.kind === 'ConfigMap' && c.group === '') (caByNs.get(p.meta.namespace) ?? caByNs.set(p.meta.namespace, new Set()).get(p.meta.namespace)!).add(c.name);
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
        const mounted = new Set(pods.flatMap((p) => (p.secretVolumes ?? []).map(() => p.meta.namespace)).filter((n) => !secretNs.has(n)));
        if (mounted.size && snapshot.state('Secret').state === 'listed') await reader.list('Secret', [...mounted].map((n) => ({ namespace: n, fieldSelector: 'type=kubernetes.io/tls' })));
      }),
    );
  }
  await Promise.all(followUps);
  // Pods not listed for a namespace are still known through EndpointSlices; the backend model asks only where it needs them.
  for (const n of backendNs) snapshot.markScope('Pod', n);
  // Kinds this question never needed were not read: references to them are unknown, not missing.
  for (const kind of Object.keys(KINDS) as KindName[]) {
    if (kinds[kind] && !reader.attempted.has(kind)) snapshot.setState(kind, { state: 'unread', detail: `${KINDS[kind].plural} were not read for this question` });
  }
  snapshot.source.requests = client.requests;
  return { snapshot, scope, inputErrors: [], inputWarnings: [], ignored: {}, cluster: { client, context, server } };
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
