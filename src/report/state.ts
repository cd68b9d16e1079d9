// One verdict everywhere: the state of a Gateway, a listener, a hop of its TLS path and a route, from the same two
// sources for every output (text, JSON, UI, the -A table):
//   - what the path model says about the hop itself (it fails, goes nowhere, is not verified, could not be read);
//   - the findings about it: an error makes it BROKEN, a warning WARNING (info changes nothing).
// The state is the worst of these, in the order below. Errors are the rules' to call: where the model alone sees a
// hop fail but no error finding is about it (the rules judged it otherwise: a Secret cert-manager will create, a
// Pod whose readiness the input does not say), the hop is NOT_CHECKED, not BROKEN. So a Gateway is BROKEN exactly
// when an error is about it (the header, the summary counts and `--fail-on error` agree), and WARNING only when
// a warning is.
import type { BackendHop, GatewayModel, ListenerModel } from '../graph/model.ts';
import { lbcListenerKey } from '../graph/providers/aws-lbc-config.ts';
import type { Finding, Hop, ObjectRef, Severity } from './types.ts';
import { findingOfListener } from './listener-sets.ts';

/**
 * OK: works, nothing to say. UNVERIFIED: works, but a certificate on the way is not verified (the gateway does not
 * verify the backend, or the certificate is one this tool cannot see, e.g. found by ACM discovery). NOT_CHECKED:
 * something it depends on could not be read (not in the input, forbidden). WARNING: works, with warnings.
 * NO_ROUTES: a listener (or the hop behind it) that no route attaches to. BROKEN: an error is about it, or the
 * model shows it cannot work.
 */
export type State = 'OK' | 'UNVERIFIED' | 'NOT_CHECKED' | 'WARNING' | 'NO_ROUTES' | 'BROKEN';

export const STATES: readonly State[] = ['OK', 'UNVERIFIED', 'NOT_CHECKED', 'WARNING', 'NO_ROUTES', 'BROKEN'];

const RANK: Record<State, number> = { OK: 0, UNVERIFIED: 1, NOT_CHECKED: 2, WARNING: 3, NO_ROUTES: 4, BROKEN: 5 };

export function worst(...states: State[]): State {
  let out: State = 'OK';
  for (const s of states) if (RANK[s] > RANK[out]) out = s;
  return out;
}

/** The words a person reads: `NO ROUTES`, `NOT CHECKED`. */
export function stateWords(s: State): string {
  return s.replace('_', ' ');
}

const BY_SEVERITY: Record<Severity, State> = { error: 'BROKEN', warning: 'WARNING', info: 'OK' };

function fromFindings(findings: Iterable<Finding>): State {
  let out: State = 'OK';
  for (const f of findings) out = worst(out, BY_SEVERITY[f.severity]);
  return out;
}

/** The model's state and the findings' together: BROKEN only when an error backs it. */
function judged(model: State, findings: State): State {
  return worst(model === 'BROKEN' && findings !== 'BROKEN' ? 'NOT_CHECKED' : model, findings);
}

// Codes about the hop from the client to the listener (its certificate, its TLS settings, what a probe of it saw),
// and codes about the hop from the gateway to a backend. A finding on the Gateway object with one of these codes
// and a listener belongs to that hop; others stay with the listener (routes, kinds, DNS) or the Gateway.
const FRONT = /^GWTLS-(CERT-\d+|CM-\d+|LSN-00[1245678]|LSN-009|LBC-00[1234]|LBC-01[025]|EG-005|PRB-\d+)$/;
const BACK = /^GWTLS-(BE-\d+|BTLS-\d+|BPRB-\d+|EG-00[1234]|LBC-00[578]|LBC-014)$/;
/** PostgreSQL behind a terminating NLB: both the client side and the TLS the NLB opens to the pods. */
const BOTH = /^GWTLS-LBC-013$/;

type Key = string;
const refKey = (kind: string, namespace: string | undefined, name: string): Key => `${kind}/${namespace ?? ''}/${name}`;
const objKey = (o: ObjectRef): Key => refKey(o.kind, o.namespace, o.name);
const metaKey = (o: { kind: string; meta: { namespace: string; name: string } }): Key => refKey(o.kind, o.meta.namespace || undefined, o.meta.name);

export interface HopState {
  hop: Hop;
  state: State;
}

export interface ListenerState {
  state: State;
  hops: State[];
  /** One per attachment, in the order of the listener's routes. */
  routes: State[];
  /** Findings about the listener (its hops, its routes, or naming it). */
  findings: Finding[];
}

export interface GatewayState {
  state: State;
  listeners: ListenerState[];
  /** Findings about the Gateway, its class and parameters, its listeners, routes and backends. */
  findings: Finding[];
}

