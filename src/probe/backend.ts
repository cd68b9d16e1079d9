// Backend probes (svc/NAME:PORT, pod/NAME:PORT, inspect --probe): what a gateway verifying the backend would
// conclude from the chain the backend really served, and the findings (GWTLS-BPRB-*) that say so.
import type { BackendTLSDecision, PolicyCheck } from '../graph/backend-tls.ts';
import { certificateHasName, expectedNames } from '../rules/backend-tls/trust.ts';
import { decodeDer, formatName, type DecodedCert } from '../tls/certificate.ts';
import { shortName } from './chain.ts';
import { probeFinding, type ProbeFinding } from './codes.ts';
import { servedChainDer } from './probe.ts';
import { buildPath, nodeDefaultStore, storeFromX509 } from './trust.ts';
import type { ProbeGatewayView, ProbeReport } from './types.ts';

/** The served chain of a report, decoded (leaf first); empty when no certificate was served. */
export function decodeServed(report: ProbeReport, now: Date, source = 'probe'): DecodedCert[] {
  const out: DecodedCert[] = [];
  for (const der of servedChainDer(report)) {
    try {
      out.push(decodeDer(der, source, now));
    } catch {
      // undecodable: the rest still tells something
    }
  }
  return out;
}

function policySummary(check: PolicyCheck): NonNullable<ProbeGatewayView['policy']> {
  const p = check.policy;
  return {
    namespace: p.meta.namespace,
    name: p.meta.name,
    hostname: p.hostname ?? null,
    subjectAltNames: p.subjectAltNames.map((s) => (s.type === 'URI' ? `URI ${s.uri ?? ''}` : `Hostname ${s.hostname ?? ''}`)),
    trust: p.caCertificateRefs.length ? p.caCertificateRefs.map((r) => `${r.kind} ${p.meta.namespace}/${r.name}`) : p.wellKnownCACertificates ? [`wellKnownCACertificates ${p.wellKnownCACertificates}`] : [],
    problems: check.problems,
  };
}

/**
 * What a gateway would conclude about this backend, given how it reaches it (`decision`, from the path model):
 * with a BackendTLSPolicy, whether the served chain verifies against the policy's CAs, whether a name it verifies
 * is in the leaf (subjectAltNames take precedence over the hostname), and whether the leaf is valid now; without
 * TLS origination, whether the backend expects plaintext; TLS without verification (load balancers, passthrough,
 * insecureSkipVerify) only needs a TLS server.
 */
