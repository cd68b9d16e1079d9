import { gatewayHostnameCovers, isWildcard, sanMatches } from '../../graph/hostnames.ts';
import type { ListenerModel } from '../../graph/model.ts';
import { isAwsLbc } from '../../graph/providers/aws-lbc.ts';
import type { Rule } from '../types.ts';
import { gatewayId, listenerField, listenerOwner } from '../util.ts';
import { conditionEvidence, listenerCondition } from './status.ts';

/** DNS SANs of the certificates the listener serves, or null when they are not known. */
function servedSans(lm: ListenerModel): string[] | null {
  const refs = lm.certRefs.filter((r) => r.state === 'ok' && r.chain?.certs[0]);
  if (refs.length === 0) return null;
  return refs.flatMap((r) => r.chain!.certs[0]!.cert.sans.dns);
}

const refsKey = (lm: ListenerModel) => lm.certRefs.map((r) => `${r.ref.namespace}/${r.ref.name}`).sort().join(',');
const label = (lm: ListenerModel) => `${lm.spec.name}${lm.set ? ` of ${lm.set.obj.kind} ${lm.set.obj.meta.namespace}/${lm.set.obj.meta.name}` : ''} (${lm.spec.hostname ?? 'no hostname'})`;

export const lsn009: Rule = {
  meta: {
    code: 'GWTLS-LSN-009',
    severity: 'warning',
    title: 'HTTPS listeners on one port overlap (connection coalescing)',
    inputs: ['Gateway', 'GatewayClass', 'Secret'],
    description:
      'When two HTTPS listeners share a port and one\'s hostname (or certificate) also covers the other\'s hostname, an HTTP/2 client may reuse a connection made for one listener to send requests meant for the other, bypassing the second listener\'s TLS settings (OverlappingTLSConfig). The gateway should answer 421 Misdirected Request; not every client retries well.',
  },
  check(ctx) {
    for (const gm of ctx.model.gateways) {
      if (isAwsLbc(gm.impl)) continue; // one load balancer listener per port: TLS settings are per port there.
      // A listener refused for a precedence conflict (GWTLS-LS-003) serves no connection to coalesce.
      const https = gm.listeners.filter((l) => l.spec.protocol === 'HTTPS' && !l.conflict);
      const covered = new Set<ListenerModel>();
      const pairs = new Set<string>();
      for (const a of https) {
        for (const b of https) {
          if (a === b || a.spec.port !== b.spec.port || !b.spec.hostname) continue;
          const hA = a.spec.hostname;
          const sansA = servedSans(a);
          const hostOverlap = !!hA && isWildcard(hA) && hA !== b.spec.hostname && gatewayHostnameCovers(hA, b.spec.hostname);
          const certCovers = sansA ? sansA.some((s) => sanMatches(s, b.spec.hostname!)) : null;
          const certOverlap = !hostOverlap && certCovers === true && refsKey(a) !== refsKey(b) && !isWildcard(b.spec.hostname);
          if (!hostOverlap && !certOverlap) continue;
          const pair = [a, b].map((l) => `${l.set ? `${l.set.obj.meta.namespace}/${l.set.obj.meta.name}/` : ''}${l.spec.name}`).sort().join('|');
          if (pairs.has(pair)) continue;
          pairs.add(pair);
          covered.add(a).add(b);
          const reuse = certCovers === false
            ? `Listener ${a.spec.name}'s certificate does not cover ${b.spec.hostname}, so clients will not reuse its connections for it today; a certificate that does would open the hazard`
            : `A client holding an HTTP/2 connection made through listener ${a.spec.name} (whose certificate ${certCovers ? 'covers' : 'may cover'} ${b.spec.hostname}) may reuse it for ${b.spec.hostname}: those requests then arrive through listener ${a.spec.name}'s TLS session and settings, not listener ${b.spec.name}'s, and the gateway should answer 421 Misdirected Request`;
          ctx.report({
            object: listenerOwner(a),
            field: listenerField(a, hostOverlap ? 'hostname' : 'tls.certificateRefs'),
            severity: certCovers === false ? 'info' : 'warning',
            message: `Listeners ${label(a)} and ${label(b)} of Gateway ${gatewayId(gm)} share port ${a.spec.port}, and ${hostOverlap ? `hostname ${hA} also matches ${b.spec.hostname}` : `the certificate of listener ${a.spec.name} also covers ${b.spec.hostname}`} (${hostOverlap ? 'OverlappingHostnames' : 'OverlappingCertificates'}). ${reuse}. Keep the certificates of the two listeners from covering each other's names, or keep their TLS settings identical (client-certificate validation belongs in the Gateway's spec.tls.frontend, which applies per port).`,
            evidence: [a, b].flatMap((l) => {
              const c = listenerCondition(l, 'OverlappingTLSConfig');
              return [`${listenerField(l)}: hostname ${l.spec.hostname ?? '(none)'}, certificate SANs ${servedSans(l)?.join(', ') ?? 'unknown'}`, ...(c?.status === 'True' ? [conditionEvidence(l, c)] : [])];
            }),
            listener: a,
          });
        }
      }
      for (const lm of gm.listeners) {
        const c = listenerCondition(lm, 'OverlappingTLSConfig');
        if (c?.status !== 'True' || covered.has(lm)) continue;
        ctx.report({
          object: listenerOwner(lm),
          field: listenerField(lm),
          message: `The controller reports that the TLS configuration of listener ${lm.spec.name} of Gateway ${gatewayId(gm)} overlaps another listener's on port ${lm.spec.port} (${c.reason ?? 'no reason'}${c.message ? `: ${c.message}` : ''}): HTTP/2 clients may reuse one listener's connection for the other's hostnames, bypassing its TLS settings.`,
          evidence: [conditionEvidence(lm, c)],
          listener: lm,
        });
      }
    }
  },
};
