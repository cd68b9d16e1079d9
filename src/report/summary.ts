// One line per finding: what it is about and its first clause, for the default text output (the whole message,
// evidence and fixes come with -v/--details, and `kubectl gwtls explain CODE`).
import type { Finding, ObjectRef } from './types.ts';

/** Shorter than this, a first clause says too little ("is not usable"): the next one is kept too. */
const MIN_CLAUSE = 40;
/** Longer than this, a first clause is no summary: the rule's title stands in for it. */
const MAX_CLAUSE = 110;
/** A last guard on the length of the line (titles are short): cut at a word, with an ellipsis. */
const MAX_SUMMARY = 150;

export function objectLabel(o: ObjectRef): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

/** Where the first clause of `text` ends: at ": ", "; " or ". " outside brackets and quotes. */
function clauseEnds(text: string): number[] {
  const ends: number[] = [];
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '(' || ch === '[')) depth++;
    else if (!quoted && (ch === ')' || ch === ']')) depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && (ch === ':' || ch === ';' || ch === '.') && text[i + 1] === ' ') ends.push(i);
  }
  return ends;
}

function firstClause(text: string): string {
  const t = text.trim();
  for (const end of clauseEnds(t)) if (end >= MIN_CLAUSE) return t.slice(0, end);
  return t.replace(/\.$/, '');
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const at = text.lastIndexOf(' ', max - 1);
  return `${text.slice(0, at > max / 2 ? at : max - 1)}…`;
}

/**
 * `TCPRoute default/x: cannot attach to Gateway default/gw` — the object, then the first clause of the message
 * (the object is not repeated when the message starts with it).
 */
export function findingSummary(f: Finding): string {
  const obj = objectLabel(f.object);
  // "Listener web (HTTPS, port 443) of Gateway infra/gw is not accepted" after "Gateway infra/gw: ".
  let clause = firstClause(f.message).replace(` of ${obj}`, '');
  if (clause.length > MAX_CLAUSE) clause = f.title;
  const text = clause.startsWith(`${obj} `) ? `${obj}: ${clause.slice(obj.length + 1)}` : clause.startsWith(obj) ? clause : `${obj}: ${clause}`;
  return cut(text, MAX_SUMMARY);
}