export function gatewayView(decision: BackendTLSDecision | null, report: ProbeReport, chain: DecodedCert[], now: Date): ProbeGatewayView {
  const c = report.connection;
  const served = c.phase === 'done' || chain.length > 0;
  const check = decision?.tls.mode === 'tls' ? (decision.policy ?? null) : null;
  const none = { policy: null, sni: decision?.tls.hostname ?? null, trusted: null, nameMatches: null, namesChecked: [], valid: null } as const;
  if (!check) {
    const tls = decision?.tls.mode === 'tls';
    const passthrough = tls && /^passthrough/.test(decision.tls.by);
    const who = decision?.tls.by ?? 'no BackendTLSPolicy targets this Service port';
    if (!tls) {
      if (served) return { ...none, namesChecked: [], verdict: 'fail', why: `the gateway sends plaintext (${who}), but the backend serves TLS: it drops the connection or answers 400` };
      return { ...none, namesChecked: [], verdict: 'plaintext', why: `the gateway sends plaintext (${who})${c.notTls ? `, and the backend answers in ${c.notTls.name}: they agree` : ''}` };
    }
    if (c.notTls) return { ...none, namesChecked: [], verdict: 'fail', why: `${passthrough ? 'TLS passes through to' : 'the gateway opens TLS to'} a backend that answers in ${c.notTls.name} (${who})` };
    if (passthrough) return { ...none, namesChecked: [], verdict: 'unknown', why: `TLS passes through the gateway: clients, not the gateway, verify this certificate` };
    if (decision.tls.verified === false) return { ...none, namesChecked: [], verdict: served ? 'pass' : 'unknown', why: `${who}: TLS without verification of the certificate${served ? ', and the backend serves TLS' : ''}` };
    return { ...none, namesChecked: [], verdict: 'unknown', why: `${who}: the trust settings are not read by the probe` };
  }
  const p = check.policy;
  const view: ProbeGatewayView = { policy: policySummary(check), sni: p.hostname ?? null, trusted: null, nameMatches: null, namesChecked: [], valid: null, verdict: 'unknown', why: '' };
  const id = `BackendTLSPolicy ${p.meta.namespace}/${p.meta.name}`;
  const names = expectedNames(p);
  view.namesChecked = names.map((n) => (n.type === 'URI' ? `URI ${n.value}` : n.value));
  const leaf = chain[0];
  if (leaf) {
    view.nameMatches = names.length ? names.some((n) => certificateHasName(leaf.cert, n)) : null;
    view.valid = now >= new Date(leaf.cert.notBefore) && now <= new Date(leaf.cert.notAfter);
    const anchors = check.caRefs.flatMap((r) => r.chain?.certs.map((x) => x.x509) ?? []);
    const unreadable = check.caRefs.filter((r) => !r.chain || r.chain.certs.length === 0);
    const store = p.caCertificateRefs.length ? (anchors.length ? storeFromX509('ca.crt', anchors) : null) : p.wellKnownCACertificates === 'System' ? nodeDefaultStore() : null;
    if (store) {
      const path = buildPath(
        chain.map((d) => d.x509),
        store,
      );
      // With some references unreadable, a path to a readable one decides; no path is inconclusive.
      view.trusted = path.anchor !== null ? true : unreadable.length === 0 ? false : null;
      view.anchor = path.anchor ? formatName(path.anchor.subject) : null;
    }
  }
  if (check.sanNotChecked) sanNotes.set(view, check.sanNotChecked);
  const failures: string[] = [];
  if (check.problems.length) failures.push(`${id} is invalid (${check.problems.join('; ')}), so the gateway fails every connection`);
  if (c.notTls) failures.push(`the backend answers in ${c.notTls.name}, not TLS, while ${id} makes the gateway open TLS`);
  else if (!served) failures.push(`the handshake with SNI ${p.hostname ?? '(none)'} did not complete (${c.error?.summary ?? 'no answer'})`);
  if (view.trusted === false) failures.push(`the chain does not lead to ${view.policy?.trust.join(', ') || 'a trusted CA'}`);
  if (view.nameMatches === false) failures.push(`the certificate carries none of ${view.namesChecked.join(', ')}`);
  if (view.valid === false) failures.push('the certificate is expired or not yet valid');
  if (failures.length) {
    view.verdict = 'fail';
    view.why = `the gateway would reject this backend: ${failures.join('; ')}`;
  } else if (view.trusted === true && view.nameMatches === true && view.valid === true) {
    view.verdict = 'pass';
    view.why = `the gateway would accept this backend: the chain leads to ${view.anchor ? shortName(view.anchor) : 'a trusted CA'} (${view.policy?.trust.join(', ')}) and the certificate carries ${view.namesChecked.join(', ')}`;
  } else {
    const unknown = check.caRefs.filter((r) => !r.chain).map((r) => r.unresolved?.why ?? `${r.kind} ${r.namespace}/${r.name} could not be read`);
    view.why = `not decided: ${unknown.length ? unknown.join('; ') : 'nothing to verify against'}`;
  }
  if (check.sanNotChecked) view.why += ` (names per the spec; ${check.sanNotChecked})`;
  return view;
}

/** Views whose gateway does not check subjectAltNames (GWTLS-BTLS-012): said in the backend findings too. */
const sanNotes = new WeakMap<ProbeGatewayView, string>();

const KEEP_FOR_BACKENDS = new Set(['GWTLS-PRB-001', 'GWTLS-PRB-002', 'GWTLS-PRB-011', 'GWTLS-PRB-012']);

