// Hostile strings and a hostile manifest set: escape sequences a terminal would act on (OSC 52 clipboard
// write, OSC 0 title, SGR colour, erase line), carriage returns and newlines, placed where the tool prints
// names, hostnames, conditions, certificate fields and references.
import * as yaml from 'js-yaml';
import { makeCert, type Issued } from './tls-certs.ts';

/** OSC 52: writes `rm -rf ~` to the clipboard. */
export const OSC52 = '\x1b]52;c;cm0gLXJmIH4=\x07';
/** OSC 0: sets the window title. */
export const OSC0 = '\x1b]0;pwned\x07';
export const SGR_RED = '\x1b[31m';
/** Carriage return and erase line: overwrites what was printed before it. */
export const CR_ERASE = '\r\x1b[2K';
export const C1_CSI = '\u009b31m';
export const BIDI = '\u202e';

 
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
 
const OUR_SGR = /\x1b\[[0-9;]*m/g;

/**
 * The first character a terminal would act on or hide (or a tab, which shifts columns), with its context, or
 * null. Newlines are the output's own; with `styled`, the SGR colour codes our styling adds are allowed (escaped
 * hostile SGR is text).
 */
export function rawControl(out: string, styled = false): string | null {
  const s = styled ? out.replace(OUR_SGR, '') : out;
  const m = RAW_CONTROL.exec(s);
  if (!m) return null;
  return JSON.stringify(s.slice(Math.max(0, m.index - 40), m.index + 40));
}

/** The escaped form a reader should see for a hostile string, stated here independently of the sanitiser. */
export function shown(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (ch) => {
    const c = ch.codePointAt(0)!;
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    return c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
  });
}

export const HOSTILE = {
  gateway: `web${OSC52}`,
  namespace: 'infra',
  hostname: `shop.example.com${OSC0}`,
  message: `listener is ready${CR_ERASE}ALL GOOD${SGR_RED}\n---\nkind: ClusterRoleBinding`,
  reason: `Programmed${BIDI}`,
  route: `app-route${C1_CSI}`,
  backend: `x\n---\nkind: ClusterRoleBinding\nmetadata:\n  name: pwn${OSC52}`,
  secret: `tls-cert${SGR_RED}`,
  certCn: `evil${OSC52}.example.com`,
};

let cert: Issued | undefined;
/** A self-signed certificate whose subject and SAN carry escape sequences. */
export function hostileCert(): Issued {
  cert ??= makeCert({ cn: HOSTILE.certCn, dns: [`a${OSC0}.example.com`, 'shop.example.com'], ca: false });
  return cert;
}

/** A Gateway, its class, an HTTPRoute and a Secret, hostile in every place the text output prints. */
export function hostileManifest(): string {
  const c = hostileCert();
  const docs = [
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'eg' }, spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' } },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: HOSTILE.gateway, namespace: HOSTILE.namespace },
      spec: {
        gatewayClassName: 'eg',
        listeners: [{ name: `https${SGR_RED}`, protocol: 'HTTPS', port: 443, hostname: HOSTILE.hostname, tls: { mode: 'Terminate', certificateRefs: [{ name: HOSTILE.secret }] } }],
      },
      status: {
        addresses: [{ type: 'IPAddress', value: `203.0.113.7${OSC0}` }],
        conditions: [{ type: 'Accepted', status: 'False', reason: HOSTILE.reason, message: HOSTILE.message }],
        listeners: [{ name: `https${SGR_RED}`, attachedRoutes: 1, supportedKinds: [{ kind: 'HTTPRoute' }], conditions: [{ type: 'Programmed', status: 'False', reason: HOSTILE.reason, message: HOSTILE.message }] }],
      },
    },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: HOSTILE.route, namespace: HOSTILE.namespace },
      spec: { parentRefs: [{ name: HOSTILE.gateway }], hostnames: [`shop.example.com${CR_ERASE}`], rules: [{ backendRefs: [{ name: HOSTILE.backend, port: 8443 }] }] },
      status: { parents: [{ parentRef: { name: HOSTILE.gateway }, controllerName: 'gateway.envoyproxy.io/gatewayclass-controller', conditions: [{ type: 'Accepted', status: 'False', reason: `NotAllowed${OSC52}`, message: HOSTILE.message }] }] },
    },
    { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: HOSTILE.secret, namespace: HOSTILE.namespace }, data: { 'tls.crt': Buffer.from(c.pem).toString('base64'), 'tls.key': Buffer.from(c.key.keyPem).toString('base64') } },
  ];
  return docs.map((d) => yaml.dump(d)).join('---\n');
}
