import type { Rule } from '../types.ts';
import { listenerField, listenerLabel, listenerOwner } from '../util.ts';
import { describeEvent, lbcFailureEvents } from './detect.ts';

export const lbc004: Rule = {
  meta: {
    code: 'GWTLS-LBC-004',
    severity: 'info',
    title: 'TLS Passthrough on an NLB Gateway depends on the controller version (issue 4556)',
    inputs: ['Gateway', 'GatewayClass'],
    description:
      'AWS Load Balancer Controller v3.1.0 and later build a TLS listener with mode Passthrough as an NLB TCP listener, so TLS reaches the pods untouched. v3.0.x and older build an NLB TLS listener instead (kubernetes-sigs/aws-load-balancer-controller issue 4556): the NLB terminates TLS with an ACM certificate (the build fails without a certificate source), clients see that certificate rather than the backend\'s, only TLSRoutes attach (a TCPRoute is refused), and the NLB re-encrypts to the pods through a TLS target group without verifying them. The version is not visible in the objects; a failure event on the listener port proves an old controller.',
  },
  check(ctx) {
    for (const g of ctx.model.gateways) {
      if (g.impl.id !== 'aws-lbc-nlb') continue;
      for (const lm of g.listeners) {
        if (lm.spec.protocol !== 'TLS' || lm.spec.tls?.mode !== 'Passthrough') continue;
        const proof = lbcFailureEvents(ctx.snapshot, g).filter((e) => /No hostnames found for TLS cert discovery/i.test(e.message) && e.message.includes(String(lm.spec.port)));
        ctx.report({
          object: listenerOwner(lm),
          field: listenerField(lm, 'tls.mode'),
          severity: proof.length ? 'error' : 'info',
          message: proof.length
            ? `The controller looked for a certificate for passthrough ${listenerLabel(lm)}: it predates v3.1.0 and builds an NLB TLS listener that terminates TLS with an ACM certificate and re-encrypts to the pods (issue 4556). Upgrade the AWS Load Balancer Controller to v3.1.0 or later, or use a TCP listener with a TCPRoute on this version.`
            : `${listenerLabel(lm)} passes TLS through only on AWS Load Balancer Controller v3.1.0 and later (an NLB TCP listener). v3.0.x and older build an NLB TLS listener instead: the NLB terminates TLS with an ACM certificate (clients see it, not the backend's), accepts only TLSRoutes here, and re-encrypts to the pods through a TLS target group (issue 4556). Make sure the controller is v3.1.0 or later.`,
          evidence: proof.length
            ? proof.slice(0, 2).map(describeEvent)
            : ['kubernetes-sigs/aws-load-balancer-controller#4556, fixed for the listener by PR #4559 (v3.1.0)', 'v3.0.0: pkg/gateway/model/model_build_listener.go keeps protocol TLS for Passthrough; routeutils/listener_attachment_helper.go admits only TLSRoute there; model_build_target_group.go infers a TLS target group for TLSRoute on an NLB'],
          gateway: g,
          listener: lm,
        });
      }
    }
  },
};
