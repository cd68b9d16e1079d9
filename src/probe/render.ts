// Plain-text rendering of probe reports, readable at 80 columns. Names, certificate fields, banners and error
// text come from the peer: rendering works on a sanitised copy (control characters shown as escapes).
import type { Cert } from '../report/types.ts';
import { sanitizeDeep } from '../report/sanitize.ts';
import type { ProbeFinding } from './codes.ts';
import { certRole, shortName } from './chain.ts';
import { joinHostPort } from './target.ts';
import type { ProbeReport } from './types.ts';
import { makeStyle, type Style } from './style.ts';

const WIDTH = 80;
/** A value from the peer shown in text at most this long (a 60,000-character CN stays readable); -o json has it all. */
const MAX_SHOWN = 300;
/** Names shown per certificate in text. */
const MAX_NAMES = 20;

/** `text` (already sanitised) cut to MAX_SHOWN characters, never inside one of the sanitiser's escapes. */
export function clipShown(text: string, max = MAX_SHOWN): string {
  if (text.length <= max) return text;
  let cut = max;
  const escape = /\\(?:x[0-9a-f]{0,2}|u\{[0-9a-f]*\}?|u[0-9a-f]{0,4}|[nrt]?)$/.exec(text.slice(Math.max(0, max - 10), max));
  if (escape) cut -= escape[0].length;
  // Nor between the two halves of a character outside the BMP.
  if (/[\ud800-\udbff]/.test(text[cut - 1] ?? '')) cut--;
  return `${text.slice(0, cut)}… (${text.length - cut} more characters; -o json shows all)`;
}

function listShown(items: string[]): string {
  const shown = items.slice(0, MAX_NAMES).map((x) => clipShown(x)).join(', ');
  return items.length > MAX_NAMES ? `${shown}, … and ${items.length - MAX_NAMES} more (-o json lists them all)` : shown;
}

/** Greedy word wrap; `indent` is prefixed to every line after the first. */
export function wrap(text: string, width: number, indent: string, first = ''): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const w of words) {
    const prefix = lines.length === 0 ? first : indent;
    if (!empty && line.length + 1 + w.length > width) {
      lines.push(line);
      line = indent + w;
    } else {
      line = empty ? prefix + w : `${line} ${w}`;
    }
    empty = false;
  }
  lines.push(line);
  return lines.join('\n');
}

export function verdict(r: ProbeReport): string {
  const c = r.connection;
  const v = r.verification;
  if (c.phase === 'target') return `ERROR: ${c.error?.summary ?? 'the target could not be resolved'}`;
  if (c.phase === 'dns') return 'ERROR: cannot resolve the name';
  if (c.phase === 'connect') return r.backend ? (c.error?.code === 'ECONNREFUSED' ? 'FAILED: nothing listens on the backend port' : 'FAILED: the port-forward did not connect') : 'FAILED: no TCP connection';
  if (c.phase === 'preamble') return `FAILED: ${r.target.starttls} STARTTLS did not complete`;
  if (c.notTls) return `FAILED: not TLS, the port speaks ${c.notTls.name}`;
  if (c.error && (r.chain.length === 0 || c.protocol === null)) return 'FAILED: TLS handshake did not complete';
  if (c.error) return 'FAILED: the server rejected the connection after the handshake';
  if (r.backend) {
    const gv = r.gatewayView;
    if (gv?.verdict === 'fail') return 'FAILED: handshake complete, but the gateway would reject this backend';
    if (!r.ok) return `FAILED: handshake complete; ${r.findings.find((f) => f.severity === 'error')?.title ?? 'see the findings'}`;
    return gv?.verdict === 'pass' ? 'OK: handshake complete, the gateway would accept this backend' : 'OK: handshake complete';
  }
  if (r.ok) return 'OK: handshake complete, chain trusted, name matches';
  const why: string[] = [];
  if (v.trusted === false) why.push('chain not trusted');
  if (v.hostnameMatches === false) why.push(`certificate not valid for ${v.name}`);
  if (r.cluster?.outcome === 'different') why.push('the served certificate is not the one configured');
  return `FAILED: handshake complete, ${why.join(' and ') || 'see the findings'}`;
}

export function renderProbeText(reports: ProbeReport[], style: Style = makeStyle(false)): string {
  return sanitizeDeep(reports).map((r) => renderOne(r, style)).join(`\n${'-'.repeat(WIDTH)}\n\n`);
}

function row(label: string, value: string): string {
  return wrap(value, WIDTH, ' '.repeat(14), `  ${label.padEnd(10)}  `);
}

