// The plain-text report: a tree per Gateway, then one line per finding, readable at 80 columns, a word for every
// state (src/report/state.ts decides it; colour only repeats it). -v/--details adds each finding's message,
// evidence and fixes, the pods and the TLS settings of each backend, and why each hop is what it is.
// Every string of the report came from a cluster, a file or a peer: the renderers work on a sanitised copy
// (control characters shown as escapes), and style only what they add.
import type { BackendReport, Condition, EndpointProbe, Finding, GatewayReport, Hop, InspectReport, ListenerReport, ListenerSetReport, RouteReport, Skipped, State } from './types.ts';
import { safeLine, sanitizeDeep } from './sanitize.ts';
import { stateWords } from './state.ts';
import { plain, type Style } from './style.ts';
import { findingSummary } from './summary.ts';

/** Fix YAML is printed as the block it is (its line breaks kept, every other control character escaped). */
const PREFORMATTED = new Set(['yaml']);

export interface TextOptions {
  width?: number;
  style?: Style;
  /** Print fix YAML under each finding (inspect --fix). */
  fixes?: boolean;
  /** -v/--details: each finding whole (message, evidence, fixes), pods, backend TLS settings, every hop's why. */
  details?: boolean;
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

/** The state in words, toned: BROKEN red, OK green, the rest yellow. */
export function stateWord(state: State | undefined, s: Style): string {
  const st = state ?? 'OK';
  const word = stateWords(st);
  return st === 'BROKEN' ? s.bad(word) : st === 'OK' ? s.ok(word) : s.warn(word);
}

export function countsText(c: { errors: number; warnings: number; info: number }): string {
  return `${c.errors} error${c.errors === 1 ? '' : 's'}, ${c.warnings} warning${c.warnings === 1 ? '' : 's'}, ${c.info} info`;
}

// ---- the -A table ------------------------------------------------------------------------------------------------

export type ListFormat = 'table' | 'wide' | 'name';

interface Row {
  namespace: string;
  name: string;
  state: State;
  errors: number;
  warnings: number;
  className: string;
  listeners: number;
  addresses: string;
  verdict: string;
}

/** kubectl's `-o name`: the resource and name of each Gateway, one a line. */
export function renderGatewayNames(input: InspectReport): string {
  return input.gateways.map((g) => `gateway.gateway.networking.k8s.io/${safeLine(g.name)}\n`).join('');
}

/**
 * Every Gateway in scope, one row each (kubectl's table; `wide` adds the class, listeners, addresses and the
 * verdict sentence). Rows are never wrapped, as kubectl's are not.
 */
export function renderGatewayList(input: InspectReport, opts: TextOptions & { format?: ListFormat } = {}): string {
  if (opts.format === 'name') return renderGatewayNames(input);
  const s = opts.style ?? plain;
  const width = opts.width ?? 80;
  const wide = opts.format === 'wide';
  const lines: string[] = [];
  // Only what the table shows is copied: with -A the report can hold thousands of Gateways.
  const rows: Row[] = input.gateways.map((g) => ({
    namespace: safeLine(g.namespace),
    name: safeLine(g.name),
    state: g.state ?? (g.ok === false ? 'BROKEN' : 'OK'),
    errors: g.summary?.errors ?? 0,
    warnings: g.summary?.warnings ?? 0,
    className: safeLine(g.className),
    listeners: g.listeners.length,
    addresses: safeLine(g.addresses.map((a) => a.value).join(',')) || '<none>',
    verdict: safeLine(g.verdict ?? ''),
  }));
  if (rows.length === 0) {
    lines.push('No Gateways found in scope.');
  } else {
    const head = wide ? ['NAMESPACE', 'NAME', 'STATE', 'ERRORS', 'WARNINGS', 'CLASS', 'LISTENERS', 'ADDRESSES', 'VERDICT'] : ['NAMESPACE', 'NAME', 'STATE', 'ERRORS', 'WARNINGS'];
    const cells = rows.map((r) => {
      const base = [r.namespace, r.name, stateWords(r.state), String(r.errors), String(r.warnings)];
      return wide ? [...base, r.className, String(r.listeners), r.addresses, r.verdict] : base;
    });
    const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
    const row = (c: string[], styled?: (i: number, padded: string) => string) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]!))).map((v, i) => (styled ? styled(i, v) : v)).join('   ').trimEnd();
    lines.push(row(head));
    cells.forEach((c, k) => lines.push(row(c, (i, v) => (i === 2 ? v.replace(stateWords(rows[k]!.state), stateWord(rows[k]!.state, s)) : v))));
  }
  lines.push('', summaryLine(input, s));
  appendSkipped(lines, sanitizeDeep(input.skipped), width);
  lines.push('', s.dim('Run `kubectl gwtls inspect NAME` for the whole path of one Gateway.'));
  return lines.join('\n') + '\n';
}

