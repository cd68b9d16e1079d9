// Reading status conditions: which one, whether it is current, and whether a controller ever wrote it.
import type { Condition } from '../../report/types.ts';

export function condition(conditions: readonly Condition[], type: string): Condition | undefined {
  return conditions.find((c) => c.type === type);
}

/**
 * The value the CRD defaults a condition to before any controller writes status (apis/v1 gatewayclass_types.go,
 * gateway_types.go): reason Pending, "Waiting for controller", lastTransitionTime at the epoch.
 */
export function isCrdDefault(c: Condition): boolean {
  return c.reason === 'Pending' && (c.message ?? '') === 'Waiting for controller' && (c.lastTransitionTime ?? '').startsWith('1970-01-01');
}

export function describeCondition(c: Condition, field: string): string {
  const gen = c.observedGeneration !== undefined ? `, observedGeneration ${c.observedGeneration}` : '';
  return `${field}: ${c.type}=${c.status}${c.reason ? `, reason ${c.reason}` : ''}${c.message ? `: "${c.message}"` : ''}${gen}`;
}
