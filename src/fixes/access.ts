// Which fixes widen access across a namespace boundary, decided in this one place for every rule: a fix that
// creates or changes a ReferenceGrant, admits routes or listeners from more namespaces or more kinds, labels a
// Namespace (label selectors may then admit it), or makes an object reference something in another namespace
// is never a safe fix. The engine turns it into a suggestion marked `widensAccess`, which `--apply` never
// applies and the UI applies only after the user confirms the widening in words. So is a fix that changes an
// object in another namespace than the one whose finding asked for it (one tenant's object must not steer
// another's), and a fix that still holds a placeholder where a value only the user knows belongs.
import { kindFor } from '../cluster/kinds.ts';
import type { Snapshot } from '../cluster/snapshot.ts';
import type { Fix, ObjectRef } from '../report/types.ts';
import { isMap } from './fields.ts';
import { applyConfigurations } from './merge.ts';
import { fixDocuments, sameDocuments } from './yaml.ts';

type Raw = Record<string, unknown>;

/** Fields whose items reference another object by name and (optionally) namespace. */
const REFERENCE_FIELDS = new Set(['certificateRefs', 'backendRefs', 'caCertificateRefs', 'parametersRef', 'targetRefs', 'targetRef', 'clientCertificateRef', 'backendClientCertificateRef', 'mirrorRef', 'extensionRef', 'defaultTargetGroupConfiguration']);
const FROM_RANK: Record<string, number> = { None: 0, Same: 1, Selector: 2, All: 3 };
/** `<ARN OF our ACM certificate>`, `<your-ca.pem>`: a value the author left for someone to fill in. */
const PLACEHOLDER = /^<[^<>]+>$|<(?:[A-Z][A-Za-z ]*|your[-_ a-z]*|paste[^<>]*|fill[^<>]*)>/;

export interface AccessReview {
  /** What the fix would grant across a namespace boundary, in words (empty: nothing). */
  grants: string[];
  /** Why it must not be applied on its own although it grants nothing (another tenant's object). */
  crossNamespace: string[];
  /** Values the fix leaves for the user to fill in. */
  gaps: string[];
}

function meta(o: Raw): { name: string; namespace: string } {
  const m = isMap(o.metadata) ? o.metadata : {};
  return { name: String(m.name ?? ''), namespace: typeof m.namespace === 'string' ? m.namespace : '' };
}

function label(o: Raw, defaultNamespace: string): string {
  const { name, namespace } = meta(o);
  const info = kindFor(String(o.apiVersion ?? ''), String(o.kind ?? ''));
  const ns = info?.namespaced === false ? '' : namespace || defaultNamespace;
  return `${String(o.kind)} ${ns ? `${ns}/` : ''}${name}`;
}

/** References (kind, namespace, name) an object makes to other namespaces, keyed for comparison. */
function foreignReferences(obj: Raw, ownNamespace: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (value: unknown, field: string, path: string): void => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, field, `${path}[${i}]`));
      return;
    }
    if (!isMap(value)) return;
    if (REFERENCE_FIELDS.has(field) && typeof value.name === 'string' && typeof value.namespace === 'string' && value.namespace !== ownNamespace) {
      const kind = typeof value.kind === 'string' ? value.kind : field === 'certificateRefs' || field === 'caCertificateRefs' ? 'Secret' : field === 'backendRefs' ? 'Service' : 'object';
      out.set(`${kind}|${value.namespace}|${value.name}`, `${kind} ${value.namespace}/${value.name} (${path})`);
    }
    for (const [k, v] of Object.entries(value)) if (k !== 'metadata' && k !== 'status') walk(v, k, path ? `${path}.${k}` : k);
  };
  walk(obj, '', '');
  return out;
}

interface Admission {
  from: number;
  selector: string;
  kinds: Set<string> | null;
}

function admissions(obj: Raw): Map<string, Admission> {
  const out = new Map<string, Admission>();
  const spec = isMap(obj.spec) ? obj.spec : {};
  const listeners = Array.isArray(spec.listeners) ? spec.listeners : [];
  for (const l of listeners) {
    if (!isMap(l)) continue;
    const ar = isMap(l.allowedRoutes) ? l.allowedRoutes : {};
    const ns = isMap(ar.namespaces) ? ar.namespaces : {};
    const kinds = Array.isArray(ar.kinds) ? new Set(ar.kinds.filter(isMap).map((k) => `${String(k.group ?? 'gateway.networking.k8s.io')}/${String(k.kind)}`)) : null;
    out.set(`listener ${String(l.name)}`, { from: FROM_RANK[String(ns.from ?? 'Same')] ?? 1, selector: JSON.stringify(ns.selector ?? null), kinds });
  }
  const al = isMap(spec.allowedListeners) ? spec.allowedListeners : null;
  if (al) {
    const ns = isMap(al.namespaces) ? al.namespaces : {};
    out.set('allowedListeners', { from: FROM_RANK[String(ns.from ?? 'None')] ?? 0, selector: JSON.stringify(ns.selector ?? null), kinds: null });
  }
  return out;
}

