// The tree the UI walks: GatewayClass -> Gateway -> listeners -> (TLS path, certificates, routes) -> backends ->
// pods, read straight from the report. Nodes are made when their parent is expanded, never before: a cluster with
// 20,000 routes costs only the rows the user opened. Keys are paths of identities (`g:ns/name|l:https|r:...`), so
// a selection and the expanded set survive a reload that rebuilds every node.
import type { BackendReport, Cert, Finding, GatewayReport, Hop, InspectReport, ListenerReport, ObjectRef, Pod, RouteReport } from '../report/types.ts';
import * as w from './words.ts';
import type { Status } from './words.ts';

export interface ObjId {
  kind: string;
  namespace?: string;
  name: string;
}

type CertRef = NonNullable<NonNullable<ListenerReport['tls']>['certificateRefs']>[number];
type Misdirected = NonNullable<GatewayReport['misdirectedRoutes']>[number];

export type NodeData =
  | { kind: 'class'; gw: GatewayReport; gateways: GatewayReport[] }
  | { kind: 'gateway'; gw: GatewayReport }
  | { kind: 'listener'; gw: GatewayReport; l: ListenerReport }
  | { kind: 'path'; gw: GatewayReport; l: ListenerReport }
  | { kind: 'hop'; gw: GatewayReport; l: ListenerReport; hop: Hop; index: number }
  | { kind: 'cert'; gw: GatewayReport; l: ListenerReport; ref: CertRef; certs: Cert[] }
  | { kind: 'route'; gw: GatewayReport; l: ListenerReport; route: RouteReport }
  | { kind: 'backend'; gw: GatewayReport; l: ListenerReport; route: RouteReport; backend: BackendReport }
  | { kind: 'pod'; gw: GatewayReport; l: ListenerReport; backend: BackendReport; pod: Pod }
  | { kind: 'misdirected'; gw: GatewayReport; m: Misdirected };

export interface TreeNode {
  key: string;
  depth: number;
  data: NodeData;
  /** What the row says, before its status. */
  label: string;
  status: Status;
  expandable: boolean;
  /** The Kubernetes objects this node stands for (findings about them belong here). */
  objects: ObjId[];
  /** `ns/name` of the Gateway and the listener name this node sits under. */
  gateway?: string;
  listener?: string;
}

export interface Row {
  node: TreeNode;
  expanded: boolean;
}

export const objKey = (o: ObjId | ObjectRef): string => `${o.kind}/${o.namespace ?? ''}/${o.name}`;
/** A listener's identity within its Gateway: its name, after its ListenerSet's `ns/name` when a ListenerSet defines it (GEP-1713). */
export const listenerId = (l: ListenerReport): string => (l.origin && l.origin.kind !== 'Gateway' ? `${l.origin.namespace}/${l.origin.name}/${l.name}` : l.name);
const findingListener = (f: Finding): string | undefined => (f.listener !== undefined && f.listenerSet ? `${f.listenerSet}/${f.listener}` : f.listener);
export const gwId = (g: GatewayReport): string => `${g.namespace}/${g.name}`;
export const SEP = '|';

/** The keys of a node's ancestors, outermost first (keys are `|`-joined paths). */
export function ancestorKeys(key: string): string[] {
  const parts = key.split(SEP);
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join(SEP));
  return out;
}

/** Objects named in free text such as `BackendTLSPolicy apps/app-tls` or `ConfigMap apps/ca`. */
function namedObjects(text: string | undefined): ObjId[] {
  if (!text) return [];
  const out: ObjId[] = [];
  for (const m of text.matchAll(/\b([A-Z][A-Za-z]+) ([a-z0-9][a-z0-9.-]*)\/([a-z0-9][a-z0-9.-]*)/g)) out.push({ kind: m[1]!, namespace: m[2]!, name: m[3]! });
  return out;
}

/** Short hop words for the one-line chain (the hop rows and the detail pane spell them out). */
const SHORT_TLS: Record<string, string> = { terminate: 'TLS', originate: 'TLS', passthrough: 'TLS passthrough', none: 'plain', unknown: 'unknown' };

function hopChain(path: Hop[]): string {
  if (path.length === 0) return 'no hops';
  const names = path[0]!.hop.split('->');
  let s = names[0] ?? 'client';
  for (const h of path) {
    const bad = h.state ? h.state === 'BROKEN' : h.ok === false;
    const doubt = h.state ? h.state !== 'OK' && !bad : h.ok === null;
    const mark = bad ? ' ✗' : doubt ? ' ?' : '';
    s += ` ─${SHORT_TLS[h.tls] ?? h.tls}${mark}→ ${h.hop.split('->')[1] ?? '?'}`;
  }
  return s;
}

