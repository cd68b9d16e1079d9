// Typed views of the cert-manager kinds the tool reads (cert-manager.io/v1, acme.cert-manager.io/v1), as
// cert-manager v1.21.2 defines them (pkg/apis/certmanager/v1, pkg/apis/acme/v1). normalize-cert-manager.ts
// builds them from raw objects; analysis never reads the raw object.
import type { Condition } from '../report/types.ts';
import type { BaseObject, ParentReference } from './objects.ts';

/** An owner reference as written in metadata.ownerReferences. */
export interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid?: string;
  controller: boolean;
}

/** spec.issuerRef: kind defaults to Issuer, group to cert-manager.io. */
export interface IssuerRef {
  name: string;
  kind: string;
  group: string;
}

export interface CertificateObject extends BaseObject<'Certificate'> {
  owners: OwnerRef[];
  secretName: string;
  commonName?: string;
  dnsNames: string[];
  ipAddresses: string[];
  issuerRef: IssuerRef;
  /** Go durations as written (spec.duration, spec.renewBefore). */
  duration?: string;
  renewBefore?: string;
  conditions: Condition[];
  notBefore?: string;
  notAfter?: string;
  renewalTime?: string;
  revision?: number;
  failedIssuanceAttempts?: number;
  lastFailureTime?: string;
  nextPrivateKeySecretName?: string;
}

export interface CertificateRequestObject extends BaseObject<'CertificateRequest'> {
  owners: OwnerRef[];
  issuerRef: IssuerRef;
  /** cert-manager.io/certificate-name and cert-manager.io/certificate-revision annotations. */
  certificateName?: string;
  revision?: number;
  conditions: Condition[];
  failureTime?: string;
  /** Whether status.certificate holds a signed certificate. */
  issued: boolean;
}

/** One solver of an ACME issuer, reduced to what decides which solver a name gets and how it is presented. */
export interface AcmeSolver {
  index: number;
  type: 'http01-gateway' | 'http01-ingress' | 'dns01' | 'unknown';
  selector?: { dnsNames: string[]; dnsZones: string[]; matchLabels: Record<string, string> };
  /** http01.gatewayHTTPRoute.parentRefs (namespace left unset when unwritten: the Challenge's namespace applies). */
  parentRefs: Array<Omit<ParentReference, 'namespace'> & { namespace?: string }>;
  /** dns01 provider name, http01 ingress class, for the words. */
  detail?: string;
}

export interface IssuerSpec {
  type: 'acme' | 'ca' | 'selfSigned' | 'vault' | 'venafi' | 'unknown';
  acme?: { server: string; email?: string; solvers: AcmeSolver[] };
  ca?: { secretName: string };
}

export interface IssuerObject extends BaseObject<'Issuer'> {
  spec: IssuerSpec;
  conditions: Condition[];
}

export interface ClusterIssuerObject extends BaseObject<'ClusterIssuer'> {
  spec: IssuerSpec;
  conditions: Condition[];
}

export interface OrderObject extends BaseObject<'Order'> {
  owners: OwnerRef[];
  issuerRef: IssuerRef;
  dnsNames: string[];
  state: string;
  reason?: string;
  failureTime?: string;
  url?: string;
}

export interface ChallengeObject extends BaseObject<'Challenge'> {
  owners: OwnerRef[];
  issuerRef: IssuerRef;
  /** HTTP-01 or DNS-01 */
  type: string;
  dnsName: string;
  wildcard: boolean;
  token?: string;
  solver: AcmeSolver;
  state: string;
  reason?: string;
  presented: boolean | null;
  processing: boolean | null;
}

export interface CertManagerObjectsByKind {
  Certificate: CertificateObject;
  CertificateRequest: CertificateRequestObject;
  Issuer: IssuerObject;
  ClusterIssuer: ClusterIssuerObject;
  Order: OrderObject;
  Challenge: ChallengeObject;
}

export type CertManagerKindName = keyof CertManagerObjectsByKind;