function widerAdmission(before: Map<string, Admission>, after: Map<string, Admission>, what: string): string[] {
  const out: string[] = [];
  for (const [key, a] of after) {
    const b = before.get(key) ?? { from: key === 'allowedListeners' ? 0 : 1, selector: 'null', kinds: null };
    if (a.from > b.from) out.push(`${what} ${key} would admit ${key === 'allowedListeners' ? 'ListenerSets' : 'routes'} from more namespaces (${Object.keys(FROM_RANK).find((k) => FROM_RANK[k] === b.from)} -> ${Object.keys(FROM_RANK).find((k) => FROM_RANK[k] === a.from)})`);
    else if (a.from === FROM_RANK.Selector && a.selector !== b.selector) out.push(`${what} ${key} would admit routes from the namespaces a new label selector matches`);
    if (a.kinds && (b.kinds === null ? false : [...a.kinds].some((k) => !b.kinds!.has(k)))) out.push(`${what} ${key} would admit more route kinds (${[...a.kinds].filter((k) => !b.kinds!.has(k)).map((k) => k.split('/')[1]).join(', ')})`);
    if (!a.kinds && b.kinds) out.push(`${what} ${key} would admit every route kind its protocol serves`);
  }
  return out;
}

/** What a ReferenceGrant allows, as `from -> to` pairs in words. */
function grantPairs(grant: Raw): Set<string> {
  const spec = isMap(grant.spec) ? grant.spec : {};
  const list = (x: unknown) => (Array.isArray(x) ? x.filter(isMap) : []);
  const out = new Set<string>();
  for (const f of list(spec.from)) {
    for (const t of list(spec.to)) out.add(`${String(f.kind)}s in ${String(f.namespace)} reference ${String(t.kind)} ${t.name ? String(t.name) : '(any name)'}`);
  }
  return out;
}

function placeholders(value: unknown, path: string, out: string[]): void {
  if (typeof value === 'string') {
    if (PLACEHOLDER.test(value)) out.push(`${path} is "${value}", a placeholder: fill in the real value`);
  } else if (Array.isArray(value)) value.forEach((v, i) => placeholders(v, `${path}[${i}]`, out));
  else if (isMap(value)) for (const [k, v] of Object.entries(value)) placeholders(v, path ? `${path}.${k}` : k, out);
}

/** What a fix would do across namespace boundaries, given the objects as they are now. */
export function reviewAccess(fix: Fix, subject: ObjectRef, snapshot: Snapshot, defaultNamespace = 'default'): AccessReview {
  const review: AccessReview = { grants: [], crossNamespace: [], gaps: [] };
  for (const doc of fixDocuments(fix)) {
    const info = kindFor(String(doc.apiVersion ?? ''), String(doc.kind ?? ''));
    const { name, namespace: ns } = meta(doc);
    const namespace = info?.namespaced === false ? '' : ns || defaultNamespace;
    const current = info ? snapshot.get(info.kind, namespace, name)?.raw : undefined;
    const after = current ? applyConfigurations([current], [doc], defaultNamespace)[0]! : doc;
    const what = label(doc, defaultNamespace);
    placeholders(doc, '', review.gaps);
    if (doc.kind === 'ReferenceGrant') {
      const before = current ? grantPairs(current) : new Set<string>();
      const added = [...grantPairs(after)].filter((p) => !before.has(p));
      if (added.length) review.grants.push(`${current ? 'widens' : 'creates'} ${what}, which lets ${added.join('; ')} in namespace ${namespace}`);
      continue;
    }
    if (doc.kind === 'Namespace' && isMap(isMap(doc.metadata) ? doc.metadata.labels : undefined)) {
      review.grants.push(`labels Namespace ${name}: listeners and policies that select namespaces by label may then admit it`);
    }
    if (doc.kind === 'Gateway' || doc.kind === 'ListenerSet') review.grants.push(...widerAdmission(current ? admissions(current) : new Map(), admissions(after), what));
    const had = current ? foreignReferences(current, namespace) : new Map<string, string>();
    for (const [key, ref] of foreignReferences(after, namespace)) {
      if (!had.has(key)) review.grants.push(`${what} would reference ${ref} in another namespace${namespace ? '' : ' (it is cluster-scoped: every namespace depends on it)'}`);
    }
    const subjectNs = subject.namespace ?? '';
    if (subjectNs && namespace !== subjectNs && !(doc.kind === 'Namespace' && name === subjectNs)) {
      review.crossNamespace.push(`changes ${what} at the request of ${subject.kind} ${subjectNs}/${subject.name}, another namespace: its owners should decide`);
    }
  }
  return review;
}

/** The fix as the report offers it: a suggestion, with the reasons, when applying it would not be safe. */
export function classifyFix(fix: Fix, subject: ObjectRef, snapshot: Snapshot): Fix {
  const review = reviewAccess(fix, subject, snapshot);
  if (review.grants.length === 0 && review.crossNamespace.length === 0 && review.gaps.length === 0) return fix;
  const out: Fix = { ...fix, type: 'suggestion' };
  sameDocuments(fix, out);
  if (review.grants.length) {
    out.widensAccess = true;
    out.grants = review.grants;
  }
  if (review.gaps.length) out.gaps = review.gaps;
  const why = [
    ...(review.grants.length ? [`It widens access across a namespace boundary: ${review.grants.join('; ')}. Apply it yourself only if that is intended.`] : []),
    ...(review.crossNamespace.length ? [`It ${review.crossNamespace.join('; ')}.`] : []),
    ...(review.gaps.length ? [`It needs a value only you know: ${review.gaps.join('; ')}.`] : []),
  ];
  out.note = [fix.note, ...why].filter(Boolean).join(' ');
  return out;
}
