// The listeners whose certificateRefs decide what clients get: TLS-terminating listeners of implementations that
// read them. AWS Load Balancer Controller ignores certificateRefs (GWTLS-LBC-002), and a Passthrough listener
// serves the backend's certificate (GWTLS-LSN-007), so neither is judged here.
import type { CertRef } from '../../graph/listener-certs.ts';
import type { ListenerModel, Model } from '../../graph/model.ts';
import { listeners } from '../util.ts';

export function* terminatingListeners(model: Model): Generator<ListenerModel> {
  for (const lm of listeners(model)) {
    if (lm.gateway.impl.readsCertificateRefs && lm.served.type === 'secrets') yield lm;
  }
}

/** A ref whose Secret exists, is allowed, and holds a certificate and its key. */
export function usable(ref: CertRef): boolean {
  return ref.state === 'ok' && ref.secret?.found === true && ref.secret.obj.tlsKey !== undefined && ref.keyMatches !== null;
}

export function refLabel(ref: CertRef): string {
  return `Secret ${ref.ref.namespace}/${ref.ref.name}`;
}
