// Which fields of a JSON value a JSON schema does not name. The report's schema stays open (consumers must accept
// fields added later), so validation alone never notices a field added to the report but not to the schema; this
// walks the value beside the schema and lists every key that no `properties` (of the schema, its $ref, or any of
// its allOf/anyOf/oneOf branches) names, unless a schema-valued `additionalProperties` describes it (a map).
type Schema = Record<string, unknown>;

function resolve(schema: Schema | undefined, root: Schema): Schema | undefined {
  let s = schema;
  for (let i = 0; s && typeof s.$ref === 'string' && i < 32; i++) {
    const path = (s.$ref as string).replace(/^#\//, '').split('/');
    let t: unknown = root;
    for (const p of path) t = (t as Record<string, unknown>)[p];
    s = t as Schema;
  }
  return s;
}

/** The schema and every branch it can take (allOf, anyOf, oneOf, recursively), resolved. */
function branches(schema: Schema | undefined, root: Schema): Schema[] {
  const s = resolve(schema, root);
  if (!s) return [];
  const out = [s];
  for (const k of ['allOf', 'anyOf', 'oneOf']) for (const b of (s[k] as Schema[] | undefined) ?? []) out.push(...branches(b, root));
  return out;
}

/** Dotted paths (`gateways[].listeners[].path[].state`) of every field `value` has and `schema` does not name. */
export function unnamedFields(value: unknown, schema: Schema, root: Schema = schema, path = ''): Set<string> {
  const out = new Set<string>();
  walk(value, schema, root, path, out);
  return out;
}

function walk(value: unknown, schema: Schema | undefined, root: Schema, path: string, out: Set<string>): void {
  const all = branches(schema, root);
  if (Array.isArray(value)) {
    const items = all.map((b) => b.items as Schema | undefined).filter((x): x is Schema => !!x);
    for (const v of value) {
      if (items.length === 0) out.add(`${path}[] (no items schema)`);
      else walkAny(v, items, root, `${path}[]`, out);
    }
    return;
  }
  if (value === null || typeof value !== 'object') return;
  walkAny(value, all, root, path, out);
}

function walkAny(value: unknown, schemas: Schema[], root: Schema, path: string, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const s of schemas) walk(value, s, root, path, out);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const all = schemas.flatMap((s) => branches(s, root));
  const props = new Map<string, Schema[]>();
  const maps: Schema[] = [];
  for (const b of all) {
    for (const [k, v] of Object.entries((b.properties as Record<string, Schema> | undefined) ?? {})) props.set(k, [...(props.get(k) ?? []), v]);
    if (b.additionalProperties && typeof b.additionalProperties === 'object') maps.push(b.additionalProperties as Schema);
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const here = path ? `${path}.${k}` : k;
    const named = props.get(k);
    if (named) walkAny(v, named, root, here, out);
    else if (maps.length) walkAny(v, maps, root, `${path}.*`, out);
    else out.add(here);
  }
}