// ---- one Gateway ---------------------------------------------------------------------------------------------------

interface Ctx {
  width: number;
  s: Style;
  details: boolean;
  /** Why a route does not attach, per route, already printed under an earlier listener. */
  explained: Map<string, string>;
}

export function renderReport(input: InspectReport, opts: TextOptions = {}): string {
  const report = sanitizeDeep(input, PREFORMATTED);
  const s = opts.style ?? plain;
  const width = opts.width ?? 80;
  const details = opts.details ?? false;
  const lines: string[] = [];
  for (const g of report.gateways) renderGateway(lines, g, { width, s, details, explained: new Map() });
  if (report.gateways.length === 0) lines.push('No Gateway in scope.', '');
  if (details || opts.fixes) renderFindingDetails(lines, report.findings, width, s, opts.fixes ?? false);
  else renderFindingLines(lines, report.findings, width, s);
  lines.push(...summaryLines(report, s, width));
  appendSkipped(lines, report.skipped, width);
  if (report.inputErrors?.length) {
    lines.push('', 'Input that could not be read:');
    for (const e of report.inputErrors) lines.push(...wrap(`${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`, width, '  '));
  }
  const hints: string[] = [];
  if (!details && !opts.fixes && report.findings.length) hints.push('-v (evidence and fixes)', 'kubectl gwtls explain CODE (the rule)');
  if (!opts.fixes && report.findings.some((f) => f.fixes.length)) hints.push('--fix (the fixes as YAML)');
  if (hints.length) lines.push('', ...wrap(`More: ${hints.join(', ')}.`, width, '').map((l) => s.dim(l)));
  return lines.join('\n') + '\n';
}

function renderGateway(lines: string[], g: GatewayReport, c: Ctx): void {
  const { width, s } = c;
  const counts = g.summary && (g.summary.errors || g.summary.warnings || g.summary.info) ? `  ${countsText(g.summary)}` : '';
  lines.push(`${s.bold(`Gateway ${g.namespace}/${g.name}`)}  ${stateWord(g.state, s)}${counts}`);
  lines.push(...wrap(`class ${g.className} -> ${g.controllerName ?? 'GatewayClass not found'} (${g.implementation ?? '?'})`, width, '  '));
  lines.push(...wrap(`status ${condSummary(g.conditions)}`, width, '  '));
  if (g.gatewayClass?.conditions.length) lines.push(...wrap(`class status ${condSummary(g.gatewayClass.conditions)}`, width, '  '));
  if (g.addresses.length) lines.push(...wrap(`address ${g.addresses.map((a) => a.value).join(', ')}`, width, '  '));
  else lines.push('  address none yet');
  for (const l of g.listeners) renderListener(lines, g, l, c);
  if (g.listenerSets?.length) renderListenerSets(lines, g, c.width, c.s);
  if (g.misdirectedRoutes?.length) {
    lines.push('', '  routes that name this Gateway but cannot reach it');
    for (const r of g.misdirectedRoutes) {
      lines.push(`  └─ ${r.kind} ${r.namespace}/${r.name}  ${s.bad('NOT ATTACHED')}`);
      lines.push(...wrap(`parentRef ${r.parentRef}: ${r.why}`, width, '       '));
    }
  }
  lines.push('');
}

