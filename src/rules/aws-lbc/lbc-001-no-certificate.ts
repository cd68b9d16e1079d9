import type { Rule } from '../types.ts';
import { listenerField, listenerLabel, listenerOwner } from '../util.ts';
import { describeEvent, lbcFailureEvents, listenersWithoutCertificate } from './detect.ts';

export const lbc001: Rule = {
  meta: {
    code: 'GWTLS-LBC-001',
    severity: 'error',
    title: 'NLB TLS listener has no certificate source',
    inputs: ['Gateway', 'GatewayClass', 'LoadBalancerConfiguration', 'TLSRoute', 'TCPRoute'],
    description:
      'The AWS Load Balancer Controller takes a TLS listener\'s certificate from a LoadBalancerConfiguration listenerConfigurations entry (PROTOCOL:PORT, defaultCertificate ARN) or, failing that, discovers an ACM certificate by the listener and route hostnames. With neither, the model build fails ("No hostnames found for TLS cert discovery") and no load balancer is built. Listener certificateRefs are never read.',
  },
  check(ctx) {
    for (const g of ctx.model.gateways) {
      const events = lbcFailureEvents(ctx.snapshot, g).filter((e) => /No hostnames found for TLS cert discovery/i.test(e.message));
      for (const lm of listenersWithoutCertificate(g)) {
        const key = `${lm.spec.protocol}:${lm.spec.port}`;
        const configs = [...(g.lbc?.listenerConfigs.values() ?? [])].map((c) => `${c.entry.protocolPort} (LoadBalancerConfiguration ${c.from.meta.namespace}/${c.from.meta.name})`);
        ctx.report({
          object: listenerOwner(lm),
          field: listenerField(lm),
          message: `${listenerLabel(lm)} of Gateway ${g.obj.meta.namespace}/${g.obj.meta.name} has no certificate: no LoadBalancerConfiguration in effect has a listenerConfigurations entry for ${key}, and neither the listener nor its routes name a hostname for ACM discovery. The controller fails to build the load balancer ("No hostnames found for TLS cert discovery"); add a ${key} entry with the ACM certificate ARN, or a listener hostname that an ACM certificate covers.`,
          evidence: [
            configs.length ? `listenerConfigurations in effect: ${configs.join(', ')}` : 'no LoadBalancerConfiguration listenerConfigurations in effect',
            `${listenerField(lm, 'hostname')}: ${lm.spec.hostname ?? 'not set'}`,
            ...(lm.certRefs.length ? [`certificateRefs (${lm.certRefs.map((c) => c.ref.name).join(', ')}) are not read by the AWS Load Balancer Controller`] : []),
            ...events.slice(0, 2).map(describeEvent),
          ],
          gateway: g,
          listener: lm,
        });
      }
    }
  },
};
