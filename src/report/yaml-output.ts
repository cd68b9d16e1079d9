// YAML output of hostile data that a terminal may show: the same value, with every character that hides or
// reorders text written as a YAML escape.
import * as yaml from 'js-yaml';
import { HIDDEN, hasHidden } from './sanitize.ts';

const EACH_HIDDEN = new RegExp(HIDDEN, 'gu');

/**
 * YAML of `value` (js-yaml, `options` as for dump) safe for a terminal: a string holding a hidden character is
 * written double-quoted, where the library escapes control characters, and the hidden characters it leaves raw
 * are written as YAML escapes (\uXXXX, \UXXXXXXXX). The value read back is the same.
 */
export function terminalSafeYaml(value: unknown, options: yaml.DumpOptions = {}): string {
  const out = yaml.dump(value, options);
  if (!hasHidden(out)) return out;
  const quoted = yaml.dump(value, {
    ...options,
    transform: (docs) => {
      options.transform?.(docs);
      yaml.visit(docs, (node) => {
        if (node.kind === 'scalar' && hasHidden(node.value)) node.style = yaml.SCALAR_STYLE.DOUBLE_QUOTED;
      });
    },
  });
  // Every hidden character now stands inside a double-quoted scalar, where an escape means the character.
  return quoted.replace(EACH_HIDDEN, (ch) => {
    const code = ch.codePointAt(0)!;
    return code <= 0xffff ? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}` : `\\U${code.toString(16).toUpperCase().padStart(8, '0')}`;
  });
}
