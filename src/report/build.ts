// Model + findings -> the report contract (DESIGN.md §4).
import { ROUTE_KINDS } from '../cluster/kinds.ts';
import type { ParentReference } from '../cluster/objects.ts';
import type { BackendHop, GatewayModel, ListenerModel, Model } from '../graph/model.ts';
import { expectationsFor, type GatewayExpectations } from '../graph/expected.ts';
import { backendTlsFacts, servedCertificates } from '../graph/tls-facts.ts';
import { expectationSections, listenerDifferences } from './expected-sections.ts';
import { issuanceReport } from './issuance.ts';
import { countFindings, gatewayState, indexFindings, stateWords, type FindingIndex, type ListenerState } from './state.ts';
import { gatewayListenerSetFields, listenerSetFields } from './listener-sets.ts';
import { Later, StreamedArray } from './write.ts';
import type { BackendReport, EndpointProbe, Finding, GatewayReport, InspectReport, ListenerReport, RouteReport, Skipped } from './types.ts';

export interface BuildReportInput {
  model: Model;
  findings: Finding[];
  skipped: Skipped[];
  inputErrors?: InspectReport['inputErrors'];
  /** inspect --probe: what the probes saw, per listener and per backend hop (their findings are in `findings`). */
  probes?: ProbeFold;
}

export interface ProbeFold {
  listeners: ReadonlyMap<ListenerModel, EndpointProbe[]>;
  backends: ReadonlyMap<BackendHop, EndpointProbe>;
}

export function buildReport(input: BuildReportInput): InspectReport {
  const s = reportSections(input);
  const report: InspectReport = { ...s.head, gateways: [...s.gateways()], findings: s.findings, skipped: s.skipped(), summary: s.summary };
  if (s.inputErrors) report.inputErrors = s.inputErrors;
  return report;
}

/**
 * The same report for `writeJson`, with each Gateway's section built as it is written and then let go: on a
 * large cluster the sections are most of the report, and holding them all until the end costs memory and
 * garbage-collector time.
 */
export function streamedReport(input: BuildReportInput): Record<string, unknown> & Pick<InspectReport, 'summary'> {
  const s = reportSections(input);
  return {
    ...s.head,
    gateways: new StreamedArray(input.model.gateways.length, s.gateways()),
    findings: s.findings,
    skipped: new Later(s.skipped),
    summary: s.summary,
    ...(s.inputErrors ? { inputErrors: s.inputErrors } : {}),
  };
}

/** The report's parts in contract order; `skipped` only once the Gateways' sections are built (building them looks objects up, and what could not be checked is skipped). */
function reportSections({ model, findings, skipped, inputErrors, probes }: BuildReportInput) {
  return {
    head: { apiVersion: 'gwtls.dev/v1alpha1' as const, kind: 'InspectReport' as const, generatedAt: model.now.toISOString(), source: model.snapshot.source },
    gateways: function* (): Generator<GatewayReport> {
      const index = indexFindings(findings);
      for (const g of model.gateways) yield gatewayReport(g, model, index, probes);
    },
    findings,
    skipped: (): Skipped[] => [...model.snapshot.skipped, ...unresolvedKinds(model), ...uncheckedEndpoints(model), ...skipped],
    summary: {
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      info: findings.filter((f) => f.severity === 'info').length,
    },
    inputErrors: inputErrors && inputErrors.length ? inputErrors : undefined,
  };
}

/** Kinds absent from the input (files mode) that references needed: say what could not be checked. */
function unresolvedKinds(model: Model): Skipped[] {
  const out: Skipped[] = [];
  for (const [kind, names] of model.snapshot.unresolved) {
    const state = model.snapshot.state(kind);
    if (state.state !== 'absent') continue;
    // Sorted: the names must not depend on the order the objects were read in.
    const list = [...names].sort();
    out.push({ what: kind, reason: 'not-in-input', detail: `${list.length} reference${list.length > 1 ? 's' : ''} could not be checked (${firstFew(list)}): no ${kind} objects in the input` });
  }
  return out;
}

