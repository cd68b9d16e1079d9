// How server-side apply merges the lists and maps of the kinds fixes touch, as their schemas declare it
// (CustomResourceDefinitions: `x-kubernetes-list-type`, `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`;
// core kinds: `patchMergeKey` / `listType` of the built-in OpenAPI). Every list not named here is atomic,
// which is the CRD default. Read from Gateway API v1.6.1 (config/crd/experimental), the AWS Load Balancer
// Controller v3.5.0 gateway CRDs (all their lists are atomic) and Envoy Gateway v1.9.0 (Backend: atomic);
// test/e2e/fixes-schema.test.ts checks the table against the CRDs a real API server serves.

export type ListType = { type: 'map'; keys: string[] } | { type: 'set' } | { type: 'atomic' };

/** Schema paths (field names, `[]` for list items) of the lists that are not atomic, per kind. */
const LISTS: Record<string, Record<string, ListType>> = {
  Gateway: {
    'spec.listeners': { type: 'map', keys: ['name'] },
    'spec.tls.frontend.perPort': { type: 'map', keys: ['port'] },
  },
  ListenerSet: { 'spec.listeners': { type: 'map', keys: ['name'] } },
  Service: { 'spec.ports': { type: 'map', keys: ['port', 'protocol'] } },
  Pod: { 'spec.containers': { type: 'map', keys: ['name'] }, 'spec.volumes': { type: 'map', keys: ['name'] } },
};

/** Lists every kind shares: owner references and finalizers in metadata. */
const COMMON_LISTS: Record<string, ListType> = {
  'metadata.ownerReferences': { type: 'map', keys: ['uid'] },
  'metadata.finalizers': { type: 'set' },
};

/** Maps replaced whole rather than merged key by key (`x-kubernetes-map-type: atomic`). */
const ATOMIC_MAPS: Record<string, readonly string[]> = {
  Gateway: ['spec.listeners[].allowedRoutes.namespaces.selector', 'spec.allowedListeners.namespaces.selector'],
  ListenerSet: ['spec.listeners[].allowedRoutes.namespaces.selector'],
  TargetGroupConfiguration: ['spec.defaultConfiguration.nodeSelector', 'spec.routeConfigurations[].targetGroupProps.nodeSelector'],
};

export function listType(kind: string, schemaPath: string): ListType {
  return LISTS[kind]?.[schemaPath] ?? COMMON_LISTS[schemaPath] ?? { type: 'atomic' };
}

export function isAtomicMap(kind: string, schemaPath: string): boolean {
  return ATOMIC_MAPS[kind]?.includes(schemaPath) ?? false;
}

/** The table itself, for the test that compares it with the CRDs a server serves. */
export function declaredLists(): Readonly<Record<string, Record<string, ListType>>> {
  return LISTS;
}
