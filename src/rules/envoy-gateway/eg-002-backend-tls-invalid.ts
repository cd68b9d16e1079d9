import type { EnvoyBackendObject } from '../../cluster/objects.ts';
import { fix, FORCE_NOTE, identity } from '../../fixes/builders.ts';
import type { Fix } from '../../report/types.ts';
import type { Rule, RuleContext } from '../types.ts';
import { backendId, backendsInScope, policiesForBackend } from './backends.ts';

const CLUSTER_LOCAL = /(^|\.)(svc|cluster\.local|local|internal)$|^[^.]+$/i;

/** Routes whose status says the merged TLS settings are invalid (reason InvalidBackendTLS). */
function statusEvidence(ctx: RuleContext, b: EnvoyBackendObject): string[] {
  const out: string[] = [];
  for (const r of ctx.model.routes) {
    if (!r.backends.some((x) => x.envoyBackend?.found && x.envoyBackend.obj === b)) continue;
    for (const p of r.obj.parents) for (const c of p.conditions) if (c.status === 'False' && c.reason === 'InvalidBackendTLS') out.push(`${r.obj.kind} ${r.obj.meta.namespace}/${r.obj.meta.name} status: ResolvedRefs=False, reason InvalidBackendTLS: ${c.message ?? ''}`);
  }
  for (const c of b.conditions) if (c.status === 'False' && /tls|certificate/i.test(c.message ?? '')) out.push(`${backendId(b)} status: ${c.type}=False: ${c.message}`);
  return out;
}

function tlsFixes(b: EnvoyBackendObject): Fix[] {
  const out: Fix[] = [];
  const publicNames = b.endpoints.length > 0 && b.endpoints.every((e) => e.fqdn && !CLUSTER_LOCAL.test(e.fqdn.hostname));
  if (publicNames) out.push(fix(`verify ${backendId(b)} against the system trust store (its endpoints are public names)`, [{ ...identity(b), spec: { tls: { wellKnownCACertificates: 'System' } } }], { note: FORCE_NOTE }));
  out.push(
    fix(`skip verification of the backend certificate`, [{ ...identity(b), spec: { tls: { insecureSkipVerify: true } } }], {
      suggestion: true,
      note: 'Encrypts without authenticating the backend: anyone who can answer on its address can read the traffic. Prefer caCertificateRefs with the backend\'s CA (or its self-signed certificate) in a ConfigMap under ca.crt.',
    }),
  );
  return out;
}

export const eg002: Rule = {
  meta: {
    code: 'GWTLS-EG-002',
    severity: 'error',
    title: 'Envoy Gateway Backend TLS settings invalid',
    inputs: ['Backend', 'BackendTLSPolicy', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute'],
    description:
      'A Backend with tls must say how to verify the upstream certificate: caCertificateRefs, wellKnownCACertificates, or insecureSkipVerify: true, possibly supplied by a BackendTLSPolicy targeting the Backend (merged in, the policy winning). With none after the merge, Envoy Gateway refuses the backendRef ("CACertificate must be specified when InsecureSkipVerify is false", reason InvalidBackendTLS). insecureSkipVerify together with a CA is refused by the API server.',
  },
  check(ctx) {
    for (const b of backendsInScope(ctx.model)) {
      const tls = b.tls;
      const evidence = statusEvidence(ctx, b);
      if (!tls && evidence.length === 0) continue;
      const policies = policiesForBackend(ctx.model, b);
      const policyCa = policies.some((p) => p.caCertificateRefs.length > 0 || p.wellKnownCACertificates);
      const ownCa = !!tls && (tls.caCertificateRefs.length > 0 || !!tls.wellKnownCACertificates);
      if (tls?.insecureSkipVerify && ownCa) {
        ctx.report({
          object: b,
          field: 'spec.tls.insecureSkipVerify',
          message: `${backendId(b)} sets insecureSkipVerify: true together with ${tls.caCertificateRefs.length ? 'caCertificateRefs' : 'wellKnownCACertificates'}: the API server refuses the combination, so the Backend is not stored as written. Keep the CA and drop insecureSkipVerify.`,
          evidence,
          fixes: [fix(`keep verification: set insecureSkipVerify: false on ${backendId(b)}`, [{ ...identity(b), spec: { tls: { insecureSkipVerify: false } } }], { note: FORCE_NOTE })],
        });
        continue;
      }
      const missing = !!tls && !tls.insecureSkipVerify && !ownCa && !policyCa;
      if (!missing && evidence.length === 0) continue;
      ctx.report({
        object: b,
        field: 'spec.tls',
        message: missing
          ? `${backendId(b)} turns on TLS to its endpoints but gives no way to verify them (no caCertificateRefs, no wellKnownCACertificates, insecureSkipVerify not set${policies.length ? `, and BackendTLSPolicy ${policies.map((p) => p.meta.name).join(', ')} adds no CA` : ', and no BackendTLSPolicy targets it'}): Envoy Gateway refuses routes to it ("CACertificate must be specified when InsecureSkipVerify is false", reason InvalidBackendTLS).`
          : `Envoy Gateway refuses the TLS settings of ${backendId(b)} after merging them with the BackendTLSPolicies that target it; see the status messages.`,
        evidence,
        fixes: missing ? tlsFixes(b) : [],
      });
    }
  },
};
