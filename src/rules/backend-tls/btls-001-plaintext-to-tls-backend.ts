import { fix, FORCE_NOTE } from '../../fixes/builders.ts';
import { rawBackendRef, routeBackendRefPatch } from '../backends/uses.ts';
import type { Fix } from '../../report/types.ts';
import type { Rule } from '../types.ts';
import { caSkeleton, POLICY_V1_NOTE, routeToServiceRef, tlsTargetGroupFix, trustOnFirstUse, verifyingPolicy } from './fixes.ts';
import { misTargeted } from './btls-004-policy-wrong-target.ts';
import { at, evidenceOf, hopUses, portLabel, sender } from './hops.ts';
import { describeCertificate, servingCertificates } from './trust.ts';

export const btls001: Rule = {
  meta: {
    code: 'GWTLS-BTLS-001',
    severity: 'error',
    title: 'Backend speaks TLS but the gateway sends plaintext',
    inputs: ['Gateway', 'GatewayClass', 'Service', 'BackendTLSPolicy'],
    description:
      'The backend serves TLS on the port the route uses (its pods mount a serving certificate, or the port is named or typed https/tls), but nothing makes the gateway open TLS to it: no BackendTLSPolicy (proxies such as Envoy Gateway), no Backend tls settings (Envoy Gateway), no TLS target group (AWS Load Balancer Controller). The backend receives cleartext and drops the connection or answers 400 "The plain HTTP request was sent to HTTPS port". With inspect --probe, a TLS handshake with the backend port proves it.',
  },
  check(ctx) {
    for (const u of hopUses(ctx.model)) {
      const { hop, gateway: gm } = u;
      // Unresolved backends are GWTLS-BE-*; policies the implementation ignores or that miss the port are GWTLS-BTLS-005/004.
      if (hop.tls.tls.mode !== 'none' || hop.backend.resolved === false) continue;
      if ((gm.impl.supportsBackendTLSPolicy === false && hop.tls.ignoredPolicies.length > 0) || misTargeted(hop).length > 0) continue;
      const e = evidenceOf(ctx.model, hop);
      if (e.speaks !== 'tls' || !e.service || !e.port) continue;
      const svc = e.service;
      const port = e.port;
      const proven = e.strength === 'certificate' || e.strength === 'probe';
      const served = servingCertificates(e, false);
      const route = hop.attachment.route.obj;
      const b = hop.backend;
      const fixes: Fix[] = [];
      if (gm.impl.dataPlane === 'load-balancer') {
        const f = hop.tls.targetGroup ? tlsTargetGroupFix(ctx.snapshot, svc, hop.tls.targetGroup, gm.impl, route) : null;
        if (f) fixes.push(f);
      } else if (gm.impl.supportsBackendTLSPolicy !== false) {
        const vp = proven ? verifyingPolicy(ctx.snapshot, svc, port, served) : null;
        const tofu = vp ? trustOnFirstUse(vp.anchors) : { suggestion: false };
        const notes = (...n: Array<string | undefined>) => n.filter(Boolean).join(' ');
        if (vp && b.type === 'service') fixes.push(fix(vp.title, vp.docs, { note: notes(POLICY_V1_NOTE, tofu.note), suggestion: tofu.suggestion }));
        if (vp && b.type === 'envoy-backend') {
          const ref = routeToServiceRef(rawBackendRef(route, b.rule, b.index), svc, port, route.meta.namespace);
          const patch = routeBackendRefPatch(route, b.rule, b.index, ref);
          fixes.push(fix(`send rule ${b.rule} of ${route.kind} ${route.meta.name} to ${svc.meta.name} itself and ${vp.title}`, [...vp.docs, patch], { note: notes(POLICY_V1_NOTE, FORCE_NOTE, tofu.note), suggestion: tofu.suggestion }));
        }
        // The CA is not known: the policy and its CA bundle as a skeleton that names what is missing.
        if (!vp && b.type === 'service') fixes.push(caSkeleton(ctx.snapshot, svc, port, served));
      }
      const cert = served[0];
      const how =
        e.strength === 'probe' && e.observed
          ? `a probe of ${e.observed.where} completed a TLS handshake${cert ? ` and was served ${describeCertificate(cert)}` : ''}`
          : proven && cert
            ? `its pods mount the serving certificate ${describeCertificate(cert)}`
            : `it looks like it: ${e.hints.tls.join(', ')}`;
      const object = b.type === 'envoy-backend' && b.envoyBackend?.found ? b.envoyBackend.obj : svc;
      const remedy =
        gm.impl.dataPlane === 'load-balancer'
          ? 'Make the target group TLS with a TargetGroupConfiguration (the load balancer will not verify the certificate).'
          : gm.impl.supportsBackendTLSPolicy === false
            ? `${gm.impl.name} does not implement BackendTLSPolicy: configure upstream TLS with its own settings.`
            : 'Add a BackendTLSPolicy for the Service port that trusts the CA that issued the backend certificate (or the self-signed certificate itself).';
      ctx.report({
        object,
        field: object === svc ? `spec.ports[${svc.ports.indexOf(port)}]` : 'spec.tls',
        severity: proven ? 'error' : 'warning',
        message: `${portLabel(svc, port)} serves TLS — ${how} — but ${gm.impl.dataPlane === 'load-balancer' ? `the load balancer (${gm.impl.name})` : sender(gm)} sends it plaintext (${hop.tls.tls.by}): the backend drops the connection or answers 400 ("The plain HTTP request was sent to HTTPS port"). ${remedy}`,
        evidence: [...e.facts, `route: ${route.kind} ${route.meta.namespace}/${route.meta.name} -> ${b.ref.kind} ${b.ref.namespace}/${b.ref.name}${b.ref.port !== undefined ? `:${b.ref.port}` : ''}`],
        fixes,
        ...at(u),
      });
    }
  },
};
