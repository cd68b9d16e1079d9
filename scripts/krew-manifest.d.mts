// Types of krew-manifest.mjs, for the tests that render the template.
export function renderManifest(text: string, list: Array<{ file: string; sha256: string }>, opts: { tag: string; baseUrl: string }): string;
