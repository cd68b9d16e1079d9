// What the detail pane says about a node or a finding, as lines laid out for a given width. Pure: report data in,
// lines out. Nothing here judges anything; it restates the report's own words.
import type { Cert, Condition, Finding, Hop } from '../report/types.ts';
import { clipAll, seg, wrapAfter, wrapLine, wrapText, type Line, type Tone } from './lines.ts';
import type { TreeModel, TreeNode } from './tree.ts';
import { issuanceFor, issuanceLines } from './issuance.ts';
import * as w from './words.ts';

const LABEL = 12;

/** `  label       value`, the value wrapped under itself. */
function kv(label: string, value: string, width: number, tone?: Tone): Line[] {
  const first = `  ${label.padEnd(LABEL)}`;
  return wrapText(value, width, first, ' '.repeat(first.length)).map((t, i) => (i === 0 ? [seg(first), seg(t.slice(first.length), tone)] : [seg(t, tone)]));
}

function heading(text: string): Line {
  return [seg(text, 'accent', true)];
}

function titleLine(node: TreeNode, width: number): Line[] {
  return [[seg(node.label.slice(0, Math.max(1, width - node.status.word.length - 2)), undefined, true), seg('  '), seg(node.status.word, node.status.tone, true)]];
}

function conditionLines(conds: Condition[], width: number): Line[] {
  if (conds.length === 0) return kv('status', 'no conditions (not reconciled yet, or no controller)', width, 'dim');
  const out: Line[] = [];
  for (const c of conds) {
    const st = w.conditionStatus(c);
    const text = `${c.reason && c.reason !== c.type ? ` (${c.reason})` : ''}${c.stale ? ' [stale: observedGeneration behind]' : ''}${c.controllerName ? ` by ${c.controllerName}` : ''}${c.message ? `: ${c.message}` : ''}`;
    const lines = wrapText(`${st.word}${text}`, width, '  - ', '    ');
    out.push([seg('  - '), seg(st.word, st.tone), seg(lines[0]!.slice(4 + st.word.length))], ...lines.slice(1).map((l) => [seg(l)]));
  }
  return out;
}

export function certLines(c: Cert, width: number): Line[] {
  const role = c.index === undefined ? 'certificate' : c.index === 0 ? 'leaf' : c.isCA ? (c.selfSigned ? 'root' : 'intermediate') : 'extra';
  const expired = c.daysLeft !== undefined && c.daysLeft < 0;
  const out: Line[] = [[seg(`  #${c.index ?? 0} ${role}  `, 'info'), seg(c.subject || '(empty subject)', undefined, true)]];
  out.push(...kv('issuer', c.selfSigned ? `${c.issuer} (self-signed)` : c.issuer, width));
  const names = [...c.sans.dns.map((d) => `DNS:${d}`), ...c.sans.ip.map((i) => `IP:${i}`), ...(c.sans.uri ?? []).map((u) => `URI:${u}`)];
  out.push(...kv('SAN', names.length ? names.join(', ') : 'none (clients that ignore the CN reject it for every name)', width, names.length ? undefined : 'bad'));
  const validity = `${c.notBefore.slice(0, 10)} to ${c.notAfter.slice(0, 10)}${c.daysLeft !== undefined ? (expired ? ` (EXPIRED ${-c.daysLeft} days ago)` : ` (${c.daysLeft} days left)`) : ''}`;
  out.push(...kv('valid', validity, width, expired ? 'bad' : c.daysLeft !== undefined && c.daysLeft < 30 ? 'warn' : undefined));
  out.push(...kv('key', `${c.keyType}${c.keyBits ? ` ${c.keyBits}` : ''}${c.keyCurve ? ` ${c.keyCurve}` : ''}; signature ${c.signatureAlgorithm}${c.isCA ? '; CA' : ''}`, width));
  if (c.keyMatches !== undefined && c.keyMatches !== null) out.push(...kv('private key', c.keyMatches ? 'matches this certificate' : 'DOES NOT MATCH this certificate', width, c.keyMatches ? 'ok' : 'bad'));
  if (c.extendedKeyUsage?.length) out.push(...kv('ext usage', c.extendedKeyUsage.join(', '), width));
  if (c.issuedByNext === false) out.push(...kv('chain', 'the next certificate in tls.crt did NOT issue this one', width, 'bad'));
  out.push(...fingerprintLines('sha256', c.fingerprintSha256, width));
  out.push(...kv('from', c.source, width, 'dim'));
  return out;
}

