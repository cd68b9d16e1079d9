// The fields whose type decides the diagnosis, checked as the API server's schema checks them, for objects read
// from files (a cluster holds only objects that passed). Without it, `listeners: {name: a}` (a mapping where a
// list belongs) reads as no listeners and a healthy Gateway, and `parentRefs: {name: gw}` as a route attached to
// nothing. An absent field is not checked here; one of the wrong type is an input error, and the object is still
// read as well as it can be.
import { isMap as isMapping } from '../fixes/fields.ts';
import type { KindName } from './kinds.ts';

type Expected = 'list' | 'mapping' | 'string' | 'port';
type Rule = readonly [path: string, expected: Expected];

const LISTENERS: Rule[] = [
  ['spec', 'mapping'],
  ['spec.listeners', 'list'],
  ['spec.listeners[]', 'mapping'],
  ['spec.listeners[].name', 'string'],
  ['spec.listeners[].protocol', 'string'],
  ['spec.listeners[].port', 'port'],
  ['spec.listeners[].hostname', 'string'],
  ['spec.listeners[].tls', 'mapping'],
  ['spec.listeners[].tls.certificateRefs', 'list'],
  ['spec.listeners[].tls.certificateRefs[]', 'mapping'],
  ['spec.listeners[].tls.certificateRefs[].name', 'string'],
  ['spec.listeners[].tls.certificateRefs[].namespace', 'string'],
  ['spec.listeners[].allowedRoutes', 'mapping'],
  ['spec.listeners[].allowedRoutes.kinds', 'list'],
  ['spec.listeners[].allowedRoutes.namespaces', 'mapping'],
];

const ROUTE: Rule[] = [
  ['spec', 'mapping'],
  ['spec.parentRefs', 'list'],
  ['spec.parentRefs[]', 'mapping'],
  ['spec.parentRefs[].name', 'string'],
  ['spec.parentRefs[].namespace', 'string'],
  ['spec.parentRefs[].sectionName', 'string'],
  ['spec.parentRefs[].port', 'port'],
  ['spec.hostnames', 'list'],
  ['spec.hostnames[]', 'string'],
  ['spec.rules', 'list'],
  ['spec.rules[]', 'mapping'],
  ['spec.rules[].backendRefs', 'list'],
  ['spec.rules[].backendRefs[]', 'mapping'],
  ['spec.rules[].backendRefs[].name', 'string'],
  ['spec.rules[].backendRefs[].namespace', 'string'],
  ['spec.rules[].backendRefs[].port', 'port'],
];

const LISTENER_SET: Rule[] = [...LISTENERS, ['spec.parentRef', 'mapping'], ['spec.parentRef.name', 'string']];

const SHAPES: Partial<Record<KindName, Rule[]>> = {
  Gateway: [...LISTENERS, ['spec.gatewayClassName', 'string']],
  ListenerSet: LISTENER_SET,
  XListenerSet: LISTENER_SET,
  HTTPRoute: ROUTE,
  GRPCRoute: ROUTE,
  TLSRoute: ROUTE,
  TCPRoute: ROUTE,
  UDPRoute: ROUTE,
  Service: [
    ['spec', 'mapping'],
    ['spec.ports', 'list'],
    ['spec.ports[]', 'mapping'],
    ['spec.ports[].port', 'port'],
    ['spec.ports[].name', 'string'],
    ['spec.selector.{}', 'string'],
  ],
  BackendTLSPolicy: [
    ['spec', 'mapping'],
    ['spec.targetRefs', 'list'],
    ['spec.targetRefs[]', 'mapping'],
    ['spec.targetRefs[].name', 'string'],
    ['spec.targetRefs[].sectionName', 'string'],
    ['spec.validation', 'mapping'],
    ['spec.validation.hostname', 'string'],
    ['spec.validation.caCertificateRefs', 'list'],
    ['spec.validation.caCertificateRefs[]', 'mapping'],
  ],
  ReferenceGrant: [
    ['spec', 'mapping'],
    ['spec.from', 'list'],
    ['spec.from[]', 'mapping'],
    ['spec.from[].namespace', 'string'],
    ['spec.to', 'list'],
    ['spec.to[]', 'mapping'],
    ['spec.to[].name', 'string'],
  ],
};

