// The `kubectl gwtls` program: commander wiring only. Each command loads its implementation lazily so that
// `version` and `--help` start fast.
import { Command, CommanderError, Option } from 'commander';
import { registerCompletion } from './completion.ts';
import { describeError, EXIT_FAILURE, Interrupted, UserError } from './errors.ts';
import { registerInspect } from './inspect.ts';
import { registerProbe } from './probe.ts';
import { registerRules, registerExplain } from './rules.ts';
import { safeLine, safeText } from '../report/sanitize.ts';
import { VERSION } from '../version.ts';

export function buildProgram(): Command {
  const program = new Command('kubectl gwtls');
  program
    .description('Explain TLS through a Kubernetes Gateway, hop by hop: where it terminates, with which certificate, whether the backend is verified, and why it fails.')
    .usage('<command> [flags]')
    .showSuggestionAfterError(true)
    .helpCommand(true)
    .exitOverride()
    .version(`kubectl-gwtls ${VERSION}`, '--version', 'print the version')
    // 80 columns unless the terminal says otherwise (piped help is read in 80-column places: issues, docs).
    .configureHelp({ sortSubcommands: false, helpWidth: Math.min(process.stdout.columns || 80, 100) })
    // Usage errors quote the words given (a Gateway name pasted from a hostile manifest): escaped like the rest.
    .configureOutput({ outputError: (text, write) => write(safeText(text)) });
  registerInspect(program);
  registerProbe(program);
  registerRules(program);
  registerExplain(program);
  registerCompletion(program);
  program
    .command('version')
    .description('Print the version')
    .addOption(new Option('-o, --output <format>', 'output format: json or yaml (kubectl version -o json has the same clientVersion key)').choices(['json', 'yaml']))
    .action(async (opts: { output?: 'json' | 'yaml' }) => {
      if (!opts.output) {
        process.stdout.write(`kubectl-gwtls ${VERSION}\n`);
        return;
      }
      const doc = { clientVersion: { gitVersion: `v${VERSION}`, version: VERSION, nodeVersion: process.version, platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}` } };
      if (opts.output === 'json') process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      else process.stdout.write((await import('js-yaml')).dump(doc));
    });
  return program;
}

/** Runs the program; `aborted` when a command stopped on an error midway (and may have left a socket or timer open). */
export async function main(argv: string[] = process.argv): Promise<{ aborted: boolean }> {
  const program = buildProgram();
  try {
    // No command: the help, on stdout, exit 0 (as kubectl does).
    if (argv.length <= 2) {
      process.stdout.write(program.helpInformation());
      process.exitCode = 0;
      return { aborted: false };
    }
    // Completion reads the words itself: commander would take a `--` being completed for its own end of options.
    if (argv[2] === '__complete') {
      const { complete } = await import('./completion-run.ts');
      await complete(program, argv.slice(3));
      return { aborted: false };
    }
    await program.parseAsync(argv);
    return { aborted: false };
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version output end here with exit code 0; usage errors were already printed by commander.
      process.exitCode = e.exitCode === 0 ? 0 : EXIT_FAILURE;
      return { aborted: false };
    }
    if (e instanceof Interrupted) {
      process.exitCode = e.exitCode;
      return { aborted: false };
    }
    // Error messages carry API error text, file names and exec plugin output: one escaped line.
    process.stderr.write(`error: ${safeLine(describeError(e))}\n`);
    if (process.env.GWTLS_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${safeText(e.stack)}\n`);
    process.exitCode = e instanceof UserError ? e.exitCode : EXIT_FAILURE;
    return { aborted: true };
  }
}
