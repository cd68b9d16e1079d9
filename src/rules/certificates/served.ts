// The certificates clients get from listener Secrets, grouped by Secret: a Secret shared by several listeners
// is one finding, naming every listener it serves. Refs that the implementation ignores (AWS LBC), that pass
// through (Passthrough), or whose Secret could not be read are not judged.
import type { SecretObject } from '../../cluster/objects.ts';
import type { CertRef } from '../../graph/listener-certs.ts';
import type { ListenerModel, Model } from '../../graph/model.ts';
import type { Cert } from '../../report/types.ts';
import { chainShape, type DecodedCert } from '../../tls/certificate.ts';
import { terminatingListeners } from '../listeners/cert-refs.ts';
import { isEnvoyGateway } from '../listeners/status.ts';
import { gatewayId, listenerLabel } from '../util.ts';

export interface ServedSecret {
  secret: SecretObject;
  certs: DecodedCert[];
  keyMatches?: boolean | null;
  users: Array<{ lm: ListenerModel; ref: CertRef }>;
}

/** Refs whose Secret exists and holds at least one parseable certificate (the one presented is the first). */
export function hasChain(ref: CertRef): boolean {
  return (ref.state === 'ok' || ref.state === 'wrong-type') && ref.secret?.found === true && (ref.chain?.certs.length ?? 0) > 0;
}

export function servedSecrets(model: Model): ServedSecret[] {
  const out = new Map<string, ServedSecret>();
  for (const lm of terminatingListeners(model)) {
    for (const ref of lm.certRefs) {
      if (!hasChain(ref) || !ref.secret?.found) continue;
      const id = `${ref.ref.namespace}/${ref.ref.name}`;
      let s = out.get(id);
      if (!s) {
        s = { secret: ref.secret.obj, certs: ref.chain!.certs, users: [] };
        if (ref.keyMatches !== undefined) s.keyMatches = ref.keyMatches;
        out.set(id, s);
      }
      s.users.push({ lm, ref });
    }
  }
  return [...out.values()];
}

export function secretId(s: ServedSecret): string {
  return `Secret ${s.secret.meta.namespace}/${s.secret.meta.name}`;
}

export function usersText(s: ServedSecret): string {
  return s.users.map((u) => `${listenerLabel(u.lm)} of Gateway ${gatewayId(u.lm.gateway)}`).join(', ');
}

/** Whether an Envoy Gateway (or Calico) listener uses the Secret: it validates Secret contents and refuses bad ones. */
export function envoyUsers(s: ServedSecret): ListenerModel[] {
  return s.users.filter((u) => isEnvoyGateway(u.lm.gateway.impl)).map((u) => u.lm);
}

/** `CN=www.example.com (SAN www.example.com, *.example.com)`, a certificate in a few words. */
export function certName(c: Cert): string {
  const cn = c.commonName ? `CN=${c.commonName}` : c.subject || '(empty subject)';
  const sans = [...c.sans.dns, ...c.sans.ip];
  return sans.length ? `${cn}, SAN ${sans.slice(0, 4).join(', ')}${sans.length > 4 ? ', …' : ''}` : cn;
}

/** Position in tls.crt, in words: the leaf, or "certificate 2 (intermediate)". */
export function position(c: DecodedCert, i: number): string {
  if (i === 0) return 'the leaf certificate';
  return `certificate ${i + 1} of tls.crt (${c.cert.selfSigned ? 'a root' : c.cert.isCA ? 'an intermediate' : 'not a CA'})`;
}

export function certEvidence(certs: readonly DecodedCert[]): string[] {
  return certs.map((c, i) => `tls.crt[${i}]: ${certName(c.cert)}; issuer ${c.cert.issuer}; valid ${c.cert.notBefore} to ${c.cert.notAfter}`);
}

/** The cert-manager Certificate that owns a Secret, from the annotations cert-manager writes on it. */
export function certManagerHint(secret: SecretObject): string {
  const a = secret.meta.annotations;
  const name = a['cert-manager.io/certificate-name'];
  if (!name) return '';
  const issuer = a['cert-manager.io/issuer-name'] ? ` (issuer ${a['cert-manager.io/issuer-kind'] ?? 'Issuer'} ${a['cert-manager.io/issuer-name']})` : '';
  return ` The Secret belongs to cert-manager Certificate ${secret.meta.namespace}/${name}${issuer}: kubectl describe certificate ${name} -n ${secret.meta.namespace} says why it is not renewed or what it was issued for.`;
}

export const DAY_MS = 86_400_000;

export function daysBetween(a: Date, b: Date): number {
  return Math.floor((b.getTime() - a.getTime()) / DAY_MS);
}

/**
 * Index of the real leaf when tls.crt does not start with it (tls.key belongs to a later certificate, or the first
 * is a CA followed by a non-CA); null when the first certificate is the leaf. GWTLS-CERT-005 reports the order;
 * rules about the leaf's content stay quiet rather than judge a CA certificate as the server's.
 */
export function misplacedLeaf(certs: readonly DecodedCert[], keyPem: string | undefined): number | null {
  const keyAt = chainShape(certs, keyPem).keyAt;
  if (keyAt !== null) return keyAt;
  if (!certs[0]?.cert.isCA) return null;
  const i = certs.findIndex((c) => !c.cert.isCA);
  return i > 0 ? i : null;
}
