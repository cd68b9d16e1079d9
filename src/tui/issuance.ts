// The detail pane's cert-manager section under a listener certificate: the report's issuance entry for that
// Secret (report/issuance.ts), restated. Every string passes through lines.ts, which escapes control characters.
import type { IssuanceReport, ListenerReport } from '../report/types.ts';
import { seg, wrapLine, wrapText, type Line, type Tone } from './lines.ts';

const LABEL = 13;

function row(label: string, value: string, width: number, tone?: Tone): Line[] {
  const first = `  ${label.padEnd(LABEL)}`;
  return wrapText(value, width, first, ' '.repeat(first.length)).map((t, i) => (i === 0 ? [seg(first), seg(t.slice(first.length), tone)] : [seg(t, tone)]));
}

/** The issuance entry of a listener for one Secret, if cert-manager has (or should have) a hand in it. */
export function issuanceFor(l: ListenerReport, namespace: string, name: string): IssuanceReport | undefined {
  return l.tls?.issuance?.find((i) => i.secret.namespace === namespace && i.secret.name === name);
}

export function issuanceLines(i: IssuanceReport, width: number): Line[] {
  const out: Line[] = [[seg('cert-manager', 'accent', true)]];
  const c = i.certificate;
  const broken = c ? c.ready?.status === 'False' || c.renewalDue : true;
  out.push(...wrapLine(i.summary, width, { first: '  ', tone: broken ? 'bad' : undefined }));
  if (i.shim) out.push(...row('shim', `${i.shim.outcome}${i.shim.issuer ? ` (${i.shim.issuer})` : ''}${i.shim.why ? `: ${i.shim.why}` : ''}`, width, i.shim.outcome === 'certificate' ? undefined : 'warn'));
  if (c) {
    out.push(...row('Certificate', `${c.namespace}/${c.name}${c.controller ? ` (controlled by ${c.controller})` : ''}; dnsNames ${c.dnsNames.join(', ') || 'none'}`, width));
    if (c.renewalTime) out.push(...row('renews', `${c.renewalTime}${c.renewalDue ? ' (OVERDUE)' : ''}`, width, c.renewalDue ? 'bad' : undefined));
    if (c.failedIssuanceAttempts) out.push(...row('failures', `${c.failedIssuanceAttempts}${c.lastFailureTime ? `, last ${c.lastFailureTime}` : ''}`, width, 'warn'));
    if (c.alsoClaimedBy?.length) out.push(...row('claimed by', c.alsoClaimedBy.join(', '), width, 'bad'));
  }
  if (i.issuer) out.push(...row('issuer', `${i.issuer.kind} ${i.issuer.namespace ? `${i.issuer.namespace}/` : ''}${i.issuer.name}${i.issuer.type ? ` (${i.issuer.type})` : ''}: ${i.issuer.state === 'found' ? (i.issuer.ready ? `Ready=${i.issuer.ready.status}${i.issuer.ready.message ? `: ${i.issuer.ready.message}` : ''}` : 'no status') : i.issuer.state}`, width, i.issuer.state === 'found' && i.issuer.ready?.status === 'True' ? undefined : 'bad'));
  if (i.request) {
    const ready = i.request.conditions.find((x) => x.type === 'Ready');
    out.push(...row('request', `${i.request.name}${ready ? `: Ready=${ready.status}${ready.reason ? ` (${ready.reason})` : ''}${ready.message ? `: ${ready.message}` : ''}` : ''}`, width));
  }
  if (i.order) out.push(...row('order', `${i.order.name}: ${i.order.state || 'no state'}${i.order.reason ? `: ${i.order.reason}` : ''}`, width));
  for (const ch of i.challenges) out.push(...row('challenge', `${ch.type} ${ch.dnsName}: ${ch.state || 'pending'}${ch.reason ? `: ${ch.reason}` : ''} (${ch.solver})`, width, ch.state === 'valid' ? undefined : 'warn'));
  for (const r of i.solverRoutes ?? []) out.push(...row('solver route', `${r.dnsName}${r.route ? ` (HTTPRoute ${r.route})` : ''}: ${r.problem ?? `attaches to ${[...r.reachable, ...r.otherPorts].join(', ')}`}`, width, r.problem ? 'bad' : undefined));
  if (i.cause) out.push(...row('cause', `${i.cause}${i.causeFrom ? ` (${i.causeFrom})` : ''}`, width, 'bad'));
  return out;
}
