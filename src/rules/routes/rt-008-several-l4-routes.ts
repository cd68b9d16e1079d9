import type { Rule } from '../types.ts';
import { listenerLabel, listenerOwner } from '../util.ts';

export const rt008: Rule = {
  meta: {
    code: 'GWTLS-RT-008',
    severity: 'warning',
    title: 'Several L4 routes on one listener; only one receives traffic',
    inputs: ['Gateway', 'TCPRoute', 'UDPRoute', 'TLSRoute'],
    description: 'TCPRoutes (and UDPRoutes) have nothing to tell connections apart: all of them are Accepted but only the oldest receives traffic (GEP-2644). On an AWS NLB, TLSRoutes behave the same, because the NLB does not route by SNI.',
  },
  check(ctx) {
    for (const g of ctx.model.gateways) {
      for (const lm of g.listeners) {
        const nlb = g.impl.id === 'aws-lbc-nlb';
        const l4 = lm.attachments.filter((a) => a.result.accepted && (a.route.obj.kind === 'TCPRoute' || a.route.obj.kind === 'UDPRoute' || (nlb && a.route.obj.kind === 'TLSRoute')));
        if (l4.length < 2) continue;
        const ordered = [...l4].sort((x, y) => (x.route.obj.meta.creationTimestamp ?? '').localeCompare(y.route.obj.meta.creationTimestamp ?? '') || `${x.route.obj.meta.namespace}/${x.route.obj.meta.name}`.localeCompare(`${y.route.obj.meta.namespace}/${y.route.obj.meta.name}`));
        const winner = ordered[0]!.route.obj;
        ctx.report({
          object: listenerOwner(lm),
          field: `spec.listeners[${lm.spec.index}]`,
          message: `${l4.length} routes attach to ${listenerLabel(lm)}, but only ${winner.kind} ${winner.meta.namespace}/${winner.meta.name} (the oldest) receives traffic; give each route its own listener or port.`,
          evidence: ordered.map((a) => `${a.route.obj.kind} ${a.route.obj.meta.namespace}/${a.route.obj.meta.name} created ${a.route.obj.meta.creationTimestamp ?? 'unknown'}`),
          gateway: g,
          listener: lm,
        });
      }
    }
  },
};
