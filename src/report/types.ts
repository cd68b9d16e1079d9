// The JSON/YAML report contract (DESIGN.md section 4). Fields may be added; none may be renamed or dropped.
import type { State } from './state.ts';

export type { State } from './state.ts';

export type Severity = 'error' | 'warning' | 'info';

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
  /** True when observedGeneration is behind the object's metadata.generation. */
  stale?: boolean;
  /** For route parents and policy ancestors: the controller that wrote the condition. */
  controllerName?: string;
}

/**
 * A condition the implementation is expected to write, from the objects alone (type, status, reason; the
 * message is the implementation's wording). See GatewayReport.expectation for what it is modelled on.
 */
export interface ExpectedCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason: string;
}

/** Where observed status (written by a controller) and expected status differ, with the likely cause. */
export interface StatusDifference {
  /** `Gateway ns/name`, `listener https`, `HTTPRoute ns/name parentRefs[0]`, `BackendTLSPolicy ns/name ancestor ns/gw`. */
  object: string;
  /** Condition type, or `attachedRoutes`. */
  type: string;
  observed: { status: string; reason?: string } | null;
  expected: { status: string; reason?: string } | null;
  /** stale: the controller has not processed the current generation; not-written: the expected controller wrote nothing; disagrees: a current status the expectation does not predict. */
  cause: 'stale' | 'not-written' | 'other-controller' | 'disagrees';
  why: string;
}

export interface SubjectAltNames {
  dns: string[];
  ip: string[];
  uri?: string[];
  email?: string[];
}

/** A decoded certificate. Private keys never appear here: only whether one matches. */
export interface Cert {
  subject: string;
  issuer: string;
  sans: SubjectAltNames;
  notBefore: string;
  notAfter: string;
  serial: string;
  fingerprintSha256: string;
  keyType: string;
  keyBits: number | null;
  signatureAlgorithm: string;
  isCA: boolean;
  selfSigned: boolean;
  /** Where it came from: `secret ns/name`, `probe`, `acm arn:...`, `configmap ns/name`. */
  source: string;
  commonName?: string;
  fingerprintSha1?: string;
  keyCurve?: string;
  pathLength?: number | null;
  keyUsage?: string[];
  extendedKeyUsage?: string[];
  aiaIssuers?: string[];
  ocsp?: string[];
  /** Only on the leaf of a Secret: whether tls.key holds the private key of this certificate. */
  keyMatches?: boolean | null;
  /** Days until notAfter (negative when expired), relative to the report's time. */
  daysLeft?: number;
  /** Position in the chain it was read from, 0 = first. */
  index?: number;
  /** Only for chain members: whether the next certificate in the chain issued this one. */
  issuedByNext?: boolean | null;
}

export interface Pod {
  name: string;
  namespace: string;
  ready: boolean | null;
  node?: string;
  ip?: string;
  phase?: string;
}

export interface BackendTLS {
  mode: 'none' | 'tls' | 'unknown';
  verified: boolean | null;
  by: string;
  /** SNI / hostname the gateway uses towards the backend, when known. */
  hostname?: string;
  /** What the gateway verifies the backend against (ConfigMap names, `System`, nothing). */
  trust?: string[];
  /**
   * This hop as a fact: plaintext, TLS without verifying the backend, TLS verifying it (against `caCertificates`
   * or the system store, for `verifyNames`), the client's TLS passed through, or unknown.
   */
  state?: 'plaintext' | 'tls-unverified' | 'tls-verified' | 'passthrough' | 'unknown';
  /** tls-verified: the names the backend certificate must carry (the SANs listed, else the hostname). */
  verifyNames?: string[];
  /** tls-verified: the CA certificates trusted (decoded from the referenced ConfigMaps/Secrets), or `system: true`. */
  caCertificates?: Array<{ source: string; subject: string; fingerprintSha256: string }>;
  system?: boolean;
}

