import type { Rule } from '../types.ts';
import { describeCondition } from './conditions.ts';

export const gw004: Rule = {
  meta: {
    code: 'GWTLS-GW-004',
    severity: 'warning',
    title: 'Gateway status is stale',
    inputs: ['Gateway'],
    description:
      'Conditions carry the generation they were computed for (observedGeneration). When it is behind metadata.generation, the controller has not processed the latest spec: it is lagging, down, or no longer owns the Gateway, and every condition describes an older spec.',
  },
  check(ctx) {
    for (const g of ctx.model.gateways) {
      const stale = [
        ...g.obj.conditions.filter((c) => c.stale).map((c) => describeCondition(c, 'status')),
        ...g.obj.listenerStatus.flatMap((l) => l.conditions.filter((c) => c.stale).map((c) => describeCondition(c, `status.listeners[${l.name}]`))),
      ];
      if (stale.length === 0) continue;
      const observed = Math.min(...[...g.obj.conditions, ...g.obj.listenerStatus.flatMap((l) => l.conditions)].filter((c) => c.stale).map((c) => c.observedGeneration ?? 0));
      ctx.report({
        object: g.obj,
        field: 'status.conditions',
        message: `Gateway ${g.obj.meta.namespace}/${g.obj.meta.name} is at generation ${g.obj.meta.generation}, but its status was written for generation ${observed}: the controller has not processed the latest change (lagging, down, or no longer owning the Gateway), so its conditions describe an older spec and cannot be trusted for diagnosis.`,
        evidence: stale.slice(0, 6),
        gateway: g,
      });
    }
  },
};