/**
 * Services on the inspected paths whose endpoints could not be counted because the input holds no EndpointSlices
 * (and, for those with a selector, no Pods): said once, so that a report read from manifests alone does not pass
 * over the endpoints in silence. Live sources already say which kinds could not be read.
 */
function uncheckedEndpoints(model: Model): Skipped[] {
  if (model.snapshot.state('EndpointSlice').state !== 'absent') return [];
  const byWhy = new Map<string, Set<string>>();
  for (const g of model.gateways)
    for (const l of g.listeners)
      for (const { backend: b } of l.backends) {
        if (!b.endpointsNotChecked) continue;
        let names = byWhy.get(b.endpointsNotChecked);
        if (!names) byWhy.set(b.endpointsNotChecked, (names = new Set()));
        names.add(`${b.ref.namespace}/${b.ref.name}`);
      }
  return [...byWhy].map(([why, names]) => {
    const list = [...names].sort();
    return { what: 'EndpointSlice', reason: 'not-in-input', detail: `the endpoints of ${list.length} Service${list.length > 1 ? 's' : ''} could not be checked (${firstFew(list)}): ${why}` };
  });
}

/** The first three names of a sorted list, and an ellipsis when there are more. */
function firstFew(list: readonly string[]): string {
  return `${list.slice(0, 3).join(', ')}${list.length > 3 ? ', …' : ''}`;
}

/** `findings` are all of the report's, indexed: src/report/state.ts picks this Gateway's. */
function gatewayReport(g: GatewayModel, model: Model, findings: FindingIndex, probes: ProbeFold | undefined): GatewayReport {
  const st = gatewayState(g, findings);
  const gwFindings = st.findings;
  const expected = expectationsFor(g, model);
  const listeners = g.listeners.map((l, i) => listenerReport(l, model, expected, st.listeners[i]!, probes));
  const errors = gwFindings.filter((f) => f.severity === 'error');
  const cls = g.gatewayClass.found ? g.gatewayClass.obj : undefined;
  const report: GatewayReport = {
    name: g.obj.meta.name,
    namespace: g.obj.meta.namespace,
    className: g.obj.className,
    controllerName: cls?.controllerName ?? null,
    implementation: g.impl.name,
    addresses: g.obj.statusAddresses,
    conditions: g.obj.conditions,
    gatewayClass: { name: g.obj.className, conditions: cls?.conditions ?? [], parameters: null, parametersFound: null },
    listeners,
    ...gatewayListenerSetFields(g),
    ok: st.state !== 'BROKEN',
    state: st.state,
    summary: countFindings(gwFindings),
  };
  if (cls?.parametersRef) {
    const p = cls.parametersRef;
    report.gatewayClass!.parameters = { apiVersion: p.group ? `${p.group}/*` : 'v1', kind: p.kind, name: p.name, ...(p.namespace ? { namespace: p.namespace } : {}) };
    report.gatewayClass!.parametersFound = g.lbc?.classConfig?.lookup ? (g.lbc.classConfig.lookup.found ? true : g.lbc.classConfig.lookup.known ? false : null) : null;
  }
  Object.assign(report, expectationSections(g, model, expected));
  const differences = [...(report.statusDifferences ?? []), ...g.listeners.flatMap((l) => listenerDifferences(l, expected))];
  if (differences.length) report.statusDifferences = differences;
  else delete report.statusDifferences;
  if (g.misdirected.length) {
    report.misdirectedRoutes = g.misdirected.map(({ route, parent }) => ({
      kind: route.obj.kind,
      name: route.obj.meta.name,
      namespace: route.obj.meta.namespace,
      parentRef: `${parent.ref.namespace}/${parent.ref.name}${parent.ref.sectionName ? ` sectionName ${parent.ref.sectionName}` : ''}`,
      why: parent.why,
    }));
  }
  if (g.obj.infrastructureParametersRef) {
    const p = g.obj.infrastructureParametersRef;
    report.infrastructure = {
      parameters: { apiVersion: p.group ? `${p.group}/*` : 'v1', kind: p.kind, name: p.name, namespace: g.obj.meta.namespace },
      parametersFound: g.lbc?.gatewayConfig?.lookup ? (g.lbc.gatewayConfig.lookup.found ? true : g.lbc.gatewayConfig.lookup.known ? false : null) : null,
    };
  }
  const broken = listeners.filter((l) => l.state === 'BROKEN');
  const first = errors[0];
  const more = errors.length > 1 ? ` (+${errors.length - 1} more)` : '';
  const warnings = gwFindings.filter((f) => f.severity === 'warning').length;
  switch (st.state) {
    case 'BROKEN':
      report.verdict = first
        ? `BROKEN: ${first.title}: ${first.object.kind} ${first.object.namespace ? `${first.object.namespace}/` : ''}${first.object.name}${more}`
        : `BROKEN: ${broken.map((l) => `listener ${l.name} (${l.path.find((h) => h.state === 'BROKEN')?.hop ?? 'path'})`).join(', ')}`;
      break;
    case 'NO_ROUTES':
      report.verdict = `NO ROUTES: no route attaches to ${listeners.length === 1 ? `listener ${listeners[0]!.name}` : `any of the ${listeners.length} listeners`}${warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}`;
      break;
    case 'WARNING':
      report.verdict = `OK with warnings (${warnings})`;
      break;
    case 'NOT_CHECKED':
    case 'UNVERIFIED': {
      const where = listeners.filter((l) => l.state === st.state).map((l) => `listener ${l.name}`);
      report.verdict = `${stateWords(st.state)}: ${where.join(', ')}${st.state === 'NOT_CHECKED' ? ' (what it depends on could not be read)' : ' (a certificate on the way is not verified)'}`;
      break;
    }
    default:
      report.verdict = 'OK';
  }
  return report;
}

