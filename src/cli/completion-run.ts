// Shell completion: the candidates for a partial command line, in cobra's protocol (the one kubectl's plugin
// completion reads from `kubectl_complete-gwtls`): one candidate a line, optionally `VALUE<TAB>DESCRIPTION`, then
// `:DIRECTIVE`. Commands, flags and flag values come from the commander program itself; Gateway names from the
// -f files on the line, else from the current cluster and namespace with one cheap LIST. Anything that fails
// (no kubeconfig, no cluster, no Gateway API) completes nothing, silently, within a few seconds at most.
import type { Command, Option } from 'commander';
import type { Shell } from './completion.ts';
import { hasUnsafe, safeLine } from '../report/sanitize.ts';

/** cobra's ShellCompDirective bits. */
export const Directive = {
  Default: 0,
  Error: 1,
  NoSpace: 2,
  NoFileComp: 4,
  FilterFileExt: 8,
  FilterDirs: 16,
  KeepOrder: 32,
} as const;

export interface Candidate {
  value: string;
  description?: string;
}

export interface Completion {
  candidates: Candidate[];
  directive: number;
}

/** What the words before the cursor say. */
export interface ParsedLine {
  command: Command;
  positionals: string[];
  /** Option values by long name without dashes (`filename`, `namespace`); flags without values as 'true'. */
  values: Map<string, string[]>;
  /** The option whose value is being completed (the previous word was `-f`, `--context`, ...). */
  pending?: Option;
  /** After `--`: every word is an operand. */
  operandsOnly: boolean;
}

/** How long a TAB may wait for the cluster, unless --request-timeout on the line says less. */
const CLUSTER_DEADLINE_MS = 5_000;
/** The file extensions offered after -f (directories too). */
const MANIFEST_EXTENSIONS = ['yaml', 'yml', 'json'];
/** Options that may be given more than once, so they stay offered after use. */
const REPEATABLE = new Set(['filename', 'ignore']);