function renderOne(r: ProbeReport, s: Style): string {
  const out: string[] = [];
  const c = r.connection;
  const v = r.verification;
  const b = r.backend;
  const head = b ? `probe ${b.kind === 'service' ? 'svc' : 'pod'}/${b.namespace}/${b.name}:${b.kind === 'service' ? (b.servicePort ?? r.target.port) : (b.targetPort ?? r.target.port)}` : `probe ${joinHostPort(r.target.host, r.target.port)}`;
  const sni = r.target.sni ? `SNI ${r.target.sni}` : 'no SNI';
  out.push(`${s.bold(head)}  (${sni}${r.target.starttls ? `, STARTTLS ${r.target.starttls}` : ''})`);
  const verdictText = verdict(r);
  out.push(row('result', r.ok ? s.green(verdictText) : s.red(verdictText)));
  if (r.dns) out.push(row('dns', `${r.dns.name} -> ${r.dns.addresses.join(', ')} (${r.dns.ms} ms)`));
  if (r.backend) out.push(row('via', `the API server's port-forward: ${r.backend.resolvedBy}`));
  if (r.target.address && !r.backend) out.push(row('address', `${joinHostPort(r.target.address, r.target.addressPort ?? r.target.port)}${r.target.connectTo ? ` (--connect-to ${r.target.connectTo})` : ''}`));
  const timing = [c.tcpMs !== null ? `connect ${c.tcpMs} ms` : null, c.preambleMs !== null ? `starttls ${c.preambleMs} ms` : null, c.tlsMs !== null ? `handshake ${c.tlsMs} ms` : null, `total ${c.totalMs} ms`].filter(Boolean);
  out.push(row('timing', timing.join(', ')));
  if (c.protocol) out.push(row('tls', `${c.protocol}, ${c.cipherStandardName ?? c.cipher ?? 'unknown cipher'}, ALPN ${c.alpn ?? (r.target.alpnOffered?.length ? 'none selected' : 'not offered')}`));
  if (c.preamble?.length) out.push(row('starttls', c.preamble.join(' | ')));
  if (c.error) {
    out.push(row('error', c.error.summary));
    out.push(row('why', c.error.explanation));
  }
  if (r.chain.length > 0) {
    const storeName = v.trustStore === 'system' ? 'system trust store' : v.trustStore;
    const trust = v.trusted === true ? `trusted (${storeName}${v.anchor ? `, anchor ${shortName(v.anchor)}` : ''})` : v.trusted === null ? 'not verified: the handshake stopped first (the chain below is as the server sent it)' : `NOT trusted (${storeName})`;
    out.push(row('trust', v.trusted ? s.green(trust) : v.trusted === null ? s.yellow(trust) : s.red(trust)));
    const detail = v.hostnameDetail;
    const name = v.hostnameMatches ? `matches ${v.name}${detail ? ` (${detail})` : ''}` : `does NOT match ${v.name}: ${detail ?? ''}`;
    out.push(row('name', v.hostnameMatches ? s.green(name) : s.red(name)));
    for (const k of v.recognized ?? []) out.push(row('known', `${k.name}: ${k.note}`));
  }
  if (r.gatewayView !== undefined) out.push(...gatewayRows(r, s));
  if (r.cluster) out.push(...clusterRows(r, s));
  if (r.postgres) {
    const pg = r.postgres;
    out.push(row('postgres', `SSLRequest answered ${pg.sslRequest ?? 'not tried'}; direct TLS with ALPN postgresql ${pg.directTls === null ? 'not tried' : pg.directTls ? 'works' : 'fails'}`));
  }
  if (r.withoutSni) out.push(row('no SNI', r.withoutSni.ok ? `handshake completes without SNI${r.withoutSni.leaf ? `, serving ${shortName(r.withoutSni.leaf)}` : ''}` : `fails as well (${r.withoutSni.error ?? 'no answer'})`));

  if (r.chain.length > 0) {
    out.push('');
    out.push(s.bold(`chain as served: ${r.chain.length} certificate${r.chain.length === 1 ? '' : 's'}${r.chainAnalysis && !r.chainAnalysis.ordered ? ' (OUT OF ORDER)' : ''}`));
    const shown = r.chain.length > 12 ? [...r.chain.slice(0, 10), ...r.chain.slice(-2)] : r.chain;
    shown.forEach((cert) => {
      if (r.chain.length > 12 && cert.index === r.chain[r.chain.length - 2]!.index) out.push(`  ... ${r.chain.length - 12} more certificates ...`);
      out.push(renderCert(cert, r.chain.length, s));
    });
    const notes = (r.chainAnalysis?.issues ?? []).filter((i) => i.kind === 'root-included');
    for (const n of notes) out.push(wrap(`note: ${n.message}`, WIDTH, '        ', '  '));
  }
  out.push('');
  if (r.findings.length === 0) out.push(s.green('no findings'));
  else {
    out.push(s.bold(`findings: ${r.summary.errors} error(s), ${r.summary.warnings} warning(s), ${r.summary.info} info`));
    for (const f of r.findings) out.push(renderFinding(f, s));
  }
  return `${out.join('\n')}\n`;
}

