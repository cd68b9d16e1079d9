// Listener certificateRefs -> Secrets -> decoded chains, with the reasons a ref cannot be used.
import { KINDS } from '../cluster/kinds.ts';
import type { GatewayObject, ListenerSetObject, ListenerSpec, SecretObject, SecretObjectReference } from '../cluster/objects.ts';
import type { Lookup, Snapshot } from '../cluster/snapshot.ts';
import { decodePemChain, privateKeyMatches, type DecodedChain } from '../tls/certificate.ts';
import { checkGrant, type GrantCheck } from './grants.ts';

export type CertRefState = 'ok' | 'invalid-kind' | 'missing' | 'unknown' | 'not-permitted' | 'wrong-type' | 'no-certificate' | 'unparseable' | 'ignored';

export interface CertRef {
  index: number;
  ref: SecretObjectReference & { namespace: string };
  crossNamespace: boolean;
  grant: GrantCheck;
  secret: Lookup<SecretObject> | null;
  chain?: DecodedChain;
  keyMatches?: boolean | null;
  keyError?: string;
  state: CertRefState;
  why: string;
}

export class CertificateDecoder {
  private readonly cache = new Map<string, { chain: DecodedChain; keyMatches?: boolean | null; keyError?: string }>();
  readonly now: Date;

  constructor(now: Date) {
    this.now = now;
  }

  /** Decodes tls.crt of a Secret once, and tests tls.key against its first certificate. */
  secret(secret: SecretObject): { chain: DecodedChain; keyMatches?: boolean | null; keyError?: string } {
    const id = `${secret.meta.namespace}/${secret.meta.name}`;
    let hit = this.cache.get(id);
    if (!hit) {
      const chain = decodePemChain(secret.tlsCrt ?? '', `secret ${id}`, this.now);
      hit = { chain };
      const leaf = chain.certs[0];
      if (leaf && secret.tlsKey !== undefined) {
        const m = privateKeyMatches(leaf.x509, secret.tlsKey);
        hit.keyMatches = m.matches;
        if (m.error) hit.keyError = m.error;
        leaf.cert.keyMatches = m.matches;
      }
      this.cache.set(id, hit);
    }
    return hit;
  }
}

/**
 * `owner`: the object that defines the listener. A ListenerSet's refs default to its own namespace and need a
 * ReferenceGrant from the ListenerSet kind: grants to the Gateway are not inherited, nor the other way round
 * (listenerset_types.go "ReferenceGrant Semantics").
 */
export function resolveCertificateRefs(owner: GatewayObject | ListenerSetObject, l: ListenerSpec, snapshot: Snapshot, decoder: CertificateDecoder): CertRef[] {
  return (l.tls?.certificateRefs ?? []).map((r, index) => resolveOne(owner, { ...r, namespace: r.namespace ?? owner.meta.namespace }, index, snapshot, decoder));
}

function resolveOne(owner: GatewayObject | ListenerSetObject, ref: SecretObjectReference & { namespace: string }, index: number, snapshot: Snapshot, decoder: CertificateDecoder): CertRef {
  const crossNamespace = ref.namespace !== owner.meta.namespace;
  const where = `${ref.namespace}/${ref.name}`;
  const grant = crossNamespace
    ? checkGrant(snapshot, { group: KINDS[owner.kind].group, kind: owner.kind, namespace: owner.meta.namespace }, { group: '', kind: 'Secret', namespace: ref.namespace, name: ref.name })
    : { allowed: true, why: 'same namespace' };
  const base = { index, ref, crossNamespace, grant };
  if (ref.group !== '' || ref.kind !== 'Secret') {
    return { ...base, secret: null, state: 'invalid-kind', why: `certificateRefs[${index}] names ${ref.kind}${ref.group ? `.${ref.group}` : ''} ${ref.name}; only core Secrets are portable (group "", kind Secret)` };
  }
  const secret = snapshot.lookup('Secret', ref.namespace, ref.name);
  if (grant.allowed === false) return { ...base, secret, state: 'not-permitted', why: `Secret ${where} is in another namespace and ${grant.why}` };
  if (!secret.found) return { ...base, secret, state: secret.known ? 'missing' : 'unknown', why: secret.why };
  const s = secret.obj;
  if (s.tlsCrt === undefined) {
    const keys = s.dataKeys.length ? s.dataKeys.join(', ') : 'no keys';
    return { ...base, secret, state: 'no-certificate', why: `Secret ${where} (type ${s.type}) has no tls.crt (it has ${keys})${s.decodeErrors.length ? `; ${s.decodeErrors.join('; ')}` : ''}` };
  }
  const decoded = decoder.secret(s);
  const out: CertRef = { ...base, secret, chain: decoded.chain, state: 'ok', why: '' };
  if (decoded.keyMatches !== undefined) out.keyMatches = decoded.keyMatches;
  if (decoded.keyError) out.keyError = decoded.keyError;
  if (decoded.chain.certs.length === 0) {
    out.state = 'unparseable';
    out.why = `Secret ${where} tls.crt holds no readable certificate: ${decoded.chain.errors.join('; ')}`;
  } else if (s.type !== 'kubernetes.io/tls') {
    out.state = 'wrong-type';
    out.why = `Secret ${where} has type ${s.type}; listeners need type kubernetes.io/tls (Core support)`;
  } else {
    out.why = `Secret ${where}`;
  }
  return out;
}
