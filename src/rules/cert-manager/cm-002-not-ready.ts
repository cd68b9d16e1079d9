import type { CertificateObject } from '../../cluster/objects-cert-manager.ts';
import { issuerLabel } from '../../graph/cert-manager.ts';
import { sentence } from '../listeners/words.ts';
import type { Rule } from '../types.ts';
import { gatewayId, listenerLabel } from '../util.ts';
import { CHAIN_INPUTS, chainEvidence, grouped, listenersLabel, stillServing } from './chains.ts';

/** Which rule carries the fix for a cause, so the finding can point at it. */
function seeAlso(from: string | undefined): string {
  if (!from) return '';
  if (/^(Cluster)?Issuer /.test(from) || /issuerRef$/.test(from)) return ' (GWTLS-CM-003)';
  if (/^Challenge /.test(from)) return ' (GWTLS-CM-004 when the HTTP-01 solver route cannot attach)';
  return '';
}

/**
 * cert-manager's Ready=False reasons that say the Secret holds no usable certificate: no Secret, no tls.crt or
 * tls.key, an undecodable or mismatched key pair, an expired certificate (cert-manager v1.21.2
 * internal/controller/certificates/policies/checks.go).
 */
const SECRET_UNUSABLE = new Set(['DoesNotExist', 'MissingData', 'InvalidKeyPair', 'InvalidCertificate', 'Expired']);

/**
 * Whether the Secret still serves a certificate when the Secret itself was not read (not in the input, forbidden):
 * cert-manager's reason or the Certificate's status.notAfter (the certificate it last wrote) says; else unknown.
 */
function servingPerStatus(crt: CertificateObject, reason: string | undefined, now: Date): boolean | null {
  if (reason !== undefined && SECRET_UNUSABLE.has(reason)) return false;
  if (!crt.notAfter) return null;
  const notAfter = new Date(crt.notAfter);
  if (Number.isNaN(notAfter.getTime())) return null;
  return notAfter > now && (!crt.notBefore || new Date(crt.notBefore) <= now);
}

export const cm002: Rule = {
  meta: {
    code: 'GWTLS-CM-002',
    severity: 'error',
    title: 'cert-manager Certificate for the listener is not Ready',
    inputs: CHAIN_INPUTS,
    description:
      "The Certificate that provides the listener's Secret reports Ready=False. The finding gives the cause from the deepest object of the chain that says why: the Challenge, the ACME Order, the Issuer or ClusterIssuer, the newest CertificateRequest (denied, invalid, failed, pending), or the Certificate's own conditions. An error while the Secret holds no usable certificate; a warning while an older certificate is still served, or when the Secret could not be read.",
  },
  check(ctx) {
    for (const { first: at, all } of grouped(ctx.model, (a) => (a.chain.certificate ? `${a.chain.certificate.meta.namespace}/${a.chain.certificate.meta.name}` : undefined))) {
      const { lm, chain } = at;
      const crt = chain.certificate;
      if (!crt || chain.ready?.status !== 'False') continue;
      // Overdue renewals are GWTLS-CM-007's, which says how long the old certificate has left.
      if (chain.renewalDue) continue;
      const ns = crt.meta.namespace;
      const read = at.ref?.state !== 'unknown';
      const fromStatus = read ? null : servingPerStatus(crt, chain.ready.reason, ctx.now);
      const serving = read ? stillServing(at, ctx.now) : fromStatus === true;
      const unread = !read && fromStatus === null;
      const reason = `${chain.ready.reason ?? 'not Ready'}${chain.ready.message ? ` ("${chain.ready.message}")` : ''}`;
      const cause = chain.cause && chain.causeFrom !== `Certificate ${ns}/${crt.meta.name}` ? ` Cause: ${chain.cause}${chain.causeFrom && !chain.cause.startsWith(chain.causeFrom) ? ` (${chain.causeFrom})` : ''}${seeAlso(chain.causeFrom)}.` : '';
      ctx.report({
        object: crt,
        field: 'status.conditions',
        severity: serving || unread ? 'warning' : 'error',
        message: sentence(
          `Certificate ${ns}/${crt.meta.name} (issued via ${issuerLabel(crt.issuerRef, ns)}) for Secret ${chain.secret.namespace}/${chain.secret.name} of ${listenersLabel(all, listenerLabel)} of Gateway ${gatewayId(lm.gateway)} is not Ready: ${reason}.${cause} ${serving ? `Clients still get the previous certificate in the Secret until it expires${read ? '' : ` (${crt.notAfter}, from the Certificate's status; ${at.ref!.why})`}.` : unread ? `Whether the Secret still holds an older certificate is not known: ${at.ref!.why}.` : 'The Secret holds no usable certificate, so the listener has none to serve.'}`,
        ),
        evidence: chainEvidence(chain),
        listener: lm,
      });
    }
  },
};
