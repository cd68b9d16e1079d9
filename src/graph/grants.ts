// ReferenceGrant: a cross-namespace reference is allowed when a grant in the referent's namespace lists the
// referrer (group, kind, namespace) in `from` and the referent (group, kind, optional name) in `to`
// (apis/v1beta1/referencegrant_types.go). Route -> Gateway attachment never needs one.
import type { ReferenceGrantObject } from '../cluster/objects.ts';
import type { Snapshot } from '../cluster/snapshot.ts';

export interface GrantCheck {
  /** true: allowed (same namespace, or a grant); false: no grant; null: grants could not be read. */
  allowed: boolean | null;
  grant?: ReferenceGrantObject;
  why: string;
}

export function checkGrant(
  snapshot: Snapshot,
  from: { group: string; kind: string; namespace: string },
  to: { group: string; kind: string; namespace: string; name: string },
): GrantCheck {
  if (from.namespace === to.namespace) return { allowed: true, why: 'same namespace' };
  for (const g of snapshot.list('ReferenceGrant', to.namespace)) {
    const fromOk = g.from.some((f) => f.group === from.group && f.kind === from.kind && f.namespace === from.namespace);
    const toOk = g.to.some((t) => t.group === to.group && t.kind === to.kind && (t.name === undefined || t.name === to.name));
    if (fromOk && toOk) return { allowed: true, grant: g, why: `allowed by ReferenceGrant ${to.namespace}/${g.meta.name}` };
  }
  const cov = snapshot.coverage('ReferenceGrant', to.namespace);
  if (!cov.complete && cov.known === false && snapshot.state('ReferenceGrant').state !== 'absent') return { allowed: null, why: cov.why };
  return {
    allowed: false,
    why: `no ReferenceGrant in namespace ${to.namespace} allows ${from.kind} from namespace ${from.namespace} to reference ${to.kind} ${to.name}`,
  };
}
