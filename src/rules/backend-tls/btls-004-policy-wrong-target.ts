import type { BackendTLSPolicyObject, PolicyTargetReference, ServiceObject, ServicePort } from '../../cluster/objects.ts';
import type { BackendHop } from '../../graph/model.ts';
import { fix, FORCE_NOTE } from '../../fixes/builders.ts';
import type { Fix } from '../../report/types.ts';
import { backendUses } from '../backends/uses.ts';
import type { Rule } from '../types.ts';
import { at, hopUses, portLabel, sender } from './hops.ts';
import { policyLabel, policyPatch, rawTargetRefs } from './policy.ts';

function portList(svc: ServiceObject): string {
  return svc.ports.map((p) => (p.name ? `${p.name} (${p.port})` : `unnamed (${p.port})`)).join(', ');
}

/** The Service port a dangling sectionName most likely meant: its number or targetPort, or the only port. */
function meant(svc: ServiceObject, section: string): ServicePort | undefined {
  return svc.ports.find((p) => String(p.port) === section || String(p.targetPort) === section) ?? (svc.ports.length === 1 ? svc.ports[0] : undefined);
}

function sectionFix(p: BackendTLSPolicyObject, svc: ServiceObject, port: ServicePort): Fix[] {
  const refs = rawTargetRefs(p);
  let changed = false;
  for (const r of refs) {
    if ((r.group ?? '') === '' && (r.kind ?? 'Service') === 'Service' && r.name === svc.meta.name && typeof r.sectionName === 'string' && !svc.ports.some((sp) => sp.name === r.sectionName)) {
      if (port.name) r.sectionName = port.name;
      else delete r.sectionName;
      changed = true;
    }
  }
  const patch = changed ? policyPatch(p, { targetRefs: refs }) : null;
  if (!patch) return [];
  return [fix(port.name ? `target Service port ${port.name} (sectionName is the port name)` : `target Service ${svc.meta.name} as a whole (its only port has no name)`, [patch], { note: FORCE_NOTE })];
}

/** Ignored policies that were meant for this port (or for no existing port) but name it wrongly. */
export function misTargeted(hop: BackendHop): Array<{ policy: BackendTLSPolicyObject; ref: PolicyTargetReference; intended: ServicePort | undefined }> {
  const svc = hop.backend.service?.found ? hop.backend.service.obj : undefined;
  const port = hop.backend.servicePort;
  if (!svc || !port) return [];
  const out = [];
  for (const { policy } of hop.tls.ignoredPolicies) {
    const ref = policy.targetRefs.find((t) => t.group === '' && t.kind === 'Service' && t.name === svc.meta.name && t.sectionName !== undefined && !svc.ports.some((sp) => sp.name === t.sectionName));
    if (!ref) continue;
    const intended = meant(svc, ref.sectionName!);
    if (!intended || intended === port) out.push({ policy, ref, intended });
  }
  return out;
}

export const btls004: Rule = {
  meta: {
    code: 'GWTLS-BTLS-004',
    severity: 'error',
    title: 'BackendTLSPolicy does not target what the route uses',
    inputs: ['BackendTLSPolicy', 'Service', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute'],
    description:
      'A BackendTLSPolicy applies to a Service, and with sectionName to one port of it, named by the Service port NAME. A sectionName holding the port number or the targetPort, or a policy in another namespace than the Service (targetRefs are local), matches nothing: the policy is ignored and the gateway sends plaintext to the backend.',
  },
  check(ctx) {
    const seen = new Set<string>();
    for (const u of hopUses(ctx.model)) {
      const { hop } = u;
      const svc = hop.backend.service?.found ? hop.backend.service.obj : undefined;
      const port = hop.backend.servicePort;
      if (!svc || !port || u.gateway.impl.supportsBackendTLSPolicy === false) continue;
      for (const { policy: p, ref, intended } of misTargeted(hop)) {
        const id = `${p.meta.namespace}/${p.meta.name}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const section = ref.sectionName!;
        const asNumber = svc.ports.some((sp) => String(sp.port) === section) ? ' (that is the port number: sectionName takes the port name)' : svc.ports.some((sp) => String(sp.targetPort) === section) ? ' (that is the targetPort: sectionName takes the Service port name)' : '';
        ctx.report({
          object: p,
          field: `spec.targetRefs[${p.targetRefs.indexOf(ref)}].sectionName`,
          message: `${policyLabel(p)} targets Service ${svc.meta.namespace}/${svc.meta.name} sectionName ${section}, which is not a port name of that Service${asNumber}: the policy applies to nothing, and ${sender(u.gateway)} sends plaintext to ${portLabel(svc, port)}, which a TLS backend refuses.`,
          evidence: [`Service ${svc.meta.namespace}/${svc.meta.name} ports: ${portList(svc)}`, `route: ${hop.attachment.route.obj.kind} ${hop.attachment.route.obj.meta.namespace}/${hop.attachment.route.obj.meta.name} uses port ${port.port}`],
          fixes: intended ? sectionFix(p, svc, intended) : [],
          ...at(u),
        });
      }
    }
    // Policies whose Service does not exist in their own namespace, while routes use a Service of that name elsewhere.
    const used = new Map<string, string[]>();
    for (const use of backendUses(ctx.model)) {
      const b = use.backend;
      if (b.type !== 'service' || !b.service?.found) continue;
      used.set(b.ref.name, [...new Set([...(used.get(b.ref.name) ?? []), b.ref.namespace])]);
    }
    for (const p of ctx.snapshot.list('BackendTLSPolicy')) {
      for (const [i, t] of p.targetRefs.entries()) {
        if (t.group !== '' || t.kind !== 'Service') continue;
        const elsewhere = (used.get(t.name) ?? []).filter((ns) => ns !== p.meta.namespace);
        if (elsewhere.length === 0) continue;
        const here = ctx.snapshot.lookup('Service', p.meta.namespace, t.name);
        if (here.found || !here.known) continue;
        ctx.report({
          object: p,
          field: `spec.targetRefs[${i}]`,
          message: `${policyLabel(p)} targets Service ${p.meta.namespace}/${t.name}, which does not exist: targetRefs are local to the policy's namespace, and the routes use Service ${t.name} in namespace ${elsewhere.join(', ')}. The policy applies to nothing (TargetNotFound) and the gateway sends plaintext there. Create the policy (and its CA ConfigMap) in namespace ${elsewhere[0]}.`,
          evidence: [`metadata.namespace: ${p.meta.namespace}`, ...elsewhere.map((ns) => `Service ${ns}/${t.name} is used by routes in scope`)],
        });
      }
    }
  },
};