function listenerReport(l: ListenerModel, model: Model, expected: GatewayExpectations, st: ListenerState, probes: ProbeFold | undefined): ListenerReport {
  const spec = l.spec;
  const passthrough = spec.protocol === 'TLS' && spec.tls?.mode === 'Passthrough';
  const certificates = l.certRefs.flatMap((r) => r.chain?.certs.map((c) => c.cert) ?? []);
  const report: ListenerReport = {
    name: spec.name,
    ...listenerSetFields(l),
    protocol: spec.protocol,
    port: spec.port,
    hostname: spec.hostname ?? null,
    tls: spec.tls
      ? {
          mode: spec.tls.mode === 'Passthrough' ? 'Passthrough' : 'Terminate',
          certificates,
          certificateRefs: l.certRefs.map((r) => ({ kind: r.ref.kind, group: r.ref.group, namespace: r.ref.namespace, name: r.ref.name, state: r.state, ...(r.state === 'ok' ? {} : { why: r.why }) })),
          servedFrom: servedFrom(l),
          ...(l.issuance.length ? { issuance: l.issuance.map(issuanceReport) } : {}),
        }
      : null,
    conditions: l.status?.conditions ?? [],
    allowedKinds: l.kinds.allowed,
    attachedRoutes: l.status?.attachedRoutes ?? null,
    expectedConditions: expected.listeners.get(l)?.conditions ?? [],
    expectedAttachedRoutes: expected.listeners.get(l)?.attachedRoutes ?? 0,
    routes: l.attachments.map((a, i) => {
      const route = a.route.obj;
      const r: RouteReport = {
        kind: route.kind,
        apiVersion: route.apiVersion,
        name: route.meta.name,
        namespace: route.meta.namespace,
        attached: a.result.accepted,
        reason: a.result.reason,
        why: a.result.accepted ? a.result.why : a.parent.reason === 'Accepted' ? a.result.why : a.parent.why,
        conditions: route.parents.filter((p) => sameParent(p.parentRef, a.parent.ref)).flatMap((p) => p.conditions),
        state: st.routes[i]!,
        backends: a.result.accepted
          ? l.backends.filter((b) => b.attachment === a).map((h) => backendReport(h, model, passthrough, probes))
          : a.route.backends.map((b) => backendReport({ attachment: a, backend: b, tls: { tls: { mode: 'unknown', verified: null, by: 'route not attached to this listener' }, ignoredPolicies: [], ok: null, why: '' } }, model, passthrough)),
        parentRef: { index: a.parent.index, ...(a.parent.ref.sectionName !== undefined ? { sectionName: a.parent.ref.sectionName } : {}), ...(a.parent.ref.port !== undefined ? { port: a.parent.ref.port } : {}) },
        expectedConditions: expected.parents.get(a.parent) ?? [],
      };
      if (ROUTE_KINDS.includes(route.kind) && route.hostnames.length) r.hostnames = route.hostnames;
      if (a.result.accepted && a.result.hostnames.length) r.effectiveHostnames = a.result.hostnames;
      return r;
    }),
    path: l.path.map((h, i) => ({ ...h, state: st.hops[i]! })),
  };
  // Said where it decides the state: no route attached, and not every route that could attach was read.
  if (l.routesNotRead && !l.attachments.some((a) => a.result.accepted)) report.routesNotChecked = l.routesNotRead;
  const served = report.tls ? servedCertificates(l, model.now) : undefined;
  if (report.tls && served) report.tls.served = served;
  const probed = probes?.listeners.get(l);
  if (probed) report.probe = probed;
  report.ok = st.state !== 'BROKEN';
  report.state = st.state;
  const failing = report.path.find((h) => h.state === 'BROKEN');
  const firstError = st.findings.find((f) => f.severity === 'error');
  const warnings = st.findings.filter((f) => f.severity === 'warning').length;
  switch (st.state) {
    case 'BROKEN':
      report.verdict = `BROKEN: ${failing?.why ?? firstError?.message ?? 'a route meant for it cannot attach'}`;
      break;
    case 'NO_ROUTES':
      report.verdict = `NO ROUTES: ${l.path.find((h) => h.to === 'nothing')?.why ?? 'no route is attached to this listener'}`;
      break;
    case 'WARNING':
      report.verdict = `OK with warnings (${warnings})`;
      break;
    case 'UNVERIFIED':
    case 'NOT_CHECKED':
      report.verdict = `${stateWords(st.state)}: ${report.path.find((h) => h.state === st.state)?.why ?? ''}`.replace(/: $/, '');
      break;
    default:
      report.verdict = 'OK';
  }
  return report;
}

