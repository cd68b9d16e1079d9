// ACME HTTP-01 through Gateway API, as cert-manager v1.21.2 does it:
// - the solver is picked per name like pkg/util/solverpicker Pick (a selector's dnsNames beat dnsZones, the
//   longest zone wins, then the most matchLabels; a solver without selector only when nothing else matched;
//   ACME servers offer dns-01 only for wildcard names, so HTTP-01 solvers never serve those);
// - the Challenge's gatewayHTTPRoute parentRefs are the issuer's, with the Gateway the shim names in
//   acme.cert-manager.io/http01-parentref{kind,name,namespace} (copied Certificate -> Order) replacing a matching
//   one or added (pkg/controller/acmeorders/util.go applyGatewayAPIAnnotationParentRefOverride);
// - the solver creates an HTTPRoute `cm-acme-http-solver-*` in the Challenge's namespace with those parentRefs,
//   hostnames [the name] and one rule for /.well-known/acme-challenge/<token> (pkg/issuer/acme/http/httproute.go).
// The ACME server fetches http://<name>:80/.well-known/acme-challenge/<token>, so the route must attach to an HTTP
// listener that plain-HTTP clients reach on port 80.
import { GATEWAY_GROUP } from '../cluster/kinds.ts';
import type { ParentReference, RouteObject } from '../cluster/objects.ts';
import type { AcmeSolver, CertificateObject, ChallengeObject } from '../cluster/objects-cert-manager.ts';
import type { Snapshot } from '../cluster/snapshot.ts';
import { resolveParent, type ParentResolution } from './attach.ts';
import { CM } from './cert-manager-shim.ts';
import type { AnyIssuer } from './cert-manager.ts';
import { implementationFor } from './providers/index.ts';

function countLabels(name: string): number {
  return name.replace(/\.$/, '').split('.').filter(Boolean).length;
}

/** miekg/dns CompareDomainName == CountLabel(zone): the name is in the zone; the zone's label count. */
function zoneMatch(zone: string, name: string): number {
  const z = zone.toLowerCase().replace(/\.$/, '').split('.').filter(Boolean);
  const n = name.toLowerCase().replace(/\.$/, '').replace(/^\*\./, '*.').split('.').filter(Boolean);
  if (z.length === 0 || z.length > n.length) return 0;
  for (let i = 1; i <= z.length; i++) if (z[z.length - i] !== n[n.length - i]) return 0;
  return countLabels(zone);
}

/** solverpicker.Pick for one name; undefined when no solver can be used. */
export function pickSolver(solvers: readonly AcmeSolver[], name: string, labels: Record<string, string>): AcmeSolver | undefined {
  const wildcard = name.startsWith('*.');
  let selected: AcmeSolver | undefined;
  let sel = { labels: 0, names: 0, zones: 0 };
  for (const s of solvers) {
    if (s.type === 'unknown') continue;
    if (wildcard && s.type !== 'dns01') continue;
    if (!s.selector) {
      if (!selected) selected = s;
      continue;
    }
    const required = Object.entries(s.selector.matchLabels);
    const labelsOk = required.every(([k, v]) => labels[k] === v);
    const namesOk = s.selector.dnsNames.length === 0 || s.selector.dnsNames.includes(name);
    const zones = s.selector.dnsZones.length === 0 ? 0 : Math.max(0, ...s.selector.dnsZones.map((z) => zoneMatch(z, name)));
    const zonesOk = s.selector.dnsZones.length === 0 || zones > 0;
    if (!labelsOk || !namesOk || !zonesOk) continue;
    const cur = { labels: required.length, names: s.selector.dnsNames.length && s.selector.dnsNames.includes(name) ? 1 : 0, zones };
    if (!selected) {
      selected = s;
      sel = cur;
      continue;
    }
    if (sel.names === 0 && cur.names > 0) [selected, sel] = [s, cur];
    else if (sel.names > 0 && cur.names === 0) continue;
    else if (sel.names > 0 && cur.names > 0) {
      if (cur.zones > sel.zones || (cur.zones === sel.zones && cur.labels > sel.labels)) [selected, sel] = [s, cur];
    } else if (sel.zones === 0 && cur.zones > 0) [selected, sel] = [s, cur];
    else if (sel.zones > 0 && cur.zones === 0) continue;
    else if (cur.zones > sel.zones || (cur.zones === sel.zones && cur.labels > sel.labels)) [selected, sel] = [s, cur];
  }
  return selected;
}

/** The parentRefs the solver HTTPRoute gets for a Certificate in `namespace` (issuer's, plus the shim's Gateway). */
export function effectiveParentRefs(solver: AcmeSolver, crt: CertificateObject): ParentReference[] {
  const ns = crt.meta.namespace;
  const refs: ParentReference[] = solver.parentRefs.map((p) => ({ ...p, namespace: p.namespace ?? ns }));
  const name = crt.meta.annotations[CM.parentRefName];
  const kind = crt.meta.annotations[CM.parentRefKind];
  if (name === undefined || kind === undefined) return refs;
  const overrideNs = crt.meta.annotations[CM.parentRefNamespace] || ns;
  // Only a parentRef whose namespace is written counts as the same (`pr.Namespace != nil` in the Go source).
  const kept = refs.filter((p, i) => !(solver.parentRefs[i]!.namespace === overrideNs && p.name === name && p.kind === kind));
  return [...kept, { group: GATEWAY_GROUP, kind, name, namespace: overrideNs }];
}

