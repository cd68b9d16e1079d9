// Which LoadBalancerConfiguration and TargetGroupConfiguration objects apply to a Gateway, listener and
// backend (gateway-tls-domain.md §2.1; LBC docs/guide/gateway/{customization,loadbalancerconfig,targetgroupconfig}.md).
import { LBC_GROUP } from '../../cluster/kinds.ts';
import type {
  GatewayClassObject,
  GatewayObject,
  ListenerSpec,
  LoadBalancerConfigurationObject,
  LoadBalancerListenerConfiguration,
  ParametersRef,
  RouteObject,
  ServiceObject,
  TargetGroupConfigurationObject,
  TargetGroupProps,
} from '../../cluster/objects.ts';
import type { Lookup, Snapshot } from '../../cluster/snapshot.ts';
import { inferredTargetProtocol, lbcListenerProtocol } from './aws-lbc.ts';

export interface LbcParameters {
  /** From GatewayClass.spec.parametersRef (namespace required). */
  classConfig: { ref: ParametersRef; lookup: Lookup<LoadBalancerConfigurationObject> | null; problem?: string } | null;
  /** From Gateway.spec.infrastructure.parametersRef (same namespace as the Gateway). */
  gatewayConfig: { ref: ParametersRef; lookup: Lookup<LoadBalancerConfigurationObject> | null; problem?: string } | null;
  preferGateway: boolean;
  /** Effective listenerConfigurations, by lower-cased `protocol:port`, with the object each came from. */
  listenerConfigs: Map<string, { entry: LoadBalancerListenerConfiguration; from: LoadBalancerConfigurationObject }>;
  /** Entries whose protocolPort matches no listener; filled by the model once listeners are known. */
  unmatched: Array<{ entry: LoadBalancerListenerConfiguration; from: LoadBalancerConfigurationObject }>;
}

function resolveRef(ref: ParametersRef | undefined, defaultNs: string | undefined, snapshot: Snapshot): LbcParameters['classConfig'] {
  if (!ref) return null;
  if (ref.group !== LBC_GROUP || ref.kind !== 'LoadBalancerConfiguration') return { ref, lookup: null, problem: `parametersRef names ${ref.kind}.${ref.group}, not gateway.k8s.aws LoadBalancerConfiguration` };
  const ns = ref.namespace ?? defaultNs;
  if (!ns) return { ref, lookup: null, problem: 'Namespace must be specified in ParametersRef for LoadBalancerConfiguration (GatewayClass Accepted=False, InvalidParametersRef)' };
  return { ref: { ...ref, namespace: ns }, lookup: snapshot.lookup('LoadBalancerConfiguration', ns, ref.name) };
}

export function lbcParameters(gw: GatewayObject, cls: GatewayClassObject | undefined, snapshot: Snapshot): LbcParameters {
  const classConfig = resolveRef(cls?.parametersRef, undefined, snapshot);
  const gatewayConfig = resolveRef(gw.infrastructureParametersRef, gw.meta.namespace, snapshot);
  const classObj = classConfig?.lookup?.found ? classConfig.lookup.obj : undefined;
  const gwObj = gatewayConfig?.lookup?.found ? gatewayConfig.lookup.obj : undefined;
  const preferGateway = classObj?.mergingMode === 'prefer-gateway';
  const listenerConfigs: LbcParameters['listenerConfigs'] = new Map();
  const ordered = preferGateway ? [classObj, gwObj] : [gwObj, classObj];
  for (const obj of ordered) {
    if (!obj) continue;
    for (const entry of obj.listenerConfigurations) listenerConfigs.set(entry.protocolPort.toLowerCase(), { entry, from: obj });
  }
  return { classConfig, gatewayConfig, preferGateway, listenerConfigs, unmatched: [] };
}

export function lbcListenerKey(l: ListenerSpec): string {
  return `${lbcListenerProtocol(l.protocol, l.tls?.mode)}:${l.port}`.toLowerCase();
}

