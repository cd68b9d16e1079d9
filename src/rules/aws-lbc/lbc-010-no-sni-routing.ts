import type { Rule } from '../types.ts';
import { listenerField, listenerLabel, listenerOwner } from '../util.ts';

export const lbc010: Rule = {
  meta: {
    code: 'GWTLS-LBC-010',
    severity: 'info',
    title: 'The NLB does not route or filter by SNI',
    inputs: ['Gateway', 'GatewayClass', 'TLSRoute'],
    description:
      'Gateway API says a TLS listener hostname must match the client\'s SNI, but an AWS NLB has no SNI routing: every connection to the port reaches the same target group. The hostnames only pick among the listener\'s certificates (and feed ACM discovery and external-dns); a client asking for another name gets the default certificate, not a refusal. On a passthrough (TCP) listener the NLB does not even read the SNI.',
  },
  check(ctx) {
    for (const g of ctx.model.gateways) {
      if (g.impl.id !== 'aws-lbc-nlb') continue;
      for (const lm of g.listeners) {
        if (lm.kinds.unsupportedProtocol) continue;
        const routeNames = lm.attachments.filter((a) => a.result.accepted && a.route.obj.kind === 'TLSRoute').flatMap((a) => a.route.obj.hostnames);
        const names = [...new Set([...(lm.spec.hostname ? [lm.spec.hostname] : []), ...routeNames])];
        if (names.length === 0) continue;
        const passthrough = lm.spec.protocol === 'TLS' && lm.spec.tls?.mode === 'Passthrough';
        ctx.report({
          object: listenerOwner(lm),
          field: listenerField(lm, lm.spec.hostname ? 'hostname' : undefined),
          message: passthrough
            ? `${listenerLabel(lm)} names ${names.join(', ')}, but the NLB forwards this port over TCP without reading the SNI: every client reaches the same pods whatever name it asks for, and the pods' certificate decides what a client sees. The hostnames serve DNS only.`
            : `${listenerLabel(lm)} names ${names.join(', ')}, but the NLB does not route or refuse by SNI: every client reaching port ${lm.spec.port} gets the same target group, and the SNI only picks among the listener's certificates. A client asking for another name gets the default certificate and a name mismatch, not a refusal; do not rely on hostnames to separate traffic on one NLB port.`,
          evidence: ['AWS Load Balancer Controller docs/guide/gateway/l4gateway.md: the NLB has no SNI routing; TLSRoutes behave like TCPRoutes'],
          gateway: g,
          listener: lm,
        });
      }
    }
  },
};
