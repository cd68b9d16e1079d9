import { fix, FORCE_NOTE, identity } from '../../fixes/builders.ts';
import { admitListenerSet } from '../../graph/listener-sets.ts';
import type { Fix } from '../../report/types.ts';
import type { Rule } from '../types.ts';
import { setLabel } from './words.ts';

export const ls002: Rule = {
  meta: {
    code: 'GWTLS-LS-002',
    severity: 'error',
    title: 'ListenerSet parentRef names no Gateway',
    inputs: ['Gateway', 'ListenerSet'],
    description:
      'A ListenerSet attaches its listeners to the one Gateway its spec.parentRef names (group gateway.networking.k8s.io, kind Gateway, the ListenerSet\'s namespace unless parentRef.namespace says otherwise). When no such Gateway exists, or the parentRef names another kind, no controller takes the ListenerSet up: its listeners are served nowhere and it gets no status.',
  },
  check(ctx) {
    for (const orphan of ctx.model.orphanListenerSets) {
      const { obj: ls, parent } = orphan;
      if (parent.found || !parent.known) continue;
      const p = ls.parentRef;
      const fixes: Fix[] = [];
      const others = ctx.snapshot.list('Gateway').filter((g) => g.meta.name === p.name && g.meta.namespace !== p.namespace);
      if (!('notGateway' in parent) && others.length === 1 && admitListenerSet(others[0]!, ls.meta.namespace, ctx.snapshot).allowed === true) {
        const target = others[0]!;
        const raw = structuredClone((((ls.raw.spec ?? {}) as Record<string, unknown>).parentRef ?? {}) as Record<string, unknown>);
        raw.name = target.meta.name;
        raw.namespace = target.meta.namespace;
        fixes.push(fix(`point spec.parentRef at Gateway ${target.meta.namespace}/${target.meta.name}, which admits ListenerSets of namespace ${ls.meta.namespace}`, [{ ...identity(ls), spec: { parentRef: raw } }], { note: FORCE_NOTE }));
      }
      const where = others.map((g) => `${g.meta.namespace}/${g.meta.name}`);
      ctx.report({
        object: ls,
        field: 'spec.parentRef',
        message: `${setLabel(ls)} ${'notGateway' in parent ? parent.why : `names Gateway ${p.namespace}/${p.name}, which does not exist${ctx.snapshot.source.type === 'files' ? ' in the input' : ''}`}: no Gateway serves its listeners (${ls.listeners.map((l) => l.name).join(', ') || 'none'}), and routes that name it attach nowhere.${where.length ? ` A Gateway named ${p.name} exists in ${where.join(', ')}; parentRef.namespace defaults to the ListenerSet's own namespace.` : ''}`,
        evidence: [`spec.parentRef: ${p.kind}.${p.group || 'core'} ${p.namespace}/${p.name}`],
        fixes,
      });
    }
  },
};
