import { apiVersionFor, groupOf, KINDS, ROUTE_KINDS, versionOf, type KindName } from '../../cluster/kinds.ts';
import type { AnyObject, RouteObject } from '../../cluster/objects.ts';
import { fix } from '../../fixes/builders.ts';
import type { GatewayModel, Model } from '../../graph/model.ts';
import type { Fix } from '../../report/types.ts';
import type { Rule, RuleContext } from '../types.ts';
import { convert, KINDS_WITH_OUTDATED_VERSIONS, outdated, type OutdatedVersion } from './api-versions.ts';
import { namespaceInScope } from './scope.ts';
import { versionServed } from './served.ts';

const REPLACE_NOTE = 'Replace the manifest where it is kept (Git, Helm chart); the object keeps its name, so kubectl apply --server-side updates it in place.';

function gatewaysOf(model: Model, obj: AnyObject): GatewayModel[] {
  const route = model.routes.find((r) => r.obj === obj);
  if (!route) return [];
  const out: GatewayModel[] = [];
  for (const p of route.parents) {
    let gm = p.gateway?.found ? model.gateways.find((g) => g.obj === (p.gateway as { obj: unknown }).obj) : undefined;
    // A parentRef in the wrong namespace still shows which implementation the route is written for.
    if (!gm && p.gateway && !p.gateway.found) {
      const named = model.gateways.filter((g) => g.obj.meta.name === p.ref.name);
      if (named.length === 1) gm = named[0];
    }
    if (gm && !out.includes(gm)) out.push(gm);
  }
  return out;
}

const routeObjects = new WeakMap<Model, Set<unknown>>();

function inScope(model: Model, obj: AnyObject): boolean {
  let routes = routeObjects.get(model);
  if (!routes) routeObjects.set(model, (routes = new Set(model.routes.map((r) => r.obj))));
  if (routes.has(obj)) return true;
  return !(ROUTE_KINDS as readonly string[]).includes(obj.kind) && namespaceInScope(model, obj.meta.namespace);
}

/** Who still needs the old version, or stops working without the new one (gateway-tls-domain.md §2.1-2.3, §2.6). */
function whoCares(obj: AnyObject, version: string, gateways: GatewayModel[]): string[] {
  const impls = new Set(gateways.map((g) => g.impl.id));
  const notes: string[] = [];
  if (obj.kind === 'TCPRoute' || obj.kind === 'UDPRoute') {
    if (impls.has('aws-lbc-nlb')) notes.push(`AWS Load Balancer Controller up to v3.4 reads ${obj.kind} at v1alpha2 (from the Experimental CRDs), v3.5 reads v1 and switches its NLB gateway support off when v1 is not served: keep v1alpha2 only while you run v3.4 or older`);
    if (impls.has('envoy-gateway')) notes.push(`Envoy Gateway v1.9 reads ${obj.kind} at v1 and silently skips routes when the v1.6 CRDs are missing`);
    if (impls.has('calico')) notes.push(`the Gateway API version table of Calico Enterprise v3.21 lists ${obj.kind} v1alpha2 only, so v1alpha2 is right for that Calico release; once the cluster carries the Gateway API v1.6 Standard CRDs only v1 is served, and Envoy Gateway v1.9 underneath reads v1`);
    if (obj.kind === 'TCPRoute' && Object.keys(obj.meta.annotations).some((k) => k.startsWith('external-dns.'))) {
      notes.push('external-dns (through v0.22) lists TCPRoutes at v1alpha2: at v1 this route is invisible to it unless the cluster also serves v1alpha2 (the Experimental bundle); see GWTLS-DNS-003');
    }
  } else if (obj.kind === 'TLSRoute') {
    if (impls.has('aws-lbc-nlb')) notes.push('AWS Load Balancer Controller reads TLSRoute at v1 from v3.2 (v3.1 and older read v1alpha2)');
    if (impls.has('calico')) notes.push(`the Gateway API version table of Calico Enterprise v3.21 lists TLSRoute v1alpha2 only, so ${version} matches that Calico release; Gateway API v1.5+ Standard CRDs serve only v1`);
  } else if (obj.kind === 'LoadBalancerConfiguration' || obj.kind === 'TargetGroupConfiguration') {
    notes.push('AWS Load Balancer Controller v3.4 and older serve only v1beta1: keep v1beta1 while you run them; v3.5 serves v1 and still accepts v1beta1');
  }
  return notes;
}

function hostnamesFor(model: Model, route: RouteObject | undefined): string[] {
  const rm = model.routes.find((r) => r.obj === route);
  if (!rm) return [];
  const listeners = rm.parents.flatMap((p) => p.listeners.filter((l) => l.selected && l.kindAllowed).map((l) => l.listener));
  if (listeners.length === 0 || listeners.some((l) => !l.hostname)) return [];
  return [...new Set(listeners.map((l) => l.hostname!))];
}