export interface BackendReport {
  kind: string;
  group?: string;
  name: string;
  namespace: string;
  port: number | null;
  /** Whether the reference resolves to an object that can be used. */
  resolved: boolean | null;
  why?: string;
  targetPort?: string | number | null;
  serviceType?: string;
  endpoints: { ready: number; total: number } | null;
  /** Why `endpoints` is null for a Service: its EndpointSlices (and Pods) were not read. */
  endpointsNotChecked?: string;
  pods: Pod[];
  tls: BackendTLS;
  weight?: number;
  /** inspect --probe: what a probe of a ready endpoint (through the API server's port-forward) saw. */
  probe?: EndpointProbe;
  /** Where the backendRef is: spec.rules[rule].backendRefs[index]. */
  rule?: number;
  index?: number;
}

/** What one probe saw (inspect --probe): a listener address, or a backend endpoint. */
export interface EndpointProbe {
  /** probed; or skipped, with `summary` saying why (no address, no ready endpoint, files mode, ...). */
  status: 'probed' | 'skipped';
  /** What was connected to: `203.0.113.7:443`, `pod apps/app-1 port 8443`; null when nothing was. */
  endpoint: string | null;
  sni: string | null;
  /** One line in words: what the probe saw, or why nothing was probed. */
  summary: string;
  /** The handshake completed and nothing is wrong with what was served; null when skipped. */
  ok: boolean | null;
  tls?: { protocol: string | null; cipher: string | null; alpn: string | null } | null;
  /** The protocol that answered the ClientHello instead of TLS. */
  notTls?: { protocol: string; name: string } | null;
  error?: { code: string; summary: string } | null;
  /** The leaf as served. */
  leaf?: Cert | null;
  chainLength?: number;
  /** Listeners: trust against the system store, and the name check against the SNI. */
  trusted?: boolean | null;
  hostnameMatches?: boolean | null;
  trustStore?: string;
  /** Listeners: the served leaf against the configured certificate (GWTLS-PRB-004, -009). */
  configured?: { outcome: 'same' | 'different' | 'unknown'; servedMatchesConfigured: boolean | null; configuredFrom: string | null; why: string } | null;
  /** Backends: what the gateway would conclude from the served chain (BackendTLSPolicy CA and names). */
  gateway?: { verdict: 'pass' | 'fail' | 'plaintext' | 'unknown'; trusted: boolean | null; nameMatches: boolean | null; sni: string | null; why: string } | null;
  /** Codes of the findings this probe raised (they are in the report's findings). */
  codes?: string[];
  durationMs?: number;
}

export interface RouteReport {
  kind: string;
  apiVersion: string;
  name: string;
  namespace: string;
  attached: boolean;
  /** Why the route is (not) attached to this listener, in words. */
  reason?: string;
  why?: string;
  hostnames?: string[];
  /** Hostnames this listener actually serves for the route (listener ∩ route). */
  effectiveHostnames?: string[];
  conditions: Condition[];
  /** The worst of: not attached anywhere, the findings about the route, the hops to its backends (src/report/state.ts). */
  state?: State;
  backends: BackendReport[];
  /** The parentRef that selects this listener: index in spec.parentRefs, with its sectionName and port. */
  parentRef?: ParentRefReport;
  /** Conditions the implementation is expected to write on this route parent (see GatewayReport.expectation). */
  expectedConditions?: ExpectedCondition[];
}

export interface ParentRefReport {
  index: number;
  sectionName?: string;
  port?: number;
}

/** A route parentRef naming a Gateway, attached or not. */
export interface GatewayRouteReport {
  kind: string;
  apiVersion: string;
  name: string;
  namespace: string;
  parentRef: ParentRefReport;
  attached: boolean;
  /** Listeners the route attaches to through this parentRef. */
  listeners: string[];
  reason: string;
  why: string;
  /** Observed: status.parents for this parentRef. */
  conditions: Condition[];
  expectedConditions: ExpectedCondition[];
}

/** A BackendTLSPolicy ancestor: the policy as applied for a route parent of this Gateway. */
export interface PolicyAncestorReport {
  name: string;
  namespace: string;
  ancestorRef: { name: string; namespace: string; sectionName?: string; port?: number };
  /** Observed: status.ancestors for this ancestor. */
  conditions: Condition[];
  expectedConditions: ExpectedCondition[];
}

