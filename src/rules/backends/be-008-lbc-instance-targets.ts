import { LBC_GROUP } from '../../cluster/kinds.ts';
import { fix, FORCE_NOTE, identity } from '../../fixes/builders.ts';
import { isAwsLbc } from '../../graph/providers/aws-lbc.ts';
import type { Fix } from '../../report/types.ts';
import { freeName, LBC_API_NOTE } from '../backend-tls/fixes.ts';
import { describeEvent, lbcFailureEvents } from '../aws-lbc/detect.ts';
import type { Rule } from '../types.ts';
import { routeLabel } from './uses.ts';

const INSTANCE_ERROR = /TargetGroup port is empty\. When using Instance targets/i;

export const be008: Rule = {
  meta: {
    code: 'GWTLS-BE-008',
    severity: 'warning',
    title: 'AWS Load Balancer Controller instance targets on a ClusterIP Service',
    inputs: ['Gateway', 'GatewayClass', 'Service', 'TargetGroupConfiguration', 'LoadBalancerConfiguration'],
    description:
      'The AWS Load Balancer Controller registers instance targets (node ports) unless a TargetGroupConfiguration sets targetType: ip or the controller runs with --default-target-type=ip (Helm value defaultTargetType). A ClusterIP Service has no node port, so with instance targets the target group cannot be built ("TargetGroup port is empty. When using Instance targets, your service must be of type \'NodePort\' or \'LoadBalancer\'") and the listener gets no targets. The controller flag is not visible in the objects: an error when a TargetGroupConfiguration sets targetType: instance or a Gateway event shows the failure, a warning otherwise.',
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
          const explicit = choice.props.targetType !== undefined;
          const proof = lbcFailureEvents(ctx.snapshot, gm).filter((e) => INSTANCE_ERROR.test(e.message));
          const certain = explicit || proof.length > 0;
          const why = explicit
            ? `${gm.impl.name} registers instance targets for Service ${id} (targetType: instance in TargetGroupConfiguration ${choice.tgc?.meta.namespace}/${choice.tgc?.meta.name})`
            : proof.length
              ? `${gm.impl.name} registers instance targets for Service ${id} (no TargetGroupConfiguration sets targetType, and the Gateway's events show the controller failing on instance targets)`
              : `${gm.impl.name} registers instance targets for Service ${id} unless the controller runs with --default-target-type=ip (Helm value defaultTargetType: ip; the default is instance), since no TargetGroupConfiguration sets targetType`;
          ctx.report({
            object,
            field: own ? 'spec.defaultConfiguration.targetType' : 'spec.type',
            severity: certain ? 'error' : 'warning',
            message: `${why}. ${id} is ClusterIP and has no node port, so with instance targets the target group for ${routeLabel(route)} cannot be built ("TargetGroup port is empty"), and ${lm.spec.protocol}:${lm.spec.port} gets no targets. Set targetType: ip in the Service's TargetGroupConfiguration${explicit ? '' : ', which holds whatever the controller default'}.`,
            evidence: [
              `Service ${id}: type ClusterIP`,
              choice.tgc ? `TargetGroupConfiguration ${choice.tgc.meta.namespace}/${choice.tgc.meta.name}: targetType ${choice.props.targetType ?? 'unset (the controller default: --default-target-type, instance unless set)'}` : 'no TargetGroupConfiguration targets this Service: targetType is the controller default (--default-target-type, instance unless set)',
              ...proof.slice(0, 2).map(describeEvent),
            ],
            fixes,
            gateway: gm,
            listener: lm,
          });
        }
      }
    }
  },
};
