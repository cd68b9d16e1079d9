// The krew manifest of a release, rendered from the template .krew.yaml (krew-release-bot's syntax) with the tag
// and the sha256 of each archive. Kept apart from release.mjs so that tests can render it without building.
import { basename } from 'node:path';

/**
 * The manifest from the template (krew-release-bot's syntax): {{ .TagName }} is the tag; a line
 * `{{ addURIAndSha "URL" .TagName }}` becomes `uri:` (under --base-url when given) and `sha256:` of the archive the
 * URL names, at the line's indentation. Every archive built for krew must be named by the template, and every
 * archive it names must have been built.
 */
export function renderManifest(text, list, opts) {
  const byFile = new Map(list.map((a) => [basename(a.file), a]));
  const used = new Set();
  const withTag = (x) => x.replace(/\{\{\s*\.TagName\s*\}\}/g, opts.tag);
  const outLines = [];
  for (const line of text.split('\n')) {
    const m = /^(\s*)\{\{\s*addURIAndSha\s+"([^"]+)"\s+\.TagName\s*\}\}\s*$/.exec(line);
    if (!m) {
      outLines.push(withTag(line));
      continue;
    }
    const file = basename(withTag(m[2]));
    const a = byFile.get(file);
    if (!a) throw new Error(`.krew.yaml names ${file}, which the release did not build`);
    used.add(file);
    outLines.push(`${m[1]}uri: ${opts.baseUrl}/${file}`, `${m[1]}sha256: ${a.sha256}`);
  }
  const missing = [...byFile.keys()].filter((f) => !used.has(f));
  if (missing.length) throw new Error(`.krew.yaml has no platform for ${missing.join(', ')}`);
  // The template's own comment says how it is rendered; the manifest says where it came from.
  const body = outLines.join('\n').replace(/^(#.*\n)+/, '');
  return `# krew plugin manifest for ${opts.tag}, rendered by \`npm run release\` from .krew.yaml with the sha256 of each archive.\n# In krew-index this file is plugins/gwtls.yaml: krew requires metadata.name to match the file name.\n${body}`;
}