/** The objects each hop of a listener's path stands for. */
function hopObjects(lm: ListenerModel): { front: Set<Key>; back: Map<number, Set<Key>>; backHops: Map<number, BackendHop[]> } {
  const front = new Set<Key>();
  for (const r of lm.certRefs) front.add(refKey(r.ref.kind || 'Secret', r.ref.namespace, r.ref.name));
  const cfg = lm.gateway.lbc?.listenerConfigs.get(lbcListenerKey(lm.spec));
  if (cfg) front.add(metaKey(cfg.from));
  // cert-manager's objects behind the listener's Secrets: the Certificate, its issuer, requests, orders, challenges.
  for (const chain of lm.issuance ?? []) {
    for (const o of [chain.certificate, ...chain.claimants, chain.issuer?.obj, ...chain.requests, chain.order, ...chain.challenges]) if (o) front.add(metaKey(o));
  }
  const back = new Map<number, Set<Key>>();
  const backHops = new Map<number, BackendHop[]>();
  lm.path.forEach((h, i) => {
    if (i === 0) return;
    const hops = lm.backends.filter((b) => h.to === backendTarget(b));
    backHops.set(i, hops);
    const keys = new Set<Key>();
    for (const b of hops) {
      const ref = b.backend.ref;
      keys.add(refKey(ref.kind, ref.namespace, ref.name));
      if (b.backend.envoyBackend?.found) keys.add(metaKey(b.backend.envoyBackend.obj));
      const t = b.tls;
      if (t.policy) {
        keys.add(metaKey(t.policy.policy));
        for (const l of t.policy.losers) keys.add(metaKey(l));
        for (const c of t.policy.caRefs) keys.add(refKey(c.kind, c.namespace, c.name));
      }
      for (const p of t.ignoredPolicies) keys.add(metaKey(p.policy));
      if (t.envoyBackend) keys.add(metaKey(t.envoyBackend));
      if (t.targetGroup?.tgc) keys.add(metaKey(t.targetGroup.tgc));
      if (t.targetGroup?.protocolTgc) keys.add(metaKey(t.targetGroup.protocolTgc));
      for (const c of t.targetGroup?.conflicting ?? []) keys.add(metaKey(c));
    }
    back.set(i, keys);
  });
  return { front, back, backHops };
}

/** The `to` of a backend hop, as src/graph/path.ts writes it. */
function backendTarget(b: BackendHop): string {
  const ref = b.backend.ref;
  return `${ref.kind === 'Service' ? 'Service' : ref.kind} ${ref.namespace}/${ref.name}${ref.port !== undefined ? `:${ref.port}` : ''}`;
}

/** What the model alone says about a hop. */
function hopModelState(lm: ListenerModel, h: Hop, index: number, backHops: BackendHop[]): State {
  if (index > 0 && h.to === 'nothing' && !lm.attachments.some((a) => a.result.accepted)) return lm.routesNotRead ? 'NOT_CHECKED' : 'NO_ROUTES';
  if (h.ok === false) return 'BROKEN';
  if (h.ok === null) {
    if (index === 0) {
      const s = lm.served;
      return s.type === 'secrets' && s.refs.length > 0 && s.refs.every((r) => r.state === 'unknown') ? 'NOT_CHECKED' : 'UNVERIFIED';
    }
    return backHops.some((b) => b.backend.resolved === null) ? 'NOT_CHECKED' : 'UNVERIFIED';
  }
  if (h.tls === 'originate' && h.verified !== true) return 'UNVERIFIED';
  return 'OK';
}

function listenerState(gm: GatewayModel, lm: ListenerModel, gwFindings: Finding[]): ListenerState {
  const { front, back, backHops } = hopObjects(lm);
  const routeKeys = lm.attachments.map((a) => metaKey(a.route.obj));
  // Routes that attach here count for the listener; one shown under it as NOT ATTACHED has its own state, and
  // makes the listener BROKEN only through a finding that names the listener (it was meant for it).
  const routeSet = new Set(routeKeys.filter((_, i) => lm.attachments[i]!.result.accepted));
  const backAll = new Set<Key>([...back.values()].flatMap((s) => [...s]));
  const gatewayKey = metaKey(gm.obj);
  const mine = gwFindings.filter((f) => {
    if (f.listener !== undefined) return findingOfListener(f, lm);
    const k = objKey(f.object);
    return front.has(k) || backAll.has(k) || routeSet.has(k);
  });
  const hopFindings = lm.path.map((): Finding[] => []);
  for (const f of mine) {
    const k = objKey(f.object);
    const onGateway = k === gatewayKey;
    if (front.has(k) || (onGateway && (FRONT.test(f.code) || BOTH.test(f.code)))) hopFindings[0]?.push(f);
    for (const [i, keys] of back) {
      const byRoute = routeSet.has(k) && BACK.test(f.code) && (backHops.get(i) ?? []).some((b) => metaKey(b.attachment.route.obj) === k);
      if (keys.has(k) || byRoute || (onGateway && BOTH.test(f.code))) hopFindings[i]!.push(f);
    }
  }
  const hops = lm.path.map((h, i) => judged(hopModelState(lm, h, i, backHops.get(i) ?? []), fromFindings(hopFindings[i]!)));
  const routes = lm.attachments.map((a, i) => {
    const own = fromFindings(gwFindings.filter((f) => objKey(f.object) === routeKeys[i] && (f.listener === undefined || findingOfListener(f, lm))));
    if (!a.result.accepted) {
      // Attached to another listener of this Gateway: nothing wrong here. Attached nowhere: it serves nothing.
      const elsewhere = gm.listeners.some((other) => other !== lm && other.attachments.some((b) => b.route === a.route && b.result.accepted));
      return judged(elsewhere ? 'OK' : 'BROKEN', own);
    }
    const through = lm.path.map((_, j) => j).filter((j) => j > 0 && (backHops.get(j) ?? []).some((b) => b.attachment === a));
    return worst(own, ...through.map((j) => hops[j]!));
  });
  const attached = lm.attachments.some((a) => a.result.accepted);
  let state = worst(...hops, ...routes.filter((_, i) => lm.attachments[i]!.result.accepted), fromFindings(mine));
  // No route attached: NO ROUTES when every route that could attach was read, else not known (NOT CHECKED).
  if (!attached && state !== 'BROKEN') state = lm.routesNotRead ? worst(state, 'NOT_CHECKED') : 'NO_ROUTES';
  return { state, hops, routes, findings: mine };
}

