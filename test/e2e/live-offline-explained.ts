// The differences between live and offline answers that their source explains (what a cluster knows and files
// cannot, what the API server writes by itself), shared by the live/offline invariant (live-offline.test.ts) and
// the ListenerSet test (listenerset.test.ts). Each is printed with its reason in every run, never dropped.
import type { KindName } from '../../src/cluster/kinds.ts';
import type { Snapshot } from '../../src/cluster/snapshot.ts';
import type { Finding } from '../../src/report/types.ts';

/**
 * A difference explained by where the objects came from; printed, never silently dropped. `absentOffline`: the
 * explanation holds only when the files hold no object of that kind (the offline side cannot know, so it says
 * "not checked" where the cluster knows).
 */
export interface Explanation {
  code: string;
  side: 'live' | 'offline';
  field?: string;
  /** Holds only when the files hold no object of one of these kinds. */
  absentOffline?: KindName | KindName[];
  severity?: Finding['severity'];
  /** Holds only when this says so (the finding, and what the offline side read). */
  when?: (f: Finding, offline: Snapshot, otherSide: readonly Finding[]) => boolean;
  why: string;
}

/**
 * Differences found and not yet explained by their source nor fixed: listed by input set so that nothing else
 * hides behind them, and printed as OPEN in every run (issue 11 follow-up).
 */
export const OPEN: Array<{ set: string; code: string }> = [
  { set: 'test/fixtures/scenarios/aws-lbc/gwtls-lbc-004/invalid-an-event-proves-an-old-controller.yaml', code: 'GWTLS-GW-003' },
  { set: 'test/fixtures/scenarios/backend-tls/gwtls-btls-001/invalid-an-envoy-gateway-backend-without-tls-in-front-of-a-tls-service.yaml', code: 'GWTLS-BTLS-001' },
  { set: 'test/fixtures/scenarios/backend-tls/gwtls-btls-001/valid-pods-serve-two-ports-and-the-one-used-has-no-tls-name-the-mounted.yaml', code: 'GWTLS-BTLS-001' },
  { set: 'test/fixtures/scenarios/backend-tls/gwtls-btls-002/invalid-a-policy-on-a-port-named-http-whose-pods-mount-no-certificate.yaml', code: 'GWTLS-BTLS-002' },
  { set: 'test/fixtures/scenarios/backend-tls/gwtls-btls-002/invalid-aws-nlb-a-tls-target-group-for-a-plaintext-port.yaml', code: 'GWTLS-BTLS-002' },
  { set: 'conformance httproute-service-types', code: 'GWTLS-BE-004' },
];

export const STATUS = 'status: in a cluster a missing or defaulted status is evidence (the API server writes CRD status defaults; no controller runs in the test control plane, and the files carry no status for it); a manifest without status says nothing, so offline does not judge it';
export const NOT_IN_INPUT = 'not-in-input: the files hold no object of this kind, so offline reports the reference as not checked; the cluster knows';

