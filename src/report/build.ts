// Model + findings -> the report contract (DESIGN.md §4).
import { ROUTE_KINDS } from '../cluster/kinds.ts';
import type { ParentReference } from '../cluster/objects.ts';
import type { BackendHop, GatewayModel, ListenerModel, Model } from '../graph/model.ts';
import { issuanceReport } from './issuance.ts';
import { findingOfListener, gatewayListenerSetFields, listenerSetFields } from './listener-sets.ts';
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

export function buildReport({ model, findings, skipped, inputErrors, probes }: BuildReportInput): InspectReport {
  const byGateway = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!f.gateway) continue;
    const list = byGateway.get(f.gateway) ?? [];
    if (list.length === 0) byGateway.set(f.gateway, list);
    list.push(f);
  }
  const gateways = model.gateways.map((g) => gatewayReport(g, byGateway.get(`${g.obj.meta.namespace}/${g.obj.meta.name}`) ?? [], probes));
  const report: InspectReport = {
    apiVersion: 'gwtls.dev/v1alpha1',
    kind: 'InspectReport',
    generatedAt: model.now.toISOString(),
    source: model.snapshot.source,
    gateways,
    findings,
    skipped: [...model.snapshot.skipped, ...unresolvedKinds(model), ...skipped],
    summary: {
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      info: findings.filter((f) => f.severity === 'info').length,
    },
  };
  if (inputErrors && inputErrors.length) report.inputErrors = inputErrors;
  return report;
}

/** Kinds absent from the input (files mode) that references needed: say what could not be checked. */
function unresolvedKinds(model: Model): Skipped[] {
  const out: Skipped[] = [];
  for (const [kind, names] of model.snapshot.unresolved) {
    const state = model.snapshot.state(kind);
    if (state.state !== 'absent') continue;
    const list = [...names];
    out.push({ what: kind, reason: 'not-in-input', detail: `${list.length} reference${list.length > 1 ? 's' : ''} could not be checked (${list.slice(0, 3).join(', ')}${list.length > 3 ? ', …' : ''}): no ${kind} objects in the input` });
  }
  return out;
}

/** `findings` are this Gateway's. */
function gatewayReport(g: GatewayModel, gwFindings: Finding[], probes: ProbeFold | undefined): GatewayReport {
  const listeners = g.listeners.map((l) => listenerReport(l, gwFindings.filter((f) => findingOfListener(f, l)), probes));
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
    ok: errors.length === 0 && listeners.every((l) => l.ok !== false),
  };
  if (cls?.parametersRef) {
    const p = cls.parametersRef;
    report.gatewayClass!.parameters = { apiVersion: p.group ? `${p.group}/*` : 'v1', kind: p.kind, name: p.name, ...(p.namespace ? { namespace: p.namespace } : {}) };
    report.gatewayClass!.parametersFound = g.lbc?.classConfig?.lookup ? (g.lbc.classConfig.lookup.found ? true : g.lbc.classConfig.lookup.known ? false : null) : null;
  }
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
  const broken = listeners.filter((l) => l.ok === false);
  const first = errors[0];
  const more = errors.length > 1 ? ` (+${errors.length - 1} more)` : '';
  report.verdict = !report.ok
    ? first
      ? `BROKEN: ${first.title}: ${first.object.kind} ${first.object.namespace ? `${first.object.namespace}/` : ''}${first.object.name}${more}`
      : `BROKEN: ${broken.map((l) => `listener ${l.name} (${l.path.find((h) => h.ok === false)?.hop ?? 'path'})`).join(', ')}`
    : gwFindings.some((f) => f.severity === 'warning')
      ? `OK with warnings (${gwFindings.filter((f) => f.severity === 'warning').length})`
      : 'OK';
  return report;
}

function listenerReport(l: ListenerModel, findings: Finding[], probes: ProbeFold | undefined): ListenerReport {
  const spec = l.spec;
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
    routes: l.attachments.map((a) => {
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
        backends: a.result.accepted ? l.backends.filter((b) => b.attachment === a).map((h) => backendReport(h, probes)) : a.route.backends.map((b) => backendReport({ attachment: a, backend: b, tls: { tls: { mode: 'unknown', verified: null, by: 'route not attached to this listener' }, ignoredPolicies: [], ok: null, why: '' } })),
      };
      if (ROUTE_KINDS.includes(route.kind) && route.hostnames.length) r.hostnames = route.hostnames;
      if (a.result.accepted && a.result.hostnames.length) r.effectiveHostnames = a.result.hostnames;
      return r;
    }),
    path: l.path,
  };
  const probed = probes?.listeners.get(l);
  if (probed) report.probe = probed;
  const errors = findings.filter((f) => f.severity === 'error');
  report.ok = l.path.every((h) => h.ok !== false) && errors.length === 0;
  const failing = l.path.find((h) => h.ok === false);
  report.verdict = report.ok ? (l.path.some((h) => h.ok === null) ? 'UNVERIFIED' : 'OK') : `BROKEN: ${failing?.why ?? errors[0]?.message}`;
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

function backendReport(h: BackendHop, probes?: ProbeFold): BackendReport {
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
    tls: h.tls.tls,
  };
  if (b.ref.group) r.group = b.ref.group;
  if (b.why) r.why = b.why;
  if (b.servicePort) r.targetPort = b.servicePort.targetPort;
  if (svc) r.serviceType = svc.type;
  if (b.ref.weight !== undefined) r.weight = b.ref.weight;
  const probed = probes?.backends.get(h);
  if (probed) r.probe = probed;
  return r;
}
