// Apply configurations of an existing BackendTLSPolicy: its required fields as written plus the changed ones.
import type { BackendTLSPolicyObject } from '../../cluster/objects.ts';
import { identity } from '../../fixes/builders.ts';

/** null for v1alpha2 policies (spec.tls, a single targetRef): those are rewritten by GWTLS-PLAT-001, not patched. */
export function policyPatch(p: BackendTLSPolicyObject, change: { targetRefs?: unknown[]; validation?: Record<string, unknown> }): object | null {
  const spec = (p.raw.spec ?? {}) as Record<string, unknown>;
  if (!Array.isArray(spec.targetRefs) || typeof spec.validation !== 'object' || spec.validation === null) return null;
  const validation = { ...(structuredClone(spec.validation) as Record<string, unknown>), ...(change.validation ?? {}) };
  return { ...identity(p), spec: { targetRefs: change.targetRefs ?? structuredClone(spec.targetRefs), validation } };
}

export function rawTargetRefs(p: BackendTLSPolicyObject): Array<Record<string, unknown>> {
  const spec = (p.raw.spec ?? {}) as Record<string, unknown>;
  return Array.isArray(spec.targetRefs) ? structuredClone(spec.targetRefs as Array<Record<string, unknown>>) : [];
}

export function rawCaRefs(p: BackendTLSPolicyObject): Array<Record<string, unknown>> {
  const v = ((p.raw.spec ?? {}) as Record<string, unknown>).validation as Record<string, unknown> | undefined;
  return Array.isArray(v?.caCertificateRefs) ? structuredClone(v.caCertificateRefs as Array<Record<string, unknown>>) : [];
}

export function policyLabel(p: BackendTLSPolicyObject): string {
  return `BackendTLSPolicy ${p.meta.namespace}/${p.meta.name}`;
}
