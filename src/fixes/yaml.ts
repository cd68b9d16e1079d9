import * as yaml from 'js-yaml';

/** A YAML document set, as `kubectl apply --server-side -f -` reads it. */
export function yamlDocs(...docs: object[]): string {
  return docs.map((d) => yaml.dump(d, { noRefs: true, lineWidth: -1 })).join('---\n');
}
