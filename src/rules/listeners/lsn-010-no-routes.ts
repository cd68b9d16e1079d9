import { ROUTE_KINDS } from '../../cluster/kinds.ts';
import type { Snapshot } from '../../cluster/snapshot.ts';
import type { ListenerModel } from '../../graph/model.ts';
import { routeKindList } from '../../graph/providers/index.ts';
import type { Rule } from '../types.ts';
import { gatewayId, listenerField, listenerLabel, listeners, listenerOwner } from '../util.ts';

/**
 * A route that names this listener, that this Gateway rejects outright, or that names this Gateway in a namespace
 * where it does not exist, is explained by the GWTLS-RT-* rules.
 */
function targeted(lm: ListenerModel, snapshot: Snapshot): boolean {
  if (lm.attachments.some((a) => a.result.accepted || !a.parent.accepted || a.parent.ref.sectionName === lm.spec.name || a.parent.ref.port === lm.spec.port)) return true;
  const gw = lm.gateway.obj.meta;
  return ROUTE_KINDS.some((k) =>
    snapshot.list(k).some((r) => r.parentRefs.some((p) => p.name === gw.name && p.namespace !== gw.namespace && (p.sectionName ?? lm.spec.name) === lm.spec.name && !snapshot.get('Gateway', p.namespace, p.name))),
  );
}

function effect(lm: ListenerModel): string {
  const { spec, gateway: gm } = lm;
  if (gm.impl.id === 'aws-lbc-nlb') return `the controller does not even create the NLB listener (it skips listeners without backends), so port ${spec.port} is closed`;
  if (gm.impl.dataPlane === 'load-balancer') return `the load balancer answers every request on port ${spec.port} with an error`;
  if (spec.protocol === 'HTTP' || spec.protocol === 'HTTPS') return `every request on port ${spec.port}${spec.hostname ? ` for ${spec.hostname}` : ''} gets 404`;
  return `connections on port ${spec.port}${spec.hostname ? ` for ${spec.hostname}` : ''} are closed or reset`;
}

export const lsn010: Rule = {
  meta: {
    code: 'GWTLS-LSN-010',
    severity: 'warning',
    title: 'Listener has no route',
    inputs: ['Gateway', 'GatewayClass', ...ROUTE_KINDS],
    description:
      'No route targets the listener at all (routes that target it but are rejected are explained by the GWTLS-RT-* rules). Its port is open for nothing: HTTP requests get 404, TLS and TCP connections are closed; an AWS NLB does not even get the listener.',
  },
  check(ctx) {
    for (const lm of listeners(ctx.model)) {
      if (targeted(lm, ctx.snapshot)) continue;
      const kinds = lm.kinds.allowed;
      if (kinds.length === 0) continue; // nothing could attach: GWTLS-LSN-001 or GWTLS-LSN-003 say why.
      if (lm.routesNotRead) continue; // absent kinds are unknown, not empty: the listener is NOT CHECKED
      const attached = lm.status?.attachedRoutes;
      if (typeof attached === 'number' && attached > 0) continue; // the controller sees routes this input does not hold
      const elsewhere = lm.attachments.filter((a) => a.parent.accepted).map((a) => `${a.route.obj.kind} ${a.route.obj.meta.namespace}/${a.route.obj.meta.name}`);
      ctx.report({
        object: listenerOwner(lm),
        field: listenerField(lm),
        message: `No route attaches to ${listenerLabel(lm)} of Gateway ${gatewayId(lm.gateway)}: ${effect(lm)}. Attach a route (${routeKindList(kinds).replace(/ and (?=[^ ]+$)/, ' or ')}) with parentRefs sectionName ${lm.spec.name}, or remove the listener if it is not needed.`,
        evidence: [
          `accepts ${routeKindList(kinds)} from ${lm.spec.allowedRoutes.from === 'Same' ? `namespace ${listenerOwner(lm).meta.namespace}` : `namespaces (${lm.spec.allowedRoutes.from})`}`,
          ...(elsewhere.length ? [`attached to other listeners of this Gateway instead: ${[...new Set(elsewhere)].join(', ')}`] : []),
          ...(typeof attached === 'number' ? [`status.listeners[${lm.spec.name}].attachedRoutes: ${attached}`] : []),
        ],
        listener: lm,
      });
    }
  },
};