function issuanceObjects(l: ListenerReport, ref: CertRef): ObjId[] {
  const i = l.tls?.issuance?.find((x) => x.secret.namespace === ref.namespace && x.secret.name === ref.name);
  if (!i) return [];
  const out: ObjId[] = [];
  if (i.certificate) out.push({ kind: 'Certificate', namespace: i.certificate.namespace, name: i.certificate.name });
  if (i.issuer) out.push({ kind: i.issuer.kind, ...(i.issuer.namespace ? { namespace: i.issuer.namespace } : {}), name: i.issuer.name });
  if (i.certificate) for (const c of i.challenges) out.push({ kind: 'Challenge', namespace: i.certificate.namespace, name: c.name });
  return out;
}

function certSummary(certs: Cert[]): string {
  const leaf = certs.find((c) => c.index === 0) ?? certs[0];
  if (!leaf) return '';
  const names = leaf.sans.dns.concat(leaf.sans.ip);
  return names.length ? names.join(', ') : `${leaf.commonName ? `CN=${leaf.commonName}` : leaf.subject} (no SAN)`;
}

// ---- node makers ------------------------------------------------------------------------------------------------

function classNode(key: string, depth: number, gw: GatewayReport, gateways: GatewayReport[], expandable: boolean): TreeNode {
  const objects: ObjId[] = [{ kind: 'GatewayClass', name: gw.className }];
  const params = gw.gatewayClass?.parameters;
  if (params) objects.push({ kind: params.kind, ...(params.namespace ? { namespace: params.namespace } : {}), name: params.name });
  return {
    key,
    depth,
    data: { kind: 'class', gw, gateways },
    label: `GatewayClass ${gw.className}${gw.implementation ? `  ${gw.implementation}` : ''}`,
    status: w.classStatus(gw),
    expandable,
    objects,
    ...(expandable ? {} : { gateway: gwId(gw) }),
  };
}

function gatewayNode(key: string, depth: number, gw: GatewayReport): TreeNode {
  const objects: ObjId[] = [{ kind: 'Gateway', namespace: gw.namespace, name: gw.name }];
  const infra = gw.infrastructure?.parameters;
  if (infra) objects.push({ kind: infra.kind, namespace: infra.namespace ?? gw.namespace, name: infra.name });
  return {
    key,
    depth,
    data: { kind: 'gateway', gw },
    label: `Gateway ${gwId(gw)}`,
    status: w.gatewayStatus(gw),
    expandable: true,
    objects,
    gateway: gwId(gw),
  };
}

function listenerNode(parent: TreeNode, gw: GatewayReport, l: ListenerReport): TreeNode {
  const mode = l.tls?.mode && l.protocol === 'TLS' ? `/${l.tls.mode}` : '';
  const fromSet = l.origin && l.origin.kind !== 'Gateway' ? l.origin : undefined;
  return {
    key: `${parent.key}${SEP}l:${listenerId(l)}`,
    depth: parent.depth + 1,
    data: { kind: 'listener', gw, l },
    label: `listener ${l.name}  ${l.protocol}${mode} :${l.port}${l.hostname ? `  ${l.hostname}` : ''}${fromSet ? `  from ${fromSet.kind} ${fromSet.namespace}/${fromSet.name}` : ''}`,
    status: w.gatewayStatus(l),
    expandable: true,
    objects: [fromSet ? { kind: fromSet.kind, namespace: fromSet.namespace, name: fromSet.name } : { kind: 'Gateway', namespace: gw.namespace, name: gw.name }],
    gateway: gwId(gw),
    listener: listenerId(l),
  };
}

