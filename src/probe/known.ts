// Certificates that tell a story by themselves: controller defaults served when nothing matches the SNI,
// managed certificates (AWS ACM), mesh identities, staging CAs.
import type { Cert } from '../report/types.ts';
import type { ProbeVerification } from './types.ts';

export type Recognized = NonNullable<ProbeVerification['recognized']>[number];

interface KnownCert {
  id: string;
  name: string;
  kind: Recognized['kind'];
  test: (leaf: Cert) => boolean;
  note: string;
}

const has = (dn: string, part: string) => dn.split(', ').includes(part);

const KNOWN: KnownCert[] = [
  {
    id: 'ingress-nginx-fake',
    name: 'ingress-nginx default certificate ("Kubernetes Ingress Controller Fake Certificate")',
    kind: 'default',
    test: (c) => c.commonName === 'Kubernetes Ingress Controller Fake Certificate',
    note: 'ingress-nginx serves its self-signed fake certificate when no Ingress TLS entry matches the SNI name or the referenced Secret is missing or invalid (check the Ingress tls.hosts / secretName and the controller log).',
  },
  {
    id: 'traefik-default',
    name: 'Traefik default certificate ("TRAEFIK DEFAULT CERT")',
    kind: 'default',
    test: (c) => c.commonName === 'TRAEFIK DEFAULT CERT' || c.sans.dns.some((d) => d.endsWith('.traefik.default')),
    note: 'Traefik serves its generated default certificate when no configured certificate matches the SNI name: the listener\'s certificateRefs Secret is missing, not yet issued (cert-manager HTTP-01 waiting on the same Gateway), or does not cover this name.',
  },
  {
    id: 'kong-default',
    name: 'Kong default certificate (O=Kong, CN=localhost)',
    kind: 'default',
    test: (c) => c.commonName === 'localhost' && /\bO=Kong\b/.test(c.subject),
    note: 'Kong serves its self-signed default certificate when no Certificate/SNI entity matches the SNI name.',
  },
  {
    id: 'openshift-router-default',
    name: 'OpenShift router default certificate (issued by ingress-operator)',
    kind: 'default',
    test: (c) => /CN=ingress-operator@\d+/.test(c.issuer),
    note: 'the OpenShift router serves the ingress controller\'s default wildcard certificate for names without their own route certificate.',
  },
  {
    id: 'envoy-gateway-internal',
    name: 'Envoy Gateway control-plane certificate (CN=envoy-gateway)',
    kind: 'default',
    test: (c) => has(c.issuer, 'CN=envoy-gateway') || c.commonName === 'envoy-gateway',
    note: 'this is Envoy Gateway\'s internal xDS certificate (Secret envoy-gateway in envoy-gateway-system): you reached the control plane, not a Gateway listener.',
  },
  {
    id: 'kubernetes-apiserver',
    name: 'Kubernetes API server certificate',
    kind: 'default',
    test: (c) => c.sans.dns.includes('kubernetes.default.svc') || c.sans.dns.includes('kubernetes.default.svc.cluster.local'),
    note: 'this is the Kubernetes API server\'s serving certificate: the address or port points at the control plane, not at a Gateway.',
  },
  {
    id: 'istio-workload',
    name: 'Istio workload (mesh mTLS) certificate',
    kind: 'mesh',
    test: (c) => (c.sans.uri ?? []).some((u) => u.startsWith('spiffe://')) && (/O=cluster\.local/.test(c.issuer) || (c.sans.uri ?? []).some((u) => /\/ns\/[^/]+\/sa\//.test(u))),
    note: 'the certificate carries a SPIFFE identity (spiffe://.../ns/.../sa/...): this port is served by a mesh sidecar or ztunnel expecting mutual TLS from the mesh, not by a Gateway listener.',
  },
  {
    id: 'linkerd-identity',
    name: 'Linkerd workload identity certificate',
    kind: 'mesh',
    test: (c) => c.sans.dns.some((d) => d.endsWith('.linkerd.cluster.local') || d.endsWith('.serviceaccount.identity.linkerd.cluster.local')) || /identity\.linkerd\.cluster\.local/.test(c.issuer),
    note: 'this is a Linkerd proxy\'s mesh identity certificate: the port is handled by the Linkerd proxy for mesh mTLS.',
  },
  {
    id: 'letsencrypt-staging',
    name: "Let's Encrypt staging certificate",
    kind: 'staging',
    test: (c) => /\(STAGING\)/.test(c.issuer) || /Fake LE/.test(c.issuer),
    note: "issued by Let's Encrypt's staging environment, which no client trusts: switch the cert-manager (Cluster)Issuer to the production ACME server and reissue.",
  },
  {
    id: 'aws-acm',
    name: 'AWS Certificate Manager (ACM) certificate',
    kind: 'managed',
    test: (c) => has(c.issuer, 'O=Amazon') && (/CN=Amazon (RSA|ECDSA) \d+ M\d+/.test(c.issuer) || /OU=Server CA \d\w?/.test(c.issuer) || /CN=Amazon RSA 2048 M0\d/.test(c.issuer)),
    note: 'issued by Amazon (ACM): TLS is terminated by an AWS load balancer (NLB/ALB) with an ACM certificate; on the AWS Load Balancer Controller the listener\'s certificateRefs Secret is not what clients see (LoadBalancerConfiguration listenerConfigurations or ACM discovery decide).',
  },
];

export function recognize(leaf: Cert): Recognized[] {
  return KNOWN.filter((k) => k.test(leaf)).map(({ id, name, kind, note }) => ({ id, name, kind, note }));
}
