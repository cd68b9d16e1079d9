import type { X509Certificate } from 'node:crypto';
import { ENVOY_GROUP } from '../../cluster/kinds.ts';
import { fix, FORCE_NOTE, identity, objectName } from '../../fixes/builders.ts';
import type { Fix } from '../../report/types.ts';
import { formatName } from '../../tls/certificate.ts';
import { rawBackendRef, routeBackendRefPatch } from '../backends/uses.ts';
import type { Rule } from '../types.ts';
import { anchorsFor, trustOnFirstUse } from './fixes.ts';
import { at, evidenceOf, hopUses, portLabel, sender, type HopUse } from './hops.ts';
import { policyLabel } from './policy.ts';
import { describeCertificate, servingCertificates, verifiedBy } from './trust.ts';

export const ISSUE_3761 =
  'BackendTLSPolicy has no switch to skip verification (gateway-api issue 3761 is still open; GEP-4152 is provisional), and a self-signed backend does not need one: put the certificate itself in ca.crt and verify a name it carries.';

/** Envoy Gateway only, and only as a suggestion: a Backend that skips verification (the seed's workaround). */
function skipVerifySuggestion(u: HopUse): Fix | null {
  const { hop } = u;
  const b = hop.backend;
  const svc = b.service?.found ? b.service.obj : undefined;
  const port = b.servicePort;
  if (!svc || !port || b.type !== 'service') return null;
  const route = hop.attachment.route.obj;
  const name = objectName(svc.meta.name, 'insecure');
  const fqdn = `${svc.meta.name}.${svc.meta.namespace}.svc.cluster.local`;
  const tls: Record<string, unknown> = { insecureSkipVerify: true };
  const backend = { apiVersion: `${ENVOY_GROUP}/v1alpha1`, kind: 'Backend', metadata: { name, namespace: route.meta.namespace }, spec: { endpoints: [{ fqdn: { hostname: fqdn, port: port.port } }], tls } };
  const raw = rawBackendRef(route, b.rule, b.index);
  const ref: Record<string, unknown> = { group: ENVOY_GROUP, kind: 'Backend', name };
  if (raw.weight !== undefined) ref.weight = raw.weight;
  return fix(`skip verification: send rule ${b.rule} of ${route.kind} ${route.meta.name} to an Envoy Gateway Backend with tls.insecureSkipVerify`, [backend, routeBackendRefPatch(route, b.rule, b.index, ref)], {
    suggestion: true,
    note: `Trades away authentication of the backend: anyone who can intercept gateway-to-pod traffic can impersonate it. Needs the Backend API (extensionApis.enableBackend: true; the Calico operator enables it). ${FORCE_NOTE}`,
  });
}

export const btls007: Rule = {
  meta: {
    code: 'GWTLS-BTLS-007',
    severity: 'error',
    title: 'Backend certificate not signed by the CA the BackendTLSPolicy trusts',
    inputs: ['BackendTLSPolicy', 'ConfigMap', 'Service', 'Pod', 'Secret'],
    description:
      'The certificate the backend pods serve does not chain to any certificate in the ca.crt of the ConfigMaps the BackendTLSPolicy references: verification fails (CERTIFICATE_VERIFY_FAILED) and requests get HTTP 5xx. A self-signed backend certificate works once the certificate itself is in ca.crt. With inspect --probe the chain checked is the one the backend really serves.',
  },
  check(ctx) {
    const seen = new Set<string>();
    for (const u of hopUses(ctx.model)) {
      const check = u.hop.tls.policy;
      if (!check || check.caRefs.length === 0 || check.problems.length > 0 || check.caRefs.some((c) => !c.chain)) continue;
      const p = check.policy;
      const e = evidenceOf(ctx.model, u.hop);
      const certs = servingCertificates(e, true);
      const anchors: X509Certificate[] = check.caRefs.flatMap((c) => c.chain!.certs.map((x) => x.x509));
      const bad = certs.filter((c) => !verifiedBy(c, anchors));
      if (bad.length === 0 || !e.service) continue;
      const id = `${p.meta.namespace}/${p.meta.name}|${e.service.meta.name}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const fixes: Fix[] = [];
      const trust = anchorsFor(bad);
      const cmRef = check.caRefs.find((c) => c.kind === 'ConfigMap' && c.lookup?.found);
      const cm = cmRef?.lookup?.found ? cmRef.lookup.obj : undefined;
      if (trust && cm) {
        const tofu = trustOnFirstUse(trust.anchors);
        fixes.push(fix(`add ${trust.anchors.map((a) => a.what).join(' and ')} to ca.crt of ConfigMap ${cm.meta.namespace}/${cm.meta.name}`, [{ ...identity(cm), data: { 'ca.crt': `${(cm.caCrt ?? '').trimEnd()}\n${trust.pem}` } }], { note: [FORCE_NOTE, tofu.note].filter(Boolean).join(' '), suggestion: tofu.suggestion }));
      }
      if (u.gateway.impl.id === 'envoy-gateway' || u.gateway.impl.id === 'calico') {
        const s = skipVerifySuggestion(u);
        if (s) fixes.push(s);
      }
      const selfSigned = bad.some((c) => c.leaf.cert.selfSigned);
      const configured = check.caRefs.map((c) => `${c.kind} ${c.namespace}/${c.name} (${c.chain!.certs.map((x) => x.cert.subject).join('; ') || 'empty'})`);
      ctx.report({
        object: p,
        field: 'spec.validation.caCertificateRefs',
        message: `${sender(u.gateway)} cannot verify ${portLabel(e.service, e.port)}: the certificate ${bad.some((c) => c.observed) ? 'it really serves (probed)' : 'its pods serve'} (${bad.map(describeCertificate).join(' / ')}) does not chain to ${configured.length > 1 ? 'any of' : ''} ${configured.join(', ')}, which ${policyLabel(p)} trusts; the handshake fails (CERTIFICATE_VERIFY_FAILED) and requests get HTTP 5xx. ${
          trust ? `Add ${trust.anchors.map((a) => a.what).join(' and ')} to ca.crt.` : `Add the CA that issued it (${bad.map((c) => formatName(c.leaf.x509.issuer)).join(', ')}) to ca.crt.`
        }${selfSigned ? ` ${ISSUE_3761}` : ''}`,
        evidence: [...bad.map((c) => `backend certificate: ${describeCertificate(c)}`), ...configured.map((c) => `trusted: ${c}`)],
        fixes,
        ...at(u),
      });
    }
  },
};
