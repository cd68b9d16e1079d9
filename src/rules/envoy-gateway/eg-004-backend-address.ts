import { isIP } from 'node:net';
import type { EnvoyBackendObject } from '../../cluster/objects.ts';
import { fix, FORCE_NOTE, identity } from '../../fixes/builders.ts';
import type { Fix } from '../../report/types.ts';
import type { Rule, RuleContext } from '../types.ts';
import { backendId, backendsInScope } from './backends.ts';

function loopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || /^localhost\.?$/i.test(address) || /\.localhost\.?$/i.test(address);
}

/** The Backend's endpoints (an atomic list) with one entry replaced. */
function replaceEndpoint(b: EnvoyBackendObject, index: number, entry: Record<string, unknown>): object {
  const raw = structuredClone((((b.raw.spec ?? {}) as Record<string, unknown>).endpoints ?? []) as Array<Record<string, unknown>>);
  raw[index] = entry;
  return { ...identity(b), spec: { endpoints: raw } };
}

function problemOf(ctx: RuleContext, b: EnvoyBackendObject, index: number): { why: string; fixes: Fix[] } | undefined {
  const e = b.endpoints[index]!;
  const ns = b.meta.namespace;
  if (e.fqdn) {
    const h = e.fqdn.hostname;
    const port = e.fqdn.port;
    if (loopback(h)) return { why: `fqdn ${h} is the loopback name, which Envoy Gateway forbids (it would reach the proxy itself)`, fixes: [] };
    if (isIP(h)) {
      const ip: Record<string, unknown> = { address: h };
      if (port !== undefined) ip.port = port;
      return { why: `fqdn ${h} is an IP address; Envoy Gateway refuses it (InvalidAddress): IPs go in an ip endpoint`, fixes: [fix(`move ${h} to an ip endpoint`, [replaceEndpoint(b, index, { ip })], { note: FORCE_NOTE })] };
    }
    if (!h.includes('.')) {
      const svc = ctx.snapshot.get('Service', ns, h);
      const fixes: Fix[] = [];
      if (svc) {
        const fqdn: Record<string, unknown> = { hostname: `${h}.${ns}.svc.cluster.local` };
        if (port !== undefined) fqdn.port = port;
        fixes.push(fix(`use the Service's full name ${h}.${ns}.svc.cluster.local`, [replaceEndpoint(b, index, { fqdn })], { note: `${FORCE_NOTE} cluster.local is the default cluster domain; use yours if it differs.` }));
      }
      return { why: `fqdn ${h} is a single label; Envoy Gateway requires a DNS name of at least two labels (InvalidAddress)${svc ? `, for Service ${ns}/${h} that is ${h}.${ns}.svc.cluster.local` : ''}`, fixes };
    }
  }
  if (e.ip && loopback(e.ip.address)) return { why: `ip ${e.ip.address} is a loopback address, which Envoy Gateway forbids`, fixes: [] };
  return undefined;
}

export const eg004: Rule = {
  meta: {
    code: 'GWTLS-EG-004',
    severity: 'error',
    title: 'Envoy Gateway Backend endpoint address rejected',
    inputs: ['Backend', 'Service'],
    description:
      'Envoy Gateway validates Backend endpoints: an fqdn must be a DNS name of at least two labels and not an IP address, and loopback names and addresses are forbidden. A Backend that fails is not accepted (reason InvalidAddress on the routes using it), so traffic to it fails.',
  },
  check(ctx) {
    for (const b of backendsInScope(ctx.model)) {
      b.endpoints.forEach((_, i) => {
        const p = problemOf(ctx, b, i);
        if (!p) return;
        ctx.report({
          object: b,
          field: `spec.endpoints[${i}]`,
          message: `${backendId(b)} endpoint ${i} is refused: ${p.why}. Routes using the Backend get no traffic through it.`,
          evidence: b.conditions.filter((c) => c.status === 'False').map((c) => `status: ${c.type}=False, reason ${c.reason ?? ''}: ${c.message ?? ''}`),
          fixes: p.fixes,
        });
      });
    }
  },
};
