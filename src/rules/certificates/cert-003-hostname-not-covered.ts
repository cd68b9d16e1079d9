import { ROUTE_KINDS } from '../../cluster/kinds.ts';
import { certificateCovers, isWildcard } from '../../graph/hostnames.ts';
import type { ListenerModel } from '../../graph/model.ts';
import type { Severity } from '../../report/types.ts';
import { terminatingListeners } from '../listeners/cert-refs.ts';
import { isEnvoyGateway } from '../listeners/status.ts';
import { sentence } from '../listeners/words.ts';
import type { Rule } from '../types.ts';
import { gatewayId, listenerField, listenerLabel, listenerOwner } from '../util.ts';
import { certManagerHint, certName, hasChain, misplacedLeaf } from './served.ts';

interface Name {
  name: string;
  from: string;
}

/** The names clients use on this listener: hostnames of attached routes (within the listener's), else the listener hostname. */
function names(lm: ListenerModel): Name[] {
  const out = new Map<string, string>();
  for (const a of lm.attachments) {
    if (!a.result.accepted || a.route.obj.hostnames.length === 0) continue;
    for (const h of a.result.hostnames) if (h !== '*' && !out.has(h)) out.set(h, `hostname of ${a.route.obj.kind} ${a.route.obj.meta.namespace}/${a.route.obj.meta.name}`);
  }
  if (out.size === 0 && lm.spec.hostname) out.set(lm.spec.hostname, 'listener hostname');
  return [...out].map(([name, from]) => ({ name, from }));
}

export const cert003: Rule = {
  meta: {
    code: 'GWTLS-CERT-003',
    severity: 'error',
    title: 'Certificate does not cover the hostnames the listener serves',
    inputs: ['Gateway', 'GatewayClass', 'Secret', ...ROUTE_KINDS],
    description:
      'Clients check that the server certificate names the host they connect to (its DNS subjectAltNames, RFC 6125). The listener hostname, or the hostnames of the routes attached to it, must be covered. A Gateway API wildcard *.example.com admits names of any depth, while an X.509 *.example.com covers one label only. Envoy Gateway does not check this; clients do.',
  },
  check(ctx) {
    for (const lm of terminatingListeners(ctx.model)) {
      // A tls.crt that does not start with its leaf is GWTLS-CERT-005's: the first certificate is not the server's.
      const refs = lm.certRefs.filter((r) => hasChain(r) && misplacedLeaf(r.chain!.certs, r.secret?.found ? r.secret.obj.tlsKey : undefined) === null);
      if (refs.length === 0) continue;
      const leaves = refs.map((r) => r.chain!.certs[0]!.cert);
      const dns = leaves.flatMap((c) => c.sans.dns);
      if (dns.length === 0 && leaves.every((c) => c.sans.ip.length === 0)) continue; // no SAN at all: GWTLS-CERT-006
      const secrets = refs.map((r) => `Secret ${r.ref.namespace}/${r.ref.name}`).join(' and ');
      const certs = leaves.map(certName).join('; ');
      const gm = lm.gateway;
      const base = { object: listenerOwner(lm), field: listenerField(lm, 'tls.certificateRefs'), listener: lm };
      const evidence = [`${listenerField(lm, 'hostname')}: ${lm.spec.hostname ?? '(none)'}`, ...refs.map((r) => `${r.ref.namespace}/${r.ref.name}: ${certName(r.chain!.certs[0]!.cert)}`)];
      const wanted = names(lm);
      if (wanted.length === 0) {
        ctx.report({
          ...base,
          severity: 'info',
          message: sentence(`${listenerLabel(lm)} of Gateway ${gatewayId(gm)} has no hostname, so it presents the certificate of ${secrets} to every client whatever name it asks for; the certificate is valid only for ${[...dns, ...leaves.flatMap((c) => c.sans.ip)].join(', ')}, and clients that connect by any other name reject it.`),
          evidence,
        });
        continue;
      }
      const missing: Name[] = [];
      const shallow: Name[] = [];
      for (const n of wanted) {
        const c = certificateCovers(dns, n.name);
        if (c.full) continue;
        if (isWildcard(n.name) && c.partial) shallow.push(n);
        else missing.push(n);
      }
      if (missing.length === 0 && shallow.length === 0) continue;
      const list = (ns: Name[]) => ns.map((n) => `${n.name} (${n.from})`).join(', ');
      const severity: Severity = missing.length > 0 ? 'error' : 'warning';
      const parts: string[] = [];
      if (missing.length) parts.push(`does not cover ${list(missing)}: clients that verify the hostname reject it`);
      if (shallow.length) parts.push(`covers ${list(shallow)} only one label deep: a Gateway API wildcard admits deeper names such as a.b.${shallow[0]!.name.slice(2)}, which an X.509 wildcard does not cover, so clients using them reject it`);
      const eg = isEnvoyGateway(gm.impl) ? ` ${gm.impl.name} serves the certificate anyway (it does not match SANs against hostnames).` : '';
      const hint = refs.length === 1 && refs[0]!.secret?.found ? certManagerHint(refs[0]!.secret.obj) : '';
      ctx.report({
        ...base,
        severity,
        message: `The certificate that ${listenerLabel(lm)} of Gateway ${gatewayId(gm)} presents (${secrets}: ${certs}) ${parts.join('; it ')}.${eg} ${missing.length ? 'Reissue it with the missing names as subjectAltNames' : 'Reissue it with subjectAltNames for the deeper names clients use, or narrow the listener hostname'}.${hint}`,
        evidence,
      });
    }
  },
};
