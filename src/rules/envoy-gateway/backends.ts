// Envoy Gateway Backends in scope, and the BackendTLSPolicies that target them (a policy's settings merge into
// the Backend's and win on overlapping fields: internal/gatewayapi/backendtlspolicy.go).
import { ENVOY_GROUP } from '../../cluster/kinds.ts';
import type { BackendTLSPolicyObject, EnvoyBackendObject } from '../../cluster/objects.ts';
import type { Model } from '../../graph/model.ts';
import { namespaceInScope } from '../platform/scope.ts';

export function backendsInScope(model: Model): EnvoyBackendObject[] {
  const referenced = new Set<EnvoyBackendObject>();
  for (const r of model.routes) for (const b of r.backends) if (b.envoyBackend?.found) referenced.add(b.envoyBackend.obj);
  for (const b of model.snapshot.list('Backend')) if (namespaceInScope(model, b.meta.namespace)) referenced.add(b);
  return [...referenced];
}

export function policiesForBackend(model: Model, b: EnvoyBackendObject): BackendTLSPolicyObject[] {
  return model.snapshot.list('BackendTLSPolicy', b.meta.namespace).filter((p) => p.targetRefs.some((t) => t.group === ENVOY_GROUP && t.kind === 'Backend' && t.name === b.meta.name));
}

export function backendId(b: EnvoyBackendObject): string {
  return `Backend ${b.meta.namespace}/${b.meta.name}`;
}