function renderListener(lines: string[], g: GatewayReport, l: ListenerReport, c: Ctx): void {
  const { width, s } = c;
  const mode = l.protocol === 'TLS' && l.tls?.mode ? `/${l.tls.mode}` : '';
  lines.push('');
  lines.push(`  listener ${s.bold(l.name)}  ${l.protocol}${mode} :${l.port}${l.hostname ? `  ${l.hostname}` : ''}  ${stateWord(l.state ?? (l.ok === false ? 'BROKEN' : 'OK'), s)}`);
  if (l.origin && l.origin.kind !== 'Gateway') lines.push(...wrap(`from ${l.origin.kind} ${l.origin.namespace}/${l.origin.name}`, width, '  │ '));
  if (l.conflict) lines.push(...wrap(`${s.bad('CONFLICTED')} (${l.conflict.reason}) with listener ${l.conflict.with.name} of ${l.conflict.with.origin.kind} ${l.conflict.with.origin.namespace}/${l.conflict.with.origin.name}, which takes precedence: ${l.conflict.why}`, width, '  │ '));
  if (l.conditions.length) lines.push(...wrap(`status ${condSummary(l.conditions)}`, width, '  │ '));
  if (l.tls && l.tls.mode === 'Terminate') {
    lines.push(...wrap(`certificate served from ${l.tls.servedFrom ?? '?'}`, width, '  │ '));
    for (const cert of l.tls.certificates.filter((x) => x.index === 0)) {
      const expired = cert.daysLeft !== undefined && cert.daysLeft < 0 ? ` (EXPIRED ${-cert.daysLeft} day${cert.daysLeft === -1 ? '' : 's'} ago)` : '';
      lines.push(...wrap(`${cert.subject || '(empty subject)'}; SAN ${cert.sans.dns.concat(cert.sans.ip).join(', ') || 'none'}; issuer ${cert.selfSigned ? 'self-signed' : cert.issuer}; ${cert.keyType}${cert.keyBits ? ` ${cert.keyBits}` : ''}; valid ${cert.notBefore.slice(0, 10)} to ${cert.notAfter.slice(0, 10)}${expired}${cert.keyMatches === false ? '; KEY DOES NOT MATCH' : ''}`, width, '  │   ', '  │     '));
    }
    // cert-manager: who issues (or should issue) it, its state and next renewal (report/issuance.ts).
    for (const i of l.tls.issuance ?? []) lines.push(...wrap(i.summary, width, '  │   ', '  │     '));
  }
  for (const p of l.probe ?? []) renderProbe(lines, p, width, '  │ ', s);
  lines.push('  │ routes');
  if (l.routes.length === 0) lines.push(`  │ └─ ${l.routesNotChecked ? 'not checked' : 'none'}${l.allowedKinds?.length ? ` (accepts ${l.allowedKinds.join(', ')})` : ''}`);
  if (l.routes.length === 0 && l.routesNotChecked) lines.push(...wrap(l.routesNotChecked, c.width, '  │      '));
  l.routes.forEach((r, i) => renderRoute(lines, g, l, r, i === l.routes.length - 1, c));
  lines.push('  │ path');
  for (const h of l.path) renderHop(lines, h, c);
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
  // What its controller wrote for the current generation outranks the prediction (GWTLS-LS-004 says why).
  const observed = ls.conditions.find((c) => c.type === 'Accepted' && !c.stale);
  if (observed?.status === 'False') return s.bad(observed.reason === 'NotAllowed' ? 'NOT ALLOWED' : 'NOT ACCEPTED');
  if (ls.accepted === null) return s.warn('UNKNOWN');
  if (!ls.accepted) return s.bad(ls.reason === 'NotAllowed' ? 'NOT ALLOWED' : 'NOT ACCEPTED');
  return ls.reason === 'Accepted' ? s.ok('attached') : s.warn('attached (some listeners refused)');
}

function routeId(r: RouteReport): string {
  return `${r.kind} ${r.namespace}/${r.name}`;
}

function renderRoute(lines: string[], g: GatewayReport, l: ListenerReport, r: RouteReport, last: boolean, c: Ctx): void {
  const { width, s } = c;
  const branch = last ? '  │ └─ ' : '  │ ├─ ';
  const cont = last ? '  │    ' : '  │ │  ';
  if (!r.attached) {
    // A route without sectionName that attaches to another listener of the Gateway: nothing is wrong here.
    const elsewhere = g.listeners.filter((o) => o !== l && o.routes.some((x) => x.attached && routeId(x) === routeId(r))).map((o) => o.name);
    if (elsewhere.length && r.state !== 'BROKEN') {
      lines.push(`${branch}${routeId(r)}  ${s.dim(`attached to listener ${elsewhere.join(', ')}, not this one`)}`);
      return;
    }
    lines.push(`${branch}${routeId(r)}  ${s.bad('NOT ATTACHED')}`);
    const why = r.why ?? '';
    const before = c.explained.get(routeId(r));
    if (why && before === why) lines.push(...wrap('(why: see above)', width, cont + '  '));
    else if (why) {
      lines.push(...wrap(why, width, cont + '  '));
      c.explained.set(routeId(r), why);
    }
    if (c.details && r.conditions.length) lines.push(...wrap(`status ${condSummary(r.conditions)}`, width, cont + '  '));
    return;
  }
  const state = r.state && r.state !== 'OK' ? `  ${stateWord(r.state, s)}` : '';
  lines.push(`${branch}${routeId(r)}  ${s.ok('attached')}${state}${r.effectiveHostnames?.length ? `  ${r.effectiveHostnames.join(', ')}` : ''}`);
  if (r.conditions.length) lines.push(...wrap(`status ${condSummary(r.conditions)}`, width, cont + '  '));
  r.backends.forEach((b, i) => renderBackend(lines, b, i === r.backends.length - 1, cont, c));
}

