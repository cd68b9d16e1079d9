// What Envoy Gateway does with a listener Secret whose tls.crt holds expired or not-yet-valid certificates,
// release by release (envoyproxy/gateway internal/gatewayapi/tls.go):
// - v1.2.0 … v1.6.x: validateCertificate(s) decodes only the first PEM block, so the Secret is refused
//   (ResolvedRefs=False, InvalidCertificateRef) when the leaf is outside its validity and kept otherwise;
// - v1.7.0 … v1.8.2: filterValidCertificates checks every PEM block; the Secret is refused only when no block is
//   valid, otherwise kept as written with ResolvedRefs=False, reason PartiallyInvalidCertificateRef;
// - v1.8.3 and later (v1.9): validateServingCertificateChain refuses the Secret when any member is expired,
//   not yet valid or malformed.

export interface EnvoyExpiryEffect {
  /** Every release refuses the Secret: the listener serves no certificate. */
  allRefuse: boolean;
  /** In words: which releases refuse the Secret and which serve it. */
  text: string;
}

const RANGES = [
  { name: 'v1.2–v1.6', refuses: (bad: readonly boolean[]) => bad[0] === true },
  { name: 'v1.7.0–v1.8.2', refuses: (bad: readonly boolean[]) => bad.length > 0 && bad.every(Boolean) },
  { name: 'v1.8.3+', refuses: (bad: readonly boolean[]) => bad.some(Boolean) },
] as const;

/**
 * `bad[i]`: whether certificate i of tls.crt (one per PEM block, leaf first) is outside its validity window.
 * `who` names the implementation ("Envoy Gateway", "Calico Ingress Gateway (Envoy Gateway)"), `listeners` the
 * listeners that use the Secret.
 */
export function envoyExpiryEffect(bad: readonly boolean[], who: string, listeners: string): EnvoyExpiryEffect {
  const refusing = RANGES.filter((r) => r.refuses(bad)).map((r) => r.name);
  const keeping = RANGES.filter((r) => !r.refuses(bad)).map((r) => r.name);
  const none = `${listeners} serve${/, /.test(listeners) ? '' : 's'} no certificate at all`;
  if (keeping.length === 0) return { allRefuse: true, text: `${who} refuses the whole Secret on every release (ResolvedRefs=False, InvalidCertificateRef), so ${none}` };
  const partial = keeping.includes('v1.7.0–v1.8.2') ? ' (v1.7.0–v1.8.2 with ResolvedRefs=False, reason PartiallyInvalidCertificateRef)' : '';
  const served = bad[0] ? 'serve it as written, expired leaf included, and clients reject the handshake' : 'serve it as written';
  return {
    allRefuse: false,
    text: `${who} ${refusing.join(' and ')} refuse${refusing.length > 1 ? '' : 's'} the whole Secret (InvalidCertificateRef), so ${none}; ${keeping.join(' and ')} ${served}${partial}`,
  };
}
