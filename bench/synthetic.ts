// A synthetic cluster at two sizes (issue 2):
//   S = 200 Gateways, 2,000 routes, 2,000 Services and EndpointSlices, 10,000 Pods, 400 Secrets
//   L = ten times S.
// Shapes are realistic: Envoy Gateway Gateways with an HTTPS and a TLS/Terminate listener each, HTTPRoutes,
// TLSRoutes and TCPRoutes, Services with 5 ready pods behind one EndpointSlice each, BackendTLSPolicies with CA
// ConfigMaps on a quarter of the Services, and a few broken paths so that the rules have work to do.
import { issue, type Issued } from '../test/helpers/certs.ts';

export type Size = 'S' | 'L';

export interface Synthetic {
  objects: Array<Record<string, unknown>>;
  counts: Record<string, number>;
  /** A Gateway to inspect alone. */
  sample: { namespace: string; name: string };
}

const GATEWAYS_PER_NAMESPACE = 4;
const ROUTES_PER_GATEWAY = 10;
const PODS_PER_SERVICE = 5;
const DISTINCT_CERTS = 16;

export function generate(size: Size): Synthetic {
  const factor = size === 'S' ? 1 : 10;
  const gateways = 200 * factor;
  const namespaces = gateways / GATEWAYS_PER_NAMESPACE;
  const ca = issue({ cn: 'Synthetic CA', ca: true, notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2036-01-01T00:00:00Z') });
  const certs: Issued[] = [];
  for (let i = 0; i < DISTINCT_CERTS; i++) {
    certs.push(issue({ cn: `*.ns-${i}.example.com`, dns: [`*.ns-${i}.example.com`], issuer: ca, notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2036-01-01T00:00:00Z') }));
  }
  const objects: Array<Record<string, unknown>> = [
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'eg' }, spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' } },
  ];
  const counts: Record<string, number> = {};
  const add = (o: Record<string, unknown>) => {
    objects.push(o);
    counts[o.kind as string] = (counts[o.kind as string] ?? 0) + 1;
  };
  let svcIndex = 0;
  for (let n = 0; n < namespaces; n++) {
    const ns = `ns-${n}`;
    const domain = `${ns}.example.com`;
    add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } } });
    for (let g = 0; g < GATEWAYS_PER_NAMESPACE; g++) {
      const gw = `gw-${g}`;
      for (const which of ['https', 'tls']) {
        const c = certs[(n * GATEWAYS_PER_NAMESPACE + g) % DISTINCT_CERTS]!;
        add({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: `${gw}-${which}`, namespace: ns },
          type: 'kubernetes.io/tls',
          data: { 'tls.crt': Buffer.from(c.certPem + ca.certPem).toString('base64'), 'tls.key': Buffer.from(c.keyPem).toString('base64') },
        });
      }
      add({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: gw, namespace: ns, generation: 1 },
        spec: {
          gatewayClassName: 'eg',
          listeners: [
            { name: 'https', protocol: 'HTTPS', port: 443, hostname: `*.${domain}`, tls: { mode: 'Terminate', certificateRefs: [{ name: `${gw}-https` }] } },
            { name: 'tls', protocol: 'TLS', port: 5432, hostname: `db-${g}.${domain}`, tls: { mode: 'Terminate', certificateRefs: [{ name: `${gw}-tls` }] } },
          ],
        },
        status: {
          addresses: [{ type: 'IPAddress', value: `10.96.${n % 256}.${g}` }],
          conditions: [
            { type: 'Accepted', status: 'True', reason: 'Accepted', observedGeneration: 1 },
            { type: 'Programmed', status: 'True', reason: 'Programmed', observedGeneration: 1 },
          ],
        },
      });
      for (let r = 0; r < ROUTES_PER_GATEWAY; r++) {
        const svc = `svc-${svcIndex++}`;
        const kind = r < 7 ? 'HTTPRoute' : r < 9 ? 'TLSRoute' : 'TCPRoute';
        const section = kind === 'HTTPRoute' ? 'https' : 'tls';
        // One route in fifty points at a Service that does not exist.
        const backendName = r === 3 && n % 5 === 0 ? `${svc}-missing` : svc;
        const port = kind === 'HTTPRoute' ? 8443 : 5432;
        add({
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind,
          metadata: { name: `${gw}-r${r}`, namespace: ns },
          spec: {
            parentRefs: [{ name: gw, sectionName: section }],
            ...(kind === 'TCPRoute' ? {} : { hostnames: [kind === 'HTTPRoute' ? `app-${r}.${domain}` : `db-${g}.${domain}`] }),
            rules: [{ backendRefs: [{ name: backendName, port }] }],
          },
        });
        add({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: svc, namespace: ns },
          spec: { selector: { app: svc }, ports: [{ name: kind === 'HTTPRoute' ? 'https' : 'pg', port, targetPort: port, protocol: 'TCP' }] },
        });
        const endpoints = [];
        for (let p = 0; p < PODS_PER_SERVICE; p++) {
          const pod = `${svc}-${p}`;
          const ip = `10.${(svcIndex >> 8) & 255}.${svcIndex & 255}.${p + 1}`;
          add({
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: pod, namespace: ns, labels: { app: svc, 'pod-template-hash': 'abc123' } },
            spec: { nodeName: `node-${p}`, containers: [{ name: 'app', image: 'registry.example.com/app:1', ports: [{ name: 'https', containerPort: port }] }] },
            status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] },
          });
          endpoints.push({ addresses: [ip], conditions: { ready: true, serving: true, terminating: false }, nodeName: `node-${p}`, targetRef: { kind: 'Pod', name: pod, namespace: ns } });
        }
        add({
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: { name: `${svc}-x1`, namespace: ns, labels: { 'kubernetes.io/service-name': svc } },
          addressType: 'IPv4',
          ports: [{ name: kind === 'HTTPRoute' ? 'https' : 'pg', port, protocol: 'TCP' }],
          endpoints,
        });
        if (kind === 'HTTPRoute' && r % 4 === 0) {
          add({
            apiVersion: 'gateway.networking.k8s.io/v1',
            kind: 'BackendTLSPolicy',
            metadata: { name: `${svc}-tls`, namespace: ns },
            spec: { targetRefs: [{ group: '', kind: 'Service', name: svc, sectionName: 'https' }], validation: { hostname: `${svc}.${ns}.svc.cluster.local`, caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: `${svc}-ca` }] } },
          });
          add({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${svc}-ca`, namespace: ns }, data: { 'ca.crt': ca.certPem } });
        }
      }
    }
  }
  return { objects, counts, sample: { namespace: 'ns-0', name: 'gw-0' } };
}
