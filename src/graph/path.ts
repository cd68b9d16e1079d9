// The per-listener TLS path: which hop terminates, originates or passes TLS through, with which certificate,
// verified or not, and whether it works, in a sentence per hop.
import type { Cert, Hop } from '../report/types.ts';
import { certificateCovers } from './hostnames.ts';
import { chainSummary } from './cert-manager.ts';
import type { CertRef } from './listener-certs.ts';
import { describeListener } from './listener-sets.ts';
import type { BackendHop, ListenerModel } from './model.ts';

export function describeCert(c: Cert): string {
  const names = c.sans.dns.length ? c.sans.dns.slice(0, 3).join(', ') + (c.sans.dns.length > 3 ? ', …' : '') : `CN=${c.commonName ?? '?'} (no DNS SAN)`;
  return `${names}; expires ${c.notAfter.slice(0, 10)}`;
}

/** Why a certificate ref cannot serve this listener, or null when it can. */
export function certificateProblem(ref: CertRef, hostname: string | undefined, now: Date): string | null {
  if (ref.state !== 'ok') return ref.why;
  const leaf = ref.chain!.certs[0]!.cert;
  if (new Date(leaf.notAfter) < now) return `certificate in ${ref.why} expired on ${leaf.notAfter.slice(0, 10)}`;
  if (new Date(leaf.notBefore) > now) return `certificate in ${ref.why} is not valid before ${leaf.notBefore.slice(0, 10)}`;
  if (ref.keyMatches === false) return `tls.key in ${ref.why} is not the private key of its certificate`;
  if (ref.keyMatches === null) return `tls.key in ${ref.why}: ${ref.keyError ?? 'unreadable'}`;
  if (hostname && !certificateCovers(leaf.sans.dns, hostname).partial) return `certificate in ${ref.why} (${describeCert(leaf)}) does not cover ${hostname}`;
  return null;
}

export function listenerPath(lm: ListenerModel, now: Date): Hop[] {
  const lb = lm.gateway.impl.dataPlane === 'load-balancer';
  const front = lb ? 'client->lb' : 'client->gateway';
  const back = lb ? 'lb->backend' : 'gateway->backend';
  const hops: Hop[] = [frontHop(lm, front, now)];
  const attached = lm.attachments.filter((a) => a.result.accepted);
  if (attached.length === 0) {
    const rejected = lm.attachments.length ? ` (${lm.attachments.length} route${lm.attachments.length > 1 ? 's' : ''} target it but cannot attach)` : '';
    // Routes not read (a kind the listener accepts is not in the files): whether any attaches is not known.
    const why = lm.routesNotRead
      ? `no route read attaches to this listener${rejected}, but not every route that could was read (${lm.routesNotRead})`
      : `no route is attached to this listener${rejected}: connections have nowhere to go`;
    hops.push({ hop: back, tls: 'unknown', certificate: null, verified: null, ok: lm.routesNotRead ? null : false, why, from: lb ? 'load balancer' : 'gateway', to: 'nothing' });
    return hops;
  }
  const seen = new Set<string>();
  for (const b of lm.backends) {
    const id = `${b.backend.ref.kind}/${b.backend.ref.namespace}/${b.backend.ref.name}:${b.backend.ref.port ?? ''}`;
    if (seen.has(id)) continue;
    seen.add(id);
    hops.push(backHop(b, back, lb));
  }
  if (lm.backends.length === 0) {
    hops.push({ hop: back, tls: 'unknown', certificate: null, verified: null, ok: false, why: 'the attached routes have no backendRefs', from: lb ? 'load balancer' : 'gateway', to: 'nothing' });
  }
  return hops;
}

