// `kubectl gwtls completion bash|zsh|fish`, and the hidden `__complete` entry that the scripts, and kubectl's
// plugin completion (kubectl >= 1.26, through the `kubectl_complete-gwtls` helper), call on every TAB.
import { Argument, type Command } from 'commander';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .addArgument(new Argument('<shell>', 'the shell to complete in').choices(SHELLS))
    .description('Print a shell completion script for kubectl-gwtls (bash, zsh or fish)')
    .addHelpText(
      'after',
      `
Setup:
  # bash: add to ~/.bashrc
  source <(kubectl gwtls completion bash)

  # zsh: add to ~/.zshrc, after compinit
  source <(kubectl gwtls completion zsh)

  # fish: or save to ~/.config/fish/completions/kubectl-gwtls.fish
  kubectl gwtls completion fish | source

The script completes the kubectl-gwtls command. For \`kubectl gwtls <TAB>\`
(kubectl >= 1.26, with kubectl's own completion loaded), put an executable
named kubectl_complete-gwtls on PATH that runs
\`kubectl-gwtls __complete "$@"\`: npm installs one; the release archives
carry one (see docs/install.md). Commands, flags, their values, and Gateway
names (from -f files, or from the current cluster and namespace)
are completed.`,
    )
    .action(async (shell: Shell) => {
      const { completionScript } = await import('./completion-run.ts');
      process.stdout.write(completionScript(shell));
    });

  program
    .command('__complete', { hidden: true })
    .description('Print completion candidates for a partial command line (cobra protocol)')
    .argument('[words...]', 'the words after the program name; the last one is the word being completed')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (words: string[] | undefined, _opts: unknown, cmd: Command) => {
      const { complete } = await import('./completion-run.ts');
      await complete(cmd.parent ?? program, words ?? []);
    });
}
