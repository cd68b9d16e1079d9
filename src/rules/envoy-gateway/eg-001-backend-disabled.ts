import * as yaml from 'js-yaml';
import { fix, FORCE_NOTE, identity } from '../../fixes/builders.ts';
import type { GatewayModel, RouteModel } from '../../graph/model.ts';
import type { Fix } from '../../report/types.ts';
import type { Rule, RuleContext } from '../types.ts';
import { CONFIG_KEY, envoyConfig, isEnvoyGateway, type EnvoyConfig } from './config.ts';

function gatewaysOf(ctx: RuleContext, r: RouteModel): GatewayModel[] {
  return ctx.model.gateways.filter((g) => isEnvoyGateway(g) && r.parents.some((p) => p.gateway?.found && p.gateway.obj === g.obj));
}

/**
 * What the controller itself says: route ResolvedRefs=False because the API is off. On Kubernetes the provider
 * skips Backends entirely while the API is off (internal/provider/kubernetes/controller.go, backendAPIDisabled),
 * so they get no status at all; only providers that hand Backends to the translator anyway (standalone) write
 * Accepted=False "Backend is not enabled" on them (internal/gatewayapi/backend.go, ProcessBackends).
 */
function statusProof(r: RouteModel): string[] {
  const out: string[] = [];
  for (const p of r.obj.parents) for (const c of p.conditions) if (c.status === 'False' && /Backend is disabled/i.test(c.message ?? '')) out.push(`route status: ${c.type}=False, reason ${c.reason ?? ''}: ${c.message}`);
  for (const b of r.backends) {
    const obj = b.envoyBackend?.found ? b.envoyBackend.obj : undefined;
    for (const c of obj?.conditions ?? []) if (c.status === 'False' && /not enabled/i.test(c.message ?? '')) out.push(`Backend ${obj!.meta.namespace}/${obj!.meta.name} status: ${c.type}=False: ${c.message}`);
  }
  return out;
}

/** Backends without any status although the route's status was written: what a disabled Backend API looks like on Kubernetes. */
function silentBackends(r: RouteModel): string[] {
  if (!r.obj.parents.some((p) => p.conditions.length > 0)) return [];
  const out: string[] = [];
  for (const b of r.backends) {
    const obj = b.envoyBackend?.found ? b.envoyBackend.obj : undefined;
    if (obj && obj.conditions.length === 0) out.push(`Backend ${obj.meta.namespace}/${obj.meta.name} has no status: with the Backend API off, Envoy Gateway on Kubernetes does not process Backends at all`);
  }
  return out;
}

function enableFix(cfg: EnvoyConfig): Fix | undefined {
  if (!cfg.parsed) return undefined;
  const next = structuredClone(cfg.parsed);
  next.extensionApis = { ...((next.extensionApis as Record<string, unknown> | undefined) ?? {}), enableBackend: true };
  const doc = { ...identity(cfg.configMap), data: { [CONFIG_KEY]: yaml.dump(next, { lineWidth: -1 }) } };
  return fix(`set extensionApis.enableBackend: true in ConfigMap ${cfg.configMap.meta.namespace}/${cfg.configMap.meta.name}`, [doc], {
    note: `${FORCE_NOTE} Restart the controller afterwards (kubectl -n ${cfg.configMap.meta.namespace} rollout restart deployment/envoy-gateway); Helm installs set config.envoyGateway.extensionApis.enableBackend in their values instead.`,
  });
}

export const eg001: Rule = {
  meta: {
    code: 'GWTLS-EG-001',
    severity: 'error',
    title: 'Route uses an Envoy Gateway Backend while the Backend API is disabled',
    inputs: ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'Backend', 'Gateway', 'GatewayClass'],
    description:
      'Envoy Gateway ships with its Backend API off: a backendRef to a gateway.envoyproxy.io Backend is refused (route ResolvedRefs=False, "Backend is disabled in Envoy Gateway configuration") until extensionApis.enableBackend is true in the envoy-gateway-config ConfigMap and the controller restarts; on Kubernetes the Backends themselves are skipped and get no status. The Calico (Tigera) operator turns the API on for Calico Ingress Gateway from operator v1.38.0. Without the ConfigMap nothing is reported for manifests; a cluster whose ConfigMap could not be read gets a note.',
  },
  check(ctx) {
    const cfg = envoyConfig(ctx.snapshot);
    for (const r of ctx.model.routes) {
      const refs = r.backends.filter((b) => b.type === 'envoy-backend');
      if (refs.length === 0) continue;
      const gateways = gatewaysOf(ctx, r);
      if (gateways.length === 0) continue;
      const calico = gateways.every((g) => g.impl.id === 'calico');
      const first = refs[0]!;
      const where = `spec.rules[${first.rule}].backendRefs[${first.index}]`;
      const names = refs.map((b) => `Backend ${b.ref.namespace}/${b.ref.name}`).join(', ');
      const proof = statusProof(r);
      const base = { object: r.obj, field: where, ...(gateways.length === 1 ? { gateway: gateways[0]! } : {}) };
      if (proof.length > 0 || (cfg && !cfg.enableBackend)) {
        const fixes: Fix[] = [];
        const f = cfg && !cfg.enableBackend && !calico ? enableFix(cfg) : undefined;
        if (f) fixes.push(f);
        const source = cfg ? `ConfigMap ${cfg.configMap.meta.namespace}/${cfg.configMap.meta.name} ${cfg.error ? `(${cfg.error})` : `sets extensionApis.enableBackend: ${String(((cfg.parsed?.extensionApis as Record<string, unknown> | undefined) ?? {}).enableBackend ?? 'nothing (default false)')}`}` : '';
        ctx.report({
          ...base,
          message: `${r.obj.kind} ${r.obj.meta.namespace}/${r.obj.meta.name} sends traffic to ${names}, but the Envoy Gateway Backend API is disabled: the controller refuses these backendRefs (ResolvedRefs=False, "Backend is disabled in Envoy Gateway configuration") and the route's traffic to them fails.${calico ? ' The Tigera operator enables the Backend API from v1.38.0; an older operator, or a ConfigMap edited by hand, leaves it off.' : ' Set extensionApis.enableBackend: true and restart the controller.'}`,
          evidence: [...proof, ...silentBackends(r), ...(source ? [source] : [])],
          fixes,
        });
        continue;
      }
      if (cfg || ctx.snapshot.source.type !== 'cluster') continue;
      ctx.report({
        ...base,
        severity: 'info',
        message: calico
          ? `${r.obj.kind} ${r.obj.meta.namespace}/${r.obj.meta.name} uses ${names}; on Calico Ingress Gateway the Tigera operator (v1.38.0 and later) enables the Envoy Gateway Backend API, so no action is needed there. The envoy-gateway-config ConfigMap could not be read to confirm it.`
          : `${r.obj.kind} ${r.obj.meta.namespace}/${r.obj.meta.name} uses ${names}, which works only when the Envoy Gateway Backend API is enabled (it is off by default); the envoy-gateway-config ConfigMap could not be read to confirm it.`,
        evidence: ['looked for ConfigMap envoy-gateway-config in envoy-gateway-system, calico-system and tigera-gateway'],
      });
    }
  },
};
