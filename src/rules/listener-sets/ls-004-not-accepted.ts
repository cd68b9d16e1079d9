import { listenerInvalidity } from '../../graph/listener-sets.ts';
import type { ListenerSetModel } from '../../graph/model.ts';
import { classBlocks } from '../platform/plat-003-gatewayclass.ts';
import type { Rule } from '../types.ts';
import { gatewayLabel, setLabel, statusEvidence, written } from './words.ts';

/** Why the set is not accepted, from the model (files and clusters alike) or from what the controller wrote. */
function verdict(lsm: ListenerSetModel, statusTrusted: boolean): { reason: string; why: string; observed: boolean } | undefined {
  const e = lsm.expected;
  if (e.accepted === false && (e.reason === 'ListenersNotValid' || e.reason === 'ParentNotAccepted')) return { reason: e.reason, why: e.why, observed: false };
  // A class that is itself not accepted explains every status below it (GWTLS-PLAT-003).
  if (!statusTrusted) return undefined;
  const accepted = written(lsm.obj, 'Accepted');
  // NotAllowed is GWTLS-LS-001's.
  if (accepted?.status === 'False' && accepted.reason !== 'NotAllowed') return { reason: accepted.reason ?? 'no reason', why: `the controller says so${accepted.message ? ` ("${accepted.message}")` : ''}${e.accepted ? ', although the objects show no cause: believe the controller, and look at its listener status' : ''}`, observed: true };
  const programmed = written(lsm.obj, 'Programmed');
  if (accepted?.status === 'True' && programmed?.status === 'False') return { reason: programmed.reason ?? 'no reason', why: `it is accepted but not programmed${programmed.message ? ` ("${programmed.message}")` : ''}: the data plane does not serve its listeners yet`, observed: true };
  return undefined;
}

export const ls004: Rule = {
  meta: {
    code: 'GWTLS-LS-004',
    severity: 'error',
    title: 'ListenerSet not accepted (no valid listener, or its Gateway not accepted)',
    inputs: ['Gateway', 'GatewayClass', 'ListenerSet', 'Secret', 'ReferenceGrant'],
    description:
      'A ListenerSet is Accepted when at least one of its listeners is valid. When none is (every listener conflicted, refused for its certificateRefs, or serving no route kind), it gets Accepted=False and Programmed=False with reason ListenersNotValid; when its Gateway is not accepted, ParentNotAccepted. It is then not counted in the Gateway\'s status.attachedListenerSets and serves nothing. The per-listener findings say what to repair.',
  },
  check(ctx) {
    for (const gm of ctx.model.gateways) {
      const statusTrusted = !classBlocks(ctx, gm);
      for (const lsm of gm.listenerSets) {
        if (lsm.admission.allowed === false) continue;
        const v = verdict(lsm, statusTrusted);
        if (!v) continue;
        const invalid = lsm.listeners.map((l) => ({ l, why: listenerInvalidity(l) })).filter((x) => x.why);
        ctx.report({
          object: lsm.obj,
          field: 'status.conditions',
          message: `${setLabel(lsm.obj)} on ${gatewayLabel(lsm)} is not accepted (${v.reason}): ${v.why}. ${v.reason === 'ParentNotAccepted' ? 'Repair the Gateway first (GWTLS-GW-001).' : 'None of its listeners is served until one of them is valid; the findings on each listener say what to repair.'}`,
          evidence: [...invalid.map((x) => `spec.listeners[${x.l.spec.index}] ${x.l.spec.name}: ${x.why}`), ...statusEvidence(lsm.obj), `Gateway status.attachedListenerSets: ${gm.obj.attachedListenerSets ?? 'not written'}`],
          gateway: gm,
        });
      }
    }
  },
};
