// The cluster cross-check: which Gateway listeners should serve the name and port a probe connected to, and
// whether the leaf served is the one the listener is configured with (GWTLS-PRB-004), or — for passthrough — the
// backend's own (GWTLS-PRB-009). Pure: the objects come in, nothing is read here.
import { isIP } from 'node:net';
import type { GatewayObject, ListenerSpec } from '../cluster/objects.ts';
import { backendTLSEvidence } from '../graph/backends.ts';
import { gatewayHostnameCovers, isWildcard } from '../graph/hostnames.ts';
import type { ListenerModel, Model } from '../graph/model.ts';
import type { Cert } from '../report/types.ts';
import { shortName } from './chain.ts';
import { probeFinding, type ProbeFinding } from './codes.ts';
import { recognize } from './known.ts';
import { splitHostPort } from './target.ts';
import type { ProbeClusterCheck, ProbeClusterListener, ProbeConfiguredCertificate, ProbeReport } from './types.ts';

export interface ListenerCandidate {
  gateway: GatewayObject;
  listener: ListenerSpec;
  addressMatch: boolean;
  /** 3 exact hostname, 2 wildcard, 1 no hostname, 0 no name to match with. */
  rank: number;
}

/** The name a client asked for: the SNI, else the target host when it is a name. */
export function probedName(r: ProbeReport): string | null {
  if (r.target.sni) return r.target.sni.toLowerCase();
  return isIP(r.target.host) ? null : r.target.host.toLowerCase();
}

/** Addresses (and names) that identify the endpoint connected to, to compare with Gateway status.addresses. */
function endpointAddresses(r: ProbeReport): Set<string> {
  const out = new Set<string>();
  const add = (v: string | null | undefined) => v && out.add(v.toLowerCase());
  add(r.target.address);
  if (r.target.connectTo) {
    try {
      add(splitHostPort(r.target.connectTo).host);
    } catch {
      // validated by the CLI already
    }
  }
  if (isIP(r.target.host) || !r.target.connectTo) add(r.target.host);
  for (const a of r.dns?.addresses ?? []) add(a);
  return out;
}

function hostnameRank(listenerHostname: string | undefined, name: string | null): number {
  if (!listenerHostname) return 1;
  if (!name) return 0;
  if (listenerHostname.toLowerCase() === name) return 3;
  if (isWildcard(listenerHostname) && gatewayHostnameCovers(listenerHostname, name)) return 2 + listenerHostname.length / 1000;
  return -1;
}

/**
 * Listeners that should serve this name and port, best first: on Gateways whose status.addresses hold the
 * address connected to when there are such Gateways, else on any Gateway; within a Gateway the most specific
 * hostname wins (exact, then the longest wildcard, then none), as Gateway API listener precedence says.
 */
export function matchListeners(gateways: readonly GatewayObject[], r: ProbeReport): { candidates: ListenerCandidate[]; note: string | null } {
  const name = probedName(r);
  const port = r.target.addressPort ?? r.target.port;
  const addrs = endpointAddresses(r);
  const all: ListenerCandidate[] = [];
  for (const gw of gateways) {
    const addressMatch = gw.statusAddresses.some((a) => addrs.has(a.value.toLowerCase()));
    let best: ListenerCandidate | null = null;
    for (const l of gw.listeners) {
      if (l.port !== port) continue;
      const rank = hostnameRank(l.hostname, name);
      if (rank < 0) continue;
      const tlsBearing = l.protocol === 'HTTPS' || l.protocol === 'TLS';
      const score = rank + (tlsBearing ? 0.5 : 0);
      if (!best || score > best.rank + (best.listener.protocol === 'HTTPS' || best.listener.protocol === 'TLS' ? 0.5 : 0)) best = { gateway: gw, listener: l, addressMatch, rank };
    }
    if (best) all.push(best);
  }
  const byAddress = all.filter((c) => c.addressMatch);
  const chosen = (byAddress.length ? byAddress : all).sort((a, b) => b.rank - a.rank || a.gateway.meta.namespace.localeCompare(b.gateway.meta.namespace) || a.gateway.meta.name.localeCompare(b.gateway.meta.name));
  let note: string | null = null;
  const where = [...addrs].filter((a) => isIP(a)).join(', ') || [...addrs].join(', ');
  if (chosen.length && !byAddress.length) note = `no Gateway lists ${where} in status.addresses: matched on hostname and port only`;
  if (!chosen.length) {
    const onAddress = gateways.filter((g) => g.statusAddresses.some((a) => addrs.has(a.value.toLowerCase())));
    note = onAddress.length
      ? `Gateway ${onAddress.map((g) => `${g.meta.namespace}/${g.meta.name}`).join(', ')} has this address but no listener on port ${port}${name ? ` for ${name}` : ''} (its ports: ${[...new Set(onAddress.flatMap((g) => g.listeners.map((l) => l.port)))].join(', ')})`
      : `no Gateway listener on port ${port}${name ? ` serves ${name}` : ''} (${gateways.length} Gateway${gateways.length === 1 ? '' : 's'} looked at)`;
  }
  return { candidates: chosen, note };
}