export const EXPLAINED: Explanation[] = [
  { code: 'GWTLS-PLAT-001', side: 'live', field: 'metadata.managedFields', why: 'source: in a cluster the object is read at a served version, so an outdated version shows in who writes it (managedFields); in files it shows as the apiVersion field (the same finding, offline at field apiVersion)' },
  { code: 'GWTLS-PLAT-001', side: 'offline', field: 'apiVersion', why: 'source: see the live finding at metadata.managedFields' },
  { code: 'GWTLS-RT-009', side: 'live', field: 'status.parents', why: STATUS },
  { code: 'GWTLS-PLAT-003', side: 'live', field: 'status.conditions', why: STATUS },
  { code: 'GWTLS-BE-004', side: 'live', absentOffline: 'EndpointSlice', why: 'source: in a cluster endpoints come from EndpointSlices, which the EndpointSlice controller makes (the test control plane runs none); the files hold the Pods only, and offline counts their readiness' },
  { code: 'GWTLS-BE-001', side: 'live', absentOffline: 'Service', why: NOT_IN_INPUT },
  { code: 'GWTLS-LBC-007', side: 'live', absentOffline: 'Service', why: NOT_IN_INPUT },
  { code: 'GWTLS-LSN-010', side: 'live', absentOffline: ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'], why: `${NOT_IN_INPUT} (a route kind the listener accepts)` },
  { code: 'GWTLS-LSN-004', side: 'live', absentOffline: 'Secret', why: NOT_IN_INPUT },
  { code: 'GWTLS-BE-005', side: 'live', when: (f, offline) => offline.list('Pod', f.object.namespace ?? '').length === 0, why: `${NOT_IN_INPUT} (no Pod of that namespace in the files; in the cluster they would come from the Deployments, and the test control plane runs no controllers)` },
  { code: 'GWTLS-LSN-004', side: 'live', when: (f) => /cert-manager/.test(f.message), why: 'source: the Gateway asks cert-manager for the certificate; in files it may not be issued yet (info), in the cluster it does not exist (error)' },
  { code: 'GWTLS-GW-001', side: 'offline', when: (_f, _o, live) => live.some((x) => x.code === 'GWTLS-PLAT-003' && x.field === 'status.conditions'), why: `${STATUS}: the GatewayClass's defaulted status blocks every Gateway of the class, so the Gateway's own cause gives way to GWTLS-PLAT-003 live` },
  { code: 'GWTLS-LSN-004', side: 'offline', severity: 'info', why: 'source: see the live GWTLS-LSN-004 error on the same listener' },
  { code: 'GWTLS-LSN-008', side: 'offline', why: 'defaulting: the API server (Gateway API v1.6 CRDs) fills in tls.mode: Terminate, so the live object carries a mode the file leaves out' },
  { code: 'GWTLS-BTLS-003', side: 'live', absentOffline: 'ConfigMap', why: `${NOT_IN_INPUT} (offline: a warning that the CA ConfigMap is not in the input; live: an error, it does not exist)` },
  { code: 'GWTLS-BTLS-003', side: 'offline', absentOffline: 'ConfigMap', why: 'not-in-input: see the live error' },
  { code: 'GWTLS-DNS-003', side: 'offline', why: 'served versions: the cluster serves TCPRoute v1alpha2 (the Experimental CRDs), which external-dns reads; files cannot tell what a cluster serves, so offline warns' },
  { code: 'GWTLS-EG-001', side: 'live', why: 'source: whether the Envoy Gateway Backend API is enabled is in the cluster (ConfigMap envoy-gateway-config); offline does not judge it' },
  { code: 'GWTLS-CM-001', side: 'live', absentOffline: 'Certificate', why: `${NOT_IN_INPUT} (no cert-manager Certificate in the files: offline cannot tell whether the gateway-shim made one; the cluster serves the kind and has none)` },
  { code: 'GWTLS-CM-003', side: 'live', absentOffline: ['Issuer', 'ClusterIssuer'], why: `${NOT_IN_INPUT} (the issuer the Gateway names)` },
  { code: 'GWTLS-LS-004', side: 'offline', field: 'status.conditions', when: (_f, _o, live) => classBlockedLive(live), why: `${STATUS}: the GatewayClass's defaulted status blocks every Gateway of the class, so what the ListenerSet's controller wrote gives way to GWTLS-PLAT-003 live` },
  { code: 'GWTLS-LS-005', side: 'live', when: (f, offline) => !offline.get('ListenerSet', f.object.namespace ?? '', f.object.name)?.conditions.length && !offline.get('XListenerSet', f.object.namespace ?? '', f.object.name)?.conditions.length, why: `${STATUS} (the ListenerSet's status, which the API server defaults to Pending)` },
  { code: 'GWTLS-GW-001', side: 'live', field: 'status.conditions', when: (f, offline) => !offline.get('Gateway', f.object.namespace ?? '', f.object.name)?.conditions.length, why: `${STATUS} (the Gateway's status, which the API server defaults to Pending)` },
  {
    code: 'GWTLS-CM-003',
    side: 'live',
    field: 'status.conditions',
    when: (f, offline) => !(f.object.kind === 'ClusterIssuer' ? offline.get('ClusterIssuer', '', f.object.name) : offline.get('Issuer', f.object.namespace ?? '', f.object.name))?.conditions.some((c) => c.type === 'Ready'),
    why: `${STATUS} (the issuer's status: no cert-manager issuers controller runs in the test control plane)`,
  },
  { code: 'GWTLS-GW-002', side: 'live', why: 'source: the rule judges Programmed and status.addresses on a live cluster only (an exported manifest\'s status is a copy of some earlier moment, often without addresses)' },
];

const classBlockedLive = (live: readonly Finding[]) => live.some((x) => x.code === 'GWTLS-PLAT-003' && x.field === 'status.conditions');

/** Why a finding seen on one side only is expected there, or undefined when nothing explains it. */
export function explainDifference(f: Finding, side: 'live' | 'offline', offline: Snapshot, otherSide: readonly Finding[]): string | undefined {
  return EXPLAINED.find(
    (x) =>
      x.code === f.code &&
      x.side === side &&
      (x.field === undefined || x.field === f.field) &&
      (x.absentOffline === undefined || [x.absentOffline].flat().some((k) => offline.state(k).state === 'absent')) &&
      (x.severity === undefined || x.severity === f.severity) &&
      (x.when === undefined || x.when(f, offline, otherSide)),
  )?.why;
}

/** A difference listed as known and not yet explained (printed as OPEN). */
export function isOpen(set: string, code: string): boolean {
  return OPEN.some((o) => set.startsWith(o.set) && o.code === code);
}
