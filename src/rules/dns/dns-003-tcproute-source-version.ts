import { versionOf } from '../../cluster/kinds.ts';
import { versionServed } from '../platform/served.ts';
import type { Rule } from '../types.ts';
import { hostnameAnnotation, usesExternalDns } from './annotations.ts';

export const dns003: Rule = {
  meta: {
    code: 'GWTLS-DNS-003',
    severity: 'info',
    title: 'external-dns reads TCPRoutes and UDPRoutes at v1alpha2 only',
    inputs: ['TCPRoute', 'UDPRoute'],
    description:
      'The gateway-tcproute and gateway-udproute sources of external-dns (through v0.22) list TCPRoute and UDPRoute at gateway.networking.k8s.io/v1alpha2. The Gateway API v1.6 Standard CRDs serve only v1, so on such a cluster external-dns lists nothing and publishes no record for these routes; the Experimental bundle still serves v1alpha2. Warning when the cluster is known not to serve v1alpha2; information otherwise.',
  },
  check(ctx) {
    for (const r of ctx.model.routes) {
      const route = r.obj;
      if ((route.kind !== 'TCPRoute' && route.kind !== 'UDPRoute') || !usesExternalDns(route)) continue;
      const served = versionServed(ctx.snapshot, route.kind, 'v1alpha2');
      // A manifest still at v1alpha2 is GWTLS-PLAT-001's; in a cluster, what is served decides.
      if (ctx.snapshot.source.type === 'files' && versionOf(route.apiVersion) !== 'v1') continue;
      if (served === true) continue;
      const name = hostnameAnnotation(route);
      ctx.report({
        object: route,
        severity: served === false ? 'warning' : 'info',
        message:
          served === false
            ? `This cluster does not serve ${route.kind} at v1alpha2, the only version external-dns (through v0.22) lists: it sees no ${route.kind}s and publishes no record${name ? ` for ${name}` : ''} from ${route.kind} ${route.meta.namespace}/${route.meta.name}.`
            : `${route.kind} ${route.meta.namespace}/${route.meta.name} carries external-dns annotations, but external-dns (through v0.22) lists ${route.kind}s at v1alpha2 only: where the Gateway API v1.6 Standard CRDs are installed (v1 only), it publishes no record${name ? ` for ${name}` : ''}. It works where v1alpha2 is still served (the Experimental bundle).`,
        evidence: ['kubernetes-sigs/external-dns source/gateway_tcproute.go and gateway_udproute.go use gateway.networking.k8s.io/v1alpha2', ...(name ? [`hostname annotation: ${name}`] : [])],
      });
    }
  },
};
