// The `kubectl gwtls` program: commander wiring only. Each command loads its implementation lazily so that
// `version` and `--help` start fast.
import { Command, CommanderError } from 'commander';
import { registerCompletion } from './completion.ts';
import { describeError, EXIT_FAILURE, UserError } from './errors.ts';
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
    .configureHelp({ sortSubcommands: false, helpWidth: Math.min(process.stdout.columns || 100, 100) })
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
    .action(() => {
      process.stdout.write(`kubectl-gwtls ${VERSION}\n`);
    });
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version output end here with exit code 0; usage errors were already printed by commander.
      process.exitCode = e.exitCode === 0 ? 0 : EXIT_FAILURE;
      return;
    }
    // Error messages carry API error text, file names and exec plugin output: one escaped line.
    process.stderr.write(`error: ${safeLine(describeError(e))}\n`);
    if (process.env.GWTLS_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${safeText(e.stack)}\n`);
    process.exitCode = e instanceof UserError ? e.exitCode : EXIT_FAILURE;
  }
}
