import type { Snapshot } from '../../cluster/snapshot.ts';
import { fix, FORCE_NOTE, identity } from '../../fixes/builders.ts';
import type { BackendTLSEvidence } from '../../graph/backends.ts';
import type { PolicyCheck } from '../../graph/backend-tls.ts';
import type { Fix } from '../../report/types.ts';
import type { Rule } from '../types.ts';
import { anchorsFor, caConfigMap, freeName, trustOnFirstUse } from './fixes.ts';
import { at, evidenceOf, hopUses, portLabel, sender } from './hops.ts';
import { policyLabel, policyPatch, rawCaRefs } from './policy.ts';
import { commonValidationName, servingCertificates } from './trust.ts';

/** One fix that repairs every problem of the policy, or none when one of them needs a decision (which CA to drop, say). */
function repair(check: PolicyCheck, e: BackendTLSEvidence, snapshot: Snapshot): Fix | null {
  const p = check.policy;
  const ns = p.meta.namespace;
  const certs = servingCertificates(e, true);
  const trust = certs.length ? anchorsFor(certs) : null;
  if (!trust) return null;
  const trusted = trust.anchors.map((a) => a.what).join(' and ');
  const docs: object[] = [];
  const validation: Record<string, unknown> = {};
  const steps: string[] = [];
  let patchesExisting = false;
  if (!p.hostname) {
    const name = commonValidationName(
      certs.map((c) => c.leaf.cert),
      e.service,
    );
    if (!name) return null;
    validation.hostname = name.hostname;
    steps.push(`set validation.hostname to ${name.hostname}`);
  }
  // Removing a field takes an edit, not an apply: no fix when wellKnownCACertificates must go.
  if (p.wellKnownCACertificates && (p.caCertificateRefs.length > 0 || p.wellKnownCACertificates !== 'System')) return null;
  if (p.caCertificateRefs.length === 0 && !p.wellKnownCACertificates) {
    const cm = freeName(snapshot, 'ConfigMap', ns, p.meta.name, 'ca');
    validation.caCertificateRefs = [{ group: '', kind: 'ConfigMap', name: cm }];
    docs.push(caConfigMap(ns, cm, trust.pem));
    steps.push(`trust ${trusted} from a new ConfigMap ${cm}`);
  }
  const refs = rawCaRefs(p);
  let refsChanged = false;
  for (const [i, c] of check.caRefs.entries()) {
    const unknownInFiles = snapshot.source.type === 'files' && c.unresolved !== undefined && !c.unresolved.known;
    if (!c.problem && !unknownInFiles) continue;
    if (c.problem?.includes('InvalidKind')) {
      const cm = freeName(snapshot, 'ConfigMap', ns, p.meta.name, 'ca');
      refs[i] = { group: '', kind: 'ConfigMap', name: cm };
      refsChanged = true;
      docs.push(caConfigMap(ns, cm, trust.pem));
      steps.push(`replace caCertificateRefs[${i}] (${c.kind} ${c.name}) by a new ConfigMap ${cm}`);
    } else if (c.kind === 'ConfigMap' && c.unresolved) {
      docs.push(caConfigMap(ns, c.name, trust.pem));
      steps.push(`create ConfigMap ${ns}/${c.name} holding ${trusted} in ca.crt`);
    } else if (c.kind === 'ConfigMap' && c.lookup?.found) {
      docs.push({ ...identity(c.lookup.obj), data: { 'ca.crt': trust.pem } });
      patchesExisting = true;
      steps.push(`put ${trusted} in ca.crt of ConfigMap ${ns}/${c.name}`);
    } else {
      return null;
    }
  }
  if (refsChanged) validation.caCertificateRefs = refs;
  if (Object.keys(validation).length > 0) {
    const patch = policyPatch(p, { validation });
    if (!patch) return null;
    docs.unshift(patch);
    patchesExisting = true;
  }
  if (docs.length === 0) return null;
  const tofu = trustOnFirstUse(trust.anchors);
  const note = [patchesExisting ? FORCE_NOTE : undefined, tofu.note].filter(Boolean).join(' ');
  return fix(steps.join('; '), docs, { ...(note ? { note } : {}), suggestion: tofu.suggestion });
}

