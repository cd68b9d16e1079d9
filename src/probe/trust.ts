// Trust anchors and path building over the certificates a server presented. OpenSSL (through node:tls)
// gives the verdict against Node's store or --ca-file; this module explains it (which anchor, which issuer is
// missing) and checks the operating system's store, which Node does not consult by default.
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { issuedBy as issuedByUncached, pemBlocks } from '../tls/certificate.ts';

const issuedMemo = new Map<string, boolean>();

/** certificate.ts's issuedBy (name match + signature check), memoised: a signature check per pair, once. */
export function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  const key = `${child.fingerprint256}>${parent.fingerprint256}`;
  let v = issuedMemo.get(key);
  if (v === undefined) {
    v = issuedByUncached(child, parent);
    if (issuedMemo.size > 20_000) issuedMemo.clear();
    issuedMemo.set(key, v);
  }
  return v;
}

export interface TrustStore {
  label: string;
  certs: X509Certificate[];
  bySubject: Map<string, X509Certificate[]>;
  fingerprints: Set<string>;
}

export function storeFromX509(label: string, certs: X509Certificate[]): TrustStore {
  const bySubject = new Map<string, X509Certificate[]>();
  const fingerprints = new Set<string>();
  for (const c of certs) {
    if (fingerprints.has(c.fingerprint256)) continue;
    fingerprints.add(c.fingerprint256);
    const list = bySubject.get(c.subject);
    if (list) list.push(c);
    else bySubject.set(c.subject, [c]);
  }
  return { label, certs, bySubject, fingerprints };
}

function parsePems(pems: readonly string[]): X509Certificate[] {
  const out: X509Certificate[] = [];
  for (const p of pems) {
    try {
      out.push(new X509Certificate(p));
    } catch {
      // An unreadable entry in a system store is not our problem to report.
    }
  }
  return out;
}

const pemStores = new Map<string, TrustStore>();

/** Parses a --ca-file (once per text and label). Throws with a readable message when it holds no certificate. */
export function storeFromPem(text: string, label: string): TrustStore {
  const key = `${label}\n${text}`;
  const hit = pemStores.get(key);
  if (hit) return hit;
  const store = parseStore(text, label);
  pemStores.set(key, store);
  return store;
}

function parseStore(text: string, label: string): TrustStore {
  const certs: X509Certificate[] = [];
  for (const b of pemBlocks(text)) {
    if (b.type !== 'CERTIFICATE' && b.type !== 'TRUSTED CERTIFICATE') continue;
    certs.push(new X509Certificate(b.der));
  }
  if (certs.length === 0) throw new Error(`${label} holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)`);
  return storeFromX509(label, certs);
}

let nodeStore: TrustStore | null = null;
let osStore: TrustStore | null | undefined;

/** Node's default store: its bundled Mozilla roots plus NODE_EXTRA_CA_CERTS (what OpenSSL verified against). */
export function nodeDefaultStore(): TrustStore {
  nodeStore ??= storeFromX509('system', parsePems(getCa('default') ?? tls.rootCertificates));
  return nodeStore;
}

/** The operating system's store (e.g. /etc/ssl/certs), when Node can read it; null when it cannot. */
export function osTrustStore(): TrustStore | null {
  if (osStore === undefined) {
    const pems = getCa('system');
    osStore = pems && pems.length > 0 ? storeFromX509('system', parsePems(pems)) : null;
  }
  return osStore;
}

function getCa(kind: 'default' | 'system'): readonly string[] | null {
  const fn = (tls as unknown as { getCACertificates?: (k: string) => string[] }).getCACertificates;
  try {
    return fn ? fn(kind) : null;
  } catch {
    return null;
  }
}

export interface PathResult {
  /** Indexes into the served chain, leaf first. */
  path: number[];
  /** The anchor the path ends in (a store certificate), or null. */
  anchor: X509Certificate | null;
  /** The anchor is itself a served certificate found in the store (by fingerprint). */
  anchorServed: boolean;
  /** Served certificate indexes the path used only because the store holds their issuer as a non-root. */
  storeIntermediate: X509Certificate | null;
}

/** Builds leaf -> ... -> anchor from served certificates (any order) and the store; never fetches AIA. */
export function buildPath(served: X509Certificate[], store: TrustStore): PathResult {
  const result: PathResult = { path: [], anchor: null, anchorServed: false, storeIntermediate: null };
  if (served.length === 0) return result;
  const used = new Set<number>();
  let cur = 0;
  for (let guard = 0; guard <= served.length; guard++) {
    result.path.push(cur);
    used.add(cur);
    const c = served[cur]!;
    if (store.fingerprints.has(c.fingerprint256)) {
      result.anchor = c;
      result.anchorServed = true;
      return result;
    }
    // Prefer the certificate that follows (as served), then any other served certificate, then the store.
    const next = cur + 1 < served.length && !used.has(cur + 1) && issuedBy(c, served[cur + 1]!) ? cur + 1 : served.findIndex((s, i) => !used.has(i) && issuedBy(c, s));
    if (next < 0) {
      const fromStore = (store.bySubject.get(c.issuer) ?? []).find((a) => issuedBy(c, a));
      if (fromStore) {
        result.anchor = fromStore;
        if (fromStore.subject !== fromStore.issuer) result.storeIntermediate = fromStore;
      }
      return result;
    }
    cur = next;
  }
  return result;
}