function childrenOfListener(parent: TreeNode, gw: GatewayReport, l: ListenerReport): TreeNode[] {
  const depth = parent.depth + 1;
  const ctx = { gateway: gwId(gw), listener: listenerId(l) };
  const out: TreeNode[] = [];
  out.push({ key: `${parent.key}${SEP}path`, depth, data: { kind: 'path', gw, l }, label: `TLS path  ${hopChain(l.path)}`, status: w.pathStatus(l.path), expandable: l.path.length > 0, objects: [], ...ctx });
  for (const ref of l.tls?.certificateRefs ?? []) {
    const source = `secret ${ref.namespace}/${ref.name}`.toLowerCase();
    const certs = (l.tls?.certificates ?? []).filter((c) => c.source.toLowerCase() === source);
    const leaf = certs.find((c) => c.index === 0) ?? certs[0];
    const summary = certSummary(certs);
    out.push({
      key: `${parent.key}${SEP}cert:${ref.kind}:${ref.namespace}/${ref.name}`,
      depth,
      data: { kind: 'cert', gw, l, ref, certs },
      label: `certificate ${ref.kind} ${ref.namespace}/${ref.name}${summary ? `  ${summary}` : ''}`,
      status: w.certRefStatus(ref.state, leaf),
      expandable: false,
      // cert-manager objects behind the Secret: their findings belong to this row too.
      objects: [{ kind: ref.kind, namespace: ref.namespace, name: ref.name }, ...issuanceObjects(l, ref)],
      ...ctx,
    });
  }
  const seen = new Set<string>();
  for (const route of l.routes) {
    let key = `${parent.key}${SEP}r:${route.kind}:${route.namespace}/${route.name}`;
    if (seen.has(key)) key += `#${seen.size}`;
    seen.add(key);
    const hosts = route.effectiveHostnames?.length ? route.effectiveHostnames : route.hostnames ?? [];
    out.push({
      key,
      depth,
      data: { kind: 'route', gw, l, route },
      label: `${route.kind} ${route.namespace}/${route.name}${hosts.length ? `  ${hosts.join(', ')}` : ''}`,
      status: w.routeStatus(route),
      expandable: route.backends.length > 0,
      objects: [{ kind: route.kind, namespace: route.namespace, name: route.name }],
      ...ctx,
    });
  }
  return out;
}

function childrenOfRoute(parent: TreeNode, gw: GatewayReport, l: ListenerReport, route: RouteReport): TreeNode[] {
  const seen = new Set<string>();
  return route.backends.map((b) => {
    let key = `${parent.key}${SEP}b:${b.kind}:${b.namespace}/${b.name}:${b.port ?? ''}`;
    if (seen.has(key)) key += `#${seen.size}`;
    seen.add(key);
    const target = b.targetPort !== undefined && b.targetPort !== null ? ` → ${b.targetPort}` : '';
    return {
      key,
      depth: parent.depth + 1,
      data: { kind: 'backend' as const, gw, l, route, backend: b },
      label: `${b.kind} ${b.namespace}/${b.name}${b.port !== null ? `:${b.port}` : ''}${target}  ${w.backendTlsWords(b)}`,
      status: w.backendStatus(b),
      expandable: b.pods.length > 0,
      objects: [{ kind: b.kind, namespace: b.namespace, name: b.name }, ...namedObjects(b.tls.by), ...(b.tls.trust ?? []).flatMap(namedObjects)],
      gateway: gwId(gw),
      listener: listenerId(l),
    };
  });
}

function childrenOfBackend(parent: TreeNode, gw: GatewayReport, l: ListenerReport, b: BackendReport): TreeNode[] {
  return b.pods.map((pod) => ({
    key: `${parent.key}${SEP}p:${pod.namespace}/${pod.name}`,
    depth: parent.depth + 1,
    data: { kind: 'pod' as const, gw, l, backend: b, pod },
    label: `pod ${pod.name}${pod.node ? `  ${pod.node}` : ''}${pod.ip ? `  ${pod.ip}` : ''}`,
    status: w.podStatus(pod),
    expandable: false,
    objects: [{ kind: 'Pod', namespace: pod.namespace, name: pod.name }],
    gateway: gwId(gw),
    listener: listenerId(l),
  }));
}

function childrenOfGateway(parent: TreeNode, gw: GatewayReport, withClass: boolean): TreeNode[] {
  const out: TreeNode[] = [];
  if (withClass) out.push(classNode(`${parent.key}${SEP}class`, parent.depth + 1, gw, [gw], false));
  for (const l of gw.listeners) out.push(listenerNode(parent, gw, l));
  for (const m of gw.misdirectedRoutes ?? []) {
    out.push({
      key: `${parent.key}${SEP}m:${m.kind}:${m.namespace}/${m.name}`,
      depth: parent.depth + 1,
      data: { kind: 'misdirected', gw, m },
      label: `${m.kind} ${m.namespace}/${m.name}  names this Gateway (${m.parentRef})`,
      status: { word: 'NOT ATTACHED', tone: 'bad' },
      expandable: false,
      objects: [{ kind: m.kind, namespace: m.namespace, name: m.name }],
      gateway: gwId(gw),
    });
  }
  return out;
}

