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
  return `listener ${l.spec.name} (${l.spec.protocol}${mode}, port ${l.spec.port})`;
}

export function listenerField(l: ListenerModel, sub?: string): string {
  return `spec.listeners[${l.spec.index}]${sub ? `.${sub}` : ''}`;
}
