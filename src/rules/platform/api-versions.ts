// API versions that current releases no longer serve or have deprecated, and how an object written at one of
// them looks at the current version (gateway-tls-domain.md §1.1, §2.1; apis/v1/*_types.go@v1.6.1).
import { apiVersionFor, KINDS, type KindName } from '../../cluster/kinds.ts';
import type { BaseObject } from '../../cluster/objects.ts';

export interface OutdatedVersion {
  target: string;
  /** Why the version is outdated, as a clause ("deprecated in Gateway API v1.6: ..."). */
  why: string;
  /** What happens to a manifest at that version. */
  consequence: string;
}

const STANDARD_REJECTS = 'applying it where the Standard CRDs of that release or later are installed fails with "no matches for kind"';
const NOWHERE = 'applying it fails with "no matches for kind" on any current cluster';
const TCP_UDP = { why: 'deprecated in Gateway API v1.6 (its Standard channel serves only v1; v1alpha2 survives in the Experimental channel alone)', consequence: STANDARD_REJECTS };
const TLS = { why: 'deprecated since Gateway API v1.5 (its Standard channel serves only v1; v1alpha2 and v1alpha3 survive in the Experimental channel alone)', consequence: STANDARD_REJECTS };
const LBC = { why: 'deprecated in AWS Load Balancer Controller v3.5, whose CRDs store gateway.k8s.aws/v1', consequence: 'LBC v3.5 still serves it with a deprecation warning, and a later release may stop' };

const OUTDATED: Partial<Record<KindName, Record<string, OutdatedVersion>>> = {
  TCPRoute: { v1alpha2: { target: 'v1', ...TCP_UDP } },
  UDPRoute: { v1alpha2: { target: 'v1', ...TCP_UDP } },
  TLSRoute: { v1alpha2: { target: 'v1', ...TLS }, v1alpha3: { target: 'v1', ...TLS } },
  BackendTLSPolicy: {
    v1alpha3: { target: 'v1', why: 'deprecated since Gateway API v1.4 (its Standard channel serves only v1)', consequence: STANDARD_REJECTS },
    v1alpha2: { target: 'v1', why: 'removed in Gateway API v1.1 (v1alpha3 replaced it there, then v1 in v1.4)', consequence: NOWHERE },
  },
  ReferenceGrant: { v1alpha2: { target: 'v1beta1', why: 'removed in Gateway API v1.2', consequence: NOWHERE } },
  GRPCRoute: { v1alpha2: { target: 'v1', why: 'removed in Gateway API v1.2', consequence: NOWHERE } },
  LoadBalancerConfiguration: { v1beta1: { target: 'v1', ...LBC } },
  TargetGroupConfiguration: { v1beta1: { target: 'v1', ...LBC } },
};

export function outdated(kind: KindName, version: string): OutdatedVersion | undefined {
  return OUTDATED[kind]?.[version];
}

export const KINDS_WITH_OUTDATED_VERSIONS = Object.keys(OUTDATED) as KindName[];

type Raw = Record<string, unknown>;
const rec = (x: unknown): Raw => (x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Raw) : {});

const SERVER_FIELDS = new Set(['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'ownerReferences']);

function cleanMetadata(raw: Raw): Raw {
  const m = Object.fromEntries(Object.entries(structuredClone(rec(raw.metadata))).filter(([k]) => !SERVER_FIELDS.has(k)));
  const annotations = Object.fromEntries(Object.entries(rec(m.annotations)).filter(([k]) => k !== 'kubectl.kubernetes.io/last-applied-configuration'));
  if (Object.keys(annotations).length === 0) delete m.annotations;
  else m.annotations = annotations;
  return m;
}

export type Conversion = { doc: Raw; changes: string[] } | { problem: string };

/**
 * The object as a manifest at `target`, converting the shape where the versions differ. `hostnamesFor`
 * supplies TLSRoute hostnames (required from v1alpha3) when the route has none.
 */
export function convert(obj: BaseObject, target: string, hostnamesFor: () => string[]): Conversion {
  const spec = structuredClone(rec(obj.raw.spec));
  const changes: string[] = [`apiVersion ${obj.apiVersion} -> ${apiVersionFor(KINDS[obj.kind], target)}`];
  switch (obj.kind) {
    case 'TCPRoute':
    case 'UDPRoute':
    case 'TLSRoute': {
      const rules = Array.isArray(spec.rules) ? spec.rules : [];
      if (rules.length !== 1) {
        return { problem: `${obj.kind} v1 allows exactly one rule and this one has ${rules.length}: merge the backendRefs into one rule (weights split the traffic)` };
      }
      if (obj.kind === 'TLSRoute' && !(Array.isArray(spec.hostnames) && spec.hostnames.length > 0)) {
        const hostnames = hostnamesFor();
        if (hostnames.length === 0) return { problem: 'TLSRoute v1 requires spec.hostnames (the SNI names it serves), and neither the route nor the listeners it attaches to name one' };
        spec.hostnames = hostnames;
        changes.push(`spec.hostnames set to ${hostnames.join(', ')} (required from v1alpha3; taken from the listener hostname)`);
      }
      break;
    }
    case 'BackendTLSPolicy':
      if (spec.targetRef !== undefined || spec.tls !== undefined) {
        const old = rec(spec.tls);
        const validation: Raw = {};
        if (old.caCertRefs !== undefined) validation.caCertificateRefs = old.caCertRefs;
        if (old.wellKnownCACerts !== undefined) validation.wellKnownCACertificates = old.wellKnownCACerts;
        if (old.hostname !== undefined) validation.hostname = old.hostname;
        if (spec.targetRef !== undefined) spec.targetRefs = [spec.targetRef];
        delete spec.targetRef;
        delete spec.tls;
        spec.validation = validation;
        changes.push('spec.targetRef -> spec.targetRefs[0]; spec.tls {caCertRefs, wellKnownCACerts, hostname} -> spec.validation {caCertificateRefs, wellKnownCACertificates, hostname}');
      }
      {
        const v = rec(spec.validation);
        if (typeof v.hostname !== 'string' || v.hostname === '') return { problem: 'BackendTLSPolicy v1 requires spec.validation.hostname (the SNI and the name verified), which this policy does not set' };
        const refs = Array.isArray(v.caCertificateRefs) && v.caCertificateRefs.length > 0;
        if (refs === (v.wellKnownCACertificates !== undefined)) return { problem: 'BackendTLSPolicy v1 requires exactly one of spec.validation.caCertificateRefs and wellKnownCACertificates' };
      }
      break;
    default:
      break;
  }
  const doc: Raw = { apiVersion: apiVersionFor(KINDS[obj.kind], target), kind: obj.kind, metadata: cleanMetadata(obj.raw), spec };
  return { doc, changes };
}
