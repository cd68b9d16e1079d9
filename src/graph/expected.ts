// What the implementation is expected to write into status, from the objects alone: conditions (type, status,
// reason) on the Gateway, each listener, each route parentRef and each BackendTLSPolicy ancestor, and each
// listener's attachedRoutes. Two profiles: the Gateway API spec (any implementation), and Envoy Gateway (also
// Calico Ingress Gateway), modelled on its translator (internal/gatewayapi of envoyproxy/gateway v1.9.1) and
// checked against it by the differential test under test/oracle/.
//
// A condition is left out when the objects cannot decide it (Programmed of a Gateway depends on an address
// being assigned; a fact the input does not hold): absence is "not predicted", never "not written".
import type { GatewayModel, Model } from './model.ts';
import { envoyGatewayExpectations } from './expected-envoy.ts';
import { specExpectations } from './expected-spec.ts';
import type { GatewayExpectations, RouteParent } from './expected-core.ts';

export type { ExpectationProfile, GatewayExpectations, ListenerExpectation, PolicyAncestorExpectation, RouteParent } from './expected-core.ts';

const byGateway = new WeakMap<Model, Map<GatewayModel['obj'], RouteParent[]>>();

/** Route parentRefs that resolve to this Gateway, in route order (indexed once per model). */
export function routeParentsOf(gm: GatewayModel, model: Model): RouteParent[] {
  let index = byGateway.get(model);
  if (!index) {
    index = new Map();
    for (const route of model.routes) {
      for (const parent of route.parents) {
        if (!parent.gateway?.found) continue;
        const list = index.get(parent.gateway.obj) ?? [];
        if (list.length === 0) index.set(parent.gateway.obj, list);
        list.push({ route, parent });
      }
    }
    byGateway.set(model, index);
  }
  return index.get(gm.obj) ?? [];
}

export function expectationsFor(gm: GatewayModel, model: Model): GatewayExpectations {
  const parents = routeParentsOf(gm, model);
  return gm.impl.id === 'envoy-gateway' || gm.impl.id === 'calico' ? envoyGatewayExpectations(gm, parents, model) : specExpectations(gm, parents, model);
}
