// Every state in words (colour only decorates): the verdict words of the tree, the hop words of the TLS path.
import type { BackendReport, Cert, Condition, GatewayReport, Hop, HopTLS, ListenerReport, Pod, RouteReport, Severity, State } from '../report/types.ts';
import { stateWords } from '../report/state.ts';
import type { Tone } from './lines.ts';

export interface Status {
  word: string;
  tone: Tone;
}

/** The report's state (src/report/state.ts) in the words the text output uses. */
export function stateStatus(state: State): Status {
  return { word: stateWords(state), tone: state === 'BROKEN' ? 'bad' : state === 'OK' ? 'ok' : 'warn' };
}

/** A Gateway or listener: its state, or (a report without states) what ok and the verdict say. */
export function verdictStatus(ok: boolean | undefined, verdict: string | undefined, state?: State): Status {
  if (state) return stateStatus(state);
  if (ok === false) return { word: 'BROKEN', tone: 'bad' };
  if (verdict?.startsWith('UNVERIFIED')) return { word: 'UNVERIFIED', tone: 'warn' };
  if (verdict?.startsWith('OK with')) return { word: 'WARNING', tone: 'warn' };
  return { word: 'OK', tone: 'ok' };
}

export function gatewayStatus(g: GatewayReport | ListenerReport): Status {
  return verdictStatus(g.ok, g.verdict, g.state);
}

export function classStatus(g: GatewayReport): Status {
  if (g.controllerName === null) return { word: 'NOT FOUND', tone: 'bad' };
  const accepted = g.gatewayClass?.conditions.find((c) => c.type === 'Accepted');
  if (accepted?.status === 'False') return { word: 'NOT ACCEPTED', tone: 'bad' };
  if (g.gatewayClass?.parametersFound === false) return { word: 'PARAMETERS MISSING', tone: 'bad' };
  if (accepted?.status === 'True') return { word: 'Accepted', tone: 'ok' };
  return { word: 'no status', tone: 'dim' };
}

export function hopStatus(h: Hop): Status {
  if (h.state) return stateStatus(h.state);
  if (h.ok === false) return { word: 'BROKEN', tone: 'bad' };
  if (h.ok === true) return { word: 'OK', tone: 'ok' };
  return { word: 'UNVERIFIED', tone: 'warn' };
}

const RANK: Record<State, number> = { OK: 0, UNVERIFIED: 1, NOT_CHECKED: 2, WARNING: 3, NO_ROUTES: 4, BROKEN: 5 };

/** The path as a whole: its worst hop. */
export function pathStatus(path: Hop[]): Status {
  if (path.every((h) => h.state)) return stateStatus(path.reduce<State>((a, h) => (RANK[h.state!] > RANK[a] ? h.state! : a), 'OK'));
  if (path.some((h) => h.ok === false)) return { word: 'BROKEN', tone: 'bad' };
  if (path.some((h) => h.ok === null)) return { word: 'UNVERIFIED', tone: 'warn' };
  return { word: 'OK', tone: 'ok' };
}

export const TLS_WORDS: Record<HopTLS, string> = {
  terminate: 'TLS terminated',
  originate: 'TLS originated',
  passthrough: 'TLS passed through',
  none: 'plaintext',
  unknown: 'unknown',
};

/** The hop's TLS state in words, with whether the far end is verified when the gateway originates TLS. */
export function hopWords(h: Hop): string {
  const base = TLS_WORDS[h.tls] ?? h.tls;
  if (h.tls !== 'originate') return base;
  return h.verified === true ? `${base}, verified` : h.verified === false ? `${base}, NOT verified` : base;
}

/** A route under a listener: NOT ATTACHED, or attached and its state when that is not OK. */
export function routeStatus(route: Pick<RouteReport, 'attached' | 'state'>): Status {
  if (!route.attached) return { word: 'NOT ATTACHED', tone: 'bad' };
  if (route.state && route.state !== 'OK') return { word: `attached, ${stateWords(route.state)}`, tone: route.state === 'BROKEN' ? 'bad' : 'warn' };
  return { word: 'attached', tone: 'ok' };
}

export function backendStatus(b: BackendReport): Status {
  if (b.resolved === false) return { word: 'UNRESOLVED', tone: 'bad' };
  if (b.endpoints && b.endpoints.ready === 0) return { word: 'NO READY ENDPOINTS', tone: 'bad' };
  if (b.tls.mode === 'tls' && b.tls.verified === false) return { word: 'NOT VERIFIED', tone: 'warn' };
  if (b.endpoints) return { word: `${b.endpoints.ready}/${b.endpoints.total} ready`, tone: b.endpoints.ready < b.endpoints.total ? 'warn' : 'ok' };
  return { word: b.endpointsNotChecked ? 'endpoints not checked' : 'endpoints unknown', tone: 'dim' };
}

export function backendTlsWords(b: BackendReport): string {
  if (b.tls.mode === 'tls') return b.tls.verified === false ? 'TLS, NOT verified' : b.tls.verified ? 'TLS, verified' : 'TLS';
  return b.tls.mode === 'none' ? 'plaintext' : 'TLS unknown';
}

export function podStatus(p: Pod): Status {
  if (p.ready === true) return { word: 'ready', tone: 'ok' };
  if (p.ready === false) return { word: 'NOT READY', tone: 'bad' };
  return { word: 'readiness unknown', tone: 'dim' };
}

export function certRefStatus(state: string, leaf: Cert | undefined): Status {
  if (state !== 'ok') return { word: state.toUpperCase().replace(/-/g, ' '), tone: 'bad' };
  if (!leaf) return { word: 'ok', tone: 'ok' };
  if (leaf.daysLeft !== undefined && leaf.daysLeft < 0) return { word: 'EXPIRED', tone: 'bad' };
  if (leaf.keyMatches === false) return { word: 'KEY MISMATCH', tone: 'bad' };
  if (leaf.daysLeft !== undefined && leaf.daysLeft < 30) return { word: `expires in ${leaf.daysLeft}d`, tone: 'warn' };
  return { word: 'valid', tone: 'ok' };
}

export function conditionStatus(c: Condition): Status {
  const good = c.status === 'True';
  // Conditions whose True means trouble (Conflicted, ...) are the exception.
  const negative = /^(Conflicted|Degraded|Failed)$/.test(c.type);
  const fine = negative ? !good : good;
  return { word: `${c.type}=${c.status}`, tone: c.status === 'Unknown' ? 'warn' : fine ? 'ok' : 'bad' };
}

export const SEVERITY_WORDS: Record<Severity, string> = { error: 'ERROR', warning: 'WARNING', info: 'INFO' };
export const SEVERITY_TONES: Record<Severity, Tone> = { error: 'bad', warning: 'warn', info: 'dim' };

export function countWords(counts: { errors: number; warnings: number; info?: number }): string {
  const parts: string[] = [];
  if (counts.errors) parts.push(`${counts.errors} error${counts.errors === 1 ? '' : 's'}`);
  if (counts.warnings) parts.push(`${counts.warnings} warning${counts.warnings === 1 ? '' : 's'}`);
  if (counts.info) parts.push(`${counts.info} info`);
  return parts.join(', ');
}
