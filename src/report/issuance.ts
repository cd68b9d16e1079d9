// IssuanceChain (graph/cert-manager.ts) -> the report's `listeners[].tls.issuance[]` entries.
import { chainSummary, type IssuanceChain } from '../graph/cert-manager.ts';
import type { IssuanceReport } from './types.ts';

function solverWords(type: string, parentRefs: ReadonlyArray<{ namespace?: string; name: string; sectionName?: string }>, detail?: string): string {
  switch (type) {
    case 'http01-gateway':
      return `http01 gatewayHTTPRoute${parentRefs.length ? ` parentRefs ${parentRefs.map((p) => `${p.namespace ? `${p.namespace}/` : ''}${p.name}${p.sectionName ? `#${p.sectionName}` : ''}`).join(', ')}` : ' (no parentRefs)'}`;
    case 'http01-ingress':
      return `http01 ingress${detail ? ` ${detail}` : ''}`;
    case 'dns01':
      return `dns01${detail ? ` ${detail}` : ''}`;
    default:
      return 'unknown solver';
  }
}

export function issuanceReport(chain: IssuanceChain): IssuanceReport {
  const crt = chain.certificate;
  const out: IssuanceReport = {
    summary: chainSummary(chain),
    secret: { namespace: chain.secret.namespace, name: chain.secret.name, exists: chain.secret.obj ? true : null },
    certificate: null,
    issuer: null,
    request: null,
    order: null,
    challenges: chain.challenges.map((c) => ({
      name: c.meta.name,
      type: c.type,
      dnsName: c.dnsName,
      state: c.state,
      ...(c.reason ? { reason: c.reason } : {}),
      presented: c.presented,
      solver: solverWords(c.solver.type, c.solver.parentRefs, c.solver.detail),
    })),
    cause: chain.cause ?? null,
    causeFrom: chain.causeFrom ?? null,
  };
  if (chain.secretClaims?.certificateName !== undefined) out.secret.certificateNameAnnotation = chain.secretClaims.certificateName;
  if (chain.secretClaims?.issuer !== undefined) out.secret.issuerAnnotation = chain.secretClaims.issuer;
  const shim = chain.shim;
  if (shim) {
    out.shim = {
      issuer: shim.plan.issuer?.from ?? null,
      outcome: shim.plan.issuerError ? 'refused' : shim.listener.outcome,
      ...(shim.plan.issuerError ? { why: shim.plan.issuerError } : shim.listener.outcome !== 'certificate' ? { why: shim.listener.why } : {}),
      ...(shim.planned ? { dnsNames: shim.planned.dnsNames } : {}),
    };
  }
  if (crt) {
    const c: NonNullable<IssuanceReport['certificate']> = {
      namespace: crt.meta.namespace,
      name: crt.meta.name,
      dnsNames: crt.dnsNames,
      ready: chain.ready ?? null,
      issuing: chain.issuing ?? null,
      renewalDue: chain.renewalDue,
    };
    if (chain.controller) c.controller = `${chain.controller.kind} ${crt.meta.namespace}/${chain.controller.name}`;
    if (crt.notBefore) c.notBefore = crt.notBefore;
    if (crt.notAfter) c.notAfter = crt.notAfter;
    if (crt.renewalTime) c.renewalTime = crt.renewalTime;
    if (crt.revision !== undefined) c.revision = crt.revision;
    if (crt.failedIssuanceAttempts !== undefined) c.failedIssuanceAttempts = crt.failedIssuanceAttempts;
    if (crt.lastFailureTime) c.lastFailureTime = crt.lastFailureTime;
    const others = chain.claimants.filter((x) => x !== crt).map((x) => `${x.meta.namespace}/${x.meta.name}`);
    if (others.length) c.alsoClaimedBy = others;
    out.certificate = c;
  }
  const i = chain.issuer;
  if (i) {
    out.issuer = { kind: i.ref.kind, name: i.ref.name, group: i.ref.group, state: i.state, ready: i.ready ?? null };
    if (i.ref.kind === 'Issuer' && crt) out.issuer.namespace = crt.meta.namespace;
    if (i.obj) out.issuer.type = i.obj.spec.type;
  }
  if (chain.solverRoutes.length) {
    out.solverRoutes = chain.solverRoutes.map((c) => ({
      dnsName: c.name,
      ...(c.challenge ? { challenge: c.challenge.meta.name } : {}),
      ...(c.route ? { route: c.route } : {}),
      parentRefs: c.parents.map((p) => `${p.ref.kind} ${p.ref.namespace}/${p.ref.name}${p.ref.sectionName ? ` sectionName ${p.ref.sectionName}` : ''}${p.ref.port !== undefined ? ` port ${p.ref.port}` : ''}`),
      reachable: c.reachable,
      otherPorts: c.otherPorts,
      ...(c.problem ? { problem: c.problem } : {}),
    }));
  }
  const r = chain.requests[0];
  if (r) out.request = { name: r.meta.name, ...(r.revision !== undefined ? { revision: r.revision } : {}), conditions: r.conditions };
  if (chain.order) out.order = { name: chain.order.meta.name, state: chain.order.state, ...(chain.order.reason ? { reason: chain.order.reason } : {}) };
  return out;
}
