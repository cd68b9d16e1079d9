import { fix, identity } from '../../fixes/builders.ts';
import type { ListenerSetModel } from '../../graph/model.ts';
import type { Fix } from '../../report/types.ts';
import type { Rule } from '../types.ts';
import { gatewayLabel, setLabel, statusEvidence, written } from './words.ts';

/** Widen the Gateway's allowedListeners just enough to admit the set's namespace; access.ts makes it a suggestion. */
function widen(lsm: ListenerSetModel): Fix[] {
  const gw = lsm.gateway.obj;
  const ns = lsm.obj.meta.namespace;
  const al = gw.allowedListeners;
  const from = al?.from ?? 'None';
  const patch = (namespaces: object, title: string) => fix(title, [{ ...identity(gw), spec: { gatewayClassName: gw.className, allowedListeners: { namespaces } } }], { note: 'The Gateway then merges the ListenerSet\'s listeners into its own: they share its addresses and must not conflict with its listeners (GEP-1713 precedence).' });
  if (from === 'Selector' && al?.selector) {
    const sel = al.selector;
    if (sel.matchExpressions.length > 0 || Object.keys(sel.matchLabels).length === 0) return [];
    // The Gateway already selects namespaces by label: label this one rather than widen the selector.
    return [fix(`label namespace ${ns} so that Gateway ${gw.meta.namespace}/${gw.meta.name} admits its ListenerSets`, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { ...sel.matchLabels } } }], { note: `Equivalent to: kubectl label namespace ${ns} ${Object.entries(sel.matchLabels).map(([k, v]) => `${k}=${v}`).join(' ')}` })];
  }
  if (from !== 'None' && from !== 'Same') return [];
  if (ns === gw.meta.namespace) return [patch({ from: 'Same' }, `let Gateway ${gw.meta.namespace}/${gw.meta.name} admit ListenerSets of its own namespace (allowedListeners from Same)`)];
  const values = [...new Set([...(from === 'Same' ? [gw.meta.namespace] : []), ns])].sort();
  return [
    patch(
      { from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values }] } },
      `let Gateway ${gw.meta.namespace}/${gw.meta.name} admit ListenerSets of namespace ${ns}${from === 'Same' ? ` (and keep ${gw.meta.namespace})` : ''}`,
    ),
  ];
}

export const ls001: Rule = {
  meta: {
    code: 'GWTLS-LS-001',
    severity: 'error',
    title: 'ListenerSet not allowed by its Gateway (allowedListeners)',
    inputs: ['Gateway', 'ListenerSet', 'Namespace'],
    description:
      'A Gateway merges a ListenerSet\'s listeners only when its spec.allowedListeners.namespaces admits the ListenerSet\'s namespace: None (the default when allowedListeners is unset) admits nothing, Same only the Gateway\'s namespace, Selector the namespaces whose labels match, All every namespace. A ListenerSet it does not admit gets Accepted=False with reason NotAllowed; none of its listeners is served and routes that name it attach nowhere.',
  },
  check(ctx) {
    for (const gm of ctx.model.gateways) {
      for (const lsm of gm.listenerSets) {
        const observed = written(lsm.obj, 'Accepted');
        const says = observed?.status === 'False' && observed.reason === 'NotAllowed';
        if (lsm.admission.allowed !== false && !says) continue;
        const fixes = lsm.admission.allowed === false ? widen(lsm) : [];
        ctx.report({
          object: lsm.obj,
          field: 'spec.parentRef',
          message: `${setLabel(lsm.obj)} asks to attach to ${gatewayLabel(lsm)}, which does not admit it: ${lsm.admission.allowed === false ? lsm.admission.why : `the controller says NotAllowed${observed?.message ? ` (${observed.message})` : ''}`}. None of its listeners${lsm.obj.listeners.length ? ` (${lsm.obj.listeners.map((l) => l.name).join(', ')})` : ''} is served, and routes that name it attach nowhere. The Gateway's owner widens spec.allowedListeners to admit it, or the ListenerSet moves to a namespace the Gateway admits.`,
          evidence: [`Gateway ${gm.obj.meta.namespace}/${gm.obj.meta.name} spec.allowedListeners.namespaces.from: ${gm.obj.allowedListeners?.from ?? '(unset: None)'}`, ...statusEvidence(lsm.obj)],
          fixes,
          gateway: gm,
        });
      }
    }
  },
};
