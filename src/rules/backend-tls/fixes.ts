// Fixes shared by the gateway -> backend TLS rules: a verifying BackendTLSPolicy with its CA ConfigMap, and
// the AWS Load Balancer Controller's own way to open TLS to targets (a TargetGroupConfiguration).
import { GATEWAY_GROUP, LBC_GROUP } from '../../cluster/kinds.ts';
import type { ServiceObject, ServicePort } from '../../cluster/objects.ts';
import type { Snapshot } from '../../cluster/snapshot.ts';
import { fix, FORCE_NOTE, identity, objectName } from '../../fixes/builders.ts';
import type { TargetGroupChoice } from '../../graph/providers/aws-lbc-config.ts';
import type { Implementation } from '../../graph/providers/index.ts';
import type { RouteObject } from '../../cluster/objects.ts';
import type { Fix } from '../../report/types.ts';
import { commonValidationName, trustAnchor, type Anchor, type ServingCertificate } from './trust.ts';

export const LBC_API_NOTE = 'apiVersion gateway.k8s.aws/v1 needs AWS Load Balancer Controller v3.5 or later; use gateway.k8s.aws/v1beta1 on v3.4 and earlier.';
export const NO_VERIFY_NOTE = 'The load balancer encrypts traffic to the targets but never verifies their certificates (AWS documents this for TLS target groups): the backend is not authenticated.';

/** A name not yet taken by an object of that kind (so a fix never overwrites an unrelated object). */
export function freeName(snapshot: Snapshot, kind: 'ConfigMap' | 'BackendTLSPolicy' | 'TargetGroupConfiguration', namespace: string, ...parts: string[]): string {
  const base = objectName(...parts);
  if (!snapshot.get(kind, namespace, base)) return base;
  for (let i = 2; i < 10; i++) {
    const name = objectName(...parts, String(i));
    if (!snapshot.get(kind, namespace, name)) return name;
  }
  return objectName(...parts, 'gwtls');
}

export function caConfigMap(namespace: string, name: string, pem: string): object {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { 'ca.crt': pem.endsWith('\n') ? pem : `${pem}\n` } };
}

/**
 * Trust taken from what a probe was served is trust on first use: anyone between the probe and the backend
 * could have served it. Such a fix is only ever a suggestion, with the fingerprint to check.
 */
export function trustOnFirstUse(anchors: Anchor[]): { suggestion: boolean; note?: string } {
  const seen = anchors.filter((a) => a.observed);
  if (seen.length === 0) return { suggestion: false };
  return {
    suggestion: true,
    note: `Trust on first use: ${seen.map((a) => `${a.what} is only known from what ${a.observed} served to the probe (SHA-256 ${a.fingerprint ?? '?'})`).join('; ')}. Anyone between the probe and the backend could have served it: compare the fingerprint with the backend's owner before you apply this.`,
  };
}

/** Anchors that verify every certificate, concatenated (one per distinct anchor), or null when one is unknown. */
export function anchorsFor(certs: ServingCertificate[]): { pem: string; anchors: Anchor[] } | null {
  const anchors: Anchor[] = [];
  for (const c of certs) {
    const a = trustAnchor(c);
    if (!a) return null;
    if (!anchors.some((x) => x.pem === a.pem)) anchors.push(a);
  }
  return anchors.length ? { pem: anchors.map((a) => a.pem.trimEnd()).join('\n') + '\n', anchors } : null;
}

export function policyTargetRef(svc: ServiceObject, port: ServicePort | undefined): Record<string, unknown> {
  const ref: Record<string, unknown> = { group: '', kind: 'Service', name: svc.meta.name };
  if (port?.name) ref.sectionName = port.name;
  return ref;
}

export const POLICY_V1_NOTE = 'BackendTLSPolicy v1 needs Gateway API v1.4 or later (v1alpha3 before).';

export interface VerifyingPolicy {
  /** The BackendTLSPolicy and the CA ConfigMap, complete. */
  docs: object[];
  title: string;
  hostname: string;
  anchors: Anchor[];
}

/** A complete BackendTLSPolicy (v1) + CA ConfigMap that verify the certificates the backend pods mount; null when that cannot be built. */
export function verifyingPolicy(snapshot: Snapshot, svc: ServiceObject, port: ServicePort | undefined, certs: ServingCertificate[]): VerifyingPolicy | null {
  const trust = anchorsFor(certs);
  const name = commonValidationName(
    certs.map((c) => c.leaf.cert),
    svc,
  );
  if (!trust || !name) return null;
  const ns = svc.meta.namespace;
  const cm = freeName(snapshot, 'ConfigMap', ns, svc.meta.name, 'backend-ca');
  const policyName = freeName(snapshot, 'BackendTLSPolicy', ns, svc.meta.name, 'backend-tls');
  const validation: Record<string, unknown> = { hostname: name.hostname, caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: cm }] };
  if (name.uri) validation.subjectAltNames = [{ type: 'URI', uri: name.uri }];
  const policy = { apiVersion: `${GATEWAY_GROUP}/v1`, kind: 'BackendTLSPolicy', metadata: { name: policyName, namespace: ns }, spec: { targetRefs: [policyTargetRef(svc, port)], validation } };
  return {
    docs: [policy, caConfigMap(ns, cm, trust.pem)],
    title: `verify Service ${ns}/${svc.meta.name}${port?.name ? ` port ${port.name}` : ''} with BackendTLSPolicy ${policyName} (hostname ${name.hostname}), trusting ${trust.anchors.map((a) => a.what).join(' and ')} in ConfigMap ${cm}`,
    hostname: name.hostname,
    anchors: trust.anchors,
  };
}

