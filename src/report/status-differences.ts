// Observed status (what a controller wrote) against expected status (what the objects predict), per condition
// type: where they differ the report says so, with the likely cause, instead of silently preferring one.
// Only objects that carry some observed status are compared (manifests usually carry none), and only the
// condition types the expectation predicts (implementations add their own types).
import type { Condition, ExpectedCondition, StatusDifference } from './types.ts';

export interface ObservedStatus {
  /** `Gateway ns/name`, `listener https`, ... */
  object: string;
  observed: readonly Condition[];
  expected: readonly ExpectedCondition[];
  /** metadata.generation of the object the conditions are on (the Gateway for listeners, the route for parents). */
  generation?: number;
  /** Profile name for the sentence: "the Gateway API spec", "Envoy Gateway". */
  profile: string;
  /** Route parents / policy ancestors: status entries written by other controllers for the same parent. */
  otherControllers?: string[];
}

export function statusDifferences(s: ObservedStatus): StatusDifference[] {
  if (s.observed.length === 0) {
    if (!s.otherControllers?.length) return [];
    return [
      {
        object: s.object,
        type: 'status',
        observed: null,
        expected: null,
        cause: 'other-controller',
        why: `only ${s.otherControllers.join(', ')} wrote status here; the controller of this Gateway's class wrote nothing`,
      },
    ];
  }
  const out: StatusDifference[] = [];
  for (const e of s.expected) {
    const o = s.observed.find((c) => c.type === e.type);
    if (o && o.status === e.status && (o.reason ?? '') === e.reason) continue;
    const stale = o?.stale === true || (o?.observedGeneration !== undefined && s.generation !== undefined && o.observedGeneration < s.generation);
    const cause: StatusDifference['cause'] = !o ? 'not-written' : stale ? 'stale' : 'disagrees';
    const exp = `${e.type}=${e.status} (${e.reason})`;
    const why = !o
      ? `${s.profile} predicts ${exp}; the controller wrote no ${e.type} condition`
      : stale
        ? `the controller last processed generation ${o.observedGeneration} of ${s.generation}: it wrote ${o.type}=${o.status}${o.reason ? ` (${o.reason})` : ''}, ${s.profile} predicts ${exp} for the current spec (a lagging or stopped controller)`
        : `the controller wrote ${o.type}=${o.status}${o.reason ? ` (${o.reason})` : ''} for the current generation, ${s.profile} predicts ${exp}: the controller disagrees with the prediction (or knows a fact the objects do not show)`;
    out.push({ object: s.object, type: e.type, observed: o ? { status: o.status, ...(o.reason ? { reason: o.reason } : {}) } : null, expected: { status: e.status, reason: e.reason }, cause, why });
  }
  return out;
}

export function attachedRoutesDifference(object: string, observed: number | null | undefined, expected: number, stale: boolean, profile: string): StatusDifference[] {
  if (observed === null || observed === undefined || observed === expected) return [];
  return [
    {
      object,
      type: 'attachedRoutes',
      observed: { status: String(observed) },
      expected: { status: String(expected) },
      cause: stale ? 'stale' : 'disagrees',
      why: `the controller counts ${observed} attached route${observed === 1 ? '' : 's'}, ${profile} predicts ${expected}${stale ? ' (the status is stale)' : ''}`,
    },
  ];
}
