import { daysAgo } from '../../tls/certificate.ts';
import type { ListenerModel } from '../../graph/model.ts';
import type { Severity } from '../../report/types.ts';
import type { Rule } from '../types.ts';
import { envoyExpiryEffect } from './envoy-expiry.ts';
import { certEvidence, certManagerHint, certName, envoyUsers, position, secretId, servedSecrets, usersText } from './served.ts';

export const cert001: Rule = {
  meta: {
    code: 'GWTLS-CERT-001',
    severity: 'error',
    title: 'Certificate expired or not yet valid',
    inputs: ['Gateway', 'GatewayClass', 'Secret'],
    description:
      'A certificate in the listener Secret\'s tls.crt is outside its validity window. Clients reject the handshake ("certificate has expired" / "not yet valid"). Envoy Gateway (and Calico Ingress Gateway on it) may refuse the Secret as a whole, so that the listener serves no certificate at all, depending on the release: v1.2–v1.6 when the leaf is out of date, v1.7.0–v1.8.2 only when no certificate of tls.crt is valid (PartiallyInvalidCertificateRef otherwise), v1.8.3 and later when any is. Other implementations keep serving it.',
  },
  check(ctx) {
    for (const s of servedSecrets(ctx.model)) {
      const bad = s.certs
        .map((c, i) => ({ c, i, expired: new Date(c.cert.notAfter) < ctx.now, early: new Date(c.cert.notBefore) > ctx.now }))
        .filter((x) => x.expired || x.early);
      if (bad.length === 0) continue;
      const eg = envoyUsers(s);
      // A root sent along is not what clients verify against (they use their own copy); a bad leaf or intermediate is.
      const chainBroken = bad.some((x) => !(x.i > 0 && x.c.cert.selfSigned));
      const severity: Severity = eg.length > 0 || chainBroken ? 'error' : 'warning';
      const what = bad
        .map(({ c, i, expired }) =>
          expired
            ? `${position(c, i)} (${certName(c.cert)}) expired on ${c.cert.notAfter.slice(0, 10)}, ${daysAgo(new Date(c.cert.notAfter), ctx.now)} days ago`
            : `${position(c, i)} (${certName(c.cert)}) is not valid before ${c.cert.notBefore.slice(0, 10)}`,
        )
        .join('; ');
      const badFlags = s.certs.map((c) => new Date(c.cert.notAfter) < ctx.now || new Date(c.cert.notBefore) > ctx.now);
      const effect = eg.length > 0
        ? envoyExpiryEffect(badFlags, eg[0]!.gateway.impl.name, eg.map((l) => `listener ${l.spec.name}`).join(', ')).text
        : chainBroken
          ? 'clients reject the handshake'
          : 'clients normally verify against their own copy of that root, but strict ones reject the chain; drop the root from tls.crt';
      ctx.report({
        object: s.secret,
        field: 'data.tls.crt',
        severity,
        message: `In ${secretId(s)}, used by ${usersText(s)}, ${what}: ${effect}. Renew the certificate and replace tls.crt and tls.key.${certManagerHint(s.secret)}`,
        evidence: [...certEvidence(s.certs), ...observedCertificateStatus(eg)],
        gateway: s.users[0]!.lm.gateway,
        listener: s.users[0]!.lm,
      });
    }
  },
};

/** What the Envoy Gateway listeners report about their certificateRefs: the reason tells the release range. */
function observedCertificateStatus(listeners: readonly ListenerModel[]): string[] {
  const out: string[] = [];
  for (const lm of listeners) {
    const c = lm.status?.conditions.find((x) => x.type === 'ResolvedRefs' && x.status === 'False' && /CertificateRef/.test(x.reason ?? ''));
    if (c) out.push(`listener ${lm.spec.name} status: ResolvedRefs=False, reason ${c.reason}${c.message ? `: ${c.message}` : ''}`);
  }
  return out;
}
