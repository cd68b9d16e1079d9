// Conditions several AWS Load Balancer Controller rules share: which listeners the controller cannot give a
// certificate, which backends get a target group the NLB listener refuses, and the Warning events the
// controller leaves on a Gateway (gateway-tls-domain.md §2.1).
import type { EventObject } from '../../cluster/objects.ts';
import type { Snapshot } from '../../cluster/snapshot.ts';
import type { BackendHop, GatewayModel, ListenerModel } from '../../graph/model.ts';
import { isAwsLbc } from '../../graph/providers/aws-lbc.ts';

/** Whether every LoadBalancerConfiguration the Gateway and its class name was found (a missing one is reported on its own). */
export function lbcConfigResolved(g: GatewayModel): boolean {
  if (!g.lbc) return false;
  return [g.lbc.classConfig, g.lbc.gatewayConfig].every((c) => c === null || (!c.problem && c.lookup?.found === true));
}

export function terminatesAtLoadBalancer(lm: ListenerModel): boolean {
  return lm.served.type === 'acm-arn' || lm.served.type === 'acm-discovery';
}

/** Terminating listeners with routes but no certificate source: no listenerConfigurations entry and no hostname for ACM discovery. */
export function listenersWithoutCertificate(g: GatewayModel): ListenerModel[] {
  if (!isAwsLbc(g.impl) || !lbcConfigResolved(g)) return [];
  return g.listeners.filter((lm) => lm.served.type === 'acm-discovery' && lm.served.hostnames.length === 0 && lm.attachments.some((a) => a.result.accepted));
}

/** Backends behind a TLS/Passthrough listener (an NLB TCP listener since LBC v3.1) that get a TLS target group. */
export function incompatiblePassthroughHops(g: GatewayModel): Array<{ listener: ListenerModel; hop: BackendHop }> {
  if (g.impl.id !== 'aws-lbc-nlb') return [];
  const out: Array<{ listener: ListenerModel; hop: BackendHop }> = [];
  for (const lm of g.listeners) {
    if (lm.spec.protocol !== 'TLS' || lm.spec.tls?.mode !== 'Passthrough') continue;
    for (const hop of lm.backends) {
      const p = hop.tls.targetGroup?.protocol;
      if (p === 'TLS' || p === 'HTTPS') out.push({ listener: lm, hop });
    }
  }
  return out;
}

const FAILURE_REASONS = new Set(['FailedBuildModel', 'FailedDeployModel', 'FailedAddFinalizer', 'FailedUpdateStatus', 'FailedDeleteRoutesAttached']);

/** Warning events the controller recorded for the Gateway (controllers/gateway/gateway_controller.go; pkg/k8s/events.go). */
export function lbcFailureEvents(snapshot: Snapshot, g: GatewayModel): EventObject[] {
  const { name, namespace } = g.obj.meta;
  return snapshot
    .list('Event', namespace)
    .filter((e) => e.involvedObject.kind === 'Gateway' && e.involvedObject.name === name && (e.involvedObject.namespace ?? namespace) === namespace && e.type === 'Warning' && FAILURE_REASONS.has(e.reason))
    .sort((a, b) => (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? ''));
}

export function describeEvent(e: EventObject): string {
  return `event ${e.reason}${e.count > 1 ? ` (x${e.count})` : ''}${e.lastTimestamp ? ` at ${e.lastTimestamp}` : ''}: ${e.message}`;
}
