// The plain-text report: a tree per Gateway, readable at 80 columns, words for every state. Every string of the
// report came from a cluster, a file or a peer: the renderers work on a sanitised copy (control characters shown
// as escapes), and style only what they add.
import type { BackendReport, Condition, EndpointProbe, Finding, GatewayReport, Hop, InspectReport, ListenerReport, ListenerSetReport, RouteReport } from './types.ts';
import { safeLine, sanitizeDeep } from './sanitize.ts';
import { plain, type Style } from './style.ts';

/** Fix YAML is printed as the block it is (its line breaks kept, every other control character escaped). */
const PREFORMATTED = new Set(['yaml']);

export interface TextOptions {
  width?: number;
  style?: Style;
  /** Print fix YAML under each finding (inspect --fix). */
  fixes?: boolean;
}

/** Word-wraps `text` to `width`, prefixing every line with `first` then `rest`. */
export function wrap(text: string, width: number, first: string, rest: string = continuation(first)): string[] {
  const out: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > width) {
      out.push(line);
      line = rest + word;
    } else {
      line += (empty ? '' : ' ') + word;
    }
    empty = false;
  }
  out.push(line);
  return out;
}

/** The prefix for continuation lines: tree glyphs stay, everything else becomes space. */
function continuation(prefix: string): string {
  return prefix.replace(/[^│ ]/g, (c) => (c === '├' ? '│' : ' '));
}

function condSummary(conds: Condition[]): string {
  const wanted = ['Accepted', 'Programmed', 'ResolvedRefs'];
  const shown = conds.filter((c) => wanted.includes(c.type) || c.status !== 'True');
  if (shown.length === 0) return 'no status (not reconciled yet, or no controller)';
  return shown.map((c) => `${c.type}=${c.status}${c.reason && c.reason !== c.type ? ` (${c.reason})` : ''}${c.stale ? ' [stale]' : ''}`).join(', ');
}

function verdictWord(ok: boolean | undefined, verdict: string | undefined, s: Style): string {
  if (ok === false) return s.bad('BROKEN');
  if (verdict?.startsWith('UNVERIFIED')) return s.warn('UNVERIFIED');
  if (verdict?.startsWith('OK with')) return s.warn('OK (warnings)');
  return s.ok('OK');
}

export function renderGatewayList(input: InspectReport, opts: TextOptions = {}): string {
  const s = opts.style ?? plain;
  const width = opts.width ?? 80;
  const lines: string[] = [];
  // Only what the table shows is copied: with -A the report can hold thousands of Gateways.
  const report = {
    gateways: input.gateways.map((g) => ({ namespace: safeLine(g.namespace), name: safeLine(g.name), ok: g.ok, verdict: g.verdict === undefined ? undefined : safeLine(g.verdict) })),
    summary: input.summary,
    skipped: sanitizeDeep(input.skipped),
  };
  if (report.gateways.length === 0) {
    lines.push('No Gateways found in scope.');
  } else {
    const nsW = Math.max(9, ...report.gateways.map((g) => g.namespace.length));
    const nameW = Math.max(7, ...report.gateways.map((g) => g.name.length));
    lines.push(`${'NAMESPACE'.padEnd(nsW)}  ${'GATEWAY'.padEnd(nameW)}  VERDICT`);
    for (const g of report.gateways) {
      const head = `${g.namespace.padEnd(nsW)}  ${g.name.padEnd(nameW)}  `;
      const word = g.ok ? (g.verdict?.startsWith('OK with') ? 'OK (warnings)' : 'OK') : 'BROKEN';
      const rest = g.ok ? '' : `: ${g.verdict?.replace(/^BROKEN: /, '') ?? ''}`;
      const [firstLine, ...more] = wrap(`${word}${rest}`, width, head, ' '.repeat(head.length));
      lines.push(firstLine!.replace(word, g.ok ? (word === 'OK' ? s.ok(word) : s.warn(word)) : s.bad(word)), ...more);
    }
  }
  lines.push('', summaryLine(report, s));
  appendSkipped(lines, report, width);
  lines.push('', s.dim('Run `kubectl gwtls inspect NAME` for the whole path of one Gateway.'));
  return lines.join('\n') + '\n';
}

