// The YAML schema kubectl reads manifests with. `kubectl apply -f` turns YAML into JSON with sigs.k8s.io/yaml,
// which resolves plain scalars as go-yaml v2 does (YAML 1.1): `yes`/`no`/`on`/`off`/`y`/`n` are booleans, `0755`
// is octal, `1_000` is 1000. A manifest saying `insecureSkipVerify: yes` reaches the API server as `true`, so
// it is read as `true` here too. Strings, nulls, merge keys and everything else are YAML 1.2 core, as there
// (timestamps and base-60 numbers stay strings). test/unit/cluster/yaml-schema.test.ts holds a table;
// test/oracle/kubectl-yaml.test.ts compares hundreds of scalars with sigs.k8s.io/yaml itself, built with Go.
import * as yaml from 'js-yaml';

const GO_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** strconv.ParseInt(s, 0, 64) for the forms it accepts (0x, 0o, 0b, a leading 0 for octal, decimal), else undefined. */
function goParseInt(s: string): number | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const sign = m[1] === '-' ? -1 : 1;
  const digits = m[2]!;
  const prefix = digits.slice(0, 2).toLowerCase();
  const value =
    prefix === '0x' ? parseInt(digits.slice(2), 16) : prefix === '0o' ? parseInt(digits.slice(2), 8) : prefix === '0b' ? parseInt(digits.slice(2), 2) : digits.length > 1 && digits[0] === '0' ? parseInt(digits.slice(1), 8) : parseInt(digits, 10);
  return sign * value;
}

/** A Go float literal that starts with a dot; `_` may stand between digits (strconv.ParseFloat). */
const GO_DOT_FLOAT = /^\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?$/;

/** go-yaml v2's resolve() for a plain scalar that starts like a number (resolve.go: hints '.', 'D' and 'S'). */
function resolveGoNumber(source: string): number | typeof yaml.NOT_RESOLVED {
  // '.': strconv.ParseFloat of the text as it is (.inf and .nan are left to the core float tag).
  if (source.startsWith('.')) return GO_DOT_FLOAT.test(source) ? parseFloat(source.replaceAll('_', '')) : yaml.NOT_RESOLVED;
  const plain = source.replaceAll('_', '');
  const int = goParseInt(plain);
  if (int !== undefined) return int;
  if (GO_FLOAT.test(plain)) return parseFloat(plain);
  return yaml.NOT_RESOLVED;
}

const goNumberTag = yaml.defineScalarTag('tag:yaml.org,2002:int', {
  implicit: true,
  implicitFirstChars: ['-', '+', '.', ...'0123456789'],
  resolve: resolveGoNumber,
  identify: (v: unknown) => typeof v === 'number',
  represent: (v: number) => String(v),
});

/** YAML 1.2 core scalars, but booleans and numbers as kubectl (sigs.k8s.io/yaml, go-yaml v2) resolves them; merge keys. */
export const KUBECTL_SCHEMA = yaml.CORE_SCHEMA.withTags(yaml.mergeTag, yaml.boolYaml11Tag, goNumberTag);
