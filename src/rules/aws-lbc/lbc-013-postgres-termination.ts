import type { ListenerModel } from '../../graph/model.ts';
import type { Rule } from '../types.ts';
import { listenerField, listenerLabel } from '../util.ts';
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
      'PostgreSQL clients normally ask for TLS in-band: they send an SSLRequest in plaintext and start the handshake only after the server answers. A load balancer that terminates TLS expects a ClientHello first, so default clients fail; only clients set to direct TLS (sslnegotiation=direct, PostgreSQL 17+) can connect, the NLB cannot negotiate the ALPN "postgresql" that direct TLS uses (its ALPN policies are HTTP-only), and a TLS leg from the NLB to the pods is a generic TLS client that a stock PostgreSQL server does not accept.',
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
          ? ' The NLB then opens generic TLS to the pods: a stock PostgreSQL server expects an SSLRequest (or, for direct TLS, ALPN "postgresql") and rejects it, so the pods need a generic TLS endpoint in front of the database (a TLS-terminating sidecar or proxy).'
          : protocols.includes('TCP')
            ? ' The pods then receive the PostgreSQL protocol in plaintext, so the server must accept non-SSL connections from the NLB (pg_hba.conf host, not hostssl).'
            : '';
        ctx.report({
          object: g.obj,
          field: listenerField(lm),
          message: `${listenerLabel(lm)} terminates TLS at the NLB in front of PostgreSQL: default clients (sslmode=require or stronger with the default sslnegotiation=postgres) send an SSLRequest before any TLS and fail against it; only clients set to sslnegotiation=direct (libpq 17+) can start a handshake, and the NLB cannot select the ALPN "postgresql" they offer.${leg} To serve every client, pass TLS through (tls.mode Passthrough, an NLB TCP listener since LBC v3.1) and let PostgreSQL terminate it.`,
          evidence: [
            ...signals,
            ...protocols.map((p) => `target-group protocol: ${p}`),
            'LoadBalancerConfiguration alpnPolicy accepts only HTTP1Only, HTTP2Only, HTTP2Optional, HTTP2Preferred or None',
            'openssl s_client -starttls postgres speaks the SSLRequest negotiation; kubectl gwtls probe HOST:PORT --starttls postgres tests the listener the way default clients do',
          ],
          gateway: g,
          listener: lm,
        });
      }
    }
  },
};