/**
 * Findings for a backend probe: the generic handshake explanations (PRB-001/002/011/012) stay; what is judged
 * against the gateway's view (trust, names, validity, TLS or not, nothing listening) becomes GWTLS-BPRB-*.
 * `endpoint` names the backend (`svc/ns/name:port`).
 */
export function backendFindings(report: ProbeReport, chain: DecodedCert[], endpoint: string, now: Date): ProbeFinding[] {
  const out: ProbeFinding[] = [];
  const c = report.connection;
  const v = report.gatewayView ?? null;
  const b = report.backend;
  const where = b?.pod ? `pod ${b.namespace}/${b.pod} port ${b.targetPort}` : endpoint;
  const policy = v?.policy ? `BackendTLSPolicy ${v.policy.namespace}/${v.policy.name}` : null;
  const add = (code: string, message: string, opts: Parameters<typeof probeFinding>[3] = {}) => out.push(probeFinding(code, endpoint, message, opts));
  const refused = c.phase === 'connect' && c.error?.code === 'ECONNREFUSED';
  for (const f of report.findings as ProbeFinding[]) {
    if (!KEEP_FOR_BACKENDS.has(f.code)) continue;
    if (refused && f.code === 'GWTLS-PRB-001') continue;
    out.push(f);
  }
  if (refused) {
    add('GWTLS-BPRB-006', `${capital(c.error!.summary)}. ${c.error!.explanation}`, { evidence: [c.error!.message], hint: 'point the Service targetPort at the port the container listens on (kubectl get pod -o yaml: containers[].ports), or fix the server' });
    return out;
  }
  if (c.phase === 'connect' || c.phase === 'dns') return out;
  if (c.notTls) {
    const fails = v?.verdict === 'fail';
    add('GWTLS-BPRB-001', `${capital(where)} answers in ${c.notTls.name}, not TLS ("${c.notTls.banner.slice(0, 60)}").${fails ? ` ${policy ? `${policy} makes the gateway open TLS to it` : capital(v.why)}: every connection fails (Envoy: "TLS error: … WRONG_VERSION_NUMBER").` : v ? ` ${capital(v.why)}.` : ''}`, {
      severity: fails ? 'error' : 'info',
      evidence: [`server sent: ${c.notTls.banner}`],
      ...(fails ? { hint: 'remove the TLS origination (BackendTLSPolicy, TLS target group), or point the route at the port where the backend serves TLS' } : {}),
    });
    return out;
  }
  const leaf = chain[0];
  if (c.phase === 'done' || leaf) {
    const tls = `${capital(where)} speaks TLS (${c.protocol ?? 'handshake incomplete'})${leaf ? ` and serves ${leafWords(leaf)}` : ''}.`;
    const evidence = leaf ? [`leaf ${leaf.cert.subject}`, `issuer ${leaf.cert.issuer}`] : [];
    if (policy) add('GWTLS-BPRB-001', `${tls} ${policy} makes the gateway open TLS with SNI ${v?.sni ?? '(none)'}.${v && sanNotes.get(v) ? ` Note: ${sanNotes.get(v)}.` : ''}`, { severity: 'info', evidence });
    else if (v && !v.policy && v.verdict === 'fail') add('GWTLS-BPRB-001', `${tls} ${capital(v.why)} (see GWTLS-BTLS-001).`, { severity: 'warning', evidence, hint: 'add a BackendTLSPolicy for the Service port that trusts the CA that issued this certificate' });
    else add('GWTLS-BPRB-001', `${tls}${v ? ` ${capital(v.why)}.` : ''}`, { severity: 'info', evidence });
  }
  if (c.clientCertificateRequested) {
    const required = c.error?.code === 'CLIENT_CERTIFICATE_REQUIRED';
    add('GWTLS-BPRB-004', required ? `${capital(where)} requires a client certificate and ended the handshake without one: a gateway must present one (Gateway spec.tls.backend.clientCertificateRef, or the implementation's own setting), or every connection fails.` : `${capital(where)} asks for a client certificate but accepts connections without one.`, {
      severity: required ? 'error' : 'info',
      evidence: [c.error?.summary ?? 'CertificateRequest seen in the handshake'],
      ...(required ? { hint: 'configure the gateway to present a client certificate the backend trusts' } : {}),
    });
  }
  if (leaf && v?.policy) {
    if (v.nameMatches === false) {
      const sanNote = sanNotes.get(v);
      add('GWTLS-BPRB-002', `The certificate ${where} serves carries ${sanWords(leaf)}, but ${policy} makes the gateway verify ${v.namesChecked.join(', ')}: the handshake fails (CERTIFICATE_VERIFY_FAILED) and requests get HTTP 5xx.${sanNote ? ` Note: ${sanNote}.` : ''}`, {
        evidence: [`verified names: ${v.namesChecked.join(', ')}`, `served leaf: ${leaf.cert.subject}; SANs ${sanWords(leaf)}`],
        hint: 'set validation.hostname (or subjectAltNames) to a name the certificate carries, or reissue the certificate',
      });
    }
    if (v.trusted === false) {
      add('GWTLS-BPRB-003', `The chain ${where} serves (${chain.map((d) => shortName(d.cert.subject)).join(' <- ')}, issued by ${shortName(chain[chain.length - 1]!.cert.issuer)}) does not lead to ${v.policy.trust.join(', ') || 'any configured CA'}, which ${policy} trusts: the gateway rejects the handshake and requests get HTTP 5xx.`, {
        evidence: chain.map((d, i) => `${i}: ${d.cert.subject} <- ${d.cert.issuer}`),
        hint: leaf.cert.selfSigned ? 'put the self-signed backend certificate itself in ca.crt of the referenced ConfigMap' : 'put the CA that issued the backend certificate in ca.crt of the referenced ConfigMap',
      });
    }
  }
  if (leaf) {
    const problems: string[] = [];
    if (now < new Date(leaf.cert.notBefore)) problems.push(`it is not valid before ${leaf.cert.notBefore}`);
    if (now > new Date(leaf.cert.notAfter)) problems.push(`it expired on ${leaf.cert.notAfter.slice(0, 10)}`);
    if (leaf.cert.sans.dns.length + leaf.cert.sans.ip.length + (leaf.cert.sans.uri ?? []).length === 0) problems.push(`it has no subjectAltName (only CN=${leaf.cert.commonName ?? '?'}), which verifying clients ignore`);
    if (problems.length) add('GWTLS-BPRB-005', `The certificate ${where} serves (${shortName(leaf.cert.subject)}) is unusable for a verifying gateway: ${problems.join('; ')}.`, { evidence: [`valid ${leaf.cert.notBefore} to ${leaf.cert.notAfter}`, `SANs: ${sanWords(leaf)}`], hint: 'reissue the backend certificate (with the Service DNS name as a SAN) and restart the pods' });
  }
  return out;
}

function leafWords(d: DecodedCert): string {
  return `${shortName(d.cert.subject)} (${sanWords(d)}; ${d.cert.selfSigned ? 'self-signed' : `issued by ${shortName(d.cert.issuer)}`})`;
}

function sanWords(d: DecodedCert): string {
  const names = [...d.cert.sans.dns, ...d.cert.sans.ip, ...(d.cert.sans.uri ?? [])];
  return names.length ? names.join(', ') : 'no SAN';
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Replaces the report's findings (and summary, ok) by the backend view. */
export function applyBackendFindings(report: ProbeReport, findings: ProbeFinding[]): void {
  report.findings = findings;
  report.summary = { errors: 0, warnings: 0, info: 0 };
  for (const f of findings) {
    if (f.severity === 'error') report.summary.errors++;
    else if (f.severity === 'warning') report.summary.warnings++;
    else report.summary.info++;
  }
  report.ok = report.connection.ok && report.summary.errors === 0;
}