/** Which certificate a listener serves for an SNI name. */
export interface ServedCertificateReport {
  /** The SNI it answers: a listener hostname, a DNS name of the certificate, or `*` (any name, or none). */
  sni: string;
  /** `ns/name` of the Secret, when the certificate comes from one. */
  secret: string | null;
  /** Leaf fingerprint (SHA-256), when it could be decoded. */
  fingerprintSha256: string | null;
  source: string;
}

export type HopTLS = 'terminate' | 'originate' | 'passthrough' | 'none' | 'unknown';

export interface Hop {
  hop: string;
  tls: HopTLS;
  certificate: string | null;
  verified: boolean | null;
  ok: boolean | null;
  why: string;
  from?: string;
  to?: string;
  /** The worst of what the model says about the hop and the findings about it (src/report/state.ts). */
  state?: State;
}

export interface ListenerTLSReport {
  mode: 'Terminate' | 'Passthrough' | null;
  certificates: Cert[];
  certificateRefs?: Array<{ kind: string; group: string; namespace: string; name: string; state: string; why?: string }>;
  /** Where the certificate a client sees really comes from (differs from certificateRefs on AWS NLB). */
  servedFrom?: string;
  /** Which certificate is served for which SNI (the usable certificateRefs, as the implementation selects them). */
  served?: ServedCertificateReport[];
  /** cert-manager's issuance chain behind each certificateRef it has (or should have) a hand in. */
  issuance?: IssuanceReport[];
}

/** One certificateRef's cert-manager chain: Gateway annotations -> Certificate -> issuer -> request -> order -> challenges. */
export interface IssuanceReport {
  /** The line under the listener's certificate: `issued by cert-manager Certificate ns/name via ClusterIssuer X: Ready=False, reason: ...`. */
  summary: string;
  secret: { namespace: string; name: string; exists: boolean | null; certificateNameAnnotation?: string; issuerAnnotation?: string };
  /** What the gateway-shim does with this listener (only for Gateways carrying cert-manager.io/issuer or cluster-issuer). */
  shim?: { issuer: string | null; outcome: 'certificate' | 'skipped' | 'passed-over' | 'refused'; why?: string; dnsNames?: string[] };
  certificate: {
    namespace: string;
    name: string;
    /** `Gateway ns/name` when a Gateway's shim controls it. */
    controller?: string;
    dnsNames: string[];
    ready: Condition | null;
    issuing: Condition | null;
    notBefore?: string;
    notAfter?: string;
    /** When cert-manager renews it next (status.renewalTime); `renewalDue` once that time has passed. */
    renewalTime?: string;
    renewalDue: boolean;
    revision?: number;
    failedIssuanceAttempts?: number;
    lastFailureTime?: string;
    /** Other Certificates naming the same Secret. */
    alsoClaimedBy?: string[];
  } | null;
  issuer: { kind: string; name: string; group: string; namespace?: string; state: 'found' | 'missing' | 'unknown' | 'external'; type?: string; ready: Condition | null } | null;
  /** The newest CertificateRequest. */
  request: { name: string; revision?: number; conditions: Condition[] } | null;
  order: { name: string; state: string; reason?: string } | null;
  challenges: Array<{ name: string; type: string; dnsName: string; state: string; reason?: string; presented: boolean | null; solver: string }>;
  /**
   * ACME HTTP-01 through Gateway API, per name: the HTTPRoute cert-manager creates (or created: `route`), its
   * parentRefs, the listeners it attaches to that the ACME server reaches (HTTP, port 80), and why not.
   */
  solverRoutes?: Array<{ dnsName: string; challenge?: string; route?: string; parentRefs: string[]; reachable: string[]; otherPorts: string[]; problem?: string }>;
  /** The deepest failure along the chain, in words, and the object it was read from. */
  cause: string | null;
  causeFrom: string | null;
}

/** Where a listener is defined: the Gateway itself, or a ListenerSet merged into it (GEP-1713). */
export interface ListenerOrigin {
  kind: 'Gateway' | 'ListenerSet' | 'XListenerSet' | string;
  namespace: string;
  name: string;
}

