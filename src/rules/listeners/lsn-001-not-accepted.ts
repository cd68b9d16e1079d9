import { GATEWAY_GROUP } from '../../cluster/kinds.ts';
import { fix, FORCE_NOTE, listenerPatch, rawListener } from '../../fixes/builders.ts';
import type { ListenerModel } from '../../graph/model.ts';
import { isAwsLbc } from '../../graph/providers/aws-lbc.ts';
import type { Condition, Fix } from '../../report/types.ts';
import { sentence } from './words.ts';
import type { Rule } from '../types.ts';
import { gatewayId, listenerField, listenerLabel, listeners, listenerOwner } from '../util.ts';
import { conditionEvidence, isEnvoyGateway, listenerCondition } from './status.ts';

const REASONS: Record<string, (lm: ListenerModel) => string> = {
  PortUnavailable: (lm) => `port ${lm.spec.port} cannot be used (already in use, or not a port the implementation allows)`,
  UnsupportedProtocol: (lm) => `protocol ${lm.spec.protocol} is not supported`,
  UnsupportedValue: (lm) =>
    lm.spec.protocol === 'TLS' && lm.spec.tls?.mode !== 'Passthrough' ? 'a value is not supported (for a TLS listener in Terminate mode, usually TLS termination itself)' : 'a field value is not supported',
  NoValidCACertificate: () => 'none of the CA certificates for client-certificate validation (spec.tls.frontend) can be used',
};

/** Whether the implementation profile is precise enough to call a protocol unsupported. */
function profileIsAuthoritative(lm: ListenerModel): boolean {
  const impl = lm.gateway.impl;
  // Unrecognised implementations may serve domain-prefixed protocols of their own (apis/v1 ProtocolType).
  return isEnvoyGateway(impl) || isAwsLbc(impl) || !lm.spec.protocol.includes('/');
}

function consequence(lm: ListenerModel): string {
  return lm.gateway.impl.dataPlane === 'load-balancer'
    ? `the load balancer gets no listener on port ${lm.spec.port}, so nothing attached to it receives traffic`
    : `port ${lm.spec.port} is not opened for it, so nothing attached to it receives traffic`;
}

function lbcHint(lm: ListenerModel): string {
  const id = lm.gateway.impl.id;
  if (id === 'aws-lbc-nlb' && (lm.spec.protocol === 'HTTPS' || lm.spec.protocol === 'HTTP'))
    return ` Use protocol ${lm.spec.protocol === 'HTTPS' ? 'TLS (the NLB terminates TLS with an ACM certificate)' : 'TCP'} for layer-4 traffic, or put HTTP(S) routes on a Gateway of an ALB class (controllerName gateway.k8s.aws/alb).`;
  if (id === 'aws-lbc-alb') return ' Layer-4 listeners (TCP, UDP, TLS) need a Gateway of an NLB class (controllerName gateway.k8s.aws/nlb).';
  return '';
}

/** On an NLB: HTTPS becomes TLS (Terminate) and HTTP becomes TCP, when no HTTPRoute/GRPCRoute depends on the listener. */
function nlbFix(lm: ListenerModel): Fix[] {
  const { spec, gateway } = lm;
  if (gateway.impl.id !== 'aws-lbc-nlb' || (spec.protocol !== 'HTTPS' && spec.protocol !== 'HTTP')) return [];
  if (lm.attachments.some((a) => a.route.obj.kind === 'HTTPRoute' || a.route.obj.kind === 'GRPCRoute')) return [];
  const target = spec.protocol === 'HTTPS' ? 'TLS' : 'TCP';
  const raw = rawListener(listenerOwner(lm), spec);
  raw.protocol = target;
  if (target === 'TCP') {
    delete raw.tls;
    delete raw.hostname;
  } else {
    const tls = (raw.tls ?? {}) as Record<string, unknown>;
    const hasSource = Array.isArray(tls.certificateRefs) && tls.certificateRefs.length > 0;
    // The NLB takes its certificate from LoadBalancerConfiguration or ACM; the API server still wants refs or options.
    raw.tls = hasSource || tls.options ? { ...tls, mode: 'Terminate' } : { ...tls, mode: 'Terminate', options: { 'gwtls.dev/certificate-source': 'aws-load-balancer-controller' } };
  }
  // The target protocol's own kinds (an AWS NLB also accepts other listed L4 kinds, which then fail: GWTLS-LBC-016).
  const valid = gateway.impl.routeKinds(target, target === 'TLS' ? 'Terminate' : undefined, gateway.features).defaults;
  if (spec.allowedRoutes.kinds) {
    const kept = spec.allowedRoutes.kinds.filter((k) => k.group === GATEWAY_GROUP && (valid as string[]).includes(k.kind));
    if (kept.length === 0) return [];
    const ar = (raw.allowedRoutes ?? {}) as Record<string, unknown>;
    raw.allowedRoutes = { ...ar, kinds: kept.map((k) => ({ group: k.group, kind: k.kind })) };
  }
  return [fix(`make listener ${spec.name} a ${target} listener, which an NLB accepts`, [listenerPatch(listenerOwner(lm), raw)], { note: FORCE_NOTE })];
}

export const lsn001: Rule = {
  meta: {
    code: 'GWTLS-LSN-001',
    severity: 'error',
    title: 'Listener not accepted',
    inputs: ['Gateway', 'GatewayClass'],
    description:
      'The implementation refuses the listener (Accepted=False): its protocol is not supported (an AWS NLB takes only TCP, UDP and TLS; an ALB only HTTP and HTTPS), its port cannot be used, or a value is unsupported. No port is opened for it and its routes get no traffic.',
  },
  check(ctx) {
    for (const lm of listeners(ctx.model)) {
      const accepted = listenerCondition(lm, 'Accepted');
      const conflicted = listenerCondition(lm, 'Conflicted');
      const unsupported = lm.kinds.unsupportedProtocol && profileIsAuthoritative(lm) ? lm.kinds.unsupportedProtocol : undefined;
      // A conflicted listener is refused because of the conflict (GWTLS-LSN-002 explains it).
      const refused: Condition | undefined = accepted?.status === 'False' && conflicted?.status !== 'True' && !lm.conflict ? accepted : undefined;
      if (!unsupported && !refused) continue;
      const gm = lm.gateway;
      const why = unsupported ?? (REASONS[refused!.reason ?? '']?.(lm) ?? `reason ${refused!.reason ?? 'not given'}`);
      const by = refused && !unsupported ? ` by ${gm.gatewayClass.found ? gm.gatewayClass.obj.controllerName : gm.impl.name}` : '';
      ctx.report({
        object: listenerOwner(lm),
        field: listenerField(lm, unsupported ? 'protocol' : undefined),
        message: sentence(`${listenerLabel(lm)} of Gateway ${gatewayId(gm)} is not accepted${by}: ${why}; ${consequence(lm)}.${unsupported ? lbcHint(lm) : ''}`),
        evidence: [`${listenerField(lm, 'protocol')}: ${lm.spec.protocol}`, `GatewayClass ${gm.obj.className}: ${gm.impl.name}`, ...(accepted ? [conditionEvidence(lm, accepted)] : [])],
        fixes: unsupported ? nlbFix(lm) : [],
        listener: lm,
      });
    }
  },
};
