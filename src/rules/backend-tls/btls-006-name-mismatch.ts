import { fix, FORCE_NOTE } from '../../fixes/builders.ts';
import type { Fix } from '../../report/types.ts';
import type { Rule } from '../types.ts';
import { at, evidenceOf, hopUses, portLabel, sender } from './hops.ts';
import { policyLabel, policyPatch } from './policy.ts';
import { certificateHasName, commonValidationName, describeCertificate, expectedNames, servingCertificates } from './trust.ts';

export const btls006: Rule = {
  meta: {
    code: 'GWTLS-BTLS-006',
    severity: 'error',
    title: 'BackendTLSPolicy hostname / subjectAltNames do not match the backend certificate',
    inputs: ['BackendTLSPolicy', 'Service', 'Pod', 'Secret'],
    description:
      'The gateway verifies the backend certificate against validation.hostname (or, when set, validation.subjectAltNames), and the certificate the backend pods serve carries none of those names: the handshake fails with CERTIFICATE_VERIFY_FAILED and requests get HTTP 5xx. The hostname is also the SNI sent to the backend. With inspect --probe the certificate checked is the one the backend really serves.',
  },
  check(ctx) {
    const seen = new Set<string>();
    for (const u of hopUses(ctx.model)) {
      const check = u.hop.tls.policy;
      if (!check || !check.policy.hostname) continue;
      const p = check.policy;
      const names = expectedNames(p);
      const e = evidenceOf(ctx.model, u.hop);
      const certs = servingCertificates(e, true);
      const bad = certs.filter((c) => !names.some((n) => certificateHasName(c.leaf.cert, n)));
      if (names.length === 0 || bad.length === 0 || !e.service) continue;
      const id = `${p.meta.namespace}/${p.meta.name}|${e.service.meta.name}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const fixes: Fix[] = [];
      const name = commonValidationName(
        certs.map((c) => c.leaf.cert),
        e.service,
      );
      if (name) {
        const bySans = p.subjectAltNames.length > 0;
        const validation = bySans ? { subjectAltNames: [name.uri ? { type: 'URI', uri: name.uri } : { type: 'Hostname', hostname: name.hostname }] } : name.uri ? { hostname: name.hostname, subjectAltNames: [{ type: 'URI', uri: name.uri }] } : { hostname: name.hostname };
        const patch = policyPatch(p, { validation });
        if (patch) fixes.push(fix(bySans ? `verify the name ${name.uri ?? name.hostname}, which the backend certificate carries` : `verify (and send as SNI) ${name.hostname}, which the backend certificate carries`, [patch], { note: FORCE_NOTE }));
      }
      const what = p.subjectAltNames.length ? `subjectAltNames ${names.map((n) => n.value).join(', ')}` : `hostname ${p.hostname}`;
      ctx.report({
        object: p,
        field: p.subjectAltNames.length ? 'spec.validation.subjectAltNames' : 'spec.validation.hostname',
        message: `${policyLabel(p)} makes ${sender(u.gateway)} verify ${what} in the certificate of ${portLabel(e.service, e.port)}, but the certificate ${certs.some((c) => c.observed) ? 'it really serves (probed)' : 'its pods serve'} carries ${bad.map((c) => [...c.leaf.cert.sans.dns, ...(c.leaf.cert.sans.uri ?? [])].join(', ') || 'no SAN at all').join(' / ')}: the handshake fails (CERTIFICATE_VERIFY_FAILED) and requests get HTTP 5xx.${check.sanNotChecked ? ` Note: ${check.sanNotChecked}.` : ''}`,
        evidence: [`validation.hostname: ${p.hostname}`, ...(p.subjectAltNames.length ? [`validation.subjectAltNames: ${names.map((n) => `${n.type} ${n.value}`).join(', ')}`] : []), ...bad.map((c) => `backend certificate: ${describeCertificate(c)}`)],
        fixes,
        ...at(u),
      });
    }
  },
};