export function renderReport(input: InspectReport, opts: TextOptions = {}): string {
  const report = sanitizeDeep(input, PREFORMATTED);
  const s = opts.style ?? plain;
  const width = opts.width ?? 80;
  const lines: string[] = [];
  for (const g of report.gateways) renderGateway(lines, g, width, s);
  if (report.gateways.length === 0) lines.push('No Gateway in scope.', '');
  renderFindings(lines, report.findings, width, s, opts.fixes ?? false);
  lines.push(summaryLine(report, s));
  appendSkipped(lines, report, width);
  if (report.inputErrors?.length) {
    lines.push('', 'Input that could not be read:');
    for (const e of report.inputErrors) lines.push(...wrap(`${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`, width, '  '));
  }
  if (!opts.fixes && report.findings.some((f) => f.fixes.length)) lines.push('', s.dim('Run with --fix to print the fixes as YAML.'));
  return lines.join('\n') + '\n';
}

function renderGateway(lines: string[], g: GatewayReport, width: number, s: Style): void {
  lines.push(`${s.bold(`Gateway ${g.namespace}/${g.name}`)}  ${verdictWord(g.ok, g.verdict, s)}`);
  lines.push(...wrap(`class ${g.className} -> ${g.controllerName ?? 'GatewayClass not found'} (${g.implementation ?? '?'})`, width, '  '));
  lines.push(...wrap(`status ${condSummary(g.conditions)}`, width, '  '));
  if (g.gatewayClass?.conditions.length) lines.push(...wrap(`class status ${condSummary(g.gatewayClass.conditions)}`, width, '  '));
  if (g.addresses.length) lines.push(...wrap(`address ${g.addresses.map((a) => a.value).join(', ')}`, width, '  '));
  else lines.push('  address none yet');
  for (const l of g.listeners) renderListener(lines, l, width, s);
  if (g.listenerSets?.length) renderListenerSets(lines, g, width, s);
  if (g.misdirectedRoutes?.length) {
    lines.push('', '  routes that name this Gateway but cannot reach it');
    for (const r of g.misdirectedRoutes) {
      lines.push(`  └─ ${r.kind} ${r.namespace}/${r.name}  ${s.bad('NOT ATTACHED')}`);
      lines.push(...wrap(`parentRef ${r.parentRef}: ${r.why}`, width, '       '));
    }
  }
  lines.push('');
}

function renderListener(lines: string[], l: ListenerReport, width: number, s: Style): void {
  const mode = l.protocol === 'TLS' && l.tls?.mode ? `/${l.tls.mode}` : '';
  lines.push('');
  lines.push(`  listener ${s.bold(l.name)}  ${l.protocol}${mode} :${l.port}${l.hostname ? `  ${l.hostname}` : ''}  ${verdictWord(l.ok, l.verdict, s)}`);
  if (l.origin && l.origin.kind !== 'Gateway') lines.push(...wrap(`from ${l.origin.kind} ${l.origin.namespace}/${l.origin.name}`, width, '  │ '));
  if (l.conflict) lines.push(...wrap(`${s.bad('CONFLICTED')} (${l.conflict.reason}) with listener ${l.conflict.with.name} of ${l.conflict.with.origin.kind} ${l.conflict.with.origin.namespace}/${l.conflict.with.origin.name}, which takes precedence: ${l.conflict.why}`, width, '  │ '));
  if (l.conditions.length) lines.push(...wrap(`status ${condSummary(l.conditions)}`, width, '  │ '));
  if (l.tls && l.tls.mode === 'Terminate') {
    lines.push(...wrap(`certificate served from ${l.tls.servedFrom ?? '?'}`, width, '  │ '));
    for (const c of l.tls.certificates.filter((c) => c.index === 0)) {
      lines.push(...wrap(`${c.subject || '(empty subject)'}; SAN ${c.sans.dns.concat(c.sans.ip).join(', ') || 'none'}; issuer ${c.selfSigned ? 'self-signed' : c.issuer}; ${c.keyType}${c.keyBits ? ` ${c.keyBits}` : ''}; valid ${c.notBefore.slice(0, 10)} to ${c.notAfter.slice(0, 10)}${c.daysLeft !== undefined && c.daysLeft < 0 ? ' (EXPIRED)' : ''}${c.keyMatches === false ? '; KEY DOES NOT MATCH' : ''}`, width, '  │   ', '  │     '));
    }
    // cert-manager: who issues (or should issue) it, its state and next renewal (report/issuance.ts).
    for (const i of l.tls.issuance ?? []) lines.push(...wrap(i.summary, width, '  │   ', '  │     '));
  }
  for (const p of l.probe ?? []) renderProbe(lines, p, width, '  │ ', s);
  lines.push('  │ routes');
  if (l.routes.length === 0) lines.push(`  │ └─ none${l.allowedKinds?.length ? ` (accepts ${l.allowedKinds.join(', ')})` : ''}`);
  l.routes.forEach((r, i) => renderRoute(lines, r, i === l.routes.length - 1, width, s));
  lines.push('  │ path');
  for (const h of l.path) renderHop(lines, h, width, s);
}

