// Gateway -> backend hops the TLS rules look at (passthrough listeners are left out: the client's TLS session
// reaches the backend unchanged), with the backend evidence and the words every rule uses.
import type { BackendTLSEvidence } from '../../graph/backends.ts';
import { backendTLSEvidence } from '../../graph/backends.ts';
import type { BackendHop, GatewayModel, ListenerModel, Model } from '../../graph/model.ts';
import type { ServiceObject, ServicePort } from '../../cluster/objects.ts';

export interface HopUse {
  gateway: GatewayModel;
  listener: ListenerModel;
  hop: BackendHop;
}

export function* hopUses(model: Model): Generator<HopUse> {
  for (const gateway of model.gateways) {
    for (const listener of gateway.listeners) {
      if (listener.spec.protocol === 'TLS' && listener.spec.tls?.mode === 'Passthrough') continue;
      for (const hop of listener.backends) yield { gateway, listener, hop };
    }
  }
}

export function evidenceOf(model: Model, hop: BackendHop): BackendTLSEvidence {
  return backendTLSEvidence(hop.backend, model.snapshot, model.decoder);
}

export function portLabel(svc: ServiceObject, port: ServicePort | undefined): string {
  return `Service ${svc.meta.namespace}/${svc.meta.name}${port ? ` port ${port.name ? `${port.name} (${port.port})` : port.port}` : ''}`;
}

/** Who opens the connection to the backend, in words. */
export function sender(g: GatewayModel): string {
  return g.impl.dataPlane === 'load-balancer' ? 'the load balancer' : g.impl.name;
}

/** Where a finding belongs in the report. */
export function at(u: HopUse): { gateway: GatewayModel; listener: ListenerModel } {
  return { gateway: u.gateway, listener: u.listener };
}