function checkFile(ctx: RuleContext, obj: AnyObject, old: OutdatedVersion, version: string): void {
  const gateways = gatewaysOf(ctx.model, obj);
  const target = apiVersionFor(KINDS[obj.kind], old.target);
  const converted = convert(obj, old.target, () => hostnamesFor(ctx.model, obj.kind === 'TLSRoute' ? (obj as RouteObject) : undefined));
  const fixes: Fix[] = [];
  const evidence = [`apiVersion: ${obj.apiVersion}`];
  if ('doc' in converted) {
    fixes.push(fix(`rewrite ${obj.kind} ${obj.meta.name} at ${target}`, [converted.doc], { note: REPLACE_NOTE }));
    evidence.push(...converted.changes.slice(1).map((c) => `conversion: ${c}`));
  } else {
    evidence.push(`no automatic conversion: ${converted.problem}`);
  }
  const notes = whoCares(obj, version, gateways);
  ctx.report({
    object: obj,
    field: 'apiVersion',
    message: `${obj.kind} ${obj.meta.namespace ? `${obj.meta.namespace}/` : ''}${obj.meta.name} is written at ${obj.apiVersion}, ${old.why}: ${old.consequence}; write it at ${target}.${notes.length ? ` Note: ${notes.join('; ')}.` : ''}`,
    evidence,
    fixes,
    ...(gateways.length === 1 ? { gateway: gateways[0]! } : {}),
  });
}

/** In a cluster, objects are read at a served version; who wrote them at an outdated one shows in managedFields and last-applied. */
function checkCluster(ctx: RuleContext, obj: AnyObject): void {
  const group = KINDS[obj.kind].group;
  const writers: Array<{ who: string; version: string }> = [];
  const meta = (obj.raw.metadata ?? {}) as Record<string, unknown>;
  for (const mf of Array.isArray(meta.managedFields) ? (meta.managedFields as Array<Record<string, unknown>>) : []) {
    const av = typeof mf.apiVersion === 'string' ? mf.apiVersion : '';
    if (groupOf(av) !== group || !outdated(obj.kind, versionOf(av))) continue;
    writers.push({ who: `field manager ${String(mf.manager ?? '?')}${mf.subresource === 'status' ? ' (status: the controller reads this version)' : ''}`, version: versionOf(av) });
  }
  const applied = obj.meta.annotations['kubectl.kubernetes.io/last-applied-configuration'];
  if (applied) {
    try {
      const av = (JSON.parse(applied) as { apiVersion?: unknown }).apiVersion;
      if (typeof av === 'string' && groupOf(av) === group && outdated(obj.kind, versionOf(av))) writers.push({ who: 'the manifest last applied with kubectl apply', version: versionOf(av) });
    } catch {
      // Not JSON: nothing to learn from it.
    }
  }
  if (writers.length === 0) return;
  const versions = [...new Set(writers.map((w) => w.version))];
  const first = outdated(obj.kind, versions[0]!)!;
  const gone = versions.filter((v) => versionServed(ctx.snapshot, obj.kind as KindName, v) === false);
  const target = apiVersionFor(KINDS[obj.kind], first.target);
  const gateways = gatewaysOf(ctx.model, obj);
  ctx.report({
    object: obj,
    field: 'metadata.managedFields',
    message: `${obj.kind} ${obj.meta.namespace}/${obj.meta.name} is still written at ${versions.map((v) => apiVersionFor(KINDS[obj.kind], v)).join(', ')} by ${writers.map((w) => w.who).join(', ')}: ${versions[0]} is ${first.why}. ${gone.length ? `This cluster no longer serves ${gone.join(', ')}, so their next write fails.` : 'Those writers fail once the version is no longer served.'} Change them to ${target}.`,
    evidence: writers.map((w) => `${w.who}: ${apiVersionFor(KINDS[obj.kind], w.version)}`),
    ...(gateways.length === 1 ? { gateway: gateways[0]! } : {}),
  });
}

export const plat001: Rule = {
  meta: {
    code: 'GWTLS-PLAT-001',
    severity: 'warning',
    title: 'Object written at an API version current releases no longer serve',
    inputs: KINDS_WITH_OUTDATED_VERSIONS,
    description:
      'Gateway API moved TLSRoute (v1.5), TCPRoute and UDPRoute (v1.6) and BackendTLSPolicy (v1.4) to v1 and serves their alpha versions only in the Experimental channel; v1alpha2 of BackendTLSPolicy is gone since v1.1 (v1alpha3 only), that of GRPCRoute and ReferenceGrant since v1.2; the AWS Load Balancer Controller deprecated gateway.k8s.aws/v1beta1 in v3.5. Manifests at those versions fail to apply ("no matches for kind") where the version is not served, and controllers built for the new version do not see them.',
  },
  check(ctx) {
    for (const kind of KINDS_WITH_OUTDATED_VERSIONS) {
      for (const obj of ctx.snapshot.list(kind)) {
        if (!inScope(ctx.model, obj)) continue;
        if (ctx.snapshot.source.type === 'cluster') {
          checkCluster(ctx, obj);
          continue;
        }
        const version = versionOf(obj.apiVersion);
        const old = outdated(kind, version);
        if (old) checkFile(ctx, obj, old, version);
      }
    }
  },
};