function renderBackend(lines: string[], b: BackendReport, last: boolean, indent: string, c: Ctx): void {
  const { width, s } = c;
  const branch = indent + (last ? '└─ ' : '├─ ');
  const cont = indent + (last ? '   ' : '│  ');
  const target = b.targetPort !== undefined && b.targetPort !== null ? ` -> ${b.targetPort}` : '';
  const eps = b.endpoints ? `  endpoints ${b.endpoints.ready}/${b.endpoints.total} ready` : b.endpointsNotChecked ? `  ${s.dim('endpoints not checked')}` : '';
  const state = b.resolved === false ? `  ${s.bad('UNRESOLVED')}` : b.endpoints && b.endpoints.ready === 0 ? `  ${s.bad('NO READY ENDPOINTS')}` : '';
  lines.push(`${branch}${b.kind} ${b.namespace}/${b.name}${b.port !== null ? `:${b.port}` : ''}${target}${eps}${state}`);
  if (b.resolved !== true && b.why) lines.push(...wrap(b.why, width, cont + '  '));
  if (c.details) {
    if (b.endpointsNotChecked) lines.push(...wrap(`endpoints not checked: ${b.endpointsNotChecked}`, width, cont + '  ', cont + '    '));
    if (b.pods.length) {
      const shown = b.pods.slice(0, 3).map((p) => `${p.name} (${p.ready ? 'ready' : p.ready === false ? 'not ready' : 'readiness unknown'}${p.node ? `, ${p.node}` : ''}${p.ip ? `, ${p.ip}` : ''})`);
      lines.push(...wrap(`pods ${shown.join(', ')}${b.pods.length > 3 ? `, and ${b.pods.length - 3} more` : ''}`, width, cont + '  ', cont + '    '));
    }
    lines.push(...wrap(`tls to backend: ${b.tls.mode === 'tls' ? (b.tls.verified === false ? 'TLS, certificate NOT verified' : b.tls.verified ? 'TLS, verified' : 'TLS') : b.tls.mode === 'none' ? 'plaintext' : 'unknown'} (${b.tls.by})`, width, cont + '  ', cont + '    '));
  }
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

/** States whose reason the default output prints under the hop (a warning's reason is its finding). */
const EXPLAINED: ReadonlySet<State> = new Set(['BROKEN', 'NO_ROUTES', 'NOT_CHECKED', 'UNVERIFIED']);

function renderHop(lines: string[], h: Hop, c: Ctx): void {
  const { width, s } = c;
  const state = h.state ?? (h.ok === false ? 'BROKEN' : h.ok === true ? 'OK' : 'UNVERIFIED');
  const verified = h.tls === 'originate' ? (h.verified === true ? ', backend verified' : h.verified === false ? ', backend NOT verified' : '') : '';
  const to = h.to ?? h.hop.split('->')[1];
  const what = to === 'nothing' ? '' : `: ${TLS_WORDS[h.tls] ?? h.tls}${verified}`;
  const head = `  │   ${h.from ?? h.hop.split('->')[0]} -> ${to}${what}`;
  const word = stateWords(state);
  if (head.length + 2 + word.length <= width) lines.push(`${head}  ${stateWord(state, s)}`);
  else lines.push(...wrap(`${head.slice(6)} ${word}`, width, '  │   ', '  │     ').map((l, i, all) => (i === all.length - 1 ? l.replace(new RegExp(`${word}$`), stateWord(state, s)) : l)));
  if (c.details || EXPLAINED.has(state)) lines.push(...wrap(h.why, width, '  │     '));
}

const SEVERITY_WORD = { error: 'ERROR', warning: 'WARNING', info: 'INFO' } as const;

function severityWord(f: Finding, s: Style): string {
  const w = SEVERITY_WORD[f.severity].padEnd(7);
  return f.severity === 'error' ? s.bad(w) : f.severity === 'warning' ? s.warn(w) : s.dim(w);
}

/** The default: one line per finding (wrapped under itself when it is longer than the width). */
function renderFindingLines(lines: string[], findings: Finding[], width: number, s: Style): void {
  if (findings.length === 0) return;
  lines.push('Findings');
  const codeW = Math.max(...findings.map((f) => f.code.length));
  for (const f of findings) {
    const head = `  ${SEVERITY_WORD[f.severity].padEnd(7)} ${f.code.padEnd(codeW)}  `;
    const wrapped = wrap(findingSummary(f), width, head, ' '.repeat(Math.min(head.length, 12)));
    wrapped[0] = wrapped[0]!.replace(SEVERITY_WORD[f.severity].padEnd(7), severityWord(f, s));
    lines.push(...wrapped);
  }
  lines.push('');
}

/** -v/--details and --fix: each finding whole. */
function renderFindingDetails(lines: string[], findings: Finding[], width: number, s: Style, withFixes: boolean): void {
  if (findings.length === 0) return;
  lines.push('Findings');
  for (const f of findings) {
    const obj = `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;
    lines.push(`  ${severityWord(f, s)} ${f.code}  ${obj}${f.field ? ` ${s.dim(f.field)}` : ''}`);
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

function summaryLine(report: Pick<InspectReport, 'summary' | 'gateways'>, s: Style): string {
  const { errors, warnings, info } = report.summary;
  const e = `${errors} error${errors === 1 ? '' : 's'}`;
  const w = `${warnings} warning${warnings === 1 ? '' : 's'}`;
  // Findings about objects no Gateway shown uses (an unreferenced configuration, a route to no Gateway) count in
  // the summary and the exit code too: say how many, so that the states above and the totals agree.
  const about = { errors: 0, warnings: 0, info: 0 };
  for (const g of report.gateways) {
    about.errors += g.summary?.errors ?? 0;
    about.warnings += g.summary?.warnings ?? 0;
    about.info += g.summary?.info ?? 0;
  }
  const outside = { errors: errors - about.errors, warnings: warnings - about.warnings, info: info - about.info };
  const parts = [outside.errors > 0 ? `${outside.errors} error${outside.errors === 1 ? '' : 's'}` : '', outside.warnings > 0 ? `${outside.warnings} warning${outside.warnings === 1 ? '' : 's'}` : '', outside.info > 0 ? `${outside.info} info` : ''].filter(Boolean);
  // With several Gateways a finding can be about more than one (a shared class or Secret): the split is exact for one.
  const note = report.gateways.length === 1 && parts.length ? ` (${parts.join(', ')} about objects the Gateway does not use)` : '';
  return `Summary: ${errors ? s.bad(e) : e}, ${warnings ? s.warn(w) : w}, ${info} info${note}`;
}

/** The summary line, wrapped (the note on findings outside the Gateway makes it long). */
function summaryLines(report: Pick<InspectReport, 'summary' | 'gateways'>, s: Style, width: number): string[] {
  const plainLine = summaryLine(report, plain);
  if (plainLine.length <= width) return [summaryLine(report, s)];
  const [first, ...rest] = wrap(plainLine, width, '', '  ');
  const styled = summaryLine(report, s);
  return [styled.slice(0, styled.length - (plainLine.length - first!.length)), ...rest];
}

/**
 * What could not be checked. Rules skipped for the same reason (every rule that needs Secrets, when Secrets are
 * forbidden) are one line, not one per rule.
 */
function appendSkipped(lines: string[], skipped: Skipped[], width: number): void {
  if (skipped.length === 0) return;
  lines.push('Not checked:');
  const rules = new Map<string, string[]>();
  for (const sk of skipped) {
    const m = /^rule (\S+)$/.exec(sk.what);
    if (!m) continue;
    const key = `${sk.reason}\u0000${sk.detail}`;
    rules.set(key, [...(rules.get(key) ?? []), m[1]!]);
  }
  const done = new Set<string>();
  for (const sk of skipped) {
    const key = `${sk.reason}\u0000${sk.detail}`;
    const codes = /^rule \S+$/.test(sk.what) ? rules.get(key) : undefined;
    if (codes && codes.length > 1) {
      if (done.has(key)) continue;
      done.add(key);
      lines.push(...wrap(`${codes.length} rules (${sk.reason}): ${sk.detail.replace(/^needs /, 'they need ')}: ${codes.join(', ')}`, width, '  - ', '    '));
      continue;
    }
    lines.push(...wrap(`${sk.what} (${sk.reason}): ${sk.detail}`, width, '  - ', '    '));
  }
}
