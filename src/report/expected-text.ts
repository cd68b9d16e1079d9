// Expected against observed status, for the plain-text tree: one line per difference, sanitised at this edge
// (the objects, reasons and controller wording come from the cluster). Self-contained so the text renderer can
// call it where it lists a Gateway's conditions: `for (const l of statusDifferenceLines(g)) out.push(indent + l)`.
import { safeLine } from './sanitize.ts';
import type { GatewayReport, StatusDifference } from './types.ts';

const CAUSE: Record<StatusDifference['cause'], string> = {
  stale: 'STALE',
  'not-written': 'NOT WRITTEN',
  'other-controller': 'OTHER CONTROLLER',
  disagrees: 'DIFFERS',
};

function value(v: StatusDifference['observed']): string {
  return v ? `${v.status}${v.reason ? ` (${v.reason})` : ''}` : 'nothing';
}

/** `status DIFFERS  listener https ResolvedRefs: observed False (InvalidCertificateRef), expected True (ResolvedRefs)` and why. */
export function statusDifferenceLines(g: GatewayReport): string[] {
  const out: string[] = [];
  for (const d of g.statusDifferences ?? []) {
    out.push(safeLine(`status ${CAUSE[d.cause]}  ${d.object} ${d.type}: observed ${value(d.observed)}, expected ${value(d.expected)}`));
    out.push(safeLine(`  ${d.why}`));
  }
  return out;
}
