// `inspect --fix`: every fix as one YAML stream that can be piped to kubectl. Suggestions (fixes that trade
// away safety) are included only as comments, so piping never applies them.
import type { Finding } from '../report/types.ts';

export function fixesDocument(findings: Finding[]): string {
  const parts: string[] = [];
  for (const f of findings) {
    const obj = `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;
    for (const fix of f.fixes) {
      const header = [`# ${f.code} ${obj}: ${f.message.split('\n')[0]}`, `# ${fix.type === 'fix' ? 'fix' : 'SUGGESTION, not applied (remove the comment marks to use it)'}: ${fix.title}`];
      if (fix.note) header.push(...fix.note.split('\n').map((l) => `# ${l}`));
      const body = fix.type === 'fix' ? fix.yaml.trimEnd() : fix.yaml.trimEnd().split('\n').map((l) => (l === '---' ? '# ---' : `# ${l}`)).join('\n');
      parts.push(`${header.join('\n')}\n${body}\n`);
    }
  }
  if (parts.length === 0) return '# kubectl-gwtls: no fixes to offer\n';
  return `# kubectl-gwtls fixes. Review, then: kubectl apply --server-side -f <this file>\n${parts.join('---\n')}`;
}
