import { ENVOY_GROUP } from '../../cluster/kinds.ts';
import { fix, FORCE_NOTE, objectName } from '../../fixes/builders.ts';
import type { ResolvedBackend } from '../../graph/backends.ts';
import type { Implementation } from '../../graph/providers/index.ts';
import type { Fix } from '../../report/types.ts';
import type { Rule, RuleContext } from '../types.ts';
import { backendRefField, backendRefLabel, backendUses, failureConsequence, rawBackendRef, routeBackendRefPatch, routeLabel, type BackendUse } from './uses.ts';

const ENVOY = new Set(['envoy-gateway', 'calico']);
const LBC = new Set(['aws-lbc-nlb', 'aws-lbc-alb']);

/** Backend kinds an implementation accepts, where its source says so (gateway-tls-domain.md BE-007). */
function accepted(impl: Implementation): Array<{ group: string; kind: string }> | null {
  if (ENVOY.has(impl.id)) return [{ group: '', kind: 'Service' }, { group: 'multicluster.x-k8s.io', kind: 'ServiceImport' }, ...impl.backendKinds];
  if (LBC.has(impl.id)) return [{ group: '', kind: 'Service' }, ...impl.backendKinds];
  return null;
}

const DNS_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;

/** Envoy Gateway: an FQDN Backend in the route's namespace replaces the ExternalName Service (as its own error message advises). */
function externalNameFix(use: BackendUse, b: ResolvedBackend): Fix[] {
  const svc = b.service?.found ? b.service.obj : undefined;
  const host = svc?.externalName?.toLowerCase().replace(/\.$/, '');
  if (!svc || !host || !DNS_NAME.test(host) || b.ref.port === undefined) return [];
  const route = use.route.obj;
  const name = objectName(svc.meta.name, 'external');
  const backend = {
    apiVersion: `${ENVOY_GROUP}/v1alpha1`,
    kind: 'Backend',
    metadata: { name, namespace: route.meta.namespace },
    spec: { endpoints: [{ fqdn: { hostname: host, port: b.ref.port } }] },
  };
  const raw = rawBackendRef(route, b.rule, b.index);
  const ref: Record<string, unknown> = { group: ENVOY_GROUP, kind: 'Backend', name };
  if (raw.weight !== undefined) ref.weight = raw.weight;
  return [
    fix(`send rule ${b.rule} to an Envoy Gateway Backend for ${host}:${b.ref.port} instead of ExternalName Service ${svc.meta.name}`, [backend, routeBackendRefPatch(route, b.rule, b.index, ref)], {
      note: `Needs the Envoy Gateway Backend API (extensionApis.enableBackend: true; the Calico operator enables it). ${FORCE_NOTE}`,
    }),
  ];
}

