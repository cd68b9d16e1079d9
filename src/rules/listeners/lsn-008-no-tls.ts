import type { SecretObject } from '../../cluster/objects.ts';
import { fix, FORCE_NOTE, listenerPatch, rawListener } from '../../fixes/builders.ts';
import { certificateCovers, isWildcard } from '../../graph/hostnames.ts';
import type { ListenerModel } from '../../graph/model.ts';
import { isAwsLbc } from '../../graph/providers/aws-lbc.ts';
import type { Fix, Severity } from '../../report/types.ts';
import { sentence } from './words.ts';
import type { Rule, RuleContext } from '../types.ts';
import { gatewayId, listenerField, listenerLabel, listeners, listenerOwner } from '../util.ts';
import { isEnvoyGateway } from './status.ts';

// AWS Load Balancer Controller reads neither certificateRefs nor options; a domain-prefixed option satisfies the
// API server's "certificateRefs or options must be specified when mode is Terminate" (gateway-tls-domain.md §1.4).
const LBC_OPTION = { 'gwtls.dev/certificate-source': 'aws-load-balancer-controller' };

/** The names a certificate on this listener must cover: its hostname, or else the hostnames of routes that target it. */
export function namesToCover(lm: ListenerModel): string[] {
  if (lm.spec.hostname) return [lm.spec.hostname];
  return [...new Set(lm.attachments.flatMap((a) => a.route.obj.hostnames))];
}

function covers(sans: readonly string[], name: string): boolean {
  const c = certificateCovers(sans, name);
  return c.full || (isWildcard(name) && c.by.some((s) => s.toLowerCase() === name.toLowerCase()));
}

/** A valid TLS Secret in the Gateway's namespace whose certificate covers the listener's names and whose key matches. */
export function fittingSecret(ctx: RuleContext, lm: ListenerModel): SecretObject | undefined {
  const names = namesToCover(lm);
  if (names.length === 0) return undefined;
  const fits = ctx.snapshot
    .list('Secret', listenerOwner(lm).meta.namespace)
    .filter((s) => s.type === 'kubernetes.io/tls' && s.tlsCrt !== undefined && s.tlsKey !== undefined)
    .map((s) => ({ s, d: ctx.model.decoder.secret(s) }))
    .filter(({ d }) => {
      const leaf = d.chain.certs[0]?.cert;
      return !!leaf && !leaf.isCA && d.keyMatches === true && new Date(leaf.notBefore) <= ctx.now && new Date(leaf.notAfter) > ctx.now && names.every((n) => covers(leaf.sans.dns, n));
    })
    .sort((a, b) => b.d.chain.certs[0]!.cert.notAfter.localeCompare(a.d.chain.certs[0]!.cert.notAfter) || a.s.meta.name.localeCompare(b.s.meta.name));
  return fits[0]?.s;
}

function tlsFix(ctx: RuleContext, lm: ListenerModel, title: string): Fix[] {
  const { gateway: gm, spec } = lm;
  const raw = rawListener(listenerOwner(lm), spec);
  const tls = (raw.tls ?? {}) as Record<string, unknown>;
  if (isAwsLbc(gm.impl)) {
    raw.tls = { ...tls, mode: 'Terminate', options: { ...((tls.options as object | undefined) ?? {}), ...LBC_OPTION } };
    return [fix(`${title}: Terminate, with an option in place of the certificateRefs the controller ignores`, [listenerPatch(listenerOwner(lm), raw)], { note: `${FORCE_NOTE} The load balancer's certificate comes from LoadBalancerConfiguration listenerConfigurations or ACM discovery.` })];
  }
  const secret = fittingSecret(ctx, lm);
  if (!secret) return [];
  raw.tls = { ...tls, mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: secret.meta.name }] };
  return [fix(`${title}: Terminate with Secret ${secret.meta.namespace}/${secret.meta.name}, whose certificate covers ${namesToCover(lm).join(', ')}`, [listenerPatch(listenerOwner(lm), raw)], { note: FORCE_NOTE })];
}

/** HTTP -> HTTPS and TCP -> TLS when the listener carries a tls section, if every route attached today stays valid. */
function protocolFix(lm: ListenerModel): Fix[] {
  const { gateway: gm, spec } = lm;
  const target = spec.protocol === 'HTTP' ? 'HTTPS' : spec.protocol === 'TCP' ? 'TLS' : undefined;
  const tls = spec.tls;
  if (!target || !tls) return [];
  if (target === 'HTTPS' && tls.mode !== 'Terminate') return [];
  if (tls.mode === 'Terminate' && tls.certificateRefs.length === 0 && Object.keys(tls.options).length === 0) return [];
  const rule = gm.impl.routeKinds(target, tls.mode, gm.features);
  if (rule.unsupportedProtocol || lm.attachments.some((a) => a.result.accepted && !rule.defaults.includes(a.route.obj.kind))) return [];
  const raw = rawListener(listenerOwner(lm), spec);
  raw.protocol = target;
  raw.tls = { ...((raw.tls ?? {}) as Record<string, unknown>), mode: tls.mode };
  return [fix(`make listener ${spec.name} a ${target} listener, as its tls section implies`, [listenerPatch(listenerOwner(lm), raw)], { note: FORCE_NOTE })];
}

