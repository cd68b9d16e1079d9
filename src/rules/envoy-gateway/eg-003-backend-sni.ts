import { fix, FORCE_NOTE, identity } from '../../fixes/builders.ts';
import type { Fix } from '../../report/types.ts';
import type { Rule } from '../types.ts';
import { backendId, policiesForBackend } from './backends.ts';
import { isEnvoyGateway } from './config.ts';

export const eg003: Rule = {
  meta: {
    code: 'GWTLS-EG-003',
    severity: 'warning',
    title: 'Backend TLS for a TCPRoute or TLSRoute without an explicit SNI',
    inputs: ['Backend', 'BackendTLSPolicy', 'TLSRoute', 'TCPRoute', 'Gateway', 'GatewayClass'],
    description:
      'Since Envoy Gateway v1.6, a Backend with tls but no tls.sni (and no BackendTLSPolicy hostname) takes the upstream SNI from the HTTP Host header and verifies the certificate against it. TCPRoute and TLSRoute traffic has no Host header, so the backend sees no SNI and verification has no name to check: set tls.sni to a name in the backend certificate. Information when verification is skipped anyway.',
  },
  check(ctx) {
    for (const r of ctx.model.routes) {
      if (r.obj.kind !== 'TCPRoute' && r.obj.kind !== 'TLSRoute') continue;
      const gateways = ctx.model.gateways.filter((g) => isEnvoyGateway(g) && r.parents.some((p) => p.gateway?.found && p.gateway.obj === g.obj));
      if (gateways.length === 0) continue;
      // Passthrough listeners forward the client's own TLS: the Backend's tls settings do not apply.
      const terminating = r.parents.some((p) => p.listeners.some((l) => l.accepted && l.listener.tls?.mode !== 'Passthrough'));
      if (!terminating) continue;
      for (const ref of r.backends) {
        const b = ref.envoyBackend?.found ? ref.envoyBackend.obj : undefined;
        if (!b?.tls || b.tls.sni) continue;
        if (policiesForBackend(ctx.model, b).some((p) => p.hostname)) continue;
        const fqdns = [...new Set(b.endpoints.filter((e) => e.fqdn).map((e) => e.fqdn!.hostname))];
        const fixes: Fix[] = [];
        if (fqdns.length === 1 && fqdns[0]!.includes('.')) fixes.push(fix(`set tls.sni: ${fqdns[0]} (the endpoint name)`, [{ ...identity(b), spec: { tls: { sni: fqdns[0] } } }], { note: FORCE_NOTE }));
        const skip = b.tls.insecureSkipVerify;
        ctx.report({
          object: b,
          field: 'spec.tls.sni',
          severity: skip ? 'info' : 'warning',
          message: skip
            ? `${r.obj.kind} ${r.obj.meta.namespace}/${r.obj.meta.name} reaches ${backendId(b)} over TLS without an SNI (no tls.sni, and ${r.obj.kind} traffic has no Host header to take one from): verification is skipped, but a backend that picks its certificate by SNI serves its default one.`
            : `${r.obj.kind} ${r.obj.meta.namespace}/${r.obj.meta.name} reaches ${backendId(b)} over TLS, but the Backend sets no tls.sni and ${r.obj.kind} traffic has no Host header for Envoy Gateway to take one from: the backend gets no SNI and the certificate has no name to be verified against, so connections fail or depend on the backend's default certificate. Set tls.sni to a name in the backend certificate.`,
          evidence: [`${backendId(b)} endpoints: ${b.endpoints.map((e) => e.fqdn?.hostname ?? e.ip?.address ?? e.unix?.path ?? '?').join(', ')}`],
          fixes,
          ...(gateways.length === 1 ? { gateway: gateways[0]! } : {}),
        });
      }
    }
  },
};