export const btls003: Rule = {
  meta: {
    code: 'GWTLS-BTLS-003',
    severity: 'error',
    title: 'BackendTLSPolicy is invalid or its CA references do not resolve',
    inputs: ['BackendTLSPolicy', 'ConfigMap', 'Service'],
    description:
      'The BackendTLSPolicy that applies to the backend cannot be used: a CA ConfigMap is missing (references are local to the policy\'s namespace), has no ca.crt or no readable certificate, names an unsupported kind, the hostname is missing, or caCertificateRefs and wellKnownCACertificates are both or neither set; or the controller reports Accepted=False / ResolvedRefs=False. The gateway must then fail the connections (HTTP 5xx) and never falls back to plaintext.',
  },
  check(ctx) {
    const seen = new Set<string>();
    for (const u of hopUses(ctx.model)) {
      const check = u.hop.tls.policy;
      if (!check) continue;
      const p = check.policy;
      const id = `${p.meta.namespace}/${p.meta.name}`;
      if (seen.has(id)) continue;
      const cls = u.gateway.gatewayClass.found ? u.gateway.gatewayClass.obj.controllerName : undefined;
      const gw = u.gateway.obj;
      const status = p.ancestors
        .filter((a) => a.ancestorRef.name === gw.meta.name && a.ancestorRef.namespace === gw.meta.namespace && (!cls || a.controllerName === cls))
        .flatMap((a) => a.conditions)
        .filter((c) => c.status === 'False' && ((c.type === 'Accepted' && c.reason !== 'Conflicted') || c.type === 'ResolvedRefs'));
      // CA ConfigMaps absent from manifest files may well exist in the cluster: say so, as a warning.
      const unknown = ctx.snapshot.source.type === 'files' ? check.caRefs.filter((c) => c.unresolved && !c.unresolved.known) : [];
      if (check.problems.length === 0 && status.length === 0 && unknown.length === 0) continue;
      seen.add(id);
      const e = evidenceOf(ctx.model, u.hop);
      const target = e.service ? portLabel(e.service, e.port) : `${u.hop.backend.ref.kind} ${u.hop.backend.ref.namespace}/${u.hop.backend.ref.name}`;
      const certain = check.problems.length > 0 || status.length > 0;
      const f = status.length > 0 && check.problems.length === 0 && unknown.length === 0 ? null : repair(check, e, ctx.snapshot);
      const consequence = `${sender(u.gateway)} must fail every connection to ${target} with HTTP 5xx rather than fall back to plaintext`;
      const message = certain
        ? `${policyLabel(p)} cannot be used: ${[...check.problems, ...status.map((c) => `${c.type}=False (${c.reason ?? ''}${c.message ? `: ${c.message}` : ''})`)].join('; ')}. ${consequence}.`
        : `${policyLabel(p)} trusts ${unknown.map((c) => `${c.kind} ${c.namespace}/${c.name}`).join(', ')}, which ${unknown.length > 1 ? 'are' : 'is'} not in the input: unless ${unknown.length > 1 ? 'they exist' : 'it exists'} in the cluster, the policy is invalid (ResolvedRefs=False, InvalidCACertificateRef) and ${consequence}. CA references are local: the ConfigMap must be in namespace ${p.meta.namespace}, with the CA in key ca.crt.`;
      ctx.report({
        object: p,
        field: check.problems.some((x) => x.startsWith('validation.hostname')) ? 'spec.validation.hostname' : 'spec.validation.caCertificateRefs',
        severity: certain ? 'error' : 'warning',
        message,
        evidence: [
          ...check.caRefs.map((c) => `caCertificateRefs: ${c.kind} ${c.namespace}/${c.name}: ${c.problem ?? c.unresolved?.why ?? (c.chain ? `${c.chain.certs.length} certificate(s) in ca.crt` : 'found')}`),
          ...(p.wellKnownCACertificates ? [`wellKnownCACertificates: ${p.wellKnownCACertificates}`] : []),
          `validation.hostname: ${p.hostname ?? 'not set'}`,
          ...status.map((c) => `status: ${c.type}=False (${c.reason ?? ''}) ${c.message ?? ''}`.trim()),
          ...e.facts,
        ],
        fixes: f ? [f] : [],
        ...at(u),
      });
    }
  },
};