/** A node's children, made fresh (the model caches them). */
export function childrenOf(node: TreeNode, listView: boolean): TreeNode[] {
  const d = node.data;
  switch (d.kind) {
    case 'class':
      return node.expandable ? d.gateways.map((g) => gatewayNode(`${node.key}${SEP}g:${gwId(g)}`, node.depth + 1, g)) : [];
    case 'gateway':
      return childrenOfGateway(node, d.gw, listView);
    case 'listener':
      return childrenOfListener(node, d.gw, d.l);
    case 'path':
      return d.l.path.map((hop, index) => ({
        key: `${node.key}${SEP}h:${index}`,
        depth: node.depth + 1,
        data: { kind: 'hop' as const, gw: d.gw, l: d.l, hop, index },
        label: `${hop.from ?? hop.hop.split('->')[0]} → ${hop.to ?? hop.hop.split('->')[1]}: ${w.hopWords(hop)}${hop.certificate ? `  ${hop.certificate}` : ''}`,
        status: w.hopStatus(hop),
        expandable: false,
        objects: [],
        gateway: gwId(d.gw),
        listener: listenerId(d.l),
      }));
    case 'route':
      return childrenOfRoute(node, d.gw, d.l, d.route);
    case 'backend':
      return childrenOfBackend(node, d.gw, d.l, d.backend);
    default:
      return [];
  }
}

// ---- findings ---------------------------------------------------------------------------------------------------