/** GEP-1713: the ListenerSets that name the Gateway, whether it admits them, and what a controller should write. */
function renderListenerSets(lines: string[], g: GatewayReport, width: number, s: Style): void {
  const sets = g.listenerSets ?? [];
  const counts = `${g.expectedAttachedListenerSets ?? 0} expected to attach${g.attachedListenerSets !== undefined && g.attachedListenerSets !== null ? `, status says ${g.attachedListenerSets}` : ''}`;
  lines.push('', ...wrap(`listener sets (allowedListeners from ${g.allowedListeners?.from ?? 'None'}${g.allowedListeners?.selector ? ` ${g.allowedListeners.selector}` : ''}; ${counts})`, width, '  '));
  sets.forEach((ls, i) => {
    const last = i === sets.length - 1;
    lines.push(`  ${last ? '└─' : '├─'} ${ls.kind} ${ls.namespace}/${ls.name}  ${listenerSetWord(ls, s)}  listeners ${ls.listeners.join(', ') || 'none'}`);
    const cont = last ? '       ' : '  │    ';
    if (ls.accepted !== true || ls.reason !== 'Accepted') lines.push(...wrap(ls.why, width, cont));
    if (ls.conditions.length) lines.push(...wrap(`status ${condSummary(ls.conditions)}`, width, cont));
  });
}

function listenerSetWord(ls: ListenerSetReport, s: Style): string {
  if (ls.accepted === null) return s.warn('UNKNOWN');
  if (!ls.accepted) return s.bad(ls.reason === 'NotAllowed' ? 'NOT ALLOWED' : 'NOT ACCEPTED');
  return ls.reason === 'Accepted' ? s.ok('attached') : s.warn('attached (some listeners refused)');
}

function renderRoute(lines: string[], r: RouteReport, last: boolean, width: number, s: Style): void {
  const branch = last ? '  │ └─ ' : '  │ ├─ ';
  const cont = last ? '  │    ' : '  │ │  ';
  const state = r.attached ? s.ok('attached') : s.bad('NOT ATTACHED');
  lines.push(`${branch}${r.kind} ${r.namespace}/${r.name}  ${state}${r.effectiveHostnames?.length ? `  ${r.effectiveHostnames.join(', ')}` : ''}`);
  if (!r.attached && r.why) lines.push(...wrap(r.why, width, cont + '  '));
  if (r.conditions.length) lines.push(...wrap(`status ${condSummary(r.conditions)}`, width, cont + '  '));
  if (r.attached) r.backends.forEach((b, i) => renderBackend(lines, b, i === r.backends.length - 1, cont, width, s));
}

function renderBackend(lines: string[], b: BackendReport, last: boolean, indent: string, width: number, s: Style): void {
  const branch = indent + (last ? '└─ ' : '├─ ');
  const cont = indent + (last ? '   ' : '│  ');
  const target = b.targetPort !== undefined && b.targetPort !== null ? ` -> ${b.targetPort}` : '';
  const eps = b.endpoints ? `  endpoints ${b.endpoints.ready}/${b.endpoints.total} ready` : '';
  const state = b.resolved === false ? `  ${s.bad('UNRESOLVED')}` : b.endpoints && b.endpoints.ready === 0 ? `  ${s.bad('NO READY ENDPOINTS')}` : '';
  lines.push(`${branch}${b.kind} ${b.namespace}/${b.name}${b.port !== null ? `:${b.port}` : ''}${target}${eps}${state}`);
  if (b.resolved === false && b.why) lines.push(...wrap(b.why, width, cont + '  '));
  if (b.pods.length) {
    const shown = b.pods.slice(0, 3).map((p) => `${p.name} (${p.ready ? 'ready' : p.ready === false ? 'not ready' : 'readiness unknown'}${p.node ? `, ${p.node}` : ''}${p.ip ? `, ${p.ip}` : ''})`);
    lines.push(...wrap(`pods ${shown.join(', ')}${b.pods.length > 3 ? `, and ${b.pods.length - 3} more` : ''}`, width, cont + '  ', cont + '    '));
  }
  lines.push(...wrap(`tls to backend: ${b.tls.mode === 'tls' ? (b.tls.verified === false ? 'TLS, certificate NOT verified' : b.tls.verified ? 'TLS, verified' : 'TLS') : b.tls.mode === 'none' ? 'plaintext' : 'unknown'} (${b.tls.by})`, width, cont + '  ', cont + '    '));
  if (b.probe) renderProbe(lines, b.probe, width, cont + '  ', s);
}