export function listenerEntry(c: ListenerCandidate): ProbeClusterListener {
  const l = c.listener;
  return {
    gateway: { namespace: c.gateway.meta.namespace, name: c.gateway.meta.name },
    listener: l.name,
    hostname: l.hostname ?? null,
    port: l.port,
    protocol: l.protocol,
    tlsMode: l.tls ? (l.tls.mode === 'Passthrough' ? 'Passthrough' : 'Terminate') : null,
    addressMatch: c.addressMatch,
  };
}

function configured(cert: Cert, source: string): ProbeConfiguredCertificate {
  return { source, subject: cert.subject, sans: [...cert.sans.dns, ...cert.sans.ip], serial: cert.serial, notAfter: cert.notAfter, fingerprintSha256: cert.fingerprintSha256 };
}

/** Where a listener's certificate comes from, in words. */
export function servedFromWords(lm: ListenerModel): string {
  const s = lm.served;
  switch (s.type) {
    case 'none':
      return `nothing: the listener is ${lm.spec.protocol}, the Gateway does not terminate TLS on it`;
    case 'passthrough':
      return 'the backend (TLS passthrough)';
    case 'secrets':
      return s.refs.length ? s.refs.map((r) => `Secret ${r.ref.namespace}/${r.ref.name}`).join(', ') : 'nothing (no certificateRefs)';
    case 'acm-arn':
      return `ACM certificate ${s.arns.join(', ')} (${s.from}, ${s.entry})`;
    case 'acm-discovery':
      return s.hostnames.length ? `ACM certificates discovered for ${s.hostnames.join(', ')}` : 'nothing (no certificate and no hostname for ACM discovery)';
  }
}

export interface Comparison {
  check: ProbeClusterCheck;
  finding: ProbeFinding | null;
}

/**
 * Compares the served leaf with what the listener is configured to serve. `endpoint` names the probe target in
 * findings; `name` is the name the client asked for.
 */
