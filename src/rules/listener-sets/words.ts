// Shared wording and status reading of the ListenerSet rules (GEP-1713, apis/v1/listenerset_types.go@v1.6.1).
import type { ListenerSetObject } from '../../cluster/objects.ts';
import type { ListenerSetModel } from '../../graph/model.ts';
import type { Condition } from '../../report/types.ts';
import { describeCondition, isCrdDefault } from '../platform/conditions.ts';

export function setLabel(ls: ListenerSetObject): string {
  return `${ls.kind} ${ls.meta.namespace}/${ls.meta.name}`;
}

export function gatewayLabel(lsm: ListenerSetModel): string {
  return `Gateway ${lsm.gateway.obj.meta.namespace}/${lsm.gateway.obj.meta.name}`;
}

/** A condition a controller wrote for the current generation (not the CRD's Pending default, not stale). */
export function written(ls: ListenerSetObject, type: string): Condition | undefined {
  const c = ls.conditions.find((x) => x.type === type);
  return c && !c.stale && !isCrdDefault(c) ? c : undefined;
}

export function statusEvidence(ls: ListenerSetObject, types: readonly string[] = ['Accepted', 'Programmed']): string[] {
  return ls.conditions.filter((c) => types.includes(c.type)).map((c) => describeCondition(c, 'status'));
}
