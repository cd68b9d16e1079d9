import { Option, type Command } from 'commander';

export function registerRules(program: Command): void {
  program
    .command('rules')
    .description('List every finding code with its severity and title')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts: { output: 'text' | 'json' }) => {
      const { listRules } = await import('./rules-run.ts');
      process.stdout.write(await listRules(opts.output));
    });
}

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .argument('<code>', 'a finding code, e.g. GWTLS-RT-003')
    .description('Explain a finding code: what it means, an example that triggers it, how to resolve it')
    .addHelpText('after', '\nIn a terminal the page is laid out for reading; piped, it is the Markdown.\nThe code may be given without its prefix: CERT-001 is GWTLS-CERT-001.')
    .action(async (code: string) => {
      const { explain } = await import('./rules-run.ts');
      const page = await explain(code);
      if (!process.stdout.isTTY) {
        process.stdout.write(page);
        return;
      }
      const [{ renderMarkdown }, { colorEnabled, makeStyle }] = await Promise.all([import('./markdown.ts'), import('../report/style.ts')]);
      process.stdout.write(renderMarkdown(page, { width: Math.max(40, Math.min(process.stdout.columns || 80, 100)), style: makeStyle(colorEnabled()) }));
    });
}