/** Entry point of `kubectl-gwtls __complete WORDS... PARTIAL`: prints the candidates and the directive. */
export async function complete(program: Command, words: string[]): Promise<void> {
  const before = words.slice(0, -1);
  const current = words.at(-1) ?? '';
  const line = parseLine(program, before);
  let timedOut = false;
  const deadline = requestTimeout(line) ?? CLUSTER_DEADLINE_MS;
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([
    candidatesFor(program, line, current).catch((e: unknown): Completion => {
      // Completion stays silent: a TAB must not print errors into the command line. GWTLS_DEBUG=1 shows them.
      if (process.env.GWTLS_DEBUG) process.stderr.write(`completion: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      return { candidates: [], directive: Directive.NoFileComp };
    }),
    new Promise<Completion>((resolve) => {
      timer = setTimeout(() => {
        timedOut = true;
        resolve({ candidates: [], directive: Directive.NoFileComp });
      }, deadline + 500);
    }),
  ]);
  clearTimeout(timer);
  const text = formatCompletion(result);
  // A request still in flight (an exec credential plugin, a slow server) must not hold the TAB.
  if (timedOut) process.stdout.write(text, () => process.exit(0));
  else process.stdout.write(text);
}

export function formatCompletion(c: Completion): string {
  const clean = (s: string) => safeLine(s.replace(/[\t\r\n]+/g, ' ').trim());
  // A name holding a control character (from a hostile manifest) is no word a user could type: not offered.
  const lines = c.candidates.filter((x) => !hasUnsafe(x.value) && !/[\t\r\n]/.test(x.value)).map((x) => (x.description ? `${clean(x.value)}\t${clean(x.description)}` : clean(x.value)));
  return [...lines, `:${c.directive}`].join('\n') + '\n';
}

function allOptions(cmd: Command): Option[] {
  const out: Option[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) out.push(...c.options);
  return out;
}

function findOption(cmd: Command, flag: string): Option | undefined {
  return allOptions(cmd).find((o) => o.long === flag || o.short === flag);
}

const takesValue = (o: Option) => o.required || o.optional;
const optionKey = (o: Option) => (o.long ?? o.short ?? '').replace(/^-+/, '');

/** Reads the completed words the way commander will: subcommands, options with their values, operands. */
export function parseLine(program: Command, words: string[]): ParsedLine {
  let command = program;
  const positionals: string[] = [];
  const values = new Map<string, string[]>();
  const record = (o: Option, v: string) => values.set(optionKey(o), [...(values.get(optionKey(o)) ?? []), v]);
  let pending: Option | undefined;
  let operandsOnly = false;
  for (const w of words) {
    if (pending) {
      record(pending, w);
      pending = undefined;
      continue;
    }
    if (!operandsOnly && w === '--') {
      operandsOnly = true;
      continue;
    }
    if (!operandsOnly && w.startsWith('--')) {
      const eq = w.indexOf('=');
      const opt = findOption(command, eq > 0 ? w.slice(0, eq) : w);
      if (opt && takesValue(opt)) {
        if (eq > 0) record(opt, w.slice(eq + 1));
        else pending = opt;
      } else if (opt) record(opt, 'true');
      continue;
    }
    if (!operandsOnly && w.startsWith('-') && w.length > 1) {
      // -n ns, -nns, and groups of flags such as -Ay.
      for (let k = 1; k < w.length; k++) {
        const opt = findOption(command, `-${w[k]}`);
        if (!opt) break;
        if (takesValue(opt)) {
          const rest = w.slice(k + 1);
          if (rest) record(opt, rest);
          else pending = opt;
          break;
        }
        record(opt, 'true');
      }
      continue;
    }
    if (positionals.length === 0 && !operandsOnly) {
      const sub = command.commands.find((c) => c.name() === w || c.aliases().includes(w));
      if (sub) {
        command = sub;
        continue;
      }
    }
    positionals.push(w);
  }
  const parsed: ParsedLine = { command, positionals, values, operandsOnly };
  if (pending) parsed.pending = pending;
  return parsed;
}

function requestTimeout(line: ParsedLine): number | undefined {
  const v = line.values.get('request-timeout')?.at(-1);
  if (!v) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(v.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const ms = m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
  return ms > 0 ? Math.min(ms, CLUSTER_DEADLINE_MS) : undefined;
}

const startsWith = (prefix: string) => (c: Candidate) => c.value.startsWith(prefix);

export async function candidatesFor(program: Command, line: ParsedLine, current: string): Promise<Completion> {
  const { command } = line;
  if (line.pending) return valuesFor(line.pending, line, current, '');
  if (line.operandsOnly) return operandsFor(program, line, current);
  if (current.startsWith('--') && current.includes('=')) {
    const eq = current.indexOf('=');
    const opt = findOption(command, current.slice(0, eq));
    if (opt && takesValue(opt)) return valuesFor(opt, line, current.slice(eq + 1), current.slice(0, eq + 1));
    return { candidates: [], directive: Directive.NoFileComp };
  }
  if (current.startsWith('-')) return { candidates: flagsFor(command, line, current), directive: Directive.NoFileComp };
  return operandsFor(program, line, current);
}

async function operandsFor(program: Command, line: ParsedLine, current: string): Promise<Completion> {
  const { command } = line;
  const commandNames = () => program.createHelp().visibleCommands(program).map((c) => ({ value: c.name(), description: firstSentence(c.description()) }));
  if (command.commands.length > 0 && line.positionals.length === 0) return { candidates: commandNames().filter(startsWith(current)), directive: Directive.NoFileComp };
  // `help COMMAND`: commander's implicit help command is not among program.commands.
  if (command === program && line.positionals.length === 1 && line.positionals[0] === 'help') return { candidates: commandNames().filter((c) => c.value !== 'help' && c.value.startsWith(current)), directive: Directive.NoFileComp };
  const index = line.positionals.length;
  switch (command.name()) {
    case 'inspect':
      if (index === 0) return { candidates: (await gatewayNames(line)).filter(startsWith(current)), directive: Directive.NoFileComp };
      break;
    case 'explain':
      if (index === 0) return { candidates: (await ruleCodes()).filter((c) => c.value.startsWith(current.toUpperCase()) || c.value.startsWith(`GWTLS-${current.toUpperCase()}`)), directive: Directive.NoFileComp };
      break;
  }
  const arg = command.registeredArguments[Math.min(index, command.registeredArguments.length - 1)];
  if (arg?.argChoices && (index < command.registeredArguments.length || arg.variadic)) {
    return { candidates: arg.argChoices.map((v) => ({ value: v })).filter(startsWith(current)), directive: Directive.NoFileComp };
  }
  return { candidates: [], directive: Directive.NoFileComp };
}

/** The first clause of a description (up to ". " or ": " outside parentheses), for one-line candidate notes. */
export function firstSentence(s: string): string {
  const line = s.split('\n')[0] ?? '';
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if ((ch === '.' || ch === ':') && depth === 0 && (i + 1 === line.length || line[i + 1] === ' ')) return line.slice(0, i);
  }
  return line;
}

function flagsFor(command: Command, line: ParsedLine, current: string): Candidate[] {
  const help = command.createHelp();
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (let c: Command | null = command; c; c = c.parent) {
    for (const o of help.visibleOptions(c)) {
      const key = optionKey(o);
      if (seen.has(key)) continue;
      seen.add(key);
      if (line.values.has(key) && !REPEATABLE.has(key)) continue;
      const description = firstSentence(o.description);
      if (o.long) out.push({ value: o.long, description });
      if (o.short && !current.startsWith('--')) out.push({ value: o.short, description });
    }
  }
  return out.filter(startsWith(current));
}

async function valuesFor(opt: Option, line: ParsedLine, current: string, prefix: string): Promise<Completion> {
  const key = optionKey(opt);
  const withPrefix = (cands: Candidate[], directive: number): Completion => ({
    candidates: cands.filter(startsWith(current)).map((c) => ({ ...c, value: prefix + c.value })),
    directive,
  });
  if (opt.argChoices) return withPrefix(opt.argChoices.map((v) => ({ value: v })), Directive.NoFileComp);
  switch (key) {
    case 'filename':
      return { candidates: MANIFEST_EXTENSIONS.map((value) => ({ value })), directive: Directive.FilterFileExt };
    case 'kubeconfig':
    case 'ca-file':
      return { candidates: [], directive: Directive.Default };
    case 'context':
      return withPrefix(await contexts(line), Directive.NoFileComp);
    case 'namespace':
      return withPrefix(await namespaces(line), Directive.NoFileComp);
    case 'ignore': {
      // A comma-separated list: complete the last code, keep the ones before it.
      const head = current.includes(',') ? current.slice(0, current.lastIndexOf(',') + 1) : '';
      const tail = current.slice(head.length).toUpperCase();
      const given = new Set(head.toUpperCase().split(','));
      const cands = (await ruleCodes()).filter((c) => !given.has(c.value) && (c.value.startsWith(tail) || c.value.startsWith(`GWTLS-${tail}`)));
      return { candidates: cands.map((c) => ({ ...c, value: prefix + head + c.value })), directive: Directive.NoFileComp | Directive.NoSpace };
    }
    default:
      return { candidates: [], directive: Directive.NoFileComp };
  }
}

async function ruleCodes(): Promise<Candidate[]> {
  const { listRules } = await import('./rules-run.ts');
  const list = JSON.parse(await listRules('json')) as Array<{ code: string; severity: string; title: string }>;
  return list.map((r) => ({ value: r.code, description: `${r.severity}: ${r.title}` }));
}

function clusterAccess(line: ParsedLine): { kubeconfig?: string; context?: string } {
  const access: { kubeconfig?: string; context?: string } = {};
  const kubeconfig = line.values.get('kubeconfig')?.at(-1);
  const context = line.values.get('context')?.at(-1);
  if (kubeconfig) access.kubeconfig = kubeconfig;
  if (context) access.context = context;
  return access;
}

async function contexts(line: ParsedLine): Promise<Candidate[]> {
  const { kubeconfigContexts } = await import('./completion-kubeconfig.ts');
  return kubeconfigContexts(clusterAccess(line).kubeconfig).map((c) => ({ value: c.name, description: `cluster ${c.cluster}${c.namespace ? `, namespace ${c.namespace}` : ''}` }));
}

async function client(line: ParsedLine) {
  const [{ loadKubeConfig }, { ApiClient }] = await Promise.all([import('../cluster/kubeconfig.ts'), import('../cluster/api-client.ts')]);
  const loaded = loadKubeConfig(clusterAccess(line));
  const api = new ApiClient(loaded.kc, loaded.server, { timeoutMs: requestTimeout(line) ?? CLUSTER_DEADLINE_MS, concurrency: 2 });
  return { api, namespace: loaded.namespace };
}

async function namespaces(line: ParsedLine): Promise<Candidate[]> {
  const { api } = await client(line);
  const res = await api.list('/api/v1/namespaces');
  return res.items.map((i) => ({ value: String((i.metadata as { name?: unknown } | undefined)?.name ?? '') })).filter((c) => c.value !== '');
}

/** Gateway names: from the -f files on the line when there are any (as inspect reads them), else from the cluster. */
export async function gatewayNames(line: ParsedLine): Promise<Candidate[]> {
  const files = (line.values.get('filename') ?? []).filter((f) => f !== '-');
  const namespace = line.values.get('namespace')?.at(-1);
  const all = line.values.has('all-namespaces');
  const out = new Map<string, Candidate>();
  const add = (name: string, ns: string, detail: string) => {
    if (!name || out.has(name)) return;
    out.set(name, { value: name, description: `Gateway in ${ns || 'default'}${detail ? `, ${detail}` : ''}` });
  };
  if (files.length > 0) {
    const { loadManifests } = await import('../cluster/manifests.ts');
    const { snapshot } = await loadManifests(files, namespace ?? 'default');
    for (const g of snapshot.list('Gateway')) {
      if (namespace !== undefined && !all && g.meta.namespace !== namespace) continue;
      add(g.meta.name, g.meta.namespace, g.className ? `class ${g.className}` : '');
    }
    return [...out.values()];
  }
  if (line.values.has('filename')) return []; // -f - (stdin) cannot be read while completing
  const { api, namespace: contextNamespace } = await client(line);
  const ns = namespace ?? contextNamespace;
  const { ApiError } = await import('../cluster/api-client.ts');
  for (const version of ['v1', 'v1beta1']) {
    const path = all ? `/apis/gateway.networking.k8s.io/${version}/gateways` : `/apis/gateway.networking.k8s.io/${version}/namespaces/${encodeURIComponent(ns)}/gateways`;
    try {
      const res = await api.list(path);
      for (const item of res.items) {
        const meta = (item.metadata ?? {}) as { name?: unknown; namespace?: unknown };
        const spec = (item.spec ?? {}) as { gatewayClassName?: unknown };
        add(String(meta.name ?? ''), String(meta.namespace ?? ns), typeof spec.gatewayClassName === 'string' ? `class ${spec.gatewayClassName}` : '');
      }
      break;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) continue;
      throw e;
    }
  }
  return [...out.values()];
}

// ---------------------------------------------------------------------------------------------------------------
// Scripts. Each asks the program itself (`PROG __complete WORDS... PARTIAL`) and applies the directive, so
// completion always matches the installed version.

/** A shell script as written, except that "$\{" stands for "${" (which a template literal would substitute). */
function script(parts: TemplateStringsArray): string {
  return parts.raw.join('').replaceAll('$\\{', '${');
}

export function completionScript(shell: Shell): string {
  switch (shell) {
    case 'bash':
      return BASH;
    case 'zsh':
      return ZSH;
    case 'fish':
      return FISH;
  }
}

const BASH = script`# bash completion for kubectl-gwtls (generated by "kubectl gwtls completion bash").
#   source <(kubectl gwtls completion bash)        # e.g. in ~/.bashrc
# Completes the kubectl-gwtls command. "kubectl gwtls <TAB>" is completed by kubectl's own completion through
# an executable named kubectl_complete-gwtls on PATH (see "kubectl gwtls completion --help").

__kubectl_gwtls_complete() {
    local cur words cword
    if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
        _get_comp_words_by_ref -n =: cur words cword
    else
        cur="$\{COMP_WORDS[COMP_CWORD]}"
        words=("$\{COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi
    local out
    out=$("$\{words[0]}" __complete "$\{words[@]:1:cword-1}" "$cur" 2>/dev/null) || return 0

    local directive=0 last="$\{out##*$'\n'}"
    if [[ $last == :* ]]; then
        directive=$\{last#:}
        if [[ $out == *$'\n'* ]]; then out="$\{out%$'\n'*}"; else out=""; fi
    fi
    (( directive & 1 )) && return 0
    (( directive & 2 )) && compopt -o nospace 2>/dev/null
    (( directive & 32 )) && compopt -o nosort 2>/dev/null

    COMPREPLY=()
    local line
    if (( directive & 8 )); then
        # Candidates are file extensions: directories, and files with one of them.
        local -a exts=()
        while IFS= read -r line; do [[ -n $line ]] && exts+=("$line"); done <<< "$out"
        local f ext
        while IFS= read -r f; do
            [[ -z $f ]] && continue
            if [[ -d $f ]]; then COMPREPLY+=("$f/"); continue; fi
            for ext in "$\{exts[@]}"; do [[ $f == *."$ext" ]] && COMPREPLY+=("$f") && break; done
        done < <(compgen -f -- "$cur")
        compopt -o filenames -o nospace 2>/dev/null
        return 0
    fi
    if (( directive & 16 )); then
        while IFS= read -r line; do [[ -n $line ]] && COMPREPLY+=("$line/"); done < <(compgen -d -- "$cur")
        compopt -o filenames -o nospace 2>/dev/null
        return 0
    fi
    while IFS= read -r line; do
        [[ -z $line ]] && continue
        line="$\{line%%$'\t'*}"
        [[ $line == "$cur"* ]] && COMPREPLY+=("$line")
    done <<< "$out"
    # bash splits words at "=" and ":"; replace only the part after them.
    if [[ $cur == *=* && $COMP_WORDBREAKS == *=* ]]; then
        local i pre="$\{cur%=*}="
        for i in "$\{!COMPREPLY[@]}"; do COMPREPLY[i]="$\{COMPREPLY[i]#"$pre"}"; done
    fi
    if declare -F __ltrim_colon_completions >/dev/null 2>&1; then __ltrim_colon_completions "$cur"; fi
    if (( $\{#COMPREPLY[@]} == 0 && (directive & 4) )); then
        compopt +o default 2>/dev/null
    fi
    return 0
}

complete -o default -F __kubectl_gwtls_complete kubectl-gwtls
`;

const ZSH = script`#compdef kubectl-gwtls
# zsh completion for kubectl-gwtls (generated by "kubectl gwtls completion zsh").
#   source <(kubectl gwtls completion zsh)         # in ~/.zshrc, after compinit
#   or save it as _kubectl-gwtls in a directory of $fpath.
# "kubectl gwtls <TAB>" is completed by kubectl's own completion through kubectl_complete-gwtls on PATH.

_kubectl_gwtls() {
  local -a before lines cands exts opts
  local out last line directive=0
  before=("$\{(@Q)words[2,CURRENT-1]}")
  out=$("$\{words[1]}" __complete "$\{before[@]}" "$\{(Q)words[CURRENT]}" 2>/dev/null) || return 1
  lines=("$\{(@f)out}")
  last="$\{lines[-1]}"
  if [[ $last == :<-> ]]; then
    directive=$\{last#:}
    lines=("$\{(@)lines[1,-2]}")
  fi
  (( directive & 1 )) && return 1
  if (( directive & 8 )); then
    exts=($\{lines:#})
    _files -g "*.($\{(j:|:)exts})"
    return
  fi
  if (( directive & 16 )); then
    _files -/
    return
  fi
  cands=()
  for line in "$\{lines[@]}"; do
    [[ -z $line ]] && continue
    if [[ $line == *$'\t'* ]]; then
      cands+=("$\{$\{line%%$'\t'*}//:/\\:}:$\{line#*$'\t'}")
    else
      cands+=("$\{line//:/\\:}")
    fi
  done
  opts=()
  (( directive & 2 )) && opts+=(-S '')
  if (( $\{#cands} )); then
    _describe -t values 'kubectl-gwtls' cands "$\{opts[@]}"
    return
  fi
  (( directive & 4 )) && return 1
  _files
}

if [[ "$\{funcstack[1]}" == "_kubectl-gwtls" ]]; then
  _kubectl_gwtls "$@"
else
  compdef _kubectl_gwtls kubectl-gwtls
fi
`;

const FISH = script`# fish completion for kubectl-gwtls (generated by "kubectl gwtls completion fish").
#   kubectl gwtls completion fish | source
#   or save it as ~/.config/fish/completions/kubectl-gwtls.fish
# "kubectl gwtls <TAB>" is completed by kubectl's own completion through kubectl_complete-gwtls on PATH.

function __kubectl_gwtls_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l out ($tokens[1] __complete $tokens[2..-1] $current 2>/dev/null)
    or return
    set -l directive 0
    if test (count $out) -gt 0; and string match -qr '^:[0-9]+$' -- $out[-1]
        set directive (string sub -s 2 -- $out[-1])
        set -e out[-1]
    end
    if test (math "bitand($directive, 1)") -ne 0
        return
    end
    if test (math "bitand($directive, 8)") -ne 0
        for ext in $out
            __fish_complete_suffix .$ext
        end
        return
    end
    if test (math "bitand($directive, 16)") -ne 0
        __fish_complete_directories $current
        return
    end
    if test (count $out) -gt 0
        printf '%s\n' $out
        return
    end
    if test (math "bitand($directive, 4)") -eq 0
        __fish_complete_path $current
    end
end

complete -c kubectl-gwtls -f -a '(__kubectl_gwtls_complete)'
`;
