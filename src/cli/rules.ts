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
    .action(async (code: string) => {
      const { explain } = await import('./rules-run.ts');
      process.stdout.write(await explain(code));
    });
}
