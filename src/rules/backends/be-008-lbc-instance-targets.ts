import { LBC_GROUP } from '../../cluster/kinds.ts';
import { fix, FORCE_NOTE, identity } from '../../fixes/builders.ts';
import { isAwsLbc } from '../../graph/providers/aws-lbc.ts';
import type { Fix } from '../../report/types.ts';
import { freeName, LBC_API_NOTE } from '../backend-tls/fixes.ts';
import type { Rule } from '../types.ts';
import { routeLabel } from './uses.ts';

export const be008: Rule = {
  meta: {
    code: 'GWTLS-BE-008',
    severity: 'error',
    title: 'AWS Load Balancer Controller instance targets on a ClusterIP Service',
    inputs: ['Gateway', 'GatewayClass', 'Service', 'TargetGroupConfiguration', 'LoadBalancerConfiguration'],
    description:
      'The AWS Load Balancer Controller registers instance targets (node ports) unless a TargetGroupConfiguration sets targetType: ip. A ClusterIP Service has no node port, so the target group cannot be built ("TargetGroup port is empty. When using Instance targets, your service must be of type \'NodePort\' or \'LoadBalancer\'") and the listener gets no targets.',
  },
  check(ctx) {
    const seen = new Set<string>();
    for (const gm of ctx.model.gateways) {
      if (!isAwsLbc(gm.impl)) continue;
      for (const lm of gm.listeners) {
        for (const hop of lm.backends) {
          const choice = hop.tls.targetGroup;
          const svc = hop.backend.service?.found ? hop.backend.service.obj : undefined;
          if (!choice || !svc || svc.type !== 'ClusterIP' || (choice.props.targetType ?? 'instance').toLowerCase() !== 'instance') continue;
          const id = `${svc.meta.namespace}/${svc.meta.name}`;
          if (seen.has(id)) continue;
          seen.add(id);
          const route = hop.attachment.route.obj;
          const own = choice.tgc?.targetReference?.name === svc.meta.name && choice.tgc.meta.namespace === svc.meta.namespace ? choice.tgc : undefined;
          const routeLevel = choice.tgc?.routeConfigurations.some((rc) => rc.routeIdentifier.name === route.meta.name && rc.targetGroupProps.targetType);
          const fixes: Fix[] = [];
          if (own && !routeLevel) {
            const spec: Record<string, unknown> = { defaultConfiguration: { targetType: 'ip' } };
            if (own.raw.spec && (own.raw.spec as Record<string, unknown>).targetReference) spec.targetReference = (own.raw.spec as Record<string, unknown>).targetReference;
            fixes.push(fix(`register pod IPs (targetType: ip) in TargetGroupConfiguration ${own.meta.namespace}/${own.meta.name}`, [{ ...identity(own), spec }], { note: FORCE_NOTE }));
          } else if (!own) {
            const defaultConfiguration: Record<string, unknown> = { targetType: 'ip' };
            if (choice.props.protocol) defaultConfiguration.protocol = choice.props.protocol;
            fixes.push(
              fix(`add a TargetGroupConfiguration with targetType: ip for Service ${id}`, [
                { apiVersion: `${LBC_GROUP}/v1`, kind: 'TargetGroupConfiguration', metadata: { name: freeName(ctx.snapshot, 'TargetGroupConfiguration', svc.meta.namespace, svc.meta.name, 'tgc'), namespace: svc.meta.namespace }, spec: { targetReference: { name: svc.meta.name }, defaultConfiguration } },
              ], { note: `${LBC_API_NOTE} targetType ip needs pod IPs routable from the VPC (the Amazon VPC CNI).` }),
            );
          }
          const object = own ?? svc;
          ctx.report({
            object,
            field: own ? 'spec.defaultConfiguration.targetType' : 'spec.type',
            message: `${gm.impl.name} would register instance targets for Service ${id}, which is ClusterIP and has no node port: the target group for ${routeLabel(route)} cannot be built ("TargetGroup port is empty"), so ${lm.spec.protocol}:${lm.spec.port} gets no targets. Set targetType: ip in the Service's TargetGroupConfiguration.`,
            evidence: [`Service ${id}: type ClusterIP`, choice.tgc ? `TargetGroupConfiguration ${choice.tgc.meta.namespace}/${choice.tgc.meta.name}: targetType ${choice.props.targetType ?? 'unset (instance)'}` : 'no TargetGroupConfiguration targets this Service: targetType defaults to instance'],
            fixes,
            gateway: gm,
            listener: lm,
          });
        }
      }
    }
  },
};
