import { fix, FORCE_NOTE, listenerPatch, rawListener } from '../../fixes/builders.ts';
import { describeListener } from '../../graph/listener-sets.ts';
import type { GatewayModel, ListenerModel } from '../../graph/model.ts';
import type { Fix } from '../../report/types.ts';
import { conditionEvidence, listenerCondition } from '../listeners/status.ts';
import { sentence } from '../listeners/words.ts';
import type { Rule } from '../types.ts';
import { listenerField, listenerLabel } from '../util.ts';
import { gatewayLabel } from './words.ts';

/** A port no listener of the Gateway's merged list uses, near the usual ones for the protocol. */
function freePort(gm: GatewayModel, lm: ListenerModel): number {
  const used = new Set(gm.listeners.map((l) => l.spec.port));
  const start = lm.spec.protocol === 'HTTP' ? 8080 : lm.spec.protocol === 'HTTPS' || lm.spec.protocol === 'TLS' ? 8443 : lm.spec.port + 1;
  let p = start;
  while (used.has(p) && p < 65535) p++;
  return p;
}

function moveSuggestion(gm: GatewayModel, lm: ListenerModel): Fix[] {
  const owner = lm.set!.obj;
  const raw = rawListener(owner, lm.spec);
  const port = freePort(gm, lm);
  raw.port = port;
  return [
    fix(`move listener ${lm.spec.name} of ${owner.kind} ${owner.meta.namespace}/${owner.meta.name} to port ${port}, which no listener of the Gateway uses`, [listenerPatch(owner, raw)], {
      suggestion: true,
      note: `${FORCE_NOTE} Clients must then connect to port ${port}, and the Gateway's address must expose it (a load balancer listener, a Service port). Keeping port ${lm.spec.port} needs a distinct hostname instead, which only the owners of the two listeners can agree on.`,
    }),
  ];
}

export const ls003: Rule = {
  meta: {
    code: 'GWTLS-LS-003',
    severity: 'error',
    title: 'ListenerSet listener conflicts with a listener of higher precedence',
    inputs: ['Gateway', 'GatewayClass', 'ListenerSet'],
    description:
      'A Gateway merges its own listeners and those of the ListenerSets it admits into one list, in this precedence: the Gateway\'s listeners, then ListenerSets by creation time (oldest first), then by namespace/name (GEP-1713). A ListenerSet listener that is not distinct from one earlier in that list (same port and protocol and hostname: HostnameConflict; TCP beside HTTP, HTTPS or TLS on one port: ProtocolConflict) gets Conflicted=True, Accepted=False and Programmed=False, and serves nothing; the earlier listener keeps working. A ListenerSet none of whose listeners is left is not accepted at all (GWTLS-LS-004).',
  },
  check(ctx) {
    for (const gm of ctx.model.gateways) {
      for (const lsm of gm.listenerSets) {
        if (lsm.admission.allowed !== true) continue;
        for (const lm of lsm.listeners) {
          const observed = listenerCondition(lm, 'Conflicted');
          const says = observed?.status === 'True' && !observed.stale;
          if (!lm.conflict && !says) continue;
          const why = lm.conflict
            ? `it conflicts with ${describeListener(lm.conflict.with)}, which comes first in the Gateway's merged listener list (${lm.conflict.with.set ? `an older ${lm.conflict.with.set.obj.kind}, or one earlier by namespace/name` : 'the Gateway\'s own listeners come first'}): ${lm.conflict.why} (${lm.conflict.reason})`
            : `the controller reports Conflicted=True (${observed!.reason ?? 'no reason'}${observed!.message ? `: ${observed!.message}` : ''})`;
          ctx.report({
            object: lsm.obj,
            field: listenerField(lm),
            message: sentence(`${listenerLabel(lm)} on ${gatewayLabel(lsm)} is refused: ${why}. It serves nothing; routes attached to it get no traffic until the conflict is gone (the earlier listener keeps its traffic).`),
            evidence: [
              `${listenerField(lm)}: ${lm.spec.protocol} port ${lm.spec.port}${lm.spec.hostname ? `, hostname ${lm.spec.hostname}` : ''}`,
              ...(lm.conflict ? [`wins: ${describeListener(lm.conflict.with)}`] : []),
              ...(observed?.status === 'True' ? [conditionEvidence(lm, observed)] : []),
            ],
            fixes: moveSuggestion(gm, lm),
            listener: lm,
          });
        }
      }
    }
  },
};
