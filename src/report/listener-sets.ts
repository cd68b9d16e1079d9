// ListenerSets in the report (GEP-1713): each listener's origin, the precedence conflict that refuses it, and per
// Gateway its allowedListeners, the ListenerSets that name it and what a conformant controller writes on them.
import { describeSelector } from '../graph/selectors.ts';
import type { GatewayModel, ListenerModel, ListenerSetModel } from '../graph/model.ts';
import type { Finding, GatewayReport, ListenerOrigin, ListenerReport, ListenerSetReport } from './types.ts';

export function listenerOrigin(lm: ListenerModel): ListenerOrigin {
  const o = lm.set?.obj ?? lm.gateway.obj;
  return { kind: o.kind, namespace: o.meta.namespace, name: o.meta.name };
}

/** `ns/name` of the ListenerSet that defines the listener, as findings carry it; '' for the Gateway's own. */
export function listenerSetKey(lm: ListenerModel): string {
  return lm.set ? `${lm.set.obj.meta.namespace}/${lm.set.obj.meta.name}` : '';
}

/** Whether a finding of the listener's Gateway is about this listener (names repeat across a Gateway and its ListenerSets). */
export function findingOfListener(f: Finding, lm: ListenerModel): boolean {
  return f.listener === lm.spec.name && (f.listenerSet ?? '') === listenerSetKey(lm);
}

/** The ListenerSet fields of a listener's report. */
export function listenerSetFields(lm: ListenerModel): Pick<ListenerReport, 'origin' | 'conflict'> {
  const out: Pick<ListenerReport, 'origin' | 'conflict'> = { origin: listenerOrigin(lm) };
  if (lm.conflict) out.conflict = { reason: lm.conflict.reason, why: lm.conflict.why, with: { name: lm.conflict.with.spec.name, origin: listenerOrigin(lm.conflict.with) } };
  return out;
}

function setReport(lsm: ListenerSetModel): ListenerSetReport {
  const e = lsm.expected;
  const expectedConditions: ListenerSetReport['expectedConditions'] = [];
  if (e.accepted !== null) {
    expectedConditions.push({ type: 'Accepted', status: e.accepted ? 'True' : 'False', reason: e.reason });
    // Programmed=True needs a data plane; a refused set is never programmed (conformance: same reason as Accepted).
    if (!e.accepted) expectedConditions.push({ type: 'Programmed', status: 'False', reason: e.reason });
  }
  return {
    kind: lsm.obj.kind,
    apiVersion: lsm.obj.apiVersion,
    name: lsm.obj.meta.name,
    namespace: lsm.obj.meta.namespace,
    precedence: lsm.precedence,
    admitted: lsm.admission.allowed,
    admission: lsm.admission.why,
    accepted: e.accepted,
    reason: e.reason,
    why: e.why,
    expectedConditions,
    conditions: lsm.obj.conditions,
    listeners: lsm.obj.listeners.map((l) => l.name),
  };
}

/** The ListenerSet fields of a Gateway's report (none when the Gateway neither admits nor is named by any). */
export function gatewayListenerSetFields(g: GatewayModel): Pick<GatewayReport, 'allowedListeners' | 'attachedListenerSets' | 'expectedAttachedListenerSets' | 'listenerSets'> {
  const out: Pick<GatewayReport, 'allowedListeners' | 'attachedListenerSets' | 'expectedAttachedListenerSets' | 'listenerSets'> = {};
  const al = g.obj.allowedListeners;
  if (!al && g.listenerSets.length === 0 && g.obj.attachedListenerSets === null) return out;
  out.allowedListeners = al ? { from: al.from, ...(al.selector ? { selector: describeSelector(al.selector) } : {}) } : { from: 'None' };
  out.attachedListenerSets = g.obj.attachedListenerSets;
  out.expectedAttachedListenerSets = g.listenerSets.filter((s) => s.expected.accepted === true).length;
  if (g.listenerSets.length) out.listenerSets = g.listenerSets.map(setReport);
  return out;
}