/** inspect --probe: one or two lines per probe, in words. */
function renderProbe(lines: string[], p: EndpointProbe, width: number, indent: string, s: Style): void {
  if (p.status === 'skipped') {
    lines.push(...wrap(`probe: ${p.summary}`, width, indent, `${indent}    `).map((l, i) => (i === 0 ? l.replace('probe:', s.dim('probe:')) : l)));
    return;
  }
  const where = `${p.endpoint ?? '?'}${p.sni ? ` SNI ${p.sni}` : ' (no SNI)'}`;
  const word = p.ok ? s.ok('OK') : s.bad('FAILED');
  const text = p.summary.replace(/^(OK|FAILED|ERROR): /, '');
  lines.push(...wrap(`probe ${where}: ${word} ${text}`, width, indent, `${indent}    `));
  if (p.configured && p.configured.outcome !== 'same') lines.push(...wrap(`served vs configured: ${p.configured.why}`, width, `${indent}    `, `${indent}    `));
  if (p.gateway && p.gateway.verdict === 'fail') lines.push(...wrap(`gateway view: ${p.gateway.why}`, width, `${indent}    `, `${indent}    `));
}

const TLS_WORDS: Record<string, string> = { terminate: 'TLS terminated', originate: 'TLS originated', passthrough: 'TLS passed through', none: 'plaintext', unknown: 'unknown' };

function renderHop(lines: string[], h: Hop, width: number, s: Style): void {
  const word = h.ok === false ? s.bad('BROKEN') : h.ok === true ? s.ok('ok') : s.warn('unverified');
  const verified = h.tls === 'originate' ? (h.verified === true ? ', backend verified' : h.verified === false ? ', backend NOT verified' : '') : '';
  lines.push(...wrap(`${h.from ?? h.hop.split('->')[0]} -> ${h.to ?? h.hop.split('->')[1]}: ${TLS_WORDS[h.tls] ?? h.tls}${verified}  ${word}`, width, '  │   ', '  │     '));
  lines.push(...wrap(h.why, width, '  │     '));
}

function renderFindings(lines: string[], findings: Finding[], width: number, s: Style, withFixes: boolean): void {
  if (findings.length === 0) return;
  lines.push('Findings');
  for (const f of findings) {
    const sev = f.severity === 'error' ? s.bad('ERROR  ') : f.severity === 'warning' ? s.warn('WARNING') : s.dim('INFO   ');
    const obj = `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;
    lines.push(`  ${sev} ${f.code}  ${obj}${f.field ? ` ${s.dim(f.field)}` : ''}`);
    lines.push(...wrap(f.message, width, '          '));
    for (const e of f.evidence) lines.push(...wrap(`- ${e}`, width, '          ', '            '));
    for (const fix of f.fixes) {
      lines.push(...wrap(`${fix.type === 'fix' ? 'fix' : 'suggestion (not applied by --apply)'}: ${fix.title}`, width, '          '));
      if (fix.note) lines.push(...wrap(fix.note, width, '            '));
      if (withFixes) for (const y of fix.yaml.trimEnd().split('\n')) lines.push(`            ${y}`);
    }
    lines.push(...wrap(`see: kubectl gwtls explain ${f.code}`, width, '          '));
    lines.push('');
  }
}

function summaryLine(report: Pick<InspectReport, 'summary'>, s: Style): string {
  const { errors, warnings, info } = report.summary;
  const e = `${errors} error${errors === 1 ? '' : 's'}`;
  const w = `${warnings} warning${warnings === 1 ? '' : 's'}`;
  return `Summary: ${errors ? s.bad(e) : e}, ${warnings ? s.warn(w) : w}, ${info} info`;
}

function appendSkipped(lines: string[], report: Pick<InspectReport, 'skipped'>, width: number): void {
  if (report.skipped.length === 0) return;
  lines.push('Not checked:');
  for (const sk of report.skipped) lines.push(...wrap(`${sk.what} (${sk.reason}): ${sk.detail}`, width, '  - ', '    '));
}