export interface TargetGroupChoice {
  tgc?: TargetGroupConfigurationObject;
  props: TargetGroupProps;
  /** Effective target-group protocol and where it was decided. */
  protocol: string;
  source: string;
  /** Several TGCs target the same Service. */
  conflicting: TargetGroupConfigurationObject[];
  /** The TGC whose settings decided the protocol, when one did. */
  protocolTgc?: TargetGroupConfigurationObject;
}

export function targetGroupFor(route: RouteObject, svc: ServiceObject, params: LbcParameters | undefined, snapshot: Snapshot, nlb: boolean): TargetGroupChoice {
  const ns = svc.meta.namespace;
  const matching = snapshot
    .list('TargetGroupConfiguration', ns)
    .filter((t) => t.targetReference && (t.targetReference.kind ?? 'Service') === 'Service' && t.targetReference.name === svc.meta.name);
  const service = matching[0];
  const fallback = defaultTargetGroup(params, snapshot);
  // LBC v3.2+ merges field by field: the Service's TGC wins where it sets a field, the default TGC fills the rest
  // (docs/guide/gateway/targetgroupconfig.md, "Configuration Resolution Order").
  const layers: Array<{ tgc: TargetGroupConfigurationObject; via: string }> = [];
  if (fallback) layers.push(fallback);
  if (service) layers.push({ tgc: service, via: `TargetGroupConfiguration ${ns}/${service.meta.name}` });
  const props: TargetGroupProps = {};
  let protocolFrom = '';
  let protocolTgc: TargetGroupConfigurationObject | undefined;
  for (const layer of layers) {
    const routeProps = routePropsFor(layer.tgc, route);
    for (const p of [layer.tgc.defaultConfiguration, routeProps ?? {}]) {
      Object.assign(props, p);
      if (p.protocol) {
        protocolFrom = `${layer.via}${p === routeProps ? ` (routeConfigurations for ${route.kind} ${route.meta.name})` : ''}`;
        protocolTgc = layer.tgc;
      }
    }
  }
  const out: TargetGroupChoice = { props, protocol: '', source: '', conflicting: matching.slice(1) };
  if (protocolTgc) out.protocolTgc = protocolTgc;
  const tgc = service ?? fallback?.tgc;
  if (tgc) out.tgc = tgc;
  if (props.protocol) {
    out.protocol = props.protocol.toUpperCase();
    out.source = `${protocolFrom} sets protocol ${out.protocol}`;
  } else {
    out.protocol = inferredTargetProtocol(route.kind, nlb);
    out.source = `${route.kind} makes the controller infer a ${out.protocol} target group${layers.length ? ` (${layers.map((l) => l.via).join(' and ')} set${layers.length === 1 ? 's' : ''} no protocol)` : ' (no TargetGroupConfiguration sets one)'}`;
  }
  return out;
}

/** The default TGC of the Gateway's or the class's LoadBalancerConfiguration (spec.defaultTargetGroupConfiguration). */
export function defaultTargetGroup(params: LbcParameters | undefined, snapshot: Snapshot): { tgc: TargetGroupConfigurationObject; via: string; lbc: LoadBalancerConfigurationObject } | undefined {
  if (!params) return undefined;
  for (const cfg of [params.gatewayConfig, params.classConfig]) {
    const lbc = cfg?.lookup?.found ? cfg.lookup.obj : undefined;
    if (!lbc?.defaultTargetGroupConfiguration) continue;
    const found = snapshot.get('TargetGroupConfiguration', lbc.meta.namespace, lbc.defaultTargetGroupConfiguration);
    if (found) return { tgc: found, lbc, via: `default TargetGroupConfiguration ${found.meta.namespace}/${found.meta.name} of LoadBalancerConfiguration ${lbc.meta.namespace}/${lbc.meta.name}` };
  }
  return undefined;
}

function routePropsFor(tgc: TargetGroupConfigurationObject, route: RouteObject): TargetGroupProps | undefined {
  return tgc.routeConfigurations.find(
    (rc) => (rc.routeIdentifier.kind ?? route.kind) === route.kind && (rc.routeIdentifier.namespace ?? route.meta.namespace) === route.meta.namespace && rc.routeIdentifier.name === route.meta.name,
  )?.targetGroupProps;
}