/**
 * A fingerprint (`AB:CD:…`) laid out like kv(), but broken only after a colon: never in the middle of a byte, so
 * what is on screen can be compared with `openssl x509 -fingerprint` byte by byte.
 */
export function fingerprintLines(label: string, fingerprint: string, width: number): Line[] {
  const first = `  ${label.padEnd(LABEL)}`;
  const room = Math.max(3, width - first.length);
  const bytes = fingerprint.split(':');
  const rows: string[] = [];
  let row = '';
  for (const [i, b] of bytes.entries()) {
    const piece = i < bytes.length - 1 ? `${b}:` : b;
    if (row && row.length + piece.length > room) {
      rows.push(row);
      row = '';
    }
    row += piece;
  }
  rows.push(row);
  return rows.map((r, i) => (i === 0 ? [seg(first), seg(r, 'dim')] : [seg(' '.repeat(first.length)), seg(r, 'dim')]));
}

/** The per-listener TLS path drawn top to bottom: each endpoint, and between them the hop's TLS state. */
export function pathLines(path: Hop[], width: number): Line[] {
  if (path.length === 0) return [[seg('  no hops: nothing reaches this listener', 'dim')]];
  const out: Line[] = [];
  out.push([seg('  ● ', 'accent'), seg(path[0]!.from ?? path[0]!.hop.split('->')[0] ?? 'client', undefined, true)]);
  for (const h of path) {
    const st = w.hopStatus(h);
    out.push([seg('  │ ', 'dim'), seg(w.hopWords(h), h.tls === 'none' ? 'warn' : 'info', true), seg('  '), seg(st.word, st.tone, true)]);
    if (h.certificate) out.push(...wrapText(`certificate ${h.certificate}`, width, '  │ ', '  │   ').map((t) => [seg('  │ ', 'dim'), seg(t.slice(4))]));
    out.push(...wrapText(h.why, width, '  │ ', '  │ ').map((t) => [seg('  │ ', 'dim'), seg(t.slice(4), 'dim')]));
    out.push([seg('  ▼ ', 'accent'), seg(h.to ?? h.hop.split('->')[1] ?? '?', undefined, true)]);
  }
  return out;
}

export function findingLines(f: Finding, width: number, opts: { withObject?: boolean } = {}): Line[] {
  const out: Line[] = [];
  out.push(...wrapAfter([seg(w.SEVERITY_WORDS[f.severity], w.SEVERITY_TONES[f.severity], true), seg(` ${f.code} `, 'info')], f.title, width, '  '));
  if (opts.withObject) {
    out.push(...kv('object', `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}${f.field ? `  ${f.field}` : ''}`, width));
    if (f.gateway) out.push(...kv('gateway', `${f.gateway}${f.listener ? `, listener ${f.listener}` : ''}`, width));
  } else if (f.field) {
    out.push(...kv('field', `${f.object.kind} ${f.object.name} ${f.field}`, width, 'dim'));
  }
  out.push(...wrapLine(f.message, width, { first: '  ' }));
  for (const e of f.evidence) out.push(...wrapLine(e, width, { first: '  - ', rest: '    ', tone: 'dim' }));
  for (const fix of f.fixes) {
    const word = fix.type === 'fix' ? 'fix' : 'suggestion (never applied automatically)';
    out.push(...wrapText(`${word}: ${fix.title}`, width, '  ', '    ').map((t, i) => (i === 0 ? [seg('  '), seg(word, fix.type === 'fix' ? 'ok' : 'warn'), seg(t.slice(2 + word.length))] : [seg(t)])));
    if (fix.note) out.push(...wrapLine(fix.note, width, { first: '    ', tone: 'dim' }));
  }
  if (f.fixes.length) out.push([seg('  f', 'accent', true), seg(': preview the YAML  '), seg('a', 'accent', true), seg(': apply the safe fix')]);
  out.push([seg(`  see: kubectl gwtls explain ${f.code}`, 'dim')]);
  return clipAll(out, width);
}