/** For every kind: a namespace that is not a string would put the object in another namespace; labels select. */
const COMMON: Rule[] = [
  ['metadata.namespace', 'string'],
  ['metadata.labels.{}', 'string'],
  ['metadata.annotations.{}', 'string'],
];

// A path step `[]` is every item of a list, `{}` every value of a mapping (labels, selectors).
const compile = (rules: readonly Rule[]) => rules.map(([path, expected]) => ({ steps: path.replace(/\[\]/g, '.[]').split('.'), expected }));
const COMPILED = new Map(Object.entries(SHAPES).map(([kind, rules]) => [kind, compile([...COMMON, ...rules])]));
const COMPILED_COMMON = compile(COMMON);

function fits(v: unknown, expected: Expected): boolean {
  switch (expected) {
    case 'list':
      return Array.isArray(v);
    case 'mapping':
      return isMapping(v);
    case 'string':
      return typeof v === 'string';
    case 'port':
      return Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (isMapping(v)) return 'a mapping';
  const text = JSON.stringify(v);
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return typeof v === 'string' ? `${shown} (a string)` : shown;
}

const WANTED: Record<Expected, string> = { list: 'a list', mapping: 'a mapping', string: 'a string', port: 'a port number (an integer from 1 to 65535)' };

/** What in `raw` (an object of `kind`) has a type the API server's schema refuses, one sentence each. */
export function shapeProblems(raw: Record<string, unknown>, kind: KindName): string[] {
  const rules = COMPILED.get(kind) ?? COMPILED_COMMON;
  const out: string[] = [];
  for (const { steps, expected } of rules) {
    const visit = (v: unknown, at: number, path: string): void => {
      if (at === steps.length) {
        if (v !== undefined && !fits(v, expected)) out.push(`${path} is ${describe(v)}, not ${WANTED[expected]}${typeof v === 'boolean' && expected === 'string' ? ' (kubectl reads an unquoted yes, no, on, off, y or n as a boolean: quote it)' : ''}`);
        return;
      }
      const step = steps[at]!;
      if (step === '[]') {
        if (Array.isArray(v)) v.forEach((item, i) => visit(item, at + 1, `${path}[${i}]`));
      } else if (step === '{}') {
        if (isMapping(v)) for (const [k, x] of Object.entries(v)) visit(x, at + 1, `${path}[${JSON.stringify(k)}]`);
      } else if (isMapping(v)) {
        visit(v[step], at + 1, path ? `${path}.${step}` : step);
      }
    };
    visit(raw, 0, '');
  }
  if (kind === 'Gateway' || kind === 'ListenerSet' || kind === 'XListenerSet') out.push(...listenerNameProblems(raw));
  return out;
}

/** Listeners are a list keyed by name: each needs one, and no two may share it. */
function listenerNameProblems(raw: Record<string, unknown>): string[] {
  const listeners = isMapping(raw.spec) && Array.isArray(raw.spec.listeners) ? raw.spec.listeners : [];
  const out: string[] = [];
  const seen = new Map<string, number>();
  listeners.forEach((l, i) => {
    if (!isMapping(l)) return;
    if (l.name === undefined || l.name === '') out.push(`spec.listeners[${i}] has no name (listeners are keyed by name)`);
    if (typeof l.name !== 'string' || l.name === '') return;
    const first = seen.get(l.name);
    if (first === undefined) seen.set(l.name, i);
    else out.push(`spec.listeners[${i}].name ${JSON.stringify(l.name)} is also the name of spec.listeners[${first}] (listener names must be unique)`);
  });
  return out;
}