/** What the gateway would conclude about a backend, beside the system-store view above it. */
function gatewayRows(r: ProbeReport, s: Style): string[] {
  const v = r.gatewayView;
  if (!v) return [row('gateway', 'not judged: a pod/ target has no Service, so no BackendTLSPolicy applies')];
  const out: string[] = [];
  if (v.policy) out.push(row('policy', `BackendTLSPolicy ${v.policy.namespace}/${v.policy.name}: SNI ${v.sni ?? 'none'}, verifies ${v.namesChecked.join(', ') || 'no name'} against ${v.policy.trust.join(', ') || 'nothing'}`));
  else out.push(row('policy', 'none: no BackendTLSPolicy targets this Service port'));
  const words = v.verdict === 'pass' ? s.green('would ACCEPT it') : v.verdict === 'fail' ? s.red('would REJECT it') : v.verdict === 'plaintext' ? 'sends it plaintext' : 'undecided';
  out.push(row('gateway', `${words}: ${v.why.replace(/^the gateway would (accept|reject) this backend: /, '').replace(/^not decided: /, '')}`));
  return out;
}

/** The cluster cross-check: which listener should serve this, and served vs configured. */
function clusterRows(r: ProbeReport, s: Style): string[] {
  const cl = r.cluster!;
  if (cl.outcome === 'skipped') return [row('cluster', `not checked: ${(cl.why ?? '').replace(/^cluster cross-check skipped: /, '')}`)];
  if (cl.outcome === 'no-listener' || !cl.gateway) return [row('cluster', cl.why ?? 'no Gateway listener serves this name and port')];
  const out: string[] = [];
  const m = cl.matched?.[0];
  out.push(row('listener', `${cl.listener} of Gateway ${cl.gateway.namespace}/${cl.gateway.name}${m ? ` (${m.protocol}${m.tlsMode ? `/${m.tlsMode}` : ''} :${m.port}${m.hostname ? ` ${m.hostname}` : ''}${m.addressMatch ? ', address matches' : ''})` : ''}${(cl.matched?.length ?? 0) > 1 ? `; ${cl.matched!.length - 1} more listener(s) match` : ''}`));
  if (cl.servedFrom) out.push(row('configured', cl.servedFrom));
  const why = cl.why ?? '';
  out.push(row('compared', cl.outcome === 'same' ? s.green(why) : cl.outcome === 'different' ? s.red(why) : why));
  return out;
}

function renderCert(c: Cert, n: number, s: Style): string {
  const i = c.index ?? 0;
  const role = certRole(i, c);
  const lines: string[] = [];
  lines.push(`  [${i}] ${s.bold(role.padEnd(12))} ${clipShown(c.subject)}`);
  const f = (label: string, value: string) => lines.push(wrap(value, WIDTH, ' '.repeat(19), `      ${label.padEnd(11)}  `));
  f('issuer', `${clipShown(c.issuer)}${c.issuedByNext === false && i < n - 1 ? ' (NOT the next certificate)' : ''}`);
  const names = [...c.sans.dns, ...c.sans.ip.map((ip) => `IP:${ip}`), ...(c.sans.uri ?? []).map((u) => `URI:${u}`)];
  if (i === 0 || names.length) f('names', names.length ? listShown(names) : 'none (no SAN extension)');
  const days = c.daysLeft ?? 0;
  const state = days < 0 ? s.red(`EXPIRED ${-days} days ago`) : new Date(c.notBefore) > new Date() ? s.red('NOT YET VALID') : days < 30 ? s.yellow(`${days} days left`) : `${days} days left`;
  f('valid', `${c.notBefore.slice(0, 10)} to ${c.notAfter.slice(0, 10)} (${state})`);
  f('key', `${c.keyType} ${c.keyCurve ?? `${c.keyBits ?? '?'} bits`}, signed ${c.signatureAlgorithm}${c.isCA ? `, CA${c.pathLength !== null && c.pathLength !== undefined ? ` pathlen ${c.pathLength}` : ''}` : ''}${c.selfSigned ? ', self-signed' : ''}`);
  if (c.keyUsage?.length || c.extendedKeyUsage?.length) f('usage', [...(c.keyUsage ?? []), ...(c.extendedKeyUsage ?? [])].join(', '));
  const fp = c.fingerprintSha256;
  f('sha256', fp.length > 60 ? `${fp.slice(0, 48)} ${fp.slice(48)}` : fp);
  if (c.aiaIssuers?.length) f('ca issuers', listShown(c.aiaIssuers));
  if (c.ocsp?.length) f('ocsp', listShown(c.ocsp));
  return lines.join('\n');
}

function renderFinding(f: ProbeFinding, s: Style): string {
  const word = f.severity === 'error' ? 'ERROR  ' : f.severity === 'warning' ? 'WARNING' : 'INFO   ';
  const paint = f.severity === 'error' ? s.red : f.severity === 'warning' ? s.yellow : s.cyan;
  const ind = '           ';
  const prefix = `  ${word}  ${f.code}  `;
  const head = wrap(f.title, WIDTH, ' '.repeat(prefix.length), prefix);
  const lines = [head.replace(word, paint(word))];
  lines.push(wrap(clipShown(f.message, 2000), WIDTH, ind, ind));
  if (f.hint) lines.push(wrap(`fix: ${f.hint}`, WIDTH, ind + '     ', ind));
  lines.push(`${ind}see: kubectl gwtls explain ${f.code}`);
  return lines.join('\n');
}
