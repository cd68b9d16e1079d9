import type { Rule } from '../types.ts';

export const lbc014: Rule = {
  meta: {
    code: 'GWTLS-LBC-014',
    severity: 'info',
    title: 'The NLB does not verify target certificates',
    inputs: ['Gateway', 'GatewayClass', 'TCPRoute', 'TLSRoute', 'Service', 'TargetGroupConfiguration', 'LoadBalancerConfiguration'],
    description:
      'With a TLS target group the NLB opens TLS to the pods with whatever certificate they present and does not validate it: self-signed or expired certificates work, and the NLB-to-pod leg is encrypted but not authenticated. This is the load balancer\'s behaviour, not the controller\'s; the AWS Load Balancer Controller does not support BackendTLSPolicy, so there is no way to ask for verification.',
  },
  check(ctx) {
    for (const g of ctx.model.gateways) {
      if (g.impl.id !== 'aws-lbc-nlb') continue;
      const seen = new Set<string>();
      for (const lm of g.listeners) {
        if (lm.spec.protocol === 'TLS' && lm.spec.tls?.mode === 'Passthrough') continue;
        for (const hop of lm.backends) {
          const choice = hop.tls.targetGroup;
          if (!choice || choice.protocol !== 'TLS') continue;
          const svc = `${hop.backend.ref.namespace}/${hop.backend.ref.name}`;
          if (seen.has(svc)) continue;
          seen.add(svc);
          const tgc = choice.protocolTgc;
          ctx.report({
            object: tgc ?? hop.attachment.route.obj,
            field: tgc ? 'spec.defaultConfiguration.protocol' : `spec.rules[${hop.backend.rule}].backendRefs[${hop.backend.index}]`,
            message: `The NLB opens TLS to the pods of Service ${svc} (${choice.source}) and does not validate their certificates: self-signed or expired certificates are accepted, so this leg is encrypted but not authenticated. That is the NLB's behaviour, not the controller's, and BackendTLSPolicy cannot change it on the AWS Load Balancer Controller.`,
            evidence: ['AWS, "Target groups for your Network Load Balancers": the load balancer does not validate target certificates on TLS target groups'],
            gateway: g,
            listener: lm,
          });
        }
      }
    }
  },
};
