import type { ListenerSpec, LoadBalancerConfigurationObject } from '../../cluster/objects.ts';
import { fix, FORCE_NOTE, identity } from '../../fixes/builders.ts';
import type { GatewayModel } from '../../graph/model.ts';
import { lbcListenerProtocol } from '../../graph/providers/aws-lbc.ts';
import { lbcListenerKey } from '../../graph/providers/aws-lbc-config.ts';
import type { Fix } from '../../report/types.ts';
import type { Rule, RuleContext } from '../types.ts';

/** Each LoadBalancerConfiguration in effect, with the Gateways it applies to. */
function configsInUse(ctx: RuleContext): Map<LoadBalancerConfigurationObject, GatewayModel[]> {
  const out = new Map<LoadBalancerConfigurationObject, GatewayModel[]>();
  for (const g of ctx.model.gateways) {
    for (const cfg of [g.lbc?.classConfig, g.lbc?.gatewayConfig]) {
      if (!cfg?.lookup?.found) continue;
      const obj = cfg.lookup.obj;
      // A class-level configuration applies to every Gateway of the class.
      const users = cfg === g.lbc?.classConfig ? ctx.model.gateways.filter((x) => x.obj.className === g.obj.className) : [g];
      out.set(obj, [...new Set([...(out.get(obj) ?? []), ...users])]);
    }
  }
  return out;
}

function effective(l: ListenerSpec): string {
  return `${lbcListenerProtocol(l.protocol, l.tls?.mode)}:${l.port}`;
}

function rekey(lbc: LoadBalancerConfigurationObject, index: number, key: string): Fix {
  const entries = structuredClone(((lbc.raw.spec ?? {}) as Record<string, unknown>).listenerConfigurations as Array<Record<string, unknown>>);
  entries[index]!.protocolPort = key;
  return fix(`change protocolPort of listenerConfigurations[${index}] to ${key}`, [{ ...identity(lbc), spec: { listenerConfigurations: entries } }], { note: FORCE_NOTE });
}

export const lbc003: Rule = {
  meta: {
    code: 'GWTLS-LBC-003',
    severity: 'warning',
    title: 'LoadBalancerConfiguration listenerConfigurations entry matches no listener',
    inputs: ['Gateway', 'GatewayClass', 'LoadBalancerConfiguration'],
    description:
      'The AWS Load Balancer Controller applies a listenerConfigurations entry (certificates, SSL policy, ALPN policy) to the load balancer listener whose protocol and port equal its protocolPort, using the effective protocol: since v3.1.0 a TLS listener in Passthrough mode is an NLB TCP listener, so TLS:<port> no longer matches it. An entry that matches nothing is silently ignored.',
  },
  check(ctx) {
    for (const [lbc, gateways] of configsInUse(ctx)) {
      const listeners = gateways.flatMap((g) => g.obj.listeners.map((l) => ({ g, l })));
      const keys = new Set(listeners.map(({ l }) => lbcListenerKey(l)));
      lbc.listenerConfigurations.forEach((entry) => {
        if (keys.has(entry.protocolPort.toLowerCase())) return;
        const port = Number(entry.protocolPort.split(':')[1]);
        const samePort = listeners.filter(({ l }) => l.port === port);
        const fixes: Fix[] = [];
        let why = `no listener of ${gateways.map((g) => `Gateway ${g.obj.meta.namespace}/${g.obj.meta.name}`).join(', ')} has that effective protocol and port (${listeners.map(({ l }) => `${l.name} ${effective(l)}`).join(', ') || 'no listeners'})`;
        const only = samePort.length === 1 ? samePort[0]!.l : undefined;
        if (only && only.protocol === 'TLS' && only.tls?.mode === 'Passthrough' && entry.protocolPort.toUpperCase().startsWith('TLS:')) {
          why = `listener ${only.name} on port ${port} is TLS with mode Passthrough, which AWS Load Balancer Controller v3.1.0 and later build as an NLB TCP listener (key TCP:${port}); a TCP listener takes no certificate, so to terminate TLS at the NLB with this entry set the listener's tls.mode to Terminate (v3.0 and older matched TLS:${port} and terminated anyway)`;
        } else if (only && (only.protocol === 'TLS' || only.protocol === 'HTTPS')) {
          const key = effective(only);
          why = `listener ${only.name} on port ${port} is ${key}`;
          fixes.push(rekey(lbc, entry.index, key));
        } else if (samePort.length === 0) {
          // The entry was written for another port: when exactly one terminating listener has no entry, it is the one meant.
          const entryKeys = new Set(lbc.listenerConfigurations.map((e) => e.protocolPort.toLowerCase()));
          const orphans = listeners.filter(({ l }) => (l.protocol === 'HTTPS' || (l.protocol === 'TLS' && l.tls?.mode !== 'Passthrough')) && !entryKeys.has(lbcListenerKey(l)));
          if (orphans.length === 1) {
            const l = orphans[0]!.l;
            const key = effective(l);
            why += `; listener ${l.name} (${key}) is the only terminating listener without an entry, so the entry was most likely meant for it`;
            fixes.push(rekey(lbc, entry.index, key));
          }
        }
        ctx.report({
          object: lbc,
          field: `spec.listenerConfigurations[${entry.index}].protocolPort`,
          message: `listenerConfigurations[${entry.index}] of LoadBalancerConfiguration ${lbc.meta.namespace}/${lbc.meta.name} is keyed ${entry.protocolPort}, but ${why}: the controller ignores the entry${entry.defaultCertificate ? `, and its certificate ${entry.defaultCertificate} is never used` : ''}.`,
          evidence: [`protocolPort: ${entry.protocolPort}`, ...listeners.map(({ g, l }) => `Gateway ${g.obj.meta.namespace}/${g.obj.meta.name} listener ${l.name}: ${l.protocol}${l.tls ? `/${l.tls.mode}` : ''} port ${l.port} -> key ${effective(l)}`)],
          fixes,
          ...(gateways.length === 1 ? { gateway: gateways[0]! } : {}),
        });
      });
    }
  },
};