function frontHop(lm: ListenerModel, hop: string, now: Date): Hop {
  const { spec, served, gateway } = lm;
  const who = gateway.impl.dataPlane === 'load-balancer' ? 'the load balancer' : 'the gateway';
  const base = { hop, from: 'client', to: gateway.impl.dataPlane === 'load-balancer' ? 'load balancer' : `listener ${spec.name}` };
  if (lm.kinds.unsupportedProtocol) return { ...base, tls: 'unknown', certificate: null, verified: null, ok: false, why: lm.kinds.unsupportedProtocol };
  if (lm.conflict) return { ...base, tls: 'unknown', certificate: null, verified: null, ok: false, why: `the listener is refused (Conflicted, ${lm.conflict.reason}): ${lm.conflict.why}, and ${describeListener(lm.conflict.with)} takes precedence` };
  switch (served.type) {
    case 'none':
      if (spec.protocol === 'HTTPS' || spec.protocol === 'TLS') {
        return { ...base, tls: 'terminate', certificate: null, verified: null, ok: false, why: `${spec.protocol} listener without a tls section: nothing to terminate TLS with` };
      }
      return { ...base, tls: 'none', certificate: null, verified: null, ok: true, why: `plaintext ${spec.protocol}: no TLS on this hop` };
    case 'passthrough':
      return { ...base, tls: 'passthrough', certificate: null, verified: null, ok: true, why: `${who} routes by SNI${spec.hostname ? ` (${spec.hostname})` : ''} and forwards the TLS session untouched; the backend terminates it` };
    case 'acm-arn':
      return { ...base, tls: 'terminate', certificate: served.arns[0]!, verified: null, ok: true, why: `${who} terminates TLS with ACM certificate ${served.arns[0]} from ${served.from} ${served.entry}; listener certificateRefs are ignored` };
    case 'acm-discovery':
      if (served.hostnames.length === 0) {
        return { ...base, tls: 'terminate', certificate: null, verified: null, ok: false, why: `no certificate: no LoadBalancerConfiguration listenerConfigurations entry for ${spec.protocol}:${spec.port}, and no hostname for ACM discovery (the controller fails with "No hostnames found for TLS cert discovery")` };
      }
      return { ...base, tls: 'terminate', certificate: `ACM discovery: ${served.hostnames.join(', ')}`, verified: null, ok: null, why: `${who} terminates TLS with an ACM certificate the controller discovers for ${served.hostnames.join(', ')} (no listenerConfigurations entry for ${spec.protocol}:${spec.port}); listener certificateRefs are ignored` };
    case 'secrets': {
      if (served.refs.length === 0) {
        const opts = Object.keys(spec.tls?.options ?? {});
        return { ...base, tls: 'terminate', certificate: null, verified: null, ok: opts.length ? null : false, why: opts.length ? `no certificateRefs; the implementation is expected to find a certificate through tls.options (${opts.join(', ')})` : 'Terminate listener without certificateRefs: no certificate to serve' };
      }
      const usable = served.refs.filter((r) => certificateProblem(r, spec.hostname, now) === null);
      const unknown = served.refs.filter((r) => r.state === 'unknown');
      const first = usable[0] ?? served.refs[0]!;
      const leaf = first.chain?.certs[0]?.cert;
      const certificate = leaf ? `${first.why}: ${describeCert(leaf)}` : `Secret ${first.ref.namespace}/${first.ref.name}`;
      if (usable.length > 0) return { ...base, tls: 'terminate', certificate, verified: null, ok: true, why: `${who} terminates TLS with ${certificate}` };
      if (unknown.length === served.refs.length) return { ...base, tls: 'terminate', certificate, verified: null, ok: null, why: `${who} terminates TLS with Secret ${first.ref.namespace}/${first.ref.name}, which could not be checked: ${unknown[0]!.why}` };
      const problems = served.refs.map((r) => certificateProblem(r, spec.hostname, now)).filter(Boolean);
      // Why cert-manager did not provide (or renew) it, when it was meant to.
      const issuance = lm.issuance.filter((c) => c.cause || !c.certificate).map(chainSummary);
      return { ...base, tls: 'terminate', certificate, verified: null, ok: false, why: `${who} has no usable certificate: ${[...problems, ...issuance].join('; ')}` };
    }
  }
}

function backHop(b: BackendHop, hop: string, lb: boolean): Hop {
  const { backend, tls } = b;
  const target = `${backend.ref.kind === 'Service' ? 'Service' : backend.ref.kind} ${backend.ref.namespace}/${backend.ref.name}${backend.ref.port !== undefined ? `:${backend.ref.port}` : ''}`;
  const mode = tls.tls.mode === 'tls' ? (tls.tls.by.startsWith('passthrough') ? 'passthrough' : 'originate') : tls.tls.mode === 'none' ? 'none' : 'unknown';
  const out: Hop = { hop, tls: mode, certificate: null, verified: mode === 'originate' ? tls.tls.verified : null, ok: null, why: tls.why, from: lb ? 'load balancer' : 'gateway', to: target };
  if (backend.resolved === false) {
    out.ok = false;
    out.why = `${target} cannot be used: ${backend.why}`;
  } else if (tls.ok === false) {
    out.ok = false;
  } else if (backend.endpoints && backend.endpoints.ready === 0) {
    out.ok = false;
    out.why = `${tls.why}; but ${target} has no ready endpoints (${backend.endpoints.total} total)`;
  } else if (backend.resolved === null) {
    out.ok = null;
    out.why = `${tls.why}; ${backend.why}`;
  } else {
    out.ok = true;
    if (backend.endpoints) out.why = `${tls.why}; ${backend.endpoints.ready}/${backend.endpoints.total} endpoints ready`;
  }
  return out;
}