/** A ListenerSet (or XListenerSet) whose parentRef names the Gateway, admitted or not. */
export interface ListenerSetReport {
  kind: 'ListenerSet' | 'XListenerSet' | string;
  apiVersion: string;
  name: string;
  namespace: string;
  /** Its place in the merged listener list: 1 = the oldest ListenerSet (the Gateway's own listeners come first). */
  precedence: number;
  /** Whether the Gateway's allowedListeners admits it (null: the namespace labels could not be read), and why. */
  admitted: boolean | null;
  admission: string;
  /** What a conformant controller writes on it, from the objects alone: Accepted true/false (null: cannot tell), reason, why. */
  accepted: boolean | null;
  reason: string;
  why: string;
  /** The same as conditions (type, status, reason), for comparison with `conditions`. */
  expectedConditions: Array<{ type: string; status: string; reason: string }>;
  /** Observed: status.conditions as a controller wrote them. */
  conditions: Condition[];
  /** Its listeners, by name; those merged into the Gateway's view appear in `GatewayReport.listeners` with this origin. */
  listeners: string[];
}

export interface ListenerReport {
  name: string;
  /** Where the listener is defined (the Gateway, or a ListenerSet merged into it). */
  origin?: ListenerOrigin;
  /** A listener of higher precedence this one conflicts with: Conflicted=True, the controller does not accept it (GEP-1713). */
  conflict?: { reason: string; why: string; with: { name: string; origin: ListenerOrigin } };
  protocol: string;
  port: number;
  hostname: string | null;
  tls: ListenerTLSReport | null;
  conditions: Condition[];
  allowedKinds?: string[];
  attachedRoutes?: number | null;
  /** What the implementation is expected to write (see GatewayReport.expectation); observed: `conditions`, `attachedRoutes`. */
  expectedConditions?: ExpectedCondition[];
  expectedAttachedRoutes?: number;
  routes: RouteReport[];
  /** Why the routes that could attach to the listener were not all read (a route kind it accepts is not in the input, or could not be listed). */
  routesNotChecked?: string;
  path: Hop[];
  /** The sentence; `state` is the word. */
  verdict?: string;
  /** No error is about the listener (its hops, its routes, or naming it). */
  ok?: boolean;
  state?: State;
  /** inspect --probe: one probe per Gateway address and SNI name (or why the listener was not probed). */
  probe?: EndpointProbe[];
}

export interface GatewayReport {
  name: string;
  namespace: string;
  className: string;
  controllerName: string | null;
  implementation?: string;
  addresses: Array<{ type?: string; value: string }>;
  conditions: Condition[];
  gatewayClass?: { name: string; conditions: Condition[]; parameters?: ObjectRef | null; parametersFound?: boolean | null };
  infrastructure?: { parameters?: ObjectRef | null; parametersFound?: boolean | null };
  listeners: ListenerReport[];
  /** What the expected* fields are modelled on: the Gateway API spec, or Envoy Gateway's translator. */
  expectation?: { profile: 'gateway-api' | 'envoy-gateway' | string; basis: string };
  expectedConditions?: ExpectedCondition[];
  /** Every route parentRef that names this Gateway, attached or not, with observed and expected conditions. */
  routes?: GatewayRouteReport[];
  /** BackendTLSPolicies applied for this Gateway's routes, per ancestor. */
  backendTLSPolicies?: PolicyAncestorReport[];
  /** Observed status (from a controller) that differs from the expectation, and the likely cause. */
  statusDifferences?: StatusDifference[];
  /** spec.allowedListeners.namespaces: which namespaces' ListenerSets it admits (`from: None` when unset, the default). */
  allowedListeners?: { from: string; selector?: string };
  /** Observed: status.attachedListenerSets (null: not written). */
  attachedListenerSets?: number | null;
  /** What a conformant controller counts: admitted ListenerSets with at least one valid listener. */
  expectedAttachedListenerSets?: number;
  /** ListenerSets whose parentRef names this Gateway, in precedence order (present when there are any). */
  listenerSets?: ListenerSetReport[];
  /** Routes that name this Gateway's name in a namespace where no such Gateway exists (likely meant for it). */
  misdirectedRoutes?: Array<{ kind: string; name: string; namespace: string; parentRef: string; why: string }>;
  /** The sentence; `state` is the word. */
  verdict?: string;
  /** No error is about the Gateway or anything in its tree. */
  ok?: boolean;
  state?: State;
  /** The findings about this Gateway and its tree, counted (the report's `summary` counts them all). */
  summary?: { errors: number; warnings: number; info: number };
}

