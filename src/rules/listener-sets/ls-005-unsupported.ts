import { fix, FORCE_NOTE, listenerPatch, rawListener } from '../../fixes/builders.ts';
import type { ListenerSetModel } from '../../graph/model.ts';
import { isAwsLbc } from '../../graph/providers/aws-lbc.ts';
import type { Fix } from '../../report/types.ts';
import { isCrdDefault } from '../platform/conditions.ts';
import type { Rule } from '../types.ts';
import { listenerSetSupport } from './support.ts';
import { gatewayLabel, setLabel, statusEvidence } from './words.ts';

const LBC_CAUSES =
  'On the AWS Load Balancer Controller: ListenerSets are read from v3.2.0; from v3.3.0 only while --feature-gates GatewayListenerSet is on (the default); v3.5.0 turns it off at start when the cluster does not serve gateway.networking.k8s.io/v1 ListenerSet (the Gateway API v1.5+ CRDs), and restarting the controller after installing them turns it back on.';

/** Its listeners on the Gateway itself, when the set lives beside the Gateway and no name clashes: routes then name the Gateway. */
function onGateway(lsm: ListenerSetModel): Fix[] {
  const gw = lsm.gateway.obj;
  if (lsm.obj.meta.namespace !== gw.meta.namespace || lsm.obj.listeners.length === 0) return [];
  const names = new Set(gw.listeners.map((l) => l.name));
  if (lsm.obj.listeners.some((l) => names.has(l.name))) return [];
  const docs = lsm.obj.listeners.map((l) => listenerPatch(gw, rawListener(lsm.obj, l)));
  return [
    fix(`define the listeners of ${lsm.obj.kind} ${lsm.obj.meta.name} (${lsm.obj.listeners.map((l) => l.name).join(', ')}) on Gateway ${gw.meta.namespace}/${gw.meta.name} itself`, docs, {
      suggestion: true,
      note: `${FORCE_NOTE} Routes that name the ${lsm.obj.kind} must then name the Gateway (with the same sectionName); delete the ${lsm.obj.kind} afterwards.`,
    }),
  ];
}

export const ls005: Rule = {
  meta: {
    code: 'GWTLS-LS-005',
    severity: 'error',
    title: 'The Gateway\'s implementation does not read this ListenerSet',
    inputs: ['Gateway', 'GatewayClass', 'ListenerSet'],
    description:
      'Not every implementation reads ListenerSets, and those that do read the Standard ListenerSet (gateway.networking.k8s.io/v1, Gateway API v1.5+), not the Experimental XListenerSet of v1.3/v1.4. A GatewayClass whose status.supportedFeatures omits ListenerSet, an implementation whose source or conformance report says it does not support them, or a ListenerSet still carrying the CRD\'s "Waiting for controller" status while its Gateway has been reconciled: its listeners are never served, whatever the Gateway admits.',
  },
  check(ctx) {
    for (const gm of ctx.model.gateways) {
      const gwAccepted = gm.obj.conditions.find((c) => c.type === 'Accepted');
      const gatewayReconciled = gwAccepted !== undefined && !gwAccepted.stale && !isCrdDefault(gwAccepted);
      for (const lsm of gm.listenerSets) {
        const support = listenerSetSupport(gm, lsm.obj.kind);
        const accepted = lsm.obj.conditions.find((c) => c.type === 'Accepted');
        const waiting = gatewayReconciled && accepted !== undefined && isCrdDefault(accepted);
        if (support?.supported !== false && !waiting) continue;
        const cause =
          support?.supported === false
            ? support.why
            : `its status is still the CRD's default (Accepted=Unknown, Pending, "Waiting for controller") although the controller of ${gatewayLabel(lsm)} has reconciled the Gateway: the controller does not read ${lsm.obj.kind}s${lsm.obj.kind === 'XListenerSet' ? ' (the Experimental kind of Gateway API v1.3/v1.4; implementations of v1.5 and later read ListenerSet v1)' : ''}, or does not watch this namespace`;
        ctx.report({
          object: lsm.obj,
          field: lsm.obj.kind === 'XListenerSet' ? 'kind' : 'spec.parentRef',
          message: `${gm.impl.id === 'generic' ? `The controller of GatewayClass ${gm.obj.className}` : gm.impl.name} does not serve ${setLabel(lsm.obj)} on ${gatewayLabel(lsm)}: ${cause}. Its listeners (${lsm.obj.listeners.map((l) => l.name).join(', ') || 'none'}) are not served and routes that name it attach nowhere; put them on the Gateway itself, or use an implementation that supports ListenerSets.${isAwsLbc(gm.impl) ? ` ${LBC_CAUSES}` : ''}`,
          evidence: [`GatewayClass ${gm.obj.className}: ${gm.impl.name}${gm.features.length ? `, supportedFeatures: ${gm.features.includes('ListenerSet') ? 'ListenerSet listed' : 'ListenerSet not listed'}` : ''}`, ...statusEvidence(lsm.obj)],
          fixes: onGateway(lsm),
          gateway: gm,
        });
      }
    }
  },
};
