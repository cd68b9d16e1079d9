import { ENVOY_GROUP } from '../../cluster/kinds.ts';
import { fix, FORCE_NOTE, objectName } from '../../fixes/builders.ts';
import type { ResolvedBackend } from '../../graph/backends.ts';
import type { Implementation } from '../../graph/providers/index.ts';
import type { Fix } from '../../report/types.ts';
import type { Rule } from '../types.ts';
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
      'A backendRef names a kind the Gateway implementation does not route to (ResolvedRefs=False, InvalidKind), or an ExternalName Service, which implementations should not follow (CVE-2021-25740): Envoy Gateway refuses it and advises a Backend with an FQDN endpoint.',
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
      if (!kinds || kinds.some((k) => k.group === b.ref.group && k.kind === b.ref.kind)) continue;
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
