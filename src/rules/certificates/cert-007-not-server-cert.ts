import type { Rule } from '../types.ts';
import { certEvidence, misplacedLeaf, certName, secretId, servedSecrets, usersText } from './served.ts';

export const cert007: Rule = {
  meta: {
    code: 'GWTLS-CERT-007',
    severity: 'warning',
    title: 'Certificate is not a server certificate',
    inputs: ['Gateway', 'GatewayClass', 'Secret'],
    description:
      'The leaf in tls.crt is not made for a TLS server: it is a CA certificate (basicConstraints CA:TRUE), its extended key usage lacks serverAuth, its key usage lacks digitalSignature, or it marks an extension critical that TLS clients do not know. Browsers and Go reject an EKU without serverAuth, and every client an unknown critical extension (an error); other flaws are refused by some clients only.',
  },
  check(ctx) {
    for (const s of servedSecrets(ctx.model)) {
      if (misplacedLeaf(s.certs, s.secret.tlsKey) !== null) continue; // the first certificate is not the leaf: GWTLS-CERT-005
      const leaf = s.certs[0]!.cert;
      const unknownCritical = s.certs[0]!.unhandledCritical ?? [];
      const flaws: string[] = [];
      if (unknownCritical.length) flaws.push(`it marks extension ${unknownCritical.join(', ')} critical: a client that does not know it must reject the certificate (RFC 5280 §4.2), and OpenSSL (so Node and curl) does not know it`);
      if (leaf.isCA) flaws.push('it is a CA certificate (basicConstraints CA:TRUE), which some clients refuse as a server certificate (a CA should sign a separate server certificate)');
      const eku = leaf.extendedKeyUsage ?? [];
      if (eku.length > 0 && !eku.includes('serverAuth') && !eku.includes('anyExtendedKeyUsage')) flaws.push(`its extended key usage (${eku.join(', ')}) lacks serverAuth, so browsers and Go reject it ("incompatible key usage")`);
      const ku = leaf.keyUsage;
      if (ku && ku.length > 0 && !ku.includes('digitalSignature')) flaws.push(`its key usage (${ku.join(', ')}) lacks digitalSignature, which TLS 1.3 and ECDHE handshakes need, so clients that enforce key usage reject it`);
      if (flaws.length === 0) continue;
      ctx.report({
        object: s.secret,
        field: 'data.tls.crt',
        ...(unknownCritical.length ? { severity: 'error' as const } : {}),
        message: `The certificate in ${secretId(s)} (${certName(leaf)}, used by ${usersText(s)}) is not a proper server certificate: ${flaws.join('; ')}. Reissue it from a CA with a server profile (key usage digitalSignature, extended key usage serverAuth, CA:FALSE${unknownCritical.length ? ', no extension critical that clients do not know' : ''}).`,
        evidence: [...certEvidence(s.certs.slice(0, 1)), `isCA ${leaf.isCA}; keyUsage ${(ku ?? []).join(', ') || '(none)'}; extendedKeyUsage ${eku.join(', ') || '(none)'}`],
        gateway: s.users[0]!.lm.gateway,
        listener: s.users[0]!.lm,
      });
    }
  },
};