export function compareWithListener(lm: ListenerModel, model: Model, r: ProbeReport, endpoint: string): Comparison {
  const gw = lm.gateway.obj;
  const check: ProbeClusterCheck = {
    gateway: { namespace: gw.meta.namespace, name: gw.meta.name },
    listener: lm.spec.name,
    hostname: lm.spec.hostname ?? null,
    configuredFrom: null,
    configuredFingerprintSha256: null,
    servedMatchesConfigured: null,
    outcome: 'unknown',
    servedFrom: servedFromWords(lm),
    configured: [],
    code: null,
  };
  const leaf = r.chain[0];
  const name = probedName(r);
  const listenerId = `listener ${lm.spec.name} of Gateway ${gw.meta.namespace}/${gw.meta.name}`;
  const served = leaf ? `${shortName(leaf.subject)} (SHA-256 ${short(leaf.fingerprintSha256)}, issued by ${shortName(leaf.issuer)})` : '';
  let finding: ProbeFinding;
  const unknown = (why: string): Comparison => {
    check.why = why;
    return { check, finding: null };
  };
  if (!leaf) return unknown(`no certificate was served (${r.connection.error?.summary ?? 'no handshake'}): nothing to compare with ${check.servedFrom}`);
  const s = lm.served;
  switch (s.type) {
    case 'none':
      return unknown(`${listenerId} is ${lm.spec.protocol}: the Gateway does not terminate TLS there, so the certificate comes from whatever is behind it`);
    case 'secrets': {
      check.configuredFrom = s.refs.map((ref) => `secret ${ref.ref.namespace}/${ref.ref.name}`).join(', ') || null;
      const usable = s.refs.filter((ref) => ref.chain?.certs[0]);
      check.configured = usable.map((ref) => configured(ref.chain!.certs[0]!.cert, `secret ${ref.ref.namespace}/${ref.ref.name}`));
      check.configuredFingerprintSha256 = check.configured[0]?.fingerprintSha256 ?? null;
      if (usable.length === 0) {
        const why = s.refs.length ? s.refs.map((ref) => ref.why).join('; ') : 'the listener has no certificateRefs';
        return unknown(`the configured certificate could not be read: ${why}`);
      }
      const same = check.configured.find((c) => c.fingerprintSha256 === leaf.fingerprintSha256);
      if (same) {
        check.servedMatchesConfigured = true;
        check.outcome = 'same';
        check.why = `the served certificate is the configured one (${same.source})`;
        return { check, finding: null };
      }
      check.servedMatchesConfigured = false;
      check.outcome = 'different';
      check.code = 'GWTLS-PRB-004';
      const c0 = check.configured[0]!;
      const sameNames = c0.subject === leaf.subject && sameSet(c0.sans, [...leaf.sans.dns, ...leaf.sans.ip]);
      const dflt = recognize(leaf).filter((k) => k.kind === 'default');
      const why = sameNames
        ? 'It has the same subject and names but is another certificate: the data plane still serves an older version (a renewal not picked up yet, or a stale proxy).'
        : dflt.length
          ? `It is the ${dflt[0]!.name}: the data plane does not use the configured Secret (${dflt[0]!.note})`
          : 'Something else answers on this address and port (another Gateway or listener, a default certificate), or the data plane has not picked up the configuration.';
      check.why = `the served certificate is not the configured one (${check.configured.map((c) => c.source).join(', ')})`;
      finding = probeFinding(
        'GWTLS-PRB-004',
        endpoint,
        `${listenerId} is configured with ${check.configured.map((c) => `${c.source} (${shortName(c.subject)}, SHA-256 ${short(c.fingerprintSha256)})`).join(', ')}, but ${endpoint}${name ? ` (SNI ${name})` : ''} serves ${served}. ${why}`,
        {
          evidence: [`served leaf: ${leaf.subject}; serial ${leaf.serial}; SHA-256 ${fpWords(leaf.fingerprintSha256)}`, ...check.configured.map((c) => `configured (${c.source}): ${c.subject}; serial ${c.serial}; SHA-256 ${fpWords(c.fingerprintSha256)}`)],
          hint: sameNames ? 'restart or wait for the data plane to reload the Secret; check the controller log' : 'check which Gateway owns this address and port, that the listener is Programmed, and the controller log',
        },
      );
      return { check, finding };
    }
    case 'acm-arn':
    case 'acm-discovery': {
      check.configuredFrom = s.type === 'acm-arn' ? `acm ${s.arns.join(', ')}` : `acm discovery for ${s.hostnames.join(', ') || '(no hostname)'}`;
      const known = recognize(leaf);
      const acm = known.some((k) => k.id === 'aws-acm');
      const covers = name ? leaf.sans.dns.some((d) => sanCovers(d, name)) : null;
      const which = s.type === 'acm-arn' ? `whether it is ${s.arns.join(' or ')}` : 'which ACM certificate discovery chose';
      const coverWords = covers === true ? ` and covers ${name}` : covers === false ? ` but does NOT cover ${name}` : '';
      const dflt = known.filter((k) => k.kind === 'default');
      if (dflt.length === 0) {
        // ACM also holds imported certificates (any CA) and AWS Private CA certificates, and a
        // LoadBalancerConfiguration may name an IAM server certificate: an issuer other than Amazon proves nothing
        // (LBC pkg/certs/cert_discovery.go@v3.5.0 discovers imported and private ACM certificates too).
        check.why = acm
          ? `the served certificate is issued by Amazon (ACM)${coverWords}; ${which} cannot be checked from here (ACM is not readable through the cluster): compare serial ${leaf.serial} in the ACM console`
          : `the served certificate is issued by ${shortName(leaf.issuer)}, not by Amazon${coverWords}: it can still be an imported ACM certificate, an AWS Private CA certificate or an IAM server certificate, so ${which} cannot be told from here (ACM is not readable through the cluster): compare serial ${leaf.serial} in the ACM console (or IAM)`;
        return { check, finding: null };
      }
      check.servedMatchesConfigured = false;
      check.outcome = 'different';
      check.code = 'GWTLS-PRB-004';
      check.why = `the listener takes its certificate from ACM, but the served certificate is the ${dflt[0]!.name}, which no ACM or IAM certificate is`;
      finding = probeFinding(
        'GWTLS-PRB-004',
        endpoint,
        `${listenerId} takes its certificate from ${check.configuredFrom} (${s.type === 'acm-arn' ? s.from : 'the AWS Load Balancer Controller finds it by hostname'}), but ${endpoint} serves ${served}, the ${dflt[0]!.name}: something other than this load balancer answers on the address (${dflt[0]!.note}), or the NLB listener is TCP (passthrough) rather than TLS.`,
        { evidence: [`served leaf: ${leaf.subject}; issuer ${leaf.issuer}`, `configured: ${check.configuredFrom}`], hint: 'check the Gateway Programmed condition and Events (GWTLS-GW-003), and that the address is the load balancer\'s' },
      );
      return { check, finding };
    }
    case 'passthrough': {
      const certs = new Map<string, ProbeConfiguredCertificate>();
      for (const hop of lm.backends) {
        const e = backendTLSEvidence(hop.backend, model.snapshot, model.decoder);
        for (const m of e.certificates) certs.set(m.leaf.cert.fingerprintSha256, configured(m.leaf.cert, `backend pods of ${hop.backend.ref.namespace}/${hop.backend.ref.name} (Secret ${m.secret.meta.namespace}/${m.secret.meta.name})`));
        for (const d of e.observed?.chain.slice(0, 1) ?? []) certs.set(d.cert.fingerprintSha256, configured(d.cert, `backend ${hop.backend.ref.namespace}/${hop.backend.ref.name} (probed through port-forward)`));
      }
      check.configured = [...certs.values()];
      check.configuredFrom = check.configured.length ? check.configured.map((c) => c.source).join(', ') : null;
      check.configuredFingerprintSha256 = check.configured[0]?.fingerprintSha256 ?? null;
      const acm = recognize(leaf).some((k) => k.id === 'aws-acm');
      const same = check.configured.find((c) => c.fingerprintSha256 === leaf.fingerprintSha256);
      if (same) {
        check.servedMatchesConfigured = true;
        check.outcome = 'same';
        check.why = `TLS passes through: the served certificate is the backend's (${same.source})`;
        return { check, finding: null };
      }
      if (check.configured.length === 0 && !acm) return unknown("the backend's certificate is not known (its pods mount no serving certificate the tool can read): cannot tell whether TLS passed through");
      check.servedMatchesConfigured = false;
      check.outcome = 'different';
      check.code = 'GWTLS-PRB-009';
      check.why = 'the served certificate is not the backend\'s: something in front terminated TLS';
      finding = probeFinding(
        'GWTLS-PRB-009',
        endpoint,
        `${listenerId} is TLS Passthrough, so clients should see the backend's certificate${check.configured.length ? ` (${check.configured.map((c) => shortName(c.subject)).join(', ')})` : ''}, but ${endpoint} serves ${served}${acm ? ', an ACM certificate: the AWS load balancer terminates TLS (Passthrough listeners become TLS listeners on AWS Load Balancer Controller up to v3.0; see GWTLS-LBC-004)' : ': the Gateway (or a load balancer in front of it) terminates TLS instead of passing it through'}.`,
        { evidence: [`served leaf: ${leaf.subject}; SHA-256 ${fpWords(leaf.fingerprintSha256)}`, ...check.configured.map((c) => `backend certificate (${c.source}): ${c.subject}; SHA-256 ${fpWords(c.fingerprintSha256)}`)], hint: acm ? 'upgrade the AWS Load Balancer Controller (v3.1+ keeps passthrough as TCP)' : 'check the listener is Programmed with mode Passthrough and no other listener or proxy owns this port' },
      );
      return { check, finding };
    }
  }
}

function sanCovers(san: string, name: string): boolean {
  const s = san.toLowerCase();
  if (!s.startsWith('*.')) return s === name;
  const dot = name.indexOf('.');
  return dot > 0 && name.slice(dot + 1) === s.slice(2);
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** A fingerprint in two halves, so that text reports can wrap it. */
function fpWords(fp: string): string {
  return fp.length > 48 ? `${fp.slice(0, 48)} ${fp.slice(48)}` : fp;
}

function short(fp: string): string {
  return fp.length > 23 ? `${fp.slice(0, 23)}…` : fp;
}
