// ACM discovery (kubernetes-sigs/aws-load-balancer-controller pkg/certs/cert_discovery.go@v3.5.0): every hostname
// of a listener without a listenerConfigurations certificate must match an ISSUED ACM certificate, or Discover
// returns "no certificate found for host: X" and the model build of the whole Gateway fails
// (pkg/gateway/model/model_build_listener.go, buildCertificates -> buildListeners -> the stack). An ACM wildcard
// covers exactly one label (domainMatchesHost), while a Gateway API wildcard listener admits any depth.
import type { ListenerModel } from '../../graph/model.ts';
import type { Rule } from '../types.ts';
import { gatewayId, listenerField, listenerLabel, listenerOwner } from '../util.ts';
import { describeEvent, lbcConfigResolved, lbcFailureEvents } from './detect.ts';

const NO_CERT = /no certificate found for host:\s*(\S+)/i;

/** cert_discovery.go domainMatchesHost: `*.d` matches hosts with the same number of labels and the same parent. */
export function acmDomainMatches(domain: string, host: string): boolean {
  const d = domain.toLowerCase();
  const h = host.toLowerCase();
  if (!d.startsWith('*.')) return d === h;
  const ds = d.split('.');
  const hs = h.split('.');
  return ds.length === hs.length && ds.slice(1).join('.') === hs.slice(1).join('.');
}

/** Discovery hostnames that a certificate for the listener's own wildcard hostname does not cover. */
function deeperThanListenerWildcard(lm: ListenerModel): string[] {
  const l = lm.spec.hostname;
  if (lm.served.type !== 'acm-discovery' || !l || !l.startsWith('*.')) return [];
  return lm.served.hostnames.filter((h) => h.toLowerCase() !== l.toLowerCase() && !acmDomainMatches(l, h));
}

export const lbc015: Rule = {
  meta: {
    code: 'GWTLS-LBC-015',
    severity: 'error',
    title: 'ACM discovery finds no certificate for a hostname: the whole Gateway fails to build',
    inputs: ['Gateway', 'GatewayClass', 'LoadBalancerConfiguration', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute'],
    description:
      'Without a certificate in a LoadBalancerConfiguration listenerConfigurations entry, the AWS Load Balancer Controller looks up an ACM certificate for every hostname of the listener and of its routes. One hostname without an ISSUED certificate whose domain matches it (an ACM wildcard covers exactly one label; --allowed-certificate-authority-arns can leave no candidate) fails the model build of the whole Gateway ("no certificate found for host"): no listener of it is reconciled, not just this one.',
  },
  check(ctx) {
    for (const g of ctx.model.gateways) {
      if (!g.lbc) continue;
      const events = lbcFailureEvents(ctx.snapshot, g).filter((e) => NO_CERT.test(e.message));
      const reported = new Set<ListenerModel>();
      for (const e of events.slice(0, 1)) {
        const host = NO_CERT.exec(e.message)![1]!;
        const lm = g.listeners.find((l) => l.served.type === 'acm-discovery' && l.served.hostnames.some((h) => h.toLowerCase() === host.toLowerCase()));
        if (lm) reported.add(lm);
        ctx.report({
          object: lm ? listenerOwner(lm) : g.obj,
          ...(lm ? { field: listenerField(lm), listener: lm } : {}),
          message: `The AWS Load Balancer Controller found no ACM certificate for ${host}${lm ? ` (a hostname of ${listenerLabel(lm)} or of its routes)` : ''}, so the model build of Gateway ${gatewayId(g)} fails as a whole: none of its listeners is reconciled, not just this one. Import or request an ACM certificate whose domain or subjectAltNames match ${host} exactly or by a one-label wildcard (*.${host.split('.').slice(1).join('.')}), check that --allowed-certificate-authority-arns admits its CA, or name the certificate in a LoadBalancerConfiguration listenerConfigurations entry.`,
          evidence: [describeEvent(e), ...(lm && lm.served.type === 'acm-discovery' ? [`hostnames looked up for ${lm.spec.protocol}:${lm.spec.port}: ${lm.served.hostnames.join(', ')}`] : [])],
          gateway: g,
        });
      }
      if (!lbcConfigResolved(g)) continue;
      for (const lm of g.listeners) {
        if (reported.has(lm)) continue;
        const deeper = deeperThanListenerWildcard(lm);
        if (deeper.length === 0) continue;
        ctx.report({
          object: listenerOwner(lm),
          field: listenerField(lm, 'hostname'),
          severity: 'warning',
          message: `ACM discovery for ${listenerLabel(lm)} needs a certificate for ${deeper.join(', ')}, which an ACM certificate for the listener hostname ${lm.spec.hostname} does not cover: an ACM wildcard covers exactly one label, while the Gateway API wildcard admits any depth. Unless ACM holds an issued certificate for ${deeper.length > 1 ? 'each of them' : 'it'} (exact, or *.${deeper[0]!.split('.').slice(1).join('.')}), the controller fails the model build of the whole Gateway ("no certificate found for host"), not just this listener.`,
          evidence: [`hostnames looked up: ${lm.served.type === 'acm-discovery' ? lm.served.hostnames.join(', ') : ''}`, `no LoadBalancerConfiguration listenerConfigurations entry for ${lm.spec.protocol}:${lm.spec.port}`],
          gateway: g,
          listener: lm,
        });
      }
    }
  },
};
