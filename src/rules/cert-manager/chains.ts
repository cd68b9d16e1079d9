// The cert-manager chains the rules judge: one per certificateRef of a TLS-terminating listener that
// cert-manager has (or should have) a hand in (graph/cert-manager.ts builds them).
import type { KindName } from '../../cluster/kinds.ts';
import type { Condition } from '../../report/types.ts';
import type { IssuanceChain } from '../../graph/cert-manager.ts';
import type { CertRef } from '../../graph/listener-certs.ts';
import type { ListenerModel, Model } from '../../graph/model.ts';
import { terminatingListeners, usable } from '../listeners/cert-refs.ts';

export const CHAIN_INPUTS: readonly KindName[] = ['Gateway', 'Secret', 'Certificate', 'CertificateRequest', 'Issuer', 'ClusterIssuer', 'Order', 'Challenge'];

export interface ChainAt {
  lm: ListenerModel;
  chain: IssuanceChain;
  ref?: CertRef;
}

export function* chains(model: Model): Generator<ChainAt> {
  for (const lm of terminatingListeners(model)) {
    for (const chain of lm.issuance) {
      const ref = lm.certRefs.find((r) => r.ref.namespace === chain.secret.namespace && r.ref.name === chain.secret.name);
      yield ref ? { lm, chain, ref } : { lm, chain };
    }
  }
}

/**
 * Chains grouped by a key (the Certificate, the Secret): one finding per group, naming every listener. Several
 * listeners that reference one Secret share its Certificate (the shim merges their hostnames).
 */
export function grouped(model: Model, key: (at: ChainAt) => string | undefined): Array<{ first: ChainAt; all: ChainAt[] }> {
  const groups = new Map<string, ChainAt[]>();
  for (const at of chains(model)) {
    const k = key(at);
    if (k === undefined) continue;
    const id = `${at.lm.gateway.obj.meta.namespace}/${at.lm.gateway.obj.meta.name}|${k}`;
    const list = groups.get(id) ?? [];
    if (list.length === 0) groups.set(id, list);
    list.push(at);
  }
  return [...groups.values()].map((all) => ({ first: all[0]!, all }));
}

/** `listener https (HTTPS, port 443)`, or `listeners https, www`. */
export function listenersLabel(all: readonly ChainAt[], label: (lm: ListenerModel) => string): string {
  const lms = [...new Set(all.map((a) => a.lm))];
  return lms.length === 1 ? label(lms[0]!) : `listeners ${lms.map((l) => l.spec.name).join(', ')}`;
}

/** Whether the Secret still gives clients a valid certificate (an old one, while cert-manager fails to renew it). */
export function stillServing(at: ChainAt, now: Date): boolean {
  const ref = at.ref;
  if (!ref || !usable(ref)) return false;
  const leaf = ref.chain?.certs[0]?.cert;
  return !!leaf && new Date(leaf.notAfter) > now && new Date(leaf.notBefore) <= now;
}

export function conditionEvidence(what: string, c: Condition | undefined): string {
  if (!c) return `${what}: no such condition (not reconciled yet)`;
  return `${what}: ${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}${c.lastTransitionTime ? ` since ${c.lastTransitionTime}` : ''}`;
}

/** Evidence lines for the whole chain: the Certificate's conditions, the newest request, the order and challenges. */
export function chainEvidence(chain: IssuanceChain): string[] {
  const out: string[] = [];
  const crt = chain.certificate;
  if (!crt) return out;
  const ns = crt.meta.namespace;
  out.push(conditionEvidence(`Certificate ${ns}/${crt.meta.name}`, chain.ready));
  if (chain.issuing) out.push(conditionEvidence(`Certificate ${ns}/${crt.meta.name}`, chain.issuing));
  if (crt.failedIssuanceAttempts !== undefined || crt.lastFailureTime) out.push(`Certificate ${ns}/${crt.meta.name}: ${crt.failedIssuanceAttempts ?? 0} failed issuance attempt(s)${crt.lastFailureTime ? `, the last at ${crt.lastFailureTime}` : ''}${nextRetry(crt.failedIssuanceAttempts, crt.lastFailureTime)}`);
  const i = chain.issuer;
  if (i?.state === 'found') out.push(conditionEvidence(`${i.ref.kind} ${i.ref.kind === 'Issuer' ? `${ns}/` : ''}${i.ref.name}`, i.ready));
  else if (i) out.push(`${i.ref.kind} ${i.ref.name}: ${i.why}`);
  const r = chain.requests[0];
  if (r) {
    for (const type of ['Approved', 'Denied', 'InvalidRequest', 'Ready']) {
      const c = r.conditions.find((x) => x.type === type);
      if (c) out.push(conditionEvidence(`CertificateRequest ${ns}/${r.meta.name}${r.revision !== undefined ? ` (revision ${r.revision})` : ''}`, c));
    }
  } else {
    out.push(`no CertificateRequest of Certificate ${ns}/${crt.meta.name} ${chain.certificates.known ? 'exists' : 'could be read'}`);
  }
  if (chain.order) out.push(`Order ${ns}/${chain.order.meta.name}: state ${chain.order.state || 'unknown'}${chain.order.reason ? `: ${chain.order.reason}` : ''}`);
  for (const c of chain.challenges) out.push(`Challenge ${ns}/${c.meta.name}: ${c.type} ${c.dnsName}, state ${c.state || 'unknown'}${c.presented !== null ? `, presented ${c.presented}` : ''}${c.reason ? `: ${c.reason}` : ''}`);
  return out;
}

/**
 * When the certificates-trigger controller tries again after a failure: lastFailureTime + 1h × 2^(attempts-1),
 * at most 32h, with cert-manager's default --certificate-request-minimum/maximum-backoff-duration
 * (pkg/controller/certificates/trigger/trigger_controller.go shouldBackoffReissuingOnFailure, v1.21.2).
 */
export function nextRetry(attempts: number | undefined, lastFailure: string | undefined): string {
  if (!lastFailure || Number.isNaN(Date.parse(lastFailure))) return '';
  const hours = Math.min(2 ** Math.max(0, (attempts ?? 1) - 1), 32);
  return `; with the default backoff the next attempt is at ${new Date(Date.parse(lastFailure) + hours * 3_600_000).toISOString().replace('.000Z', 'Z')} (${hours}h after it)`;
}

export function days(ms: number): string {
  const d = Math.round(ms / 86_400_000);
  return `${Math.abs(d)} day${Math.abs(d) === 1 ? '' : 's'}`;
}
