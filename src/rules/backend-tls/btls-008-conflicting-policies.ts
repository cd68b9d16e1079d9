import type { BackendTLSPolicyObject } from '../../cluster/objects.ts';
import { fix, FORCE_NOTE } from '../../fixes/builders.ts';
import { policiesForService } from '../../graph/backend-tls.ts';
import type { Fix } from '../../report/types.ts';
import { backendUses } from '../backends/uses.ts';
import type { Rule } from '../types.ts';
import { freeName } from './fixes.ts';
import { at, hopUses, portLabel } from './hops.ts';
import { policyLabel, policyPatch, rawTargetRefs } from './policy.ts';
import type { Snapshot } from '../../cluster/snapshot.ts';
import type { ServiceObject } from '../../cluster/objects.ts';
import type { RuleContext } from '../types.ts';

function why(winner: BackendTLSPolicyObject, loser: BackendTLSPolicyObject): string {
  if ((winner.meta.creationTimestamp ?? '') !== (loser.meta.creationTimestamp ?? '') && winner.meta.creationTimestamp && loser.meta.creationTimestamp) return 'it is older';
  return 'its name comes first alphabetically';
}

/** One policy per targetRef: the policy keeps its first target, and copies take the others. */
function splitFix(p: BackendTLSPolicyObject, snapshot: Snapshot): Fix[] {
  const refs = rawTargetRefs(p);
  const spec = (p.raw.spec ?? {}) as Record<string, unknown>;
  const keep = policyPatch(p, { targetRefs: refs.slice(0, 1) });
  if (!keep || refs.length < 2) return [];
  const copies = refs.slice(1).map((ref, i) => {
    const name = freeName(snapshot, 'BackendTLSPolicy', p.meta.namespace, p.meta.name, String(ref.name ?? ''), String(ref.sectionName ?? i + 2));
    const s: Record<string, unknown> = { targetRefs: [ref], validation: structuredClone(spec.validation) };
    if (spec.options) s.options = structuredClone(spec.options);
    return { apiVersion: p.apiVersion, kind: 'BackendTLSPolicy', metadata: { name, namespace: p.meta.namespace }, spec: s };
  });
  return [fix(`split ${policyLabel(p)} into one policy per target`, [keep, ...copies], { note: FORCE_NOTE })];
}

export const btls008: Rule = {
  meta: {
    code: 'GWTLS-BTLS-008',
    severity: 'warning',
    title: 'Conflicting BackendTLSPolicies, or a policy with several targets',
    inputs: ['BackendTLSPolicy', 'Service'],
    description:
      'Two BackendTLSPolicies for the same target and sectionName conflict: the oldest wins, then the first by name; the other is ignored (Accepted=False, Conflicted). A policy for the whole Service and one naming a port (sectionName) do not conflict: both are Accepted, the port-specific one applies on its port and the whole-Service one on the other ports. A policy with more than one targetRef is allowed by the CRD, but implementations SHOULD NOT support it (Gateway API v1.4.1 guidance).',
  },
  check(ctx) {
    const seen = new Set<string>();
    for (const u of hopUses(ctx.model)) {
      const check = u.hop.tls.policy;
      const svc = u.hop.backend.service?.found ? u.hop.backend.service.obj : undefined;
      if (!check || !svc) continue;
      for (const loser of check.losers) {
        const id = `conflict|${loser.meta.namespace}/${loser.meta.name}|${svc.meta.name}`;
        if (seen.has(id)) continue;
        seen.add(id);
        ctx.report({
          object: loser,
          message: `${policyLabel(loser)} and ${policyLabel(check.policy)} both apply to ${portLabel(svc, u.hop.backend.servicePort)}; ${check.policy.meta.name} wins (${why(check.policy, loser)}), so ${loser.meta.name} is ignored (Accepted=False, Conflicted) and its hostname and CAs have no effect. Keep one policy per Service port.`,
          evidence: [check.policy, loser].map((p) => `${policyLabel(p)}: targets ${p.targetRefs.map((t) => `${t.name}${t.sectionName ? `/${t.sectionName}` : ''}`).join(', ')}; hostname ${p.hostname ?? '-'}; created ${p.meta.creationTimestamp ?? 'unknown'}`),
          ...at(u),
        });
      }
    }
    const policies = new Set<BackendTLSPolicyObject>();
    const services = new Map<string, ServiceObject>();
    for (const use of backendUses(ctx.model)) {
      if (use.backend.type !== 'service') continue;
      for (const p of policiesForService(ctx.snapshot, use.backend.ref.namespace, use.backend.ref.name)) policies.add(p);
      const svc = use.backend.service?.found ? use.backend.service.obj : undefined;
      if (svc) services.set(`${svc.meta.namespace}/${svc.meta.name}`, svc);
    }
    for (const svc of services.values()) reportUnusedWholeServicePolicies(ctx, svc);
    for (const p of policies) {
      if (p.targetRefs.length < 2) continue;
      ctx.report({
        object: p,
        field: 'spec.targetRefs',
        message: `${policyLabel(p)} has ${p.targetRefs.length} targetRefs; Gateway API advises implementations not to support more than one (conflict handling and status are undefined for several), so some targets may silently get no TLS. Use one policy per target.`,
        evidence: p.targetRefs.map((t, i) => `targetRefs[${i}]: ${t.kind} ${t.name}${t.sectionName ? ` sectionName ${t.sectionName}` : ''}`),
        fixes: splitFix(p, ctx.snapshot),
      });
    }
  },
};

/**
 * A whole-Service policy is Accepted next to port-specific ones and covers the ports they do not name. Only when
 * every port of the Service has its own policy does it apply nowhere: said as information, never as a conflict.
 */
function reportUnusedWholeServicePolicies(ctx: RuleContext, svc: ServiceObject): void {
  const all = policiesForService(ctx.snapshot, svc.meta.namespace, svc.meta.name);
  const names = (p: BackendTLSPolicyObject) => p.targetRefs.filter((t) => t.group === '' && t.kind === 'Service' && t.name === svc.meta.name);
  const whole = all.filter((p) => names(p).some((t) => t.sectionName === undefined));
  if (whole.length === 0 || svc.ports.length === 0) return;
  const specificFor = (port: string | undefined) => all.filter((p) => port !== undefined && names(p).some((t) => t.sectionName === port));
  if (!svc.ports.every((port) => specificFor(port.name).length > 0)) return;
  for (const p of whole) {
    ctx.report({
      object: p,
      field: 'spec.targetRefs',
      severity: 'info',
      message: `${policyLabel(p)} targets the whole Service ${svc.meta.namespace}/${svc.meta.name}, but every port of it has its own port-specific policy (${svc.ports.map((port) => `${port.name}: ${specificFor(port.name).map((x) => x.meta.name).join(', ')}`).join('; ')}), which applies there instead: this policy is still Accepted (not Conflicted) and takes effect on any port that loses its own policy or is added.`,
      evidence: svc.ports.map((port) => `Service port ${port.name ?? port.port}: ${specificFor(port.name).map((x) => policyLabel(x)).join(', ')}`),
    });
  }
}
