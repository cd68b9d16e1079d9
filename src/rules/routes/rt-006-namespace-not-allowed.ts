import { fix, FORCE_NOTE, listenerPatch, rawListener } from '../../fixes/builders.ts';
import type { Rule } from '../types.ts';
import { listenerField, listenerLabel, listenerOwner } from '../util.ts';

export const rt006: Rule = {
  meta: {
    code: 'GWTLS-RT-006',
    severity: 'error',
    title: 'Route namespace not allowed by the listener',
    inputs: ['Gateway', 'Namespace', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'],
    description: 'allowedRoutes.namespaces.from defaults to Same: only routes in the Gateway\'s namespace attach. Routes elsewhere need from: All, or from: Selector with a selector their Namespace\'s labels match. No ReferenceGrant is involved in route-to-Gateway attachment.',
  },
  check(ctx) {
    for (const g of ctx.model.gateways) {
      for (const lm of g.listeners) {
        for (const a of lm.attachments) {
          const r = a.result;
          if (r.accepted || !r.kindAllowed || r.namespaceAllowed !== false) continue;
          // Only report where the namespace is what stops the route (not when another listener took it).
          if (a.parent.accepted) continue;
          const routeNs = a.route.obj.meta.namespace;
          const current = lm.spec.allowedRoutes;
          const fixes = [];
          const selector = current.from === 'Selector' ? current.selector : undefined;
          if (selector && selector.matchExpressions.length === 0 && Object.keys(selector.matchLabels).length > 0) {
            // The listener already selects namespaces by label: label this one rather than widen the selector.
            fixes.push(
              fix(`label namespace ${routeNs} so listener ${lm.spec.name} selects it`, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: routeNs, labels: { ...selector.matchLabels } } }], {
                note: `Equivalent to: kubectl label namespace ${routeNs} ${Object.entries(selector.matchLabels).map(([k, v]) => `${k}=${v}`).join(' ')}`,
              }),
            );
          } else if (current.from === 'Same') {
            const raw = rawListener(listenerOwner(lm), lm.spec);
            const ar = (raw.allowedRoutes ?? {}) as Record<string, unknown>;
            raw.allowedRoutes = {
              ...ar,
              namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...new Set([listenerOwner(lm).meta.namespace, routeNs])].sort() }] } },
            };
            fixes.push(
              fix(`admit routes from namespace ${routeNs} on listener ${lm.spec.name} (and keep ${listenerOwner(lm).meta.namespace})`, [listenerPatch(listenerOwner(lm), raw)], {
                note: `${FORCE_NOTE} Selecting by the kubernetes.io/metadata.name label, which the API server sets on every namespace, admits exactly these namespaces.`,
              }),
            );
          }
          ctx.report({
            object: a.route.obj,
            field: `spec.parentRefs[${a.parent.index}]`,
            message: `${a.route.obj.kind} ${routeNs}/${a.route.obj.meta.name} is in namespace ${routeNs}, which ${listenerLabel(lm)} does not admit: ${r.why.replace(/^.*?: /, '')}.`,
            evidence: [`${listenerField(lm, 'allowedRoutes.namespaces')}: from ${current.from}`],
            fixes,
            gateway: g,
            listener: lm,
          });
        }
      }
    }
  },
};
