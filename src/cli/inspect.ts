import { Option, type Command } from 'commander';
import { addClusterOptions, parseByteSize, type ClusterOptions } from './options.ts';

/** Far beyond any manifest set: YAML is read a document at a time (JSON is one document, at most 512 MiB). */
const MAX_INPUT_BYTES_LIMIT = 64 * 2 ** 30;

export interface InspectOptions extends ClusterOptions {
  filename?: string[];
  overlay?: boolean;
  maxInputBytes?: number;
  output?: 'tui' | 'text' | 'json' | 'yaml' | 'wide' | 'name';
  details?: boolean;
  probe?: boolean;
  fix?: boolean;
  apply?: boolean;
  yes?: boolean;
  failOn: 'error' | 'warning' | 'none';
  ignore?: string[];
}

export function registerInspect(program: Command): void {
  const cmd = program
    .command('inspect')
    .argument('[gateway]', 'Gateway name; without it, every Gateway in scope gets a one-line verdict')
    .description('Walk a Gateway from its listeners down to backend pods and explain TLS at every hop')
    .addHelpText(
      'after',
      `
Examples:
  # Every Gateway in the current namespace, one line each (-o wide for more)
  kubectl gwtls inspect

  # The whole path of one Gateway; -v adds each finding's evidence and fixes
  kubectl gwtls inspect mygateway -n infra

  # Every Gateway in the cluster, as JSON for CI
  kubectl gwtls inspect -A -o json

  # Offline, from manifest files (no cluster needed)
  kubectl gwtls inspect -f manifests/

  # Prod as it would be after server-side applying change/
  kubectl gwtls inspect mygateway -f change/ --context prod

  # The fixes as YAML, for kubectl apply --server-side
  kubectl gwtls inspect mygateway --fix

  # Also connect: what the listeners and backends really serve
  kubectl gwtls inspect mygateway --probe

--probe connects to every TLS listener (each Gateway status address x listener
port; SNI = the listener hostname, or the attached routes' hostnames for
wildcard and empty ones) and, for cluster sources, to a ready endpoint of every
Service backend through the API server's port-forward (RBAC: create
pods/portforward). At most 8 at a time, 5 s each. Served certificates are
compared with the configured ones (GWTLS-PRB-004/-009); what a backend really
speaks turns the backend-TLS checks from hints into proof (GWTLS-BPRB-*).

-f alone reads only the files. With --context, --kubeconfig or --overlay as
well, the files are laid over the cluster: every object is read from the
cluster and each one in the files is merged into it as kubectl apply
--server-side --force-conflicts would (objects the cluster lacks are added), so
a change can be reviewed before it is applied. The same object given twice in
the files is merged the same way, with a warning naming both places. Each -f
input is read up to --max-input-bytes.

States: OK; UNVERIFIED (works, a certificate on the way is not verified);
NOT CHECKED (something it needs could not be read); WARNING; NO ROUTES;
BROKEN (an error is about it). The exit code follows the findings:
0 no finding at or above --fail-on; 1 findings at or above it; 2 the tool
could not do its job, or an input file or document could not be read (the
report is still printed); 130 interrupted (Ctrl-C).`,
    );
  addClusterOptions(cmd)
    .option('-f, --filename <path>', 'manifest file, directory (recursive) or - for stdin; repeatable', (v: string, prev: string[] = []) => [...prev, v])
    .option('--overlay', 'with -f: lay the files over the current context\'s cluster (implied by --context or --kubeconfig)')
    .addOption(new Option('--max-input-bytes <size>', 'largest -f input (each file, or stdin) read, e.g. 2Gi').default(2 ** 30, '1Gi').argParser((v) => parseByteSize(v, '--max-input-bytes', MAX_INPUT_BYTES_LIMIT)))
    .addOption(new Option('-o, --output <format>', 'output format (default: tui on a terminal, text otherwise); wide and name print the Gateway table as kubectl does').choices(['tui', 'text', 'json', 'yaml', 'wide', 'name']))
    .option('-v, --details', 'text: each finding with its evidence and fixes, pods, backend TLS settings and why each hop is what it is')
    .option('--probe', 'also connect to listener addresses and (through port-forward) backends, and fold what they serve into the report')
    .option('--fix', 'print the fixes for the findings as YAML')
    .option('--apply', 'apply the safe fixes to the cluster: server-side dry run and diff first, then confirmation')
    .option('-y, --yes', 'with --apply: do not ask for confirmation')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding has at least this severity').choices(['error', 'warning', 'none']).default('error'))
    .option('--ignore <codes>', 'comma-separated finding codes to leave out (GWTLS-CERT-001 or CERT-001); an unknown code is an error', (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)])
    .action(async (gateway: string | undefined, opts: InspectOptions) => {
      const { runInspect } = await import('./inspect-run.ts');
      process.exitCode = await runInspect(gateway, opts);
    });
}
