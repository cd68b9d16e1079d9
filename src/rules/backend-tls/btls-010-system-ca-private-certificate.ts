import type { Rule } from '../types.ts';
import { anchorsFor } from './fixes.ts';
import { at, evidenceOf, hopUses, portLabel, sender } from './hops.ts';
import { policyLabel } from './policy.ts';
import { describeCertificate, publiclyTrusted, servingCertificates } from './trust.ts';

export const btls010: Rule = {
  meta: {
    code: 'GWTLS-BTLS-010',
    severity: 'error',
    title: 'wellKnownCACertificates: System against a privately issued backend certificate',
    inputs: ['BackendTLSPolicy', 'Service', 'Pod', 'Secret'],
    description:
      'The BackendTLSPolicy verifies the backend against the system (public) CAs, and the certificate the backend pods serve is self-signed or issued by a private CA: verification fails and requests get HTTP 5xx. Reference the private CA in caCertificateRefs instead.',
  },
  check(ctx) {
    const seen = new Set<string>();
    for (const u of hopUses(ctx.model)) {
      const check = u.hop.tls.policy;
      if (!check || check.policy.wellKnownCACertificates !== 'System' || check.policy.caCertificateRefs.length > 0) continue;
      const p = check.policy;
      const e = evidenceOf(ctx.model, u.hop);
      const bad = servingCertificates(e, true).filter((c) => !publiclyTrusted(c));
      if (bad.length === 0 || !e.service) continue;
      const id = `${p.meta.namespace}/${p.meta.name}|${e.service.meta.name}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const trust = anchorsFor(bad);
      ctx.report({
        object: p,
        field: 'spec.validation.wellKnownCACertificates',
        message: `${policyLabel(p)} makes ${sender(u.gateway)} verify ${portLabel(e.service, e.port)} against the system CAs, but its certificate is ${bad.every((c) => c.leaf.cert.selfSigned) ? 'self-signed' : 'issued by a private CA'}: verification fails and requests get HTTP 5xx. Replace wellKnownCACertificates: System by caCertificateRefs naming a ConfigMap (same namespace) whose ca.crt holds ${trust ? trust.anchors.map((a) => a.what).join(' and ') : 'the CA that issued it'}; the two fields are mutually exclusive, so edit the policy rather than apply over it.`,
        evidence: bad.map((c) => `backend certificate: ${describeCertificate(c)}`),
        ...at(u),
      });
    }
  },
};
