// subjectAltNames on a BackendTLSPolicy used by a Gateway whose implementation's conformance report lists
// BackendTLSPolicySANValidation as unsupported (src/graph/providers/conformance.ts cites each report).
import { fix, FORCE_NOTE } from '../../fixes/builders.ts';
import { reportCitation, sanValidationClaim } from '../../graph/providers/conformance.ts';
import type { Fix, Severity } from '../../report/types.ts';
import type { Rule } from '../types.ts';
import { at, evidenceOf, hopUses, portLabel } from './hops.ts';
import { policyLabel, policyPatch } from './policy.ts';
import { certificateHasName, describeCertificate, expectedNames, servingCertificates } from './trust.ts';

export const btls012: Rule = {
  meta: {
    code: 'GWTLS-BTLS-012',
    severity: 'warning',
    title: 'BackendTLSPolicy subjectAltNames on an implementation that does not check them',
    inputs: ['BackendTLSPolicy', 'Service', 'Pod', 'Secret', 'GatewayClass', 'Gateway'],
    description:
      'validation.subjectAltNames replaces the hostname as the name the gateway verifies in the backend certificate (Extended support, feature BackendTLSPolicySANValidation). Implementations whose newest Gateway API conformance report lists that feature as unsupported (Cilium, NGINX Gateway Fabric, Traefik, GKE, kgateway, the AWS Load Balancer Controller, Kong) do not honour it: the names listed are not what they check, so a restriction to a SPIFFE ID or another DNS name is not enforced, and a backend certificate that carries only those names (not validation.hostname) may be refused where the hostname is verified instead.',
  },
  check(ctx) {
    const seen = new Set<string>();
    for (const u of hopUses(ctx.model)) {
      const check = u.hop.tls.policy;
      if (!check || check.policy.subjectAltNames.length === 0) continue;
      const claim = sanValidationClaim(u.gateway.impl.id);
      if (!claim || claim.supported) continue;
      const p = check.policy;
      const id = `${p.meta.namespace}/${p.meta.name}|${u.gateway.impl.id}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const names = expectedNames(p);
      const e = evidenceOf(ctx.model, u.hop);
      const certs = servingCertificates(e, true);
      const hostname = p.hostname;
      const lacksHostname = hostname ? certs.filter((c) => !certificateHasName(c.leaf.cert, { type: 'Hostname', value: hostname })) : [];
      const carriesSans = certs.filter((c) => names.some((n) => certificateHasName(c.leaf.cert, n)));
      const severity: Severity = lacksHostname.length > 0 && carriesSans.length > 0 ? 'error' : 'warning';
      const certWords =
        certs.length === 0 || !hostname
          ? ''
          : lacksHostname.length === 0
            ? ` The backend certificate carries the hostname ${hostname} too, so connections work if the hostname is checked instead, but the restriction to ${names.map((n) => n.value).join(', ')} is not enforced.`
            : ` The backend certificate ${carriesSans.length ? `carries ${carriesSans.length === certs.length ? 'the subjectAltNames' : 'some of the subjectAltNames'} but ` : ''}does not carry the hostname ${hostname}: where the hostname is verified instead, the handshake fails and requests get HTTP 5xx.`;
      const fixes: Fix[] = [];
      const dnsSan = p.subjectAltNames.find((s) => s.type !== 'URI' && s.hostname);
      if (dnsSan?.hostname && dnsSan.hostname !== hostname && (certs.length === 0 || certs.every((c) => certificateHasName(c.leaf.cert, { type: 'Hostname', value: dnsSan.hostname! })))) {
        const patch = policyPatch(p, { validation: { hostname: dnsSan.hostname } });
        if (patch) fixes.push(fix(`verify (and send as SNI) ${dnsSan.hostname} as validation.hostname, which ${u.gateway.impl.name} does check`, [patch], { suggestion: true, note: `${FORCE_NOTE} The hostname is also the SNI sent to the backend: a backend that picks its certificate by SNI may then serve another one.` }));
      }
      ctx.report({
        object: p,
        field: 'spec.validation.subjectAltNames',
        severity,
        message: `${policyLabel(p)} makes the gateway verify subjectAltNames ${names.map((n) => `${n.type} ${n.value}`).join(', ')} in the certificate of ${e.service ? portLabel(e.service, e.port) : `${u.hop.backend.ref.namespace}/${u.hop.backend.ref.name}`}, but ${u.gateway.impl.name} does not check subjectAltNames: the conformance report of ${claim.release} lists BackendTLSPolicySANValidation as unsupported${claim.backendTLSPolicyUnsupported ? ' (and BackendTLSPolicy itself)' : ''}. Expect it to verify validation.hostname${hostname ? ` (${hostname})` : ''} instead, or to ignore the policy.${certWords}`,
        evidence: [`conformance report: ${reportCitation(claim)}`, `validation.hostname: ${hostname ?? '-'}`, `validation.subjectAltNames: ${names.map((n) => `${n.type} ${n.value}`).join(', ')}`, ...certs.map((c) => `backend certificate: ${describeCertificate(c)}`)],
        fixes,
        ...at(u),
      });
    }
  },
};
