import { chainShape } from '../../tls/certificate.ts';
import type { Severity } from '../../report/types.ts';
import type { Rule } from '../types.ts';
import { certEvidence, certName, misplacedLeaf, secretId, servedSecrets, usersText } from './served.ts';

export const cert005: Rule = {
  meta: {
    code: 'GWTLS-CERT-005',
    severity: 'warning',
    title: 'Certificate chain in tls.crt incomplete, out of order, or self-signed',
    inputs: ['Gateway', 'GatewayClass', 'Secret'],
    description:
      'The gateway sends tls.crt as it is: the leaf first, then the intermediates that link it to a root clients trust. A leaf that is not first breaks every handshake; intermediates out of order break strict (TLS 1.2) clients; a missing intermediate breaks clients that do not fetch it themselves (AIA), which is most non-browser clients. A self-signed leaf is trusted only by clients given it explicitly.',
  },
  check(ctx) {
    for (const s of servedSecrets(ctx.model)) {
      const { certs } = s;
      const leaf = certs[0]!.cert;
      const shape = chainShape(certs, s.secret.tlsKey);
      const laterLeaf = misplacedLeaf(certs, s.secret.tlsKey);
      let severity: Severity;
      let text: string;
      if (laterLeaf !== null) {
        severity = 'error';
        text = `does not start with the server certificate: certificate ${laterLeaf + 1} (${certName(certs[laterLeaf]!.cert)}) is the leaf${shape.keyAt !== null ? ' (tls.key belongs to it)' : ''}, but the gateway presents the first one (${certName(leaf)}) as its certificate, so clients reject the handshake. Put the leaf first, then the intermediates, each followed by its issuer`;
      } else if (shape.misordered.length > 0) {
        severity = 'warning';
        const i = shape.misordered[0]!;
        text = `is not in issuing order: certificate ${i + 2} (${certName(certs[i + 1]!.cert)}) did not issue certificate ${i + 1} (${certName(certs[i]!.cert)}). TLS 1.3 clients accept any order, but TLS 1.2 and strict clients fail to build the chain. Order it leaf first, then each certificate followed by its issuer, and drop certificates that belong to no link`;
      } else if (!leaf.selfSigned && !shape.firstIssuerPresent) {
        severity = 'warning';
        const aia = leaf.aiaIssuers?.length ? ` Browsers can fetch it from ${leaf.aiaIssuers[0]} (AIA); most other clients do not.` : '';
        text = `holds the leaf without its issuer (${leaf.issuer}). Clients that do not fetch missing intermediates (curl, OpenSSL, Go, Java and most non-browser clients) fail with "unable to verify the first certificate" unless that issuer is a root they already trust, as with a private CA handed to curl --cacert.${aia} If the issuer is an intermediate, append it (and any further intermediates) to tls.crt after the leaf`;
      } else if (leaf.selfSigned) {
        severity = 'info';
        text = `holds a self-signed certificate (${certName(leaf)}): no CA vouches for it, so clients trust it only when given it explicitly (curl --cacert with this certificate, a browser exception). Fine for tests; public clients need a certificate from a CA they trust`;
      } else {
        continue;
      }
      ctx.report({
        object: s.secret,
        field: 'data.tls.crt',
        severity,
        message: `tls.crt of ${secretId(s)} (used by ${usersText(s)}) ${text}.`,
        evidence: certEvidence(certs),
        gateway: s.users[0]!.lm.gateway,
        listener: s.users[0]!.lm,
      });
    }
  },
};