export interface FindingIndex {
  byObject: Map<string, Finding[]>;
  byGateway: Map<string, Finding[]>;
  byListener: Map<string, Finding[]>;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

export function indexFindings(findings: Finding[]): FindingIndex {
  const idx: FindingIndex = { byObject: new Map(), byGateway: new Map(), byListener: new Map() };
  for (const f of findings) {
    push(idx.byObject, objKey(f.object), f);
    if (f.gateway) push(idx.byGateway, f.gateway, f);
    if (f.gateway && f.listener) push(idx.byListener, `${f.gateway}${SEP}${findingListener(f)}`, f);
  }
  return idx;
}

function fits(node: TreeNode, f: Finding): boolean {
  if (f.gateway && node.gateway && f.gateway !== node.gateway) return false;
  if (f.listener && node.listener && findingListener(f) !== node.listener) return false;
  return true;
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

// ---- the model --------------------------------------------------------------------------------------------------

export class TreeModel {
  readonly roots: TreeNode[];
  readonly findings: FindingIndex;
  /** Gateways as top-level nodes (no GATEWAY named) rather than under their GatewayClass. */
  readonly listView: boolean;
  private readonly kids = new Map<string, TreeNode[]>();
  private readonly visibleCache = new WeakMap<ReadonlySet<string>, Row[]>();
  private readonly nodeFindings = new Map<string, Finding[]>();
  private readonly rootByKey = new Map<string, TreeNode>();

  readonly report: InspectReport;

  constructor(report: InspectReport, opts: { listView: boolean }) {
    this.report = report;
    this.listView = opts.listView;
    this.findings = indexFindings(report.findings);
    if (this.listView) {
      this.roots = report.gateways.map((g) => gatewayNode(`g:${gwId(g)}`, 0, g));
    } else {
      const byClass = new Map<string, GatewayReport[]>();
      for (const g of report.gateways) push(byClass, g.className, g);
      this.roots = [...byClass.values()].map((gws) => classNode(`c:${gws[0]!.className}`, 0, gws[0]!, gws, true));
    }
    for (const r of this.roots) this.rootByKey.set(r.key, r);
  }

  children(node: TreeNode): TreeNode[] {
    let list = this.kids.get(node.key);
    if (!list) {
      list = node.expandable ? childrenOf(node, this.listView) : [];
      this.kids.set(node.key, list);
    }
    return list;
  }

  /** The rows on screen-to-be: roots, and the children of every expanded node. Memoized per expanded set. */
  visible(expanded: ReadonlySet<string>): Row[] {
    const cached = this.visibleCache.get(expanded);
    if (cached) return cached;
    const rows: Row[] = [];
    const walk = (nodes: TreeNode[]): void => {
      for (const n of nodes) {
        const open = n.expandable && expanded.has(n.key);
        rows.push({ node: n, expanded: open });
        if (open) walk(this.children(n));
      }
    };
    walk(this.roots);
    this.visibleCache.set(expanded, rows);
    return rows;
  }

  /** The node with this key, made (with its ancestors) if needed; undefined when the report no longer has it. */
  node(key: string): TreeNode | undefined {
    const parts = key.split(SEP);
    let cur = this.rootByKey.get(parts[0]!);
    for (let i = 2; cur && i <= parts.length; i++) {
      const k = parts.slice(0, i).join(SEP);
      cur = this.children(cur).find((c) => c.key === k);
    }
    return cur;
  }

  /** The findings about this node, errors first. */
  findingsFor(node: TreeNode): Finding[] {
    const cached = this.nodeFindings.get(node.key);
    if (cached) return cached;
    const set = new Set<Finding>();
    const d = node.data;
    if (d.kind === 'gateway') for (const f of this.findings.byGateway.get(node.gateway!) ?? []) set.add(f);
    if (d.kind === 'listener' || d.kind === 'path') for (const f of this.findings.byListener.get(`${node.gateway}${SEP}${node.listener}`) ?? []) set.add(f);
    if (d.kind !== 'path') {
      for (const o of node.objects) for (const f of this.findings.byObject.get(objKey(o)) ?? []) if (fits(node, f)) set.add(f);
    }
    const list = [...set].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
    this.nodeFindings.set(node.key, list);
    return list;
  }

  counts(node: TreeNode): { errors: number; warnings: number } {
    // The path repeats its listener's findings in the detail pane; its row does not count them twice.
    if (node.data.kind === 'path') return { errors: 0, warnings: 0 };
    let errors = 0;
    let warnings = 0;
    for (const f of this.findingsFor(node)) {
      if (f.severity === 'error') errors++;
      else if (f.severity === 'warning') warnings++;
    }
    return { errors, warnings };
  }

  /** Depth-first walk of every node, made fresh (not cached): search and locate, which must see collapsed parts. */
  *walk(from: TreeNode[] = this.roots, skip?: (n: TreeNode) => boolean): Generator<TreeNode> {
    for (const n of from) {
      yield n;
      if (n.expandable && !skip?.(n)) yield* this.walk(this.kids.get(n.key) ?? childrenOf(n, this.listView), skip);
    }
  }

  /** Where a finding's object is in the tree: the key of the best node, or null when it is not in the tree. */
  locate(f: Finding): string | null {
    const id = objKey(f.object);
    const roots = f.gateway && !this.listView ? this.roots : f.gateway ? this.roots.filter((r) => r.gateway === f.gateway) : this.roots;
    const wantPods = f.object.kind === 'Pod';
    let loose: string | null = null;
    for (const n of this.walk(roots, (x) => (f.gateway !== undefined && x.gateway !== undefined && x.gateway !== f.gateway) || (!wantPods && x.data.kind === 'backend'))) {
      if (!n.objects.some((o) => objKey(o) === id) || !fits(n, f)) continue;
      // A listener node stands for its Gateway only when the finding names that listener.
      if (n.data.kind === 'listener' && findingListener(f) !== n.listener) {
        loose ??= n.key;
        continue;
      }
      if (f.listener && n.listener === findingListener(f)) return n.key;
      if (!f.listener || n.listener === undefined) return n.key;
      loose ??= n.key;
    }
    if (loose) return loose;
    if (f.gateway) {
      for (const n of this.walk(roots, (x) => x.data.kind === 'listener' || (x.gateway !== undefined && x.gateway !== f.gateway))) {
        if (n.data.kind === 'gateway' && n.gateway === f.gateway) {
          if (f.listener) {
            const l = this.walk(this.children(n), () => true);
            for (const c of l) if (c.data.kind === 'listener' && c.listener === findingListener(f)) return c.key;
          }
          return n.key;
        }
      }
    }
    return null;
  }

  /** Keys of the nodes whose row text contains `query` (case-insensitive), in tree order; at most `limit`. */
  search(query: string, limit = 5000): string[] {
    const q = query.toLowerCase();
    if (!q) return [];
    const out: string[] = [];
    for (const n of this.walk()) {
      if (n.label.toLowerCase().includes(q) || n.status.word.toLowerCase() === q) out.push(n.key);
      if (out.length >= limit) break;
    }
    return out;
  }
}

/** The keys expanded when a report is first shown: enough to see every listener and its path. */
export function initialExpanded(model: TreeModel): Set<string> {
  const out = new Set<string>();
  if (model.listView) return out;
  for (const c of model.roots) {
    out.add(c.key);
    for (const g of model.children(c)) {
      out.add(g.key);
      for (const l of model.children(g)) if (l.data.kind === 'listener') out.add(l.key);
    }
  }
  return out;
}

/** Where the cursor starts: the first BROKEN listener (its path and findings show at once), else the top. */
export function initialSelection(model: TreeModel, expanded: ReadonlySet<string>): string | null {
  const rows = model.visible(expanded);
  const broken = rows.find((r) => r.node.data.kind === 'listener' && r.node.status.tone === 'bad');
  return (broken ?? rows[0])?.node.key ?? null;
}
