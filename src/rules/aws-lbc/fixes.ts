// Fixes through TargetGroupConfiguration: set the target-group protocol for one Service, on its own TGC when it
// has one, or in a new TGC that targets it (gateway-tls-domain.md §2.1).
import { LBC_GROUP } from '../../cluster/kinds.ts';
import type { ServiceObject } from '../../cluster/objects.ts';
import type { Snapshot } from '../../cluster/snapshot.ts';
import { fix, FORCE_NOTE, identity, objectName } from '../../fixes/builders.ts';
import type { BackendHop } from '../../graph/model.ts';
import type { Fix } from '../../report/types.ts';

export const LBC_VERSION_NOTE = 'gateway.k8s.aws/v1 is served from AWS Load Balancer Controller v3.5; on v3.4 and older write gateway.k8s.aws/v1beta1 (same fields).';

/** The version new LBC objects are written at: what the cluster serves, else v1. */
export function lbcApiVersion(snapshot: Snapshot): string {
  const v = snapshot.source.type === 'cluster' ? snapshot.source.kinds?.TargetGroupConfiguration : undefined;
  return `${LBC_GROUP}/${v ?? 'v1'}`;
}

export function targetProtocolFix(snapshot: Snapshot, hop: BackendHop, svc: ServiceObject, protocol: 'TCP' | 'TLS', why: string): Fix | undefined {
  const choice = hop.tls.targetGroup;
  const route = hop.attachment.route.obj;
  const own = choice?.tgc?.targetReference?.name === svc.meta.name && choice.tgc.meta.namespace === svc.meta.namespace ? choice.tgc : undefined;
  if (own) {
    // A routeConfigurations entry for this route would still override the default.
    const perRoute = own.routeConfigurations.some((rc) => rc.routeIdentifier.name === route.meta.name && rc.targetGroupProps.protocol);
    if (perRoute) return undefined;
    const doc = { ...identity(own), spec: { defaultConfiguration: { protocol } } };
    return fix(`set protocol ${protocol} in TargetGroupConfiguration ${own.meta.namespace}/${own.meta.name} (${why})`, [doc], { note: FORCE_NOTE });
  }
  let name = objectName(svc.meta.name, 'target-group');
  for (let i = 2; snapshot.get('TargetGroupConfiguration', svc.meta.namespace, name); i++) name = objectName(svc.meta.name, 'target-group', String(i));
  const props: Record<string, string> = { protocol };
  // A Service-level TGC takes over the target type too: instance targets need a node port, which ClusterIP lacks.
  if (svc.type === 'ClusterIP' && (choice?.props.targetType ?? 'instance') === 'instance') props.targetType = 'ip';
  const doc = {
    apiVersion: lbcApiVersion(snapshot),
    kind: 'TargetGroupConfiguration',
    metadata: { name, namespace: svc.meta.namespace },
    spec: { targetReference: { name: svc.meta.name }, defaultConfiguration: props },
  };
  return fix(`create TargetGroupConfiguration ${svc.meta.namespace}/${name} with protocol ${protocol} for Service ${svc.meta.name} (${why})`, [doc], { note: LBC_VERSION_NOTE });
}
