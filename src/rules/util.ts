import type { GatewayObject, ListenerSetObject } from '../cluster/objects.ts';
import type { Attachment, GatewayModel, ListenerModel, Model } from '../graph/model.ts';

export function* listeners(model: Model): Generator<ListenerModel> {
  for (const g of model.gateways) yield* g.listeners;
}

export function* attachments(model: Model): Generator<{ gateway: GatewayModel; listener: ListenerModel; attachment: Attachment }> {
  for (const gateway of model.gateways) for (const listener of gateway.listeners) for (const attachment of listener.attachments) yield { gateway, listener, attachment };
}

export function gatewayId(g: GatewayModel): string {
  return `${g.obj.meta.namespace}/${g.obj.meta.name}`;
}

export function listenerLabel(l: ListenerModel): string {
  const mode = l.spec.protocol === 'TLS' ? `/${l.spec.tls?.mode ?? 'Terminate'}` : '';
  const set = l.set ? ` in ${l.set.obj.kind} ${l.set.obj.meta.namespace}/${l.set.obj.meta.name}` : '';
  return `listener ${l.spec.name} (${l.spec.protocol}${mode}, port ${l.spec.port})${set}`;
}

/** The object that defines a listener, which findings about it name and fixes change: its ListenerSet, or the Gateway. */
export function listenerOwner(l: ListenerModel): GatewayObject | ListenerSetObject {
  return l.set?.obj ?? l.gateway.obj;
}

export function listenerField(l: ListenerModel, sub?: string): string {
  return `spec.listeners[${l.spec.index}]${sub ? `.${sub}` : ''}`;
}