function findingsSection(findings: Finding[], width: number): Line[] {
  if (findings.length === 0) return [];
  const out: Line[] = [[], heading(`Findings (${findings.length})`)];
  for (const f of findings) out.push(...findingLines(f, width), []);
  return out;
}

function nodeBody(node: TreeNode, width: number): Line[] {
  const d = node.data;
  const out: Line[] = [];
  switch (d.kind) {
    case 'class': {
      const g = d.gw;
      out.push(...kv('controller', g.controllerName ?? 'none: no GatewayClass of this name', width, g.controllerName ? undefined : 'bad'));
      if (g.implementation) out.push(...kv('runs as', g.implementation, width));
      const p = g.gatewayClass?.parameters;
      if (p) out.push(...kv('parameters', `${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name} (${g.gatewayClass?.parametersFound === true ? 'found' : g.gatewayClass?.parametersFound === false ? 'NOT FOUND' : 'not checked'})`, width, g.gatewayClass?.parametersFound === false ? 'bad' : undefined));
      if (d.gateways.length > 1) out.push(...kv('gateways', d.gateways.map((x) => `${x.namespace}/${x.name}`).join(', '), width));
      out.push(heading('Conditions'), ...conditionLines(g.gatewayClass?.conditions ?? [], width));
      break;
    }
    case 'gateway': {
      const g = d.gw;
      if (g.verdict) out.push(...kv('verdict', g.verdict, width, node.status.tone));
      out.push(...kv('class', `${g.className} -> ${g.controllerName ?? 'GatewayClass not found'}${g.implementation ? ` (${g.implementation})` : ''}`, width));
      out.push(...kv('addresses', g.addresses.length ? g.addresses.map((a) => `${a.value}${a.type ? ` (${a.type})` : ''}`).join(', ') : 'none yet', width, g.addresses.length ? undefined : 'dim'));
      const ip = g.infrastructure?.parameters;
      if (ip) out.push(...kv('parameters', `${ip.kind} ${ip.name} (${g.infrastructure?.parametersFound === true ? 'found' : g.infrastructure?.parametersFound === false ? 'NOT FOUND' : 'not checked'})`, width));
      out.push(heading('Conditions'), ...conditionLines(g.conditions, width));
      out.push(heading('Listeners'));
      for (const l of g.listeners) {
        const st = w.gatewayStatus(l);
        out.push([seg(`  ${l.name}  ${l.protocol} :${l.port}${l.hostname ? `  ${l.hostname}` : ''}  `), seg(st.word, st.tone, true)]);
      }
      for (const m of g.misdirectedRoutes ?? []) out.push(...wrapLine(`${m.kind} ${m.namespace}/${m.name} names this Gateway (${m.parentRef}) but cannot reach it: ${m.why}`, width, { first: '  ! ', rest: '    ', tone: 'bad' }));
      if (g.listenerSets?.length) {
        // GEP-1713: which ListenerSets name this Gateway, and whether it admits them.
        out.push(heading(`ListenerSets (allowedListeners from ${g.allowedListeners?.from ?? 'None'}; ${g.expectedAttachedListenerSets ?? 0} expected to attach)`));
        for (const ls of g.listenerSets) {
          const tone = ls.accepted === true ? (ls.reason === 'Accepted' ? 'ok' : 'warn') : ls.accepted === false ? 'bad' : 'warn';
          out.push(...wrapLine(`${ls.kind} ${ls.namespace}/${ls.name}: ${ls.accepted === null ? 'cannot tell' : ls.accepted ? 'attached' : 'NOT attached'} (${ls.reason}); ${ls.why}`, width, { first: '  ', rest: '    ', tone }));
        }
      }
      break;
    }
    case 'listener': {
      const l = d.l;
      if (l.verdict) out.push(...kv('verdict', l.verdict, width, node.status.tone));
      out.push(...kv('listens', `${l.protocol} port ${l.port}, hostname ${l.hostname ?? 'any'}`, width));
      if (l.origin && l.origin.kind !== 'Gateway') out.push(...kv('defined in', `${l.origin.kind} ${l.origin.namespace}/${l.origin.name}`, width));
      if (l.conflict) out.push(...kv('conflict', `${l.conflict.reason} with listener ${l.conflict.with.name} of ${l.conflict.with.origin.kind} ${l.conflict.with.origin.namespace}/${l.conflict.with.origin.name}, which takes precedence: ${l.conflict.why}`, width, 'bad'));
      if (l.tls) {
        out.push(...kv('tls mode', l.tls.mode ?? 'not set', width));
        if (l.tls.servedFrom) out.push(...kv('served from', l.tls.servedFrom, width));
        for (const r of l.tls.certificateRefs ?? []) {
          // The reference's state says whether it resolves; the certificate's (EXPIRED, KEY MISMATCH) says more.
          const source = `secret ${r.namespace}/${r.name}`.toLowerCase();
          const certs = l.tls.certificates.filter((c) => c.source.toLowerCase() === source);
          const st = w.certRefStatus(r.state, certs.find((c) => c.index === 0) ?? certs[0]);
          out.push(...kv('certificate', `${r.kind} ${r.namespace}/${r.name}: ${st.word}${r.why ? ` (${r.why})` : ''}`, width, st.tone === 'ok' ? undefined : st.tone));
        }
      }
      if (l.allowedKinds?.length) out.push(...kv('accepts', l.allowedKinds.join(', '), width));
      if (l.attachedRoutes !== undefined && l.attachedRoutes !== null) out.push(...kv('attached', `${l.attachedRoutes} route(s) by status`, width));
      out.push(heading('TLS path'), ...pathLines(l.path, width));
      out.push(heading('Conditions'), ...conditionLines(l.conditions, width));
      break;
    }
    case 'path':
      out.push(...pathLines(d.l.path, width));
      break;
    case 'hop': {
      const h = d.hop;
      out.push(...kv('hop', `${h.from ?? h.hop.split('->')[0]} -> ${h.to ?? h.hop.split('->')[1]}`, width));
      out.push(...kv('tls', w.hopWords(h), width));
      out.push(...kv('certificate', h.certificate ?? 'none', width, h.certificate ? undefined : 'dim'));
      out.push(...kv('verified', h.verified === true ? 'yes' : h.verified === false ? 'NO' : 'not applicable or unknown', width, h.verified === false ? 'bad' : undefined));
      out.push(...kv('result', node.status.word, width, node.status.tone));
      out.push(...kv('why', h.why, width));
      break;
    }
    case 'cert': {
      const r = d.ref;
      out.push(...kv('reference', `${r.kind}${r.group ? `.${r.group}` : ''} ${r.namespace}/${r.name}`, width));
      out.push(...kv('state', node.status.word, width, node.status.tone));
      if (r.why) out.push(...kv('why', r.why, width));
      const issuance = issuanceFor(d.l, r.namespace, r.name);
      if (issuance) out.push(...issuanceLines(issuance, width));
      if (d.certs.length) out.push(heading(`Decoded certificates (${d.certs.length})`));
      for (const c of d.certs) out.push(...certLines(c, width));
      break;
    }
    case 'route': {
      const r = d.route;
      out.push(...kv('apiVersion', r.apiVersion, width, 'dim'));
      out.push(...kv('attached', `${r.attached ? 'yes' : 'NO'}${r.reason ? ` (${r.reason})` : ''}`, width, r.attached ? 'ok' : 'bad'));
      if (r.why) out.push(...kv('why', r.why, width));
      if (r.hostnames?.length) out.push(...kv('hostnames', r.hostnames.join(', '), width));
      if (r.effectiveHostnames) out.push(...kv('served as', r.effectiveHostnames.join(', ') || 'none (no hostname in common with the listener)', width));
      out.push(heading('Conditions'), ...conditionLines(r.conditions, width));
      out.push(heading('Backends'));
      for (const b of r.backends) {
        const st = w.backendStatus(b);
        out.push([seg(`  ${b.kind} ${b.namespace}/${b.name}${b.port !== null ? `:${b.port}` : ''}  ${w.backendTlsWords(b)}  `), seg(st.word, st.tone)]);
      }
      break;
    }
    case 'backend': {
      const b = d.backend;
      out.push(...kv('port', `${b.port ?? 'none'}${b.targetPort !== undefined && b.targetPort !== null ? ` -> targetPort ${b.targetPort}` : ''}${b.serviceType ? ` (${b.serviceType})` : ''}`, width));
      out.push(...kv('resolved', b.resolved === true ? 'yes' : b.resolved === false ? 'NO' : 'unknown', width, b.resolved === false ? 'bad' : undefined));
      if (b.why) out.push(...kv('why', b.why, width));
      out.push(...kv('endpoints', b.endpoints ? `${b.endpoints.ready}/${b.endpoints.total} ready` : b.endpointsNotChecked ? `not checked: ${b.endpointsNotChecked}` : 'unknown', width, b.endpoints && b.endpoints.ready === 0 ? 'bad' : undefined));
      if (b.weight !== undefined) out.push(...kv('weight', String(b.weight), width));
      out.push(heading('TLS to the backend'));
      out.push(...kv('mode', w.backendTlsWords(b), width, b.tls.verified === false ? 'bad' : undefined));
      out.push(...kv('by', b.tls.by, width));
      if (b.tls.hostname) out.push(...kv('hostname', b.tls.hostname, width));
      if (b.tls.trust) out.push(...kv('trusts', b.tls.trust.join(', ') || 'nothing', width));
      if (b.pods.length) out.push(heading(`Pods (${b.pods.length})`));
      for (const p of b.pods.slice(0, 20)) {
        const st = w.podStatus(p);
        out.push([seg(`  ${p.name}  `), seg(st.word, st.tone), seg(`${p.node ? `  ${p.node}` : ''}${p.ip ? `  ${p.ip}` : ''}`, 'dim')]);
      }
      if (b.pods.length > 20) out.push([seg(`  and ${b.pods.length - 20} more (expand the backend in the tree)`, 'dim')]);
      break;
    }
    case 'pod': {
      const p = d.pod;
      out.push(...kv('ready', p.ready === true ? 'yes' : p.ready === false ? 'NO' : 'unknown', width, node.status.tone));
      if (p.phase) out.push(...kv('phase', p.phase, width));
      if (p.node) out.push(...kv('node', p.node, width));
      if (p.ip) out.push(...kv('ip', p.ip, width));
      out.push(...kv('serves', `${d.backend.kind} ${d.backend.namespace}/${d.backend.name}`, width, 'dim'));
      break;
    }
    case 'misdirected':
      out.push(...kv('parentRef', d.m.parentRef, width));
      out.push(...kv('why', d.m.why, width, 'bad'));
      break;
  }
  return out;
}

export function nodeLines(model: TreeModel, node: TreeNode, width: number): Line[] {
  return clipAll([...titleLine(node, width), ...nodeBody(node, width), ...findingsSection(model.findingsFor(node), width)], width);
}
