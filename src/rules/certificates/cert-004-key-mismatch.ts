import { chainShape } from '../../tls/certificate.ts';
import type { Rule } from '../types.ts';
import { certEvidence, certName, envoyUsers, secretId, servedSecrets, usersText } from './served.ts';

export const cert004: Rule = {
  meta: {
    code: 'GWTLS-CERT-004',
    severity: 'error',
    title: 'Private key does not match the certificate',
    inputs: ['Gateway', 'GatewayClass', 'Secret'],
    description:
      'tls.key must hold the private key of the first certificate in tls.crt. With another key the gateway cannot complete a handshake; Envoy Gateway v1.9 and later refuse such a Secret ("must contain a matching tls.crt and tls.key"), and so does Traefik (ResolvedRefs=False, InvalidCertificateRef). The key itself is never printed.',
  },
  check(ctx) {
    for (const s of servedSecrets(ctx.model)) {
      if (s.keyMatches !== false) continue;
      // The key belongs to a later certificate: the chain is out of order (GWTLS-CERT-005), not a wrong key.
      if (chainShape(s.certs, s.secret.tlsKey).keyAt !== null) continue;
      const eg = envoyUsers(s);
      const refusing = s.users.filter((u) => u.lm.gateway.impl.refusesMismatchedKey && !eg.includes(u.lm)).map((u) => u.lm);
      const names = (ls: typeof eg) => `${ls.map((l) => `listener ${l.spec.name}`).join(', ')}`;
      const effect = eg.length > 0
        ? `${eg[0]!.gateway.impl.name} refuses the Secret (Envoy Gateway v1.9 and later check the key), so ${names(eg)} serve${eg.length > 1 ? '' : 's'} no certificate; older versions fail every handshake`
        : refusing.length > 0
          ? `${refusing[0]!.gateway.impl.name} refuses the Secret (it loads the pair with Go's tls.X509KeyPair): ${names(refusing)} get${refusing.length > 1 ? '' : 's'} ResolvedRefs=False (InvalidCertificateRef) and Programmed=False, the Gateway Accepted=False (ListenersNotValid), and clients get Traefik's default certificate instead`
          : 'every TLS handshake fails';
      ctx.report({
        object: s.secret,
        field: 'data.tls.key',
        message: `tls.key in ${secretId(s)} (used by ${usersText(s)}) is not the private key of its certificate (${certName(s.certs[0]!.cert)}): ${effect}. Recreate the Secret from the certificate and the key that were issued together (kubectl create secret tls ${s.secret.meta.name} -n ${s.secret.meta.namespace} --cert=fullchain.pem --key=privkey.pem --dry-run=client -o yaml | kubectl apply -f -).`,
        evidence: [...certEvidence(s.certs.slice(0, 1)), 'tls.key: a parseable private key whose public key differs from the certificate\'s'],
        gateway: s.users[0]!.lm.gateway,
        listener: s.users[0]!.lm,
      });
    }
  },
};