export const be007: Rule = {
  meta: {
    code: 'GWTLS-BE-007',
    severity: 'error',
    title: 'Backend kind not supported by the implementation, or ExternalName Service',
    inputs: ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute', 'Service', 'GatewayClass'],
    description:
      'A backendRef names a kind the Gateway implementation does not route to (ResolvedRefs=False, InvalidKind; HTTP 500 for the rule\'s requests), or an ExternalName Service, which implementations should not follow (CVE-2021-25740): Envoy Gateway refuses it and advises a Backend with an FQDN endpoint. Only core Service is portable: for implementations whose backend kinds the tool does not list, a kind of a group no CustomResourceDefinition serves is an error, any other non-Service kind a warning.',
  },
  check(ctx) {
    for (const use of backendUses(ctx.model)) {
      const b = use.backend;
      const gm = 'gateway' in use.at ? use.at.gateway : undefined;
      const impl = gm?.impl;
      const route = use.route.obj;
      if (b.problems.some((p) => p.problem === 'external-name')) {
        const svc = b.service?.found ? b.service.obj : undefined;
        const known = impl && ENVOY.has(impl.id);
        ctx.report({
          object: route,
          field: backendRefField(b),
          severity: known ? 'error' : 'warning',
          message: `${routeLabel(route)} sends traffic to ExternalName Service ${b.ref.namespace}/${b.ref.name} (${svc?.externalName ?? '?'}), which ${known ? `${impl.name} refuses` : 'implementations should not follow (CVE-2021-25740)'}: ${known ? failureConsequence(route) : 'many refuse it, and then ' + failureConsequence(route)}.${impl && ENVOY.has(impl.id) ? ' Use an Envoy Gateway Backend with an FQDN endpoint instead.' : ' Point the route at a Service with a selector instead.'}`,
          evidence: [`${backendRefField(b)}: ${backendRefLabel(b)}`, `Service ${b.ref.namespace}/${b.ref.name}: type ExternalName, externalName ${svc?.externalName ?? '?'}`],
          fixes: impl && ENVOY.has(impl.id) ? externalNameFix(use, b) : [],
          ...use.at,
        });
        continue;
      }
      if (!impl || (b.type !== 'other' && b.type !== 'envoy-backend')) continue;
      const kinds = accepted(impl);
      if (!kinds) {
        reportForUnlistedImplementation(ctx, use, impl);
        continue;
      }
      if (kinds.some((k) => k.group === b.ref.group && k.kind === b.ref.kind)) continue;
      ctx.report({
        object: route,
        field: backendRefField(b),
        message: `${routeLabel(route)} sends traffic to ${backendRefLabel(b)}, a kind ${impl.name} does not route to (ResolvedRefs=False, InvalidKind): ${failureConsequence(route)}. It accepts ${kinds.map((k) => (k.group ? `${k.kind}.${k.group}` : k.kind)).join(', ')}.`,
        evidence: [`${backendRefField(b)}: group "${b.ref.group}", kind ${b.ref.kind}, name ${b.ref.name}`, `Gateway ${gm.obj.meta.namespace}/${gm.obj.meta.name} is served by ${impl.name}`],
        ...use.at,
      });
    }
  },
};

/**
 * Implementations whose accepted backend kinds are not listed here (the spec profile and those read from
 * conformance reports): only core Service is Core support, everything else is implementation-specific, and a
 * kind the implementation does not know gets ResolvedRefs=False, InvalidKind, and HTTP 500
 * (conformance test HTTPRouteInvalidBackendRefUnknownKind, gateway-api v1.6.1). Certain when no
 * CustomResourceDefinition of the cluster serves the group; otherwise the implementation decides.
 */
function reportForUnlistedImplementation(ctx: RuleContext, use: BackendUse, impl: Implementation): void {
  const b = use.backend;
  const route = use.route.obj;
  // Only a cluster's list is complete: manifests may carry some CRDs and not others.
  const crds = ctx.snapshot.source.type === 'cluster' && ctx.snapshot.state('CustomResourceDefinition').state === 'listed' && ctx.snapshot.count('CustomResourceDefinition') > 0;
  const served = b.ref.group !== '' && ctx.snapshot.list('CustomResourceDefinition').some((c) => c.group === b.ref.group);
  if (served) return;
  const certain = b.ref.group === '' || crds;
  const label = backendRefLabel(b);
  const why =
    b.ref.group === ''
      ? `a core kind other than Service, which no implementation routes to`
      : crds
        ? `a kind of group ${b.ref.group}, which no CustomResourceDefinition in the cluster serves, so no implementation can route to it`
        : `a kind only an implementation that defines it can route to (only core Service is portable), and the tool does not know whether ${impl.id === 'generic' ? 'this implementation' : impl.name} does`;
  ctx.report({
    object: route,
    field: backendRefField(b),
    severity: certain ? 'error' : 'warning',
    message: `${routeLabel(route)} sends traffic to ${label}, ${why}: a conformant implementation that does not know the kind sets ResolvedRefs=False, reason InvalidKind, on the route, and ${failureConsequence(route)}. Point the rule at a Service${certain ? '' : ', or make sure the implementation documents this kind as a backend'}.`,
    evidence: [`${backendRefField(b)}: group "${b.ref.group}", kind ${b.ref.kind}, name ${b.ref.name}`, crds ? `CustomResourceDefinitions read: none in group ${b.ref.group || '(core)'}` : 'CustomResourceDefinitions were not read (manifests): whether the kind exists is unknown', 'conformance: HTTPRouteInvalidBackendRefUnknownKind (gateway-api v1.6.1) expects ResolvedRefs=False, InvalidKind and HTTP 500'],
    ...use.at,
  });
}
