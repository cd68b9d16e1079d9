import type { EnvoyBackendObject, RouteObject } from '../../cluster/objects.ts';
import { fix, FORCE_NOTE } from '../../fixes/builders.ts';
import { serviceForBackend } from '../../graph/backends.ts';
import type { Fix } from '../../report/types.ts';
import { rawBackendRef, routeBackendRefsPatch } from '../backends/uses.ts';
import type { Rule } from '../types.ts';
import { POLICY_V1_NOTE, routeToServiceRef, trustOnFirstUse, verifyingPolicy } from './fixes.ts';
import { at, evidenceOf, hopUses, portLabel, sender, type HopUse } from './hops.ts';
import { describeCertificate, servingCertificates } from './trust.ts';

export const btls011: Rule = {
  meta: {
    code: 'GWTLS-BTLS-011',
    severity: 'warning',
    title: 'Upstream certificate verification disabled',
    inputs: ['Backend', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute'],
    description:
      'An Envoy Gateway Backend sets tls.insecureSkipVerify: true: traffic to the backend is encrypted, but the gateway accepts any certificate, so whoever can intercept gateway-to-pod traffic can impersonate the backend. It is the seed documents\' workaround for self-signed backends, which BackendTLSPolicy verifies fine once the certificate itself is in ca.crt.',
  },
  check(ctx) {
    const byBackend = new Map<EnvoyBackendObject, HopUse[]>();
    for (const u of hopUses(ctx.model)) {
      const b = u.hop.tls.envoyBackend;
      if (!b?.tls?.insecureSkipVerify || u.hop.backend.type !== 'envoy-backend') continue;
      byBackend.set(b, [...(byBackend.get(b) ?? []), u]);
    }
    for (const [b, uses] of byBackend) {
      const first = uses[0]!;
      const e = evidenceOf(ctx.model, first.hop);
      const certs = servingCertificates(e, true);
      const target = serviceForBackend(b, ctx.snapshot);
      const fixes: Fix[] = [];
      const vp = target && certs.length ? verifyingPolicy(ctx.snapshot, target.service, target.port, certs) : null;
      if (vp && target) {
        // Every route rule that uses the Backend goes to the Service instead, where the policy applies.
        const byRoute = new Map<RouteObject, Array<{ rule: number; index: number; ref: Record<string, unknown> }>>();
        for (const route of ctx.model.routes) {
          for (const rb of route.backends) {
            if (rb.type !== 'envoy-backend' || !rb.envoyBackend?.found || rb.envoyBackend.obj !== b) continue;
            const ref = routeToServiceRef(rawBackendRef(route.obj, rb.rule, rb.index), target.service, target.port, route.obj.meta.namespace);
            byRoute.set(route.obj, [...(byRoute.get(route.obj) ?? []), { rule: rb.rule, index: rb.index, ref }]);
          }
        }
        const crossNs = [...byRoute.keys()].some((r) => r.meta.namespace !== target.service.meta.namespace);
        if (!crossNs) {
          const patches = [...byRoute].map(([route, repl]) => routeBackendRefsPatch(route, repl));
          const tofu = trustOnFirstUse(vp.anchors);
          fixes.push(
            fix(`verify instead of skipping: ${vp.title}, and send ${[...byRoute.keys()].map((r) => `${r.kind} ${r.meta.name}`).join(', ')} to Service ${target.service.meta.name}`, [...vp.docs, ...patches], {
              note: [`${POLICY_V1_NOTE} Backend ${b.meta.namespace}/${b.meta.name} is then unused; delete it yourself (fixes never delete). ${FORCE_NOTE}`, tofu.note].filter(Boolean).join(' '),
              suggestion: tofu.suggestion,
            }),
          );
        }
      }
      const endpoints = b.endpoints.map((x) => (x.fqdn ? `${x.fqdn.hostname}:${x.fqdn.port ?? '?'}` : x.ip ? `${x.ip.address}:${x.ip.port ?? '?'}` : (x.unix?.path ?? '?')));
      const known = certs.length > 0 && e.service;
      ctx.report({
        object: b,
        field: 'spec.tls.insecureSkipVerify',
        message: `Envoy Gateway Backend ${b.meta.namespace}/${b.meta.name} sets tls.insecureSkipVerify: true: ${sender(first.gateway)} encrypts traffic to ${endpoints.join(', ') || 'its endpoints'} but accepts any certificate, so whoever can intercept that traffic can impersonate the backend. ${
          known ? `The backend's certificate is known (${certs.map(describeCertificate).join(' / ')}): verify it with a BackendTLSPolicy on ${portLabel(e.service!, e.port)} that trusts it — a self-signed certificate verifies once it is itself in ca.crt.` : 'Verify it instead: a BackendTLSPolicy on the Service (or the Backend\'s tls.caCertificateRefs) trusting the CA that issued the backend certificate, or the self-signed certificate itself.'
        }`,
        evidence: [`spec.tls.insecureSkipVerify: true`, ...e.facts, ...uses.map((u) => `used by ${u.hop.attachment.route.obj.kind} ${u.hop.attachment.route.obj.meta.namespace}/${u.hop.attachment.route.obj.meta.name}`)],
        fixes,
        ...at(first),
      });
    }
  },
};
