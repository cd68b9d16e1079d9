// Listener status conditions, read the same way in every listener rule. Manifests usually carry no status:
// absence is never a finding, only what a controller wrote is.
import type { Condition } from '../../report/types.ts';
import type { ListenerModel } from '../../graph/model.ts';
import type { Implementation } from '../../graph/providers/index.ts';

export function listenerCondition(lm: ListenerModel, type: string): Condition | undefined {
  return lm.status?.conditions.find((c) => c.type === type);
}

/** `status.listeners[https]: Accepted=False (UnsupportedProtocol): message`, as an evidence line. */
export function conditionEvidence(lm: ListenerModel, c: Condition): string {
  return `status.listeners[${lm.spec.name}]: ${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`;
}

/** Envoy Gateway, alone or as Calico Ingress Gateway: the same translator and the same validation. */
export function isEnvoyGateway(impl: Implementation): boolean {
  return impl.id === 'envoy-gateway' || impl.id === 'calico';
}
