import type { Severity } from '../../report/types.ts';
import type { Rule } from '../types.ts';
import { certEvidence, certManagerHint, certName, daysBetween, envoyUsers, position, secretId, servedSecrets, usersText } from './served.ts';

export const cert001: Rule = {
  meta: {
    code: 'GWTLS-CERT-001',
    severity: 'error',
    title: 'Certificate expired or not yet valid',
    inputs: ['Gateway', 'GatewayClass', 'Secret'],
    description:
      'A certificate in the listener Secret\'s tls.crt is outside its validity window. Clients reject the handshake ("certificate has expired" / "not yet valid"). Envoy Gateway v1.7 and later (and Calico Ingress Gateway on it) refuse such a Secret as a whole, so the listener serves no certificate at all; other implementations keep serving it.',
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
            ? `${position(c, i)} (${certName(c.cert)}) expired on ${c.cert.notAfter.slice(0, 10)}, ${daysBetween(new Date(c.cert.notAfter), ctx.now)} days ago`
            : `${position(c, i)} (${certName(c.cert)}) is not valid before ${c.cert.notBefore.slice(0, 10)}`,
        )
        .join('; ');
      const effect = eg.length > 0
        ? `${eg[0]!.gateway.impl.name} refuses the whole Secret (Envoy Gateway v1.7 and later reject expired and not-yet-valid certificates), so ${eg.map((l) => `listener ${l.spec.name}`).join(', ')} serve${eg.length > 1 ? '' : 's'} no certificate at all`
        : chainBroken
          ? 'clients reject the handshake'
          : 'clients normally verify against their own copy of that root, but strict ones reject the chain; drop the root from tls.crt';
      ctx.report({
        object: s.secret,
        field: 'data.tls.crt',
        severity,
        message: `In ${secretId(s)}, used by ${usersText(s)}, ${what}: ${effect}. Renew the certificate and replace tls.crt and tls.key.${certManagerHint(s.secret)}`,
        evidence: certEvidence(s.certs),
        gateway: s.users[0]!.lm.gateway,
        listener: s.users[0]!.lm,
      });
    }
  },
};