interface Verdict {
  severity: Severity;
  field: string;
  cause: string;
  fixes: Fix[];
}

function judge(ctx: RuleContext, lm: ListenerModel): Verdict | null {
  const { spec, gateway: gm } = lm;
  const lbc = isAwsLbc(gm.impl);
  const eg = isEnvoyGateway(gm.impl);
  const tls = spec.tls;
  const dead = eg ? `${gm.impl.name} does not program the listener, so port ${spec.port} serves nothing` : 'the listener has no certificate to terminate TLS with';
  if (spec.protocol === 'HTTPS' || spec.protocol === 'TLS') {
    if (!tls) {
      if (spec.protocol === 'HTTPS' && lbc) return null; // the load balancer's certificate never came from here
      const api = spec.protocol === 'TLS' ? `the API server (Gateway API v1.5 and later) rejects the ${listenerOwner(lm).kind} ("tls mode must be set for protocol TLS"); older versions accept it, but ` : '';
      return { severity: 'error', field: listenerField(lm), cause: `is ${spec.protocol} but has no tls section: ${api}${dead}`, fixes: tlsFix(ctx, lm, `add a tls section to listener ${spec.name}`) };
    }
    if (spec.protocol === 'HTTPS' && tls.mode === 'Passthrough') {
      return { severity: 'error', field: listenerField(lm, 'tls.mode'), cause: 'is HTTPS in Passthrough mode, which the API server rejects ("tls mode must be Terminate for protocol HTTPS"): to pass TLS through to the backend use protocol TLS with a TLSRoute; to terminate it set mode Terminate', fixes: [] };
    }
    if (tls.mode === 'Terminate' && tls.certificateRefs.length === 0 && Object.keys(tls.options).length === 0) {
      return { severity: 'error', field: listenerField(lm, 'tls'), cause: `terminates TLS but has neither certificateRefs nor options: the API server rejects the ${listenerOwner(lm).kind} ("certificateRefs or options must be specified when mode is Terminate"), and ${dead}`, fixes: tlsFix(ctx, lm, `give listener ${spec.name} a certificate`) };
    }
    if (spec.protocol === 'TLS' && !tls.modeSet) {
      const raw = rawListener(listenerOwner(lm), spec);
      raw.tls = { ...((raw.tls ?? {}) as Record<string, unknown>), mode: 'Terminate' };
      return {
        severity: 'warning',
        field: listenerField(lm, 'tls.mode'),
        cause: 'is TLS without tls.mode: Gateway API v1.5 and later reject it ("tls mode must be set for protocol TLS"); older versions default it to Terminate',
        fixes: [fix(`set tls.mode Terminate on listener ${spec.name}, the default it had`, [listenerPatch(listenerOwner(lm), raw)], { note: FORCE_NOTE })],
      };
    }
    return null;
  }
  if (tls && (spec.protocol === 'HTTP' || spec.protocol === 'TCP' || spec.protocol === 'UDP')) {
    const meant = spec.protocol === 'HTTP' ? ' (HTTPS was probably meant)' : spec.protocol === 'TCP' ? ' (TLS was probably meant)' : '';
    return {
      severity: 'error',
      field: listenerField(lm, 'tls'),
      cause: `is ${spec.protocol} but has a tls section${meant}: the API server rejects the ${listenerOwner(lm).kind} ("tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']")${eg ? `, and ${gm.impl.name} does not program the listener` : ''}; no TLS is terminated on port ${spec.port}`,
      fixes: protocolFix(lm),
    };
  }
  return null;
}

export const lsn008: Rule = {
  meta: {
    code: 'GWTLS-LSN-008',
    severity: 'error',
    title: 'Listener without a usable tls section',
    inputs: ['Gateway', 'GatewayClass', 'Secret'],
    description:
      'HTTPS listeners and TLS listeners need a tls section: Terminate mode with certificateRefs (or implementation options), or, for TLS only, Passthrough. HTTP, TCP and UDP listeners must not have one. The API server rejects some of these mistakes and Envoy Gateway refuses the rest; either way the listener terminates no TLS.',
  },
  check(ctx) {
    for (const lm of listeners(ctx.model)) {
      const v = judge(ctx, lm);
      if (!v) continue;
      ctx.report({
        object: listenerOwner(lm),
        field: v.field,
        severity: v.severity,
        message: sentence(`${listenerLabel(lm)} of Gateway ${gatewayId(lm.gateway)} ${v.cause}.${v.fixes.length === 0 && v.severity === 'error' && (lm.spec.protocol === 'HTTPS' || lm.spec.protocol === 'TLS') && lm.spec.tls?.mode !== 'Passthrough' ? ` Create a kubernetes.io/tls Secret for it in namespace ${listenerOwner(lm).meta.namespace} and name it in tls.certificateRefs (mode Terminate).` : ''}`),
        evidence: [`${listenerField(lm)}: protocol ${lm.spec.protocol}${lm.spec.tls ? `, tls.mode ${lm.spec.tls.modeSet ? lm.spec.tls.mode : '(not set)'}, ${lm.spec.tls.certificateRefs.length} certificateRefs, ${Object.keys(lm.spec.tls.options).length} options` : ', no tls section'}`],
        fixes: v.fixes,
        listener: lm,
      });
    }
  },
};
