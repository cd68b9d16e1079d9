// Kinds an implementation needs served before it reconciles at all (gateway-tls-domain.md §2.1, §2.2):
// AWS Load Balancer Controller v3.5 checks them at start-up and switches its NLB/ALB gateway support off,
// with only a log line, when one is not served (pkg/gateway/crddetect/gateway_feature_flags.go@v3.5.0).
import type { KindName } from '../../cluster/kinds.ts';
import { KINDS } from '../../cluster/kinds.ts';
import type { Snapshot } from '../../cluster/snapshot.ts';
import { versionServed } from './served.ts';

const LBC_COMMON: KindName[] = ['GatewayClass', 'Gateway', 'LoadBalancerConfiguration', 'TargetGroupConfiguration'];
const LBC_NEEDS: Record<string, KindName[]> = {
  'aws-lbc-nlb': [...LBC_COMMON, 'TLSRoute', 'TCPRoute', 'UDPRoute'],
  'aws-lbc-alb': [...LBC_COMMON, 'HTTPRoute', 'GRPCRoute'],
};

/** `plural.group/v1` of every kind LBC v3.5 needs at v1 that the cluster is known not to serve (empty outside cluster mode). */
export function lbcMissingKinds(snapshot: Snapshot, implId: string): string[] {
  const needs = LBC_NEEDS[implId];
  if (!needs) return [];
  return needs.filter((k) => versionServed(snapshot, k, 'v1') === false).map((k) => `${KINDS[k].plural}.${KINDS[k].group}/v1`);
}