function servedFrom(l: ListenerModel): string {
  const s = l.served;
  switch (s.type) {
    case 'none':
      return 'nothing';
    case 'passthrough':
      return 'the backend (passthrough)';
    case 'secrets':
      return s.refs.length ? s.refs.map((r) => `secret ${r.ref.namespace}/${r.ref.name}`).join(', ') : 'nothing (no certificateRefs)';
    case 'acm-arn':
      return `acm ${s.arns.join(', ')}`;
    case 'acm-discovery':
      return s.hostnames.length ? `acm discovery for ${s.hostnames.join(', ')}` : 'nothing (no certificate and no hostname for ACM discovery)';
  }
}

function sameParent(a: ParentReference, b: ParentReference): boolean {
  return a.name === b.name && a.namespace === b.namespace && a.kind === b.kind && a.group === b.group && (a.sectionName ?? '') === (b.sectionName ?? '') && (a.port ?? 0) === (b.port ?? 0);
}

function backendReport(h: BackendHop, model: Model, passthrough: boolean, probes?: ProbeFold): BackendReport {
  const b = h.backend;
  const svc = b.service?.found ? b.service.obj : undefined;
  const r: BackendReport = {
    kind: b.ref.kind,
    name: b.ref.name,
    namespace: b.ref.namespace,
    port: b.ref.port ?? null,
    resolved: b.resolved,
    endpoints: b.endpoints,
    pods: b.pods,
    tls: { ...h.tls.tls, ...backendTlsFacts(h, passthrough && h.tls.tls.by.startsWith('passthrough'), model) },
  };
  if (b.ref.group) r.group = b.ref.group;
  if (b.why) r.why = b.why;
  if (b.servicePort) r.targetPort = b.servicePort.targetPort;
  if (svc) r.serviceType = svc.type;
  if (b.endpointsNotChecked) r.endpointsNotChecked = b.endpointsNotChecked;
  if (b.ref.weight !== undefined) r.weight = b.ref.weight;
  r.rule = b.rule;
  r.index = b.index;
  const probed = probes?.backends.get(h);
  if (probed) r.probe = probed;
  return r;
}