/**
 * A BackendTLSPolicy and CA ConfigMap for a backend whose CA this analysis does not know: the policy is
 * complete but for what only the backend's owner knows, and each gap is a placeholder the suggestion names.
 */
export function caSkeleton(snapshot: Snapshot, svc: ServiceObject, port: ServicePort | undefined, certs: ServingCertificate[]): Fix {
  const ns = svc.meta.namespace;
  const cm = freeName(snapshot, 'ConfigMap', ns, svc.meta.name, 'backend-ca');
  const policyName = freeName(snapshot, 'BackendTLSPolicy', ns, svc.meta.name, 'backend-tls');
  const name = certs.length ? commonValidationName(certs.map((c) => c.leaf.cert), svc) : null;
  const hostname = name?.hostname ?? '<hostname in the backend certificate>';
  const issuer = certs[0]?.leaf.cert.issuer;
  const pem = `<PEM of the CA that issued the backend certificate${issuer ? ` (${issuer})` : ''}>`;
  const policy = { apiVersion: `${GATEWAY_GROUP}/v1`, kind: 'BackendTLSPolicy', metadata: { name: policyName, namespace: ns }, spec: { targetRefs: [policyTargetRef(svc, port)], validation: { hostname, caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: cm }] } } };
  return fix(
    `verify Service ${ns}/${svc.meta.name}${port?.name ? ` port ${port.name}` : ''} with BackendTLSPolicy ${policyName}, once you fill in ${name ? 'the CA' : 'the CA and the hostname'}`,
    [policy, caConfigMap(ns, cm, pem)],
    { note: `${POLICY_V1_NOTE} The CA is not known here: ask the backend's owner for the CA certificate, or run inspect --probe to see what the backend serves.`, suggestion: true },
  );
}

/** Send a route's backendRef to the Service itself (so a BackendTLSPolicy on the Service applies). */
export function routeToServiceRef(raw: Record<string, unknown>, svc: ServiceObject, port: ServicePort, routeNamespace: string): Record<string, unknown> {
  const ref: Record<string, unknown> = { name: svc.meta.name, port: port.port };
  if (svc.meta.namespace !== routeNamespace) ref.namespace = svc.meta.namespace;
  if (raw.weight !== undefined) ref.weight = raw.weight;
  return ref;
}

/** AWS Load Balancer Controller: make the target group for a Service TLS (NLB) / HTTPS (ALB); null when a route-level setting decides. */
export function tlsTargetGroupFix(snapshot: Snapshot, svc: ServiceObject, choice: TargetGroupChoice, impl: Implementation, route: RouteObject, protocolOverride?: string): Fix | null {
  const protocol = protocolOverride ?? (impl.id === 'aws-lbc-alb' ? 'HTTPS' : 'TLS');
  const routeLevel = choice.tgc?.routeConfigurations.some((rc) => rc.routeIdentifier.name === route.meta.name && rc.targetGroupProps.protocol);
  if (routeLevel) return null;
  const own = choice.tgc?.targetReference?.name === svc.meta.name && choice.tgc.meta.namespace === svc.meta.namespace ? choice.tgc : undefined;
  const note = protocol === 'TLS' || protocol === 'HTTPS' ? `${NO_VERIFY_NOTE} ${LBC_API_NOTE}` : LBC_API_NOTE;
  if (own) {
    const spec: Record<string, unknown> = { defaultConfiguration: { protocol } };
    const rawSpec = (own.raw.spec ?? {}) as Record<string, unknown>;
    if (rawSpec.targetReference) spec.targetReference = rawSpec.targetReference;
    return fix(`make TargetGroupConfiguration ${own.meta.namespace}/${own.meta.name} open ${protocol} to the targets`, [{ ...identity(own), spec }], { note: `${note} ${FORCE_NOTE}` });
  }
  const defaultConfiguration: Record<string, unknown> = { protocol };
  const targetType = choice.props.targetType ?? (svc.type === 'ClusterIP' ? 'ip' : undefined);
  if (targetType) defaultConfiguration.targetType = targetType;
  return fix(
    `add a TargetGroupConfiguration that opens ${protocol} to the targets of Service ${svc.meta.namespace}/${svc.meta.name}`,
    [{ apiVersion: `${LBC_GROUP}/v1`, kind: 'TargetGroupConfiguration', metadata: { name: freeName(snapshot, 'TargetGroupConfiguration', svc.meta.namespace, svc.meta.name, 'tgc'), namespace: svc.meta.namespace }, spec: { targetReference: { name: svc.meta.name }, defaultConfiguration } }],
    { note },
  );
}
