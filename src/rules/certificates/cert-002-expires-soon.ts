import type { Rule } from '../types.ts';
import { envoyExpiryEffect } from './envoy-expiry.ts';
import { certEvidence, certManagerHint, certName, DAY_MS, envoyUsers, position, secretId, servedSecrets, usersText } from './served.ts';

const WARN_DAYS = 30;
const ERROR_DAYS = 7;

export const cert002: Rule = {
  meta: {
    code: 'GWTLS-CERT-002',
    severity: 'warning',
    title: 'Certificate expires soon',
    inputs: ['Gateway', 'GatewayClass', 'Secret'],
    description: `A certificate in the listener Secret's tls.crt expires within ${WARN_DAYS} days (an error within ${ERROR_DAYS}). Automated renewal normally replaces certificates well before that; a certificate this close to its end usually means renewal is failing or was never set up.`,
  },
  check(ctx) {
    for (const s of servedSecrets(ctx.model)) {
      const eg = envoyUsers(s);
      const soon = s.certs
        .map((c, i) => ({ c, i, left: new Date(c.cert.notAfter).getTime() - ctx.now.getTime() }))
        .filter((x) => x.left >= 0 && x.left < WARN_DAYS * DAY_MS && new Date(x.c.cert.notBefore) <= ctx.now)
        // An included root is not what clients verify against, unless Envoy Gateway refuses the whole Secret over it.
        .filter((x) => eg.length > 0 || !(x.i > 0 && x.c.cert.selfSigned))
        .sort((a, b) => a.left - b.left);
      const first = soon[0];
      if (!first) continue;
      // Another certificate of the Secret already expired: GWTLS-CERT-001 speaks for it.
      if (s.certs.some((c) => new Date(c.cert.notAfter) < ctx.now || new Date(c.cert.notBefore) > ctx.now)) continue;
      const days = Math.floor(first.left / DAY_MS);
      const when = days === 0 ? 'within a day' : `in ${days} day${days === 1 ? '' : 's'}`;
      const then = s.certs.map((c) => c.cert.notAfter <= first.c.cert.notAfter);
      const after = eg.length > 0 ? `then ${envoyExpiryEffect(then, eg[0]!.gateway.impl.name, eg.map((l) => `listener ${l.spec.name}`).join(', ')).text}` : 'clients then reject the handshake';
      ctx.report({
        object: s.secret,
        field: 'data.tls.crt',
        severity: days < ERROR_DAYS ? 'error' : 'warning',
        message: `In ${secretId(s)}, used by ${usersText(s)}, ${position(first.c, first.i)} (${certName(first.c.cert)}) expires on ${first.c.cert.notAfter.slice(0, 10)}, ${when}; ${after}. Renew it now.${certManagerHint(s.secret)}`,
        evidence: certEvidence(s.certs),
        gateway: s.users[0]!.lm.gateway,
        listener: s.users[0]!.lm,
      });
    }
  },
};