/** Every object a Gateway's tree stands for, for findings that name no Gateway (a route's apiVersion, a Secret). */
function gatewayObjects(gm: GatewayModel): Set<Key> {
  const keys = new Set<Key>([metaKey(gm.obj)]);
  keys.add(refKey('GatewayClass', undefined, gm.obj.className));
  if (gm.gatewayClass.found) {
    const p = gm.gatewayClass.obj.parametersRef;
    if (p) keys.add(refKey(p.kind, p.namespace, p.name));
  }
  for (const c of [gm.lbc?.classConfig, gm.lbc?.gatewayConfig]) if (c?.lookup?.found) keys.add(metaKey(c.lookup.obj));
  const infra = gm.obj.infrastructureParametersRef;
  if (infra) keys.add(refKey(infra.kind, gm.obj.meta.namespace, infra.name));
  for (const { route } of gm.misdirected) keys.add(metaKey(route.obj));
  for (const ls of gm.listenerSets) keys.add(metaKey(ls.obj));
  for (const lm of gm.listeners) {
    const { front, back } = hopObjects(lm);
    for (const k of front) keys.add(k);
    for (const s of back.values()) for (const k of s) keys.add(k);
    for (const a of lm.attachments) keys.add(metaKey(a.route.obj));
  }
  return keys;
}

/** The report's findings by the Gateway they name, and (those naming none) by object: built once per report. */
export interface FindingIndex {
  findings: readonly Finding[];
  byGateway: Map<string, number[]>;
  byObject: Map<Key, number[]>;
}

export function indexFindings(findings: readonly Finding[]): FindingIndex {
  const index: FindingIndex = { findings, byGateway: new Map(), byObject: new Map() };
  findings.forEach((f, i) => {
    const [map, key] = f.gateway !== undefined ? [index.byGateway, f.gateway] : [index.byObject, objKey(f.object)];
    const list = map.get(key);
    if (list) list.push(i);
    else map.set(key, [i]);
  });
  return index;
}

/** The findings about a Gateway, in the report's order: those naming it, and those naming none about its objects. */
function findingsOf(gm: GatewayModel, index: FindingIndex): Finding[] {
  const at = [...(index.byGateway.get(`${gm.obj.meta.namespace}/${gm.obj.meta.name}`) ?? [])];
  for (const k of gatewayObjects(gm)) at.push(...(index.byObject.get(k) ?? []));
  return [...new Set(at)].sort((a, b) => a - b).map((i) => index.findings[i]!);
}

export function gatewayState(gm: GatewayModel, findings: FindingIndex): GatewayState {
  const mine = findingsOf(gm, findings);
  const listeners = gm.listeners.map((lm) => listenerState(gm, lm, mine));
  const own = fromFindings(mine);
  // A listener without routes beside working ones does not make the Gateway a NO_ROUTES one (its warning, when
  // GWTLS-LSN-010 reports it, does make it WARNING); one whose every listener has none is.
  const noRoutes = listeners.length > 0 && listeners.every((l) => l.state === 'NO_ROUTES');
  const rest = listeners.map((l) => (l.state === 'NO_ROUTES' ? 'OK' : l.state));
  let state = worst(own, ...rest);
  if (noRoutes && state !== 'BROKEN') state = 'NO_ROUTES';
  return { state, listeners, findings: mine };
}

export interface Counts {
  errors: number;
  warnings: number;
  info: number;
}

export function countFindings(findings: readonly Finding[]): Counts {
  const c: Counts = { errors: 0, warnings: 0, info: 0 };
  for (const f of findings) {
    if (f.severity === 'error') c.errors++;
    else if (f.severity === 'warning') c.warnings++;
    else c.info++;
  }
  return c;
}
