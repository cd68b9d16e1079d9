// Public API of the probe: a library independent of the CLI.
export { probe, probeAll, DEFAULT_TIMEOUT_MS } from './probe.ts';
export { parseTarget, splitHostPort, joinHostPort, TargetError } from './target.ts';
export { PROBE_CODES, type ProbeCode, type ProbeFinding } from './codes.ts';
export { renderProbeText, verdict } from './render.ts';
export { styleFor, makeStyle } from './style.ts';
export { tcpConnector } from './connect.ts';
export type * from './types.ts';
export { STARTTLS_DIALECTS } from './types.ts';
export { servedChainDer } from './probe.ts';
export { matchListeners, compareWithListener, probedName } from './cross-check.ts';
export { gatewayView, backendFindings, decodeServed } from './backend.ts';
export { noKubeconfigReason } from './cluster-access.ts';