export interface Fix {
  title: string;
  type: 'fix' | 'suggestion';
  yaml: string;
  /** Why the fix is a suggestion (it trades away safety), or what to check before applying. */
  note?: string;
  /** The fix grants access across a namespace boundary: never applied by --apply; `grants` says what, in words. */
  widensAccess?: boolean;
  grants?: string[];
  /** Values the fix leaves for the user to fill in (a suggestion that names the gap). */
  gaps?: string[];
}

export interface Finding {
  code: string;
  severity: Severity;
  title: string;
  message: string;
  object: ObjectRef;
  field?: string;
  evidence: string[];
  docs: string;
  fixes: Fix[];
  /** Gateway (ns/name) and listener this finding belongs to, when it belongs to one. */
  gateway?: string;
  listener?: string;
  /** `ns/name` of the ListenerSet that defines `listener`, when a ListenerSet does (listener names are unique only per object). */
  listenerSet?: string;
}

export interface Skipped {
  what: string;
  reason: 'not-served' | 'forbidden' | 'error' | 'not-in-input' | 'unauthorized' | string;
  detail: string;
}

export interface SourceInfo {
  type: 'cluster' | 'files';
  context?: string;
  server?: string;
  files?: string[];
  /** Kinds read, with the version used (cluster) or seen (files). */
  kinds?: Record<string, string>;
  /** For cluster sources: API requests made. */
  requests?: number;
  /** For cluster sources: every version the cluster serves, per kind. */
  served?: Record<string, string[]>;
}

export interface InspectReport {
  apiVersion: 'gwtls.dev/v1alpha1';
  kind: 'InspectReport';
  generatedAt?: string;
  source: SourceInfo;
  gateways: GatewayReport[];
  findings: Finding[];
  skipped: Skipped[];
  summary: { errors: number; warnings: number; info: number };
  /** Objects in the input that could not be read, with why (files mode). */
  inputErrors?: Array<{ file: string; line?: number; message: string }>;
  /** `inspect --apply -o json`: the plan, its dry run, and what was applied; the rest of the report is after applying. */
  applied?: AppliedReport;
}

export interface AppliedReport {
  fieldManager: string;
  /** Where the plan's outcome came from: the API server's dry run, or the in-memory server-side apply. */
  dryRun: 'server' | 'emulated';
  /** Whether the plan was confirmed (or --yes) and sent. */
  confirmed: boolean;
  /** Why nothing was applied although changes were planned. */
  blocked?: string;
  changes: Array<{
    object: ObjectRef;
    action: 'create' | 'update';
    migration?: { from: string; to: string };
    /** Fields the fixes change. */
    fields: string[];
    /** Fields the field manager already owned, carried in the configuration so that they stay. */
    carried: string[];
    takesFrom: Array<{ manager: string; fields: string[] }>;
    result: 'applied' | 'failed' | 'refused' | 'not-applied';
    error?: string;
  }>;
  fixes: Array<{ code: string; object: ObjectRef; title: string; status: 'applied' | 'failed' | 'refused' | 'not-applied'; reason?: string; sideEffects: string[] }>;
  /** Findings before -> after, as the dry run predicted them. */
  findings: Array<{ code: string; severity: Severity; object: ObjectRef; field?: string; state: 'fixed' | 'remains' | 'added' }>;
  /** Offered but never applied by --apply. */
  suggestions: Array<{ code: string; object: ObjectRef; title: string; widensAccess: boolean }>;
}
