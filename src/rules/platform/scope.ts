// Objects outside the Gateway tree (LoadBalancerConfigurations, TargetGroupConfigurations, Backends, policies)
// are judged when they belong to what was asked about: with a Gateway named, the namespaces its tree reaches;
// otherwise the namespaces in scope.
import type { Model } from '../../graph/model.ts';

const namespaces = new WeakMap<Model, Set<string>>();

export function modelNamespaces(model: Model): Set<string> {
  const cached = namespaces.get(model);
  if (cached) return cached;
  const out = new Set<string>();
  namespaces.set(model, out);
  for (const g of model.gateways) {
    out.add(g.obj.meta.namespace);
    for (const cfg of [g.lbc?.classConfig, g.lbc?.gatewayConfig]) if (cfg?.ref.namespace) out.add(cfg.ref.namespace);
  }
  for (const r of model.routes) {
    out.add(r.obj.meta.namespace);
    for (const b of r.backends) out.add(b.ref.namespace);
  }
  return out;
}

export function namespaceInScope(model: Model, namespace: string): boolean {
  if (model.scope.gatewayName) return modelNamespaces(model).has(namespace);
  return model.scope.allNamespaces || model.scope.namespace === undefined || model.scope.namespace === namespace;
}