export interface SolverRouteCheck {
  name: string;
  solver: AcmeSolver;
  /** Set when the solver is the Challenge's own (spec.solver), not a prediction. */
  challenge?: ChallengeObject;
  parents: ParentResolution[];
  /** Listeners (Gateway ns/name listener) the route attaches to that an ACME server reaches: HTTP. */
  reachable: string[];
  /** HTTP listeners it attaches to whose port is not 80 (reachable only through port mapping). */
  otherPorts: string[];
  /** Why it cannot be reached, in words; undefined when it can. */
  problem?: string;
  /** The HTTPRoute cert-manager created for the Challenge (controlled by it), when it was read. */
  route?: string;
}

/** The HTTPRoute cert-manager creates for `name`, evaluated against its parents like any route. */
export function checkSolverRoute(snapshot: Snapshot, crt: CertificateObject, solver: AcmeSolver, name: string, parentRefs?: ParentReference[]): SolverRouteCheck {
  const ns = crt.meta.namespace;
  const refs = parentRefs ?? effectiveParentRefs(solver, crt);
  const route: RouteObject = {
    kind: 'HTTPRoute',
    apiVersion: `${GATEWAY_GROUP}/v1`,
    meta: { name: 'cm-acme-http-solver', namespace: ns, labels: { [`acme.cert-manager.io/http01-solver`]: 'true' }, annotations: {} },
    raw: {},
    parentRefs: refs,
    hostnames: /^[\d.]+$|:/.test(name) ? [] : [name],
    rules: [],
    parents: [],
  };
  const implFor = (g: { className: string }) => {
    const cls = snapshot.get('GatewayClass', '', g.className);
    return implementationFor(cls?.controllerName, g.className);
  };
  const featuresFor = (g: { className: string }) => snapshot.get('GatewayClass', '', g.className)?.supportedFeatures ?? [];
  const parents = refs.map((p, i) => resolveParent(route, p, i, { snapshot, implFor, featuresFor }));
  const out: SolverRouteCheck = { name, solver, parents, reachable: [], otherPorts: [] };
  for (const p of parents) {
    for (const l of p.listeners) {
      if (!l.accepted) continue;
      const where = `Gateway ${p.ref.namespace}/${p.ref.name} listener ${l.listener.name} (${l.listener.protocol}, port ${l.listener.port})`;
      if (l.listener.protocol !== 'HTTP') continue;
      if (l.listener.port === 80) out.reachable.push(where);
      else out.otherPorts.push(where);
    }
  }
  if (out.reachable.length || out.otherPorts.length) return out;
  if (refs.length === 0) {
    out.problem = 'the gatewayHTTPRoute solver has no parentRefs, so its HTTPRoute attaches to nothing';
    return out;
  }
  const reasons = parents.map((p) => {
    const target = `Gateway ${p.ref.namespace}/${p.ref.name}${p.ref.sectionName ? ` sectionName ${p.ref.sectionName}` : ''}`;
    if (!p.gateway?.found) return `${target}: ${p.why}`;
    const elsewhere = p.listeners.filter((l) => l.accepted).map((l) => `${l.listener.name} (${l.listener.protocol}, port ${l.listener.port})`);
    const only = elsewhere.length ? ` (it attaches only to ${elsewhere.join(', ')}, which ACME's plain-HTTP request to port 80 never reaches)` : '';
    const http = p.listeners.filter((l) => l.listener.protocol === 'HTTP');
    if (http.length === 0) return `${target} has no HTTP listener: ACME validates HTTP-01 over plain HTTP on port 80${only}`;
    const selected = http.filter((l) => l.selected);
    if (selected.length === 0) return `${target}: its HTTP listener${http.length > 1 ? 's' : ''} ${http.map((l) => l.listener.name).join(', ')} ${http.length > 1 ? 'are' : 'is'} not selected by the parentRef's sectionName/port${only}`;
    return `${selected.map((l) => l.why).join('; ')}${only}`;
  });
  out.problem = reasons.join('; ');
  return out;
}

/** For each name of the Certificate: the solver's route check (HTTP-01 through Gateway API only). */
export function solverRouteChecks(snapshot: Snapshot, crt: CertificateObject, issuer: AnyIssuer, challenges: readonly ChallengeObject[]): SolverRouteCheck[] {
  const solvers = issuer.spec.acme?.solvers ?? [];
  const out: SolverRouteCheck[] = [];
  for (const name of crt.dnsNames) {
    const challenge = challenges.find((c) => c.dnsName === name.replace(/^\*\./, '') && c.wildcard === name.startsWith('*.'));
    if (challenge) {
      if (challenge.solver.type !== 'http01-gateway') continue;
      // The Challenge's solver already carries the shim's parentRef override.
      const refs = challenge.solver.parentRefs.map((p) => ({ ...p, namespace: p.namespace ?? challenge.meta.namespace }));
      const check: SolverRouteCheck = { ...checkSolverRoute(snapshot, crt, challenge.solver, name, refs), challenge };
      const route = snapshot.list('HTTPRoute', challenge.meta.namespace).find((r) => ((r.raw.metadata as { ownerReferences?: Array<{ kind?: string; name?: string }> } | undefined)?.ownerReferences ?? []).some((o) => o.kind === 'Challenge' && o.name === challenge.meta.name));
      if (route) check.route = `${route.meta.namespace}/${route.meta.name}`;
      out.push(check);
      continue;
    }
    const solver = pickSolver(solvers, name, crt.meta.labels);
    if (solver?.type === 'http01-gateway') out.push(checkSolverRoute(snapshot, crt, solver, name));
  }
  return out;
}
