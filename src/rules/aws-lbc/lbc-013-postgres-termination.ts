import type { ListenerModel } from '../../graph/model.ts';
import type { Rule } from '../types.ts';
import { listenerField, listenerLabel, listenerOwner } from '../util.ts';
import { terminatesAtLoadBalancer } from './detect.ts';

const PG_PORT = 5432;

/** Evidence that the listener carries PostgreSQL: its port, or a backend port that is 5432 or named postgres*. */
function postgresSignals(lm: ListenerModel): string[] {
  const out: string[] = [];
  if (lm.spec.port === PG_PORT) out.push(`listener port ${PG_PORT}`);
  for (const a of lm.attachments) {
    for (const b of a.route.backends) {
      const p = b.servicePort;
      if (b.ref.port === PG_PORT || p?.port === PG_PORT || /^postgres/i.test(p?.name ?? '')) out.push(`${a.route.obj.kind} ${a.route.obj.meta.name} -> ${b.ref.kind} ${b.ref.namespace}/${b.ref.name}:${b.ref.port ?? '?'}${p?.name ? ` (${p.name})` : ''}`);
    }
  }
  return [...new Set(out)];
}

export const lbc013: Rule = {
  meta: {
    code: 'GWTLS-LBC-013',
    severity: 'warning',
    title: 'PostgreSQL behind a TLS-terminating NLB listener',
    inputs: ['Gateway', 'GatewayClass', 'LoadBalancerConfiguration', 'TCPRoute', 'TLSRoute'],
    description:
      'PostgreSQL clients normally ask for TLS in-band: they send an SSLRequest in plaintext and start the handshake only after the server answers, so default clients fail against a load balancer that terminates TLS. Clients set to direct TLS (sslnegotiation=direct, libpq 17+) start with a ClientHello, but libpq then requires the server to select ALPN "postgresql" ("ALPN is mandatory with direct SSL connections", fe-secure-openssl.c), and an NLB TLS listener never can (its ALPN policies are HTTP only). A TLS-terminating NLB in front of PostgreSQL therefore serves no libpq client in either mode: use a TCP listener (TLS Passthrough) and let PostgreSQL do its own TLS.',
  },
  check(ctx) {
    for (const g of ctx.model.gateways) {
      if (g.impl.id !== 'aws-lbc-nlb') continue;
      for (const lm of g.listeners) {
        if (!terminatesAtLoadBalancer(lm)) continue;
        const signals = postgresSignals(lm);
        if (signals.length === 0) continue;
        const protocols = [...new Set(lm.backends.map((b) => b.tls.targetGroup?.protocol).filter(Boolean))];
        const leg = protocols.includes('TLS')
          ? ' The NLB also opens generic TLS to the pods, which a stock PostgreSQL server rejects (it expects an SSLRequest, or ALPN "postgresql" for direct TLS).'
          : protocols.includes('TCP')
            ? ' Behind it the pods would receive the PostgreSQL protocol in plaintext.'
            : '';
        ctx.report({
          object: listenerOwner(lm),
          field: listenerField(lm),
          message: `${listenerLabel(lm)} terminates TLS at the NLB in front of PostgreSQL, which serves no libpq client: default clients (sslnegotiation=postgres) send an SSLRequest before any TLS and fail against it, and direct clients (sslnegotiation=direct, libpq 17+) require the server to select ALPN "postgresql", which an NLB TLS listener cannot.${leg} Pass TLS through instead (tls.mode Passthrough, an NLB TCP listener since LBC v3.1, or a TCP listener) and let PostgreSQL terminate TLS with its own certificate.`,
          evidence: [
            ...signals,
            ...protocols.map((p) => `target-group protocol: ${p}`),
            'LoadBalancerConfiguration alpnPolicy accepts only HTTP1Only, HTTP2Only, HTTP2Optional, HTTP2Preferred or None',
            'libpq: "ALPN is mandatory with direct SSL connections" (src/interfaces/libpq/fe-secure-openssl.c, PostgreSQL 17+)',
            'openssl s_client -starttls postgres speaks the SSLRequest negotiation; kubectl gwtls probe HOST:PORT --starttls postgres tests the listener the way default clients do',
          ],
          gateway: g,
          listener: lm,
        });
      }
    }
  },
};
