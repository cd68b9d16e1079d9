import type { BaseObject } from '../../cluster/objects.ts';
import type { Fix } from '../../report/types.ts';
import type { Rule } from '../types.ts';
import { tlsTargetGroupFix } from './fixes.ts';
import { at, evidenceOf, hopUses, portLabel, sender } from './hops.ts';

export const btls002: Rule = {
  meta: {
    code: 'GWTLS-BTLS-002',
    severity: 'warning',
    title: 'Gateway originates TLS to a backend that looks plaintext',
    inputs: ['Gateway', 'GatewayClass', 'Service', 'BackendTLSPolicy'],
    description:
      'The gateway (a BackendTLSPolicy, an Envoy Gateway Backend with tls, or a TLS target group on AWS) opens TLS to a backend whose port is named or typed as plain HTTP and whose pods mount no serving certificate. If the backend really speaks plaintext, every connection fails (Envoy logs WRONG_VERSION_NUMBER; AWS target health checks and handshakes fail). With inspect --probe, a probe of the backend port that gets a plaintext answer makes this an error.',
  },
  check(ctx) {
    for (const u of hopUses(ctx.model)) {
      const { hop, gateway: gm } = u;
      if (hop.tls.tls.mode !== 'tls' || hop.backend.resolved === false) continue;
      const e = evidenceOf(ctx.model, hop);
      if (e.speaks !== 'plaintext' || !e.service || !e.port) continue;
      const route = hop.attachment.route.obj;
      const object: BaseObject = hop.tls.policy?.policy ?? hop.tls.envoyBackend ?? hop.tls.targetGroup?.tgc ?? route;
      const fixes: Fix[] = [];
      if (gm.impl.dataPlane === 'load-balancer' && hop.tls.targetGroup) {
        // Trading encryption away is the user's call: a suggestion, never applied by --apply.
        const f = tlsTargetGroupFix(ctx.snapshot, e.service, hop.tls.targetGroup, gm.impl, route, gm.impl.id === 'aws-lbc-alb' ? 'HTTP' : 'TCP');
        if (f) fixes.push({ ...f, type: 'suggestion', note: `Only if the backend really serves plaintext: traffic from the load balancer to the pods is then unencrypted. ${f.note ?? ''}`.trim() });
      }
      const who = gm.impl.dataPlane === 'load-balancer' ? `The load balancer (${gm.impl.name})` : sender(gm);
      const proven = e.strength === 'probe' && e.observed;
      ctx.report({
        object,
        severity: proven ? 'error' : 'warning',
        message: proven
          ? `${who} opens TLS to ${portLabel(e.service, e.port)} (${hop.tls.tls.by}), but it speaks plaintext: a probe of ${e.observed!.where} got ${e.observed!.protocol ?? 'a non-TLS answer'} in reply to a ClientHello. Every connection fails (Envoy: "TLS error: … WRONG_VERSION_NUMBER"). Remove the TLS origination, or point the route at the port where the backend serves TLS.`
          : `${who} opens TLS to ${portLabel(e.service, e.port)} (${hop.tls.tls.by}), which looks like plaintext (${e.hints.plaintext.join(', ')}; its pods mount no serving certificate). If it is plaintext, every connection fails (Envoy: "TLS error: … WRONG_VERSION_NUMBER"). Remove the TLS origination, or point the route at the port where the backend serves TLS.`,
        evidence: [...e.facts, `route: ${route.kind} ${route.meta.namespace}/${route.meta.name} -> ${hop.backend.ref.kind} ${hop.backend.ref.namespace}/${hop.backend.ref.name}`],
        fixes,
        ...at(u),
      });
    }
  },
};
