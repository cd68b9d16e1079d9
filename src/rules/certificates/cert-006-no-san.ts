import type { Rule } from '../types.ts';
import { certEvidence, misplacedLeaf, secretId, servedSecrets, usersText } from './served.ts';

export const cert006: Rule = {
  meta: {
    code: 'GWTLS-CERT-006',
    severity: 'error',
    title: 'Certificate has no subjectAltName (CN only)',
    inputs: ['Gateway', 'GatewayClass', 'Secret'],
    description:
      'The server certificate names no host in a subjectAltName extension, only in the subject CN. Browsers, Go (since 1.15) and rustls-based clients ignore the CN and reject the certificate for every name; only clients that still fall back to the CN (curl and other OpenSSL-based clients) accept it. openssl req -subj alone produces such certificates.',
  },
  check(ctx) {
    for (const s of servedSecrets(ctx.model)) {
      if (misplacedLeaf(s.certs, s.secret.tlsKey) !== null) continue; // the first certificate is not the leaf: GWTLS-CERT-005
      const leaf = s.certs[0]!.cert;
      if (leaf.sans.dns.length > 0 || leaf.sans.ip.length > 0) continue;
      const cn = leaf.commonName;
      const add = cn ? ` For a certificate signed with openssl x509 -req, pass the SAN explicitly (-extfile <(printf "subjectAltName=DNS:${cn}")), since the CSR's extensions are not copied by default; with cert-manager, list the name in dnsNames.` : '';
      ctx.report({
        object: s.secret,
        field: 'data.tls.crt',
        message: `The certificate in ${secretId(s)} (used by ${usersText(s)}) has no subjectAltName, only the subject ${leaf.subject || '(empty)'}: browsers, Go and rustls-based clients ignore the CN and reject it for every name, while curl and other OpenSSL-based clients still fall back to the CN, which is why a curl test can pass. Reissue it with ${cn ? `DNS:${cn}` : 'the served hostnames'} as a subjectAltName.${add}`,
        evidence: [...certEvidence(s.certs.slice(0, 1)), 'no subjectAltName extension'],
        gateway: s.users[0]!.lm.gateway,
        listener: s.users[0]!.lm,
      });
    }
  },
};
