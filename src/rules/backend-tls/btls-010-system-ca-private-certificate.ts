import { fix } from '../../fixes/builders.ts';
import type { Fix } from '../../report/types.ts';
import type { Rule, RuleContext } from '../types.ts';
import { anchorsFor, POLICY_V1_NOTE, verifyingPolicy } from './fixes.ts';
import { at, evidenceOf, hopUses, portLabel, sender, type HopUse } from './hops.ts';
import { policyLabel } from './policy.ts';
import { describeCertificate, publiclyTrusted, servingCertificates } from './trust.ts';

export const btls010: Rule = {
  meta: {
    code: 'GWTLS-BTLS-010',
    severity: 'error',
    title: 'Backend verified against the system CAs, but its certificate is privately issued',
    inputs: ['BackendTLSPolicy', 'Service', 'Pod', 'Secret'],
    description:
      'The gateway verifies the backend against the system (public) CAs — because a BackendTLSPolicy says wellKnownCACertificates: System, or because the implementation opens TLS on its own without any policy (Traefik for a Service port 443, a port named https*, or appProtocol https) — and the certificate the backend pods serve is self-signed or issued by a private CA: verification fails and requests get HTTP 5xx. Reference the private CA in caCertificateRefs instead.',
  },
  check(ctx) {
    const seen = new Set<string>();
    for (const u of hopUses(ctx.model)) {
      if (u.hop.tls.implicitTls) {
        implicit(ctx, u, seen);
        continue;
      }
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

/** No policy, but the implementation opens TLS on its own (Traefik) and verifies against the system CAs. */
function implicit(ctx: RuleContext, u: HopUse, seen: Set<string>): void {
  const e = evidenceOf(ctx.model, u.hop);
  if (!e.service || !e.port) return;
  const bad = servingCertificates(e, true).filter((c) => !publiclyTrusted(c));
  if (bad.length === 0) return;
  const id = `implicit|${e.service.meta.namespace}/${e.service.meta.name}|${e.port.port}`;
  if (seen.has(id)) return;
  seen.add(id);
  const served = servingCertificates(e, true);
  const vp = u.hop.backend.type === 'service' ? verifyingPolicy(ctx.snapshot, e.service, e.port, served) : null;
  const fixes: Fix[] = vp ? [fix(vp.title, vp.docs, { note: POLICY_V1_NOTE })] : [];
  const trust = anchorsFor(bad);
  ctx.report({
    object: e.service,
    field: `spec.ports[${e.service.ports.indexOf(e.port)}]`,
    message: `No BackendTLSPolicy targets ${portLabel(e.service, e.port)}, but ${u.gateway.impl.name} opens TLS to it anyway because of its ${u.hop.tls.implicitTls} and verifies it against the system CAs (and the endpoint's IP address as the name), while its certificate is ${bad.every((c) => c.leaf.cert.selfSigned) ? 'self-signed' : 'issued by a private CA'}: verification fails and requests get HTTP 500. Add a BackendTLSPolicy for the port whose caCertificateRefs ConfigMap holds ${trust ? trust.anchors.map((a) => a.what).join(' and ') : 'the CA that issued it'} and whose hostname is a name the certificate carries.`,
    evidence: [...e.facts, ...bad.map((c) => `backend certificate: ${describeCertificate(c)}`)],
    fixes,
    ...at(u),
  });
}
