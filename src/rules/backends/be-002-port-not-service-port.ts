import type { ServicePort } from '../../cluster/objects.ts';
import { fix, FORCE_NOTE } from '../../fixes/builders.ts';
import type { Rule } from '../types.ts';
import { backendRefField, backendRefLabel, backendUses, failureConsequence, rawBackendRef, routeBackendRefPatch, routeLabel } from './uses.ts';

function describePort(p: ServicePort): string {
  return `${p.name ? `${p.name} ` : ''}port ${p.port} -> targetPort ${p.targetPort} (${p.protocol}${p.appProtocol ? `, appProtocol ${p.appProtocol}` : ''})`;
}

export const be002: Rule = {
  meta: {
    code: 'GWTLS-BE-002',
    severity: 'error',
    title: 'backendRef port is not a port of the Service',
    inputs: ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute', 'Service'],
    description:
      'backendRefs to a Service must name one of the Service ports (spec.ports[].port), not the targetPort or the container port, and that port must carry the protocol of the route (UDP for UDPRoute, TCP otherwise). Otherwise the reference is unresolved (Envoy Gateway: PortNotFound / PortNotSpecified) and the rule gets no traffic.',
  },
  check(ctx) {
    for (const use of backendUses(ctx.model)) {
      const b = use.backend;
      const svc = b.service?.found ? b.service.obj : undefined;
      if (!svc || svc.type === 'ExternalName') continue;
      const route = use.route.obj;
      const wanted = route.kind === 'UDPRoute' ? 'UDP' : 'TCP';
      const samePort = b.ref.port === undefined ? [] : svc.ports.filter((p) => p.port === b.ref.port);
      let problem: string;
      let candidate: ServicePort | undefined;
      if (b.ref.port === undefined) {
        problem = `names Service ${svc.meta.namespace}/${svc.meta.name} without a port, and backendRefs to a Service must set one`;
        candidate = svc.ports.length === 1 ? svc.ports[0] : undefined;
      } else if (samePort.length === 0) {
        const byTarget = svc.ports.filter((p) => p.targetPort === b.ref.port);
        problem = `names port ${b.ref.port} of Service ${svc.meta.namespace}/${svc.meta.name}, which has no such port${byTarget.length === 1 ? ` (${b.ref.port} is the targetPort of Service port ${byTarget[0]!.port}: backendRefs name the Service port, not the container port)` : ''}`;
        candidate = byTarget.length === 1 ? byTarget[0] : svc.ports.length === 1 ? svc.ports[0] : undefined;
      } else if (!samePort.some((p) => p.protocol.toUpperCase() === wanted)) {
        problem = `names port ${b.ref.port} of Service ${svc.meta.namespace}/${svc.meta.name}, which is ${samePort[0]!.protocol}, but a ${route.kind} needs a ${wanted} port`;
        candidate = undefined;
      } else {
        continue;
      }
      if (candidate && candidate.protocol.toUpperCase() !== wanted) candidate = undefined;
      const fixes = [];
      if (candidate) {
        const raw = rawBackendRef(route, b.rule, b.index);
        raw.port = candidate.port;
        fixes.push(fix(`use Service port ${candidate.port}${candidate.name ? ` (${candidate.name})` : ''} in backendRefs[${b.index}] of rule ${b.rule}`, [routeBackendRefPatch(route, b.rule, b.index, raw)], { note: FORCE_NOTE }));
      }
      ctx.report({
        object: route,
        field: `${backendRefField(b)}.port`,
        message: `${routeLabel(route)} ${problem}: ${failureConsequence(route)}.`,
        evidence: [`${backendRefField(b)}: ${backendRefLabel(b)}`, `Service ${svc.meta.namespace}/${svc.meta.name} ports: ${svc.ports.map(describePort).join('; ') || 'none'}`],
        fixes,
        ...use.at,
      });
    }
  },
};
