// Shell completion, as users meet it: the `__complete` protocol (cobra's, which kubectl's plugin completion reads
// from kubectl_complete-gwtls), Gateway names from -f files and from a cluster (a local fake API server), the bash
// script in a real bash (called directly, and typed with TAB in an interactive bash under tmux), and
// `kubectl gwtls <TAB>` through the real kubectl.
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SEEDS = join(ROOT, 'test/fixtures/seeds');
const FIXTURE = join(SEEDS, 'c-calico-passthrough/as-written.yaml');

function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const file = join(dir, cmd);
    if (dir && existsSync(file) && statSync(file).isFile()) return file;
  }
  return undefined;
}
const kubectlPath = which('kubectl');
/** kubectl's bash completion needs the bash-completion package (Debian: apt-get install bash-completion). */
const BASH_COMPLETION = '/usr/share/bash-completion/bash_completion';
const tmuxPath = which('tmux');

let work: string;
let bin: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'gwtls-completion-'));
  const dist = join(work, 'dist');
  const b = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--outdir', dist], { encoding: 'utf8' });
  if (b.status !== 0) throw new Error(b.stderr);
  // kubectl-gwtls and its completion helper on PATH, as the release archives install them.
  bin = join(work, 'bin');
  mkdirSync(bin);
  symlinkSync(join(dist, 'kubectl-gwtls.mjs'), join(bin, 'kubectl-gwtls'));
  copyFileSync(join(ROOT, 'bin/kubectl_complete-gwtls'), join(bin, 'kubectl_complete-gwtls'));
  const tools = join(work, 'tools');
  mkdirSync(tools);
  symlinkSync(process.execPath, join(tools, 'node'));
  if (kubectlPath) symlinkSync(kubectlPath, join(tools, 'kubectl'));
  env = { PATH: [bin, tools, '/usr/bin', '/bin'].join(delimiter), HOME: work, KUBECONFIG: join(work, 'no-kubeconfig'), NO_COLOR: '1', TERM: 'xterm' };
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** `kubectl-gwtls __complete WORDS...`, run asynchronously (the fake API server answers from this process). */
async function complete(words: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ lines: string[]; directive: number; stderr: string; ms: number }> {
  const t0 = performance.now();
  const r = await new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve, reject) => {
    execFile('kubectl-gwtls', ['__complete', ...words], { env: { ...env, ...extraEnv }, encoding: 'utf8', cwd: ROOT, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ stdout, stderr, code: error ? Number(error.code) : 0 });
    });
  });
  const out = r.stdout.trimEnd().split('\n');
  const last = out.pop() ?? '';
  expect(last).toMatch(/^:\d+$/);
  expect(r.code).toBe(0);
  return { lines: out, directive: Number(last.slice(1)), stderr: r.stderr, ms: performance.now() - t0 };
}
const values = (lines: string[]) => lines.map((l) => l.split('\t')[0]);

describe('__complete (cobra protocol)', () => {
  it('completes commands, with descriptions, and no files', async () => {
    const r = await complete(['']);
    expect(values(r.lines)).toEqual(['inspect', 'probe', 'rules', 'explain', 'completion', 'version', 'help']);
    expect(r.lines[0]).toMatch(/^inspect\t\S/);
    expect(r.directive).toBe(4);
    expect(values((await complete(['pr'])).lines)).toEqual(['probe']);
    expect(values((await complete(['help', 'ex'])).lines)).toEqual(['explain']);
    expect(values((await complete(['__'])).lines)).toEqual([]);
  });

  it('completes Gateway names from -f files and directories, honouring -n', async () => {
    const file = await complete(['inspect', '-f', FIXTURE, '']);
    expect(file.lines).toEqual(['tls-passthrough-gateway\tGateway in default, class tigera-gateway-class']);
    expect(file.directive).toBe(4);
    const dir = values((await complete(['inspect', '--filename', SEEDS, ''])).lines);
    expect(dir.length).toBeGreaterThan(1);
    expect(dir).toContain('tls-passthrough-gateway');
    expect(values((await complete(['inspect', `--filename=${FIXTURE}`, 'tls-p'])).lines)).toEqual(['tls-passthrough-gateway']);
    // With -n, objects without a namespace are read into it, as inspect reads them.
    expect((await complete(['inspect', '-f', FIXTURE, '-n', 'elsewhere', ''])).lines).toEqual(['tls-passthrough-gateway\tGateway in elsewhere, class tigera-gateway-class']);
    expect(values((await complete(['inspect', '-f', FIXTURE, '-A', ''])).lines)).toEqual(['tls-passthrough-gateway']);
    // A missing file completes nothing, quietly.
    const missing = await complete(['inspect', '-f', join(SEEDS, 'nope.yaml'), '']);
    expect(missing.lines).toEqual([]);
    expect(missing.stderr).toBe('');
  });

  it('completes flags of the command, leaving out those already given', async () => {
    const flags = values((await complete(['inspect', '-o', 'json', '--'])).lines);
    expect(flags).toContain('--filename');
    expect(flags).toContain('--fail-on');
    expect(flags).not.toContain('--output');
    expect(values((await complete(['inspect', '-f', FIXTURE, '--fi'])).lines)).toEqual(['--filename', '--fix']);
    expect(values((await complete(['probe', '--st'])).lines)).toEqual(['--starttls']);
  });

  it('completes flag values: choices, files by extension, codes', async () => {
    expect(values((await complete(['inspect', '-o', ''])).lines)).toEqual(['tui', 'text', 'json', 'yaml', 'wide', 'name']);
    expect(values((await complete(['inspect', '--output=j'])).lines)).toEqual(['--output=json']);
    expect(values((await complete(['probe', '--starttls', 'p'])).lines)).toEqual(['postgres', 'pop3']);
    expect((await complete(['inspect', '-f', ''])).lines).toEqual(['yaml', 'yml', 'json']);
    expect((await complete(['inspect', '-f', ''])).directive).toBe(8);
    expect((await complete(['inspect', '--kubeconfig', ''])).directive).toBe(0);
    expect(values((await complete(['completion', ''])).lines)).toEqual(['bash', 'zsh', 'fish']);
    const codes = values((await complete(['explain', 'GWTLS-LSN-00'])).lines);
    expect(codes).toContain('GWTLS-LSN-001');
    expect(codes.every((c) => c!.startsWith('GWTLS-LSN-00'))).toBe(true);
    expect(values((await complete(['explain', 'lsn-00'])).lines)).toEqual(codes);
    const ignore = await complete(['inspect', '--ignore', 'GWTLS-LSN-001,GWTLS-LSN-00']);
    expect(values(ignore.lines)).toContain('GWTLS-LSN-001,GWTLS-LSN-002');
    expect(values(ignore.lines)).not.toContain('GWTLS-LSN-001,GWTLS-LSN-001');
    expect(ignore.directive).toBe(4 | 2);
  });

  it('is quiet and quick without a cluster', async () => {
    const r = await complete(['inspect', '']);
    expect(r.lines).toEqual([]);
    expect(r.stderr).toBe('');
  });
});

describe('Gateway names from the cluster', () => {
  let server: Server;
  let requests: string[];
  let servedVersion: 'v1' | 'v1beta1';
  let kubeconfig: string;

  const gateways = {
    infra: [
      { metadata: { name: 'edge', namespace: 'infra' }, spec: { gatewayClassName: 'envoy' } },
      { metadata: { name: 'internal', namespace: 'infra' }, spec: { gatewayClassName: 'envoy' } },
    ],
    other: [{ metadata: { name: 'shop', namespace: 'other' }, spec: { gatewayClassName: 'aws-lbc' } }],
  };

  beforeAll(async () => {
    requests = [];
    servedVersion = 'v1';
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://x');
      requests.push(`${req.headers.authorization} ${url.pathname}`);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === '/api/v1/namespaces') return json(200, { kind: 'NamespaceList', items: ['default', 'infra', 'other'].map((name) => ({ metadata: { name } })) });
      const m = /^\/apis\/gateway\.networking\.k8s\.io\/(v1|v1beta1)(?:\/namespaces\/([^/]+))?\/gateways$/.exec(url.pathname);
      if (m && m[1] === servedVersion) {
        const items = m[2] ? (gateways[m[2] as keyof typeof gateways] ?? []) : Object.values(gateways).flat();
        return json(200, { kind: 'GatewayList', metadata: {}, items });
      }
      json(404, { kind: 'Status', reason: 'NotFound', message: 'the server could not find the requested resource' });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    kubeconfig = join(work, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1
kind: Config
clusters:
  - name: fake
    cluster: { server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true }
  - name: closed
    cluster: { server: "http://127.0.0.1:1", insecure-skip-tls-verify: true }
users:
  - name: admin
    user: { token: secret-token }
contexts:
  - name: fake
    context: { cluster: fake, user: admin, namespace: infra }
  - name: closed
    context: { cluster: closed, user: admin }
current-context: fake
`,
    );
  });

  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("lists the Gateways of the context's namespace with one LIST", async () => {
    requests.length = 0;
    const r = await complete(['inspect', ''], { KUBECONFIG: kubeconfig });
    expect(r.lines).toEqual(['edge\tGateway in infra, class envoy', 'internal\tGateway in infra, class envoy']);
    expect(requests).toEqual(['Bearer secret-token /apis/gateway.networking.k8s.io/v1/namespaces/infra/gateways']);
    expect(values((await complete(['inspect', 'in'], { KUBECONFIG: kubeconfig })).lines)).toEqual(['internal']);
  });

  it('follows -n, -A, --context and --kubeconfig on the line', async () => {
    expect(values((await complete(['inspect', '-n', 'other', ''], { KUBECONFIG: kubeconfig })).lines)).toEqual(['shop']);
    expect(values((await complete(['inspect', '-A', ''], { KUBECONFIG: kubeconfig })).lines)).toEqual(['edge', 'internal', 'shop']);
    expect(values((await complete(['inspect', '--kubeconfig', kubeconfig, '--namespace=other', ''])).lines)).toEqual(['shop']);
    expect(values((await complete(['inspect', '-n', ''])).lines)).toEqual([]);
    expect(values((await complete(['inspect', '-n', ''], { KUBECONFIG: kubeconfig })).lines)).toEqual(['default', 'infra', 'other']);
    expect(values((await complete(['inspect', '--context', ''], { KUBECONFIG: kubeconfig })).lines)).toEqual(['fake', 'closed']);
  });

  it('reads v1beta1 where v1 is not served', async () => {
    servedVersion = 'v1beta1';
    try {
      expect(values((await complete(['inspect', ''], { KUBECONFIG: kubeconfig })).lines)).toEqual(['edge', 'internal']);
    } finally {
      servedVersion = 'v1';
    }
  });

  it('completes nothing, silently and at once, when the cluster cannot be reached', async () => {
    const r = await complete(['inspect', '--context', 'closed', ''], { KUBECONFIG: kubeconfig });
    expect(r.lines).toEqual([]);
    expect(r.directive).toBe(4);
    expect(r.stderr).toBe('');
    expect(r.ms).toBeLessThan(5_000);
  });

  it('gives up on a server that does not answer within --request-timeout', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    const cfg = join(work, 'kubeconfig-silent');
    writeFileSync(cfg, `apiVersion: v1\nkind: Config\nclusters: [{ name: s, cluster: { server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true } }]\nusers: [{ name: u, user: { token: t } }]\ncontexts: [{ name: s, context: { cluster: s, user: u } }]\ncurrent-context: s\n`);
    try {
      const t0 = performance.now();
      const r = spawnSync('kubectl-gwtls', ['__complete', 'inspect', '--request-timeout', '1s', ''], { env: { ...env, KUBECONFIG: cfg }, encoding: 'utf8', timeout: 30_000 });
      expect(r.stdout).toBe(':4\n');
      expect(r.stderr).toBe('');
      expect(performance.now() - t0).toBeLessThan(6_000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});

describe('bash', () => {
  /** Runs the completion function in a real bash for COMP_WORDS=words (the last one being completed). */
  function bashComplete(words: string[], opts: { bashCompletion?: boolean; line?: string } = {}): string[] {
    const script = `${opts.bashCompletion ? `source ${BASH_COMPLETION}; ` : ''}source <(kubectl-gwtls completion bash) || exit 3
COMP_WORDS=(${words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ')})
COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
COMP_LINE=${opts.line ? `'${opts.line}'` : '"${COMP_WORDS[*]}"'}; COMP_POINT=\${#COMP_LINE}
__kubectl_gwtls_complete
printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script], { env, cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout.split('\n').filter(Boolean);
  }

  it('registers for kubectl-gwtls', () => {
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', 'source <(kubectl-gwtls completion bash) && complete -p kubectl-gwtls'], { env, encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('complete -o default -F __kubectl_gwtls_complete kubectl-gwtls');
  });

  it('completes a Gateway name from fixture files', () => {
    expect(bashComplete(['kubectl-gwtls', 'inspect', '-f', FIXTURE, ''])).toEqual(['tls-passthrough-gateway']);
    expect(bashComplete(['kubectl-gwtls', 'inspect', '-f', FIXTURE, 'tls'])).toEqual(['tls-passthrough-gateway']);
    expect(bashComplete(['kubectl-gwtls', 'inspect', '-f', SEEDS, 'tls-p'])).toContain('tls-passthrough-gateway');
  });

  it('completes commands, flags and flag values', () => {
    expect(bashComplete(['kubectl-gwtls', 'ins'])).toEqual(['inspect']);
    expect(bashComplete(['kubectl-gwtls', 'inspect', '--fail'])).toEqual(['--fail-on']);
    expect(bashComplete(['kubectl-gwtls', 'inspect', '-o', 'y'])).toEqual(['yaml']);
  });

  it('completes manifest files (and directories) after -f', () => {
    expect(bashComplete(['kubectl-gwtls', 'inspect', '-f', 'test/fixtures/seeds/c-calico-passthrough/'])).toEqual([
      'test/fixtures/seeds/c-calico-passthrough/as-written.yaml',
      'test/fixtures/seeds/c-calico-passthrough/with-certificate-refs.yaml',
    ]);
    expect(bashComplete(['kubectl-gwtls', 'inspect', '-f', 'test/fixtures/se'])).toEqual(['test/fixtures/seeds/']);
  });

  it.skipIf(!existsSync(BASH_COMPLETION))('works the same with the bash-completion package loaded', () => {
    expect(bashComplete(['kubectl-gwtls', 'inspect', '-f', FIXTURE, 'tls'], { bashCompletion: true })).toEqual(['tls-passthrough-gateway']);
    // bash-completion joins "--output=j" into one word; the reply replaces only what follows "=".
    expect(bashComplete(['kubectl-gwtls', 'inspect', '--output', '=', 'j'], { bashCompletion: true, line: 'kubectl-gwtls inspect --output=j' })).toEqual(['json']);
  });

  it.skipIf(!tmuxPath)('completes on TAB in an interactive bash (tmux)', async () => {
    const socket = `gwtls-test-${process.pid}`;
    const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { env, encoding: 'utf8' });
    const screen = () => tmux('capture-pane', '-p', '-t', 'c').stdout;
    const until = async (pred: (s: string) => boolean) => {
      for (let i = 0; i < 100; i++) {
        if (pred(screen())) return true;
        await new Promise((r) => setTimeout(r, 100));
      }
      return false;
    };
    expect(tmux('new-session', '-d', '-s', 'c', '-x', '200', '-y', '20', '-c', ROOT, 'bash --norc --noprofile').status).toBe(0);
    try {
      tmux('send-keys', '-t', 'c', `PS1='$ '; source <(kubectl-gwtls completion bash); echo ready`, 'Enter');
      expect(await until((s) => /^ready$/m.test(s))).toBe(true);
      tmux('send-keys', '-t', 'c', '-l', `kubectl-gwtls inspect -f ${FIXTURE} tls-`);
      tmux('send-keys', '-t', 'c', 'Tab');
      expect(await until((s) => s.includes(`-f ${FIXTURE} tls-passthrough-gateway`))).toBe(true);
    } finally {
      tmux('kill-server');
    }
  });
});

describe.skipIf(!kubectlPath)('kubectl gwtls <TAB> (kubectl plugin completion)', () => {
  it('runs kubectl_complete-gwtls and passes its candidates on', () => {
    const r = spawnSync('kubectl', ['__complete', 'gwtls', 'inspect', '-f', FIXTURE, ''], { env, cwd: ROOT, encoding: 'utf8' });
    expect(r.stdout).toBe('tls-passthrough-gateway\tGateway in default, class tigera-gateway-class\n:4\n');
    const commands = spawnSync('kubectl', ['__complete', 'gwtls', ''], { env, encoding: 'utf8' });
    expect(commands.stdout.split('\n').map((l) => l.split('\t')[0])).toEqual(['inspect', 'probe', 'rules', 'explain', 'completion', 'version', 'help', ':4', '']);
  });

  it.skipIf(!existsSync(BASH_COMPLETION))("completes kubectl gwtls in bash with kubectl's own completion script", () => {
    const script = `source ${BASH_COMPLETION}; source <(kubectl completion bash) || exit 3
COMP_WORDS=(kubectl gwtls inspect -f '${FIXTURE}' tls)
COMP_CWORD=5; COMP_LINE="\${COMP_WORDS[*]}"; COMP_POINT=\${#COMP_LINE}
__start_kubectl
printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script], { env, cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(r.stdout.split('\n').filter(Boolean).map((l) => l.trim())).toEqual(['tls-passthrough-gateway']);
  });
});

describe('zsh and fish scripts', () => {
  it.each([
    ['zsh', ['-n']],
    ['fish', ['--no-execute']],
  ])('%s parses its script', (shell, flags) => {
    if (!which(shell)) return;
    const script = spawnSync('kubectl-gwtls', ['completion', shell], { env, encoding: 'utf8' }).stdout;
    const file = join(work, `completion.${shell}`);
    writeFileSync(file, script);
    const r = spawnSync(shell, [...flags, file], { env, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('each script asks the program and registers for kubectl-gwtls', () => {
    const registration = { bash: 'complete -o default -F __kubectl_gwtls_complete kubectl-gwtls', zsh: 'compdef _kubectl_gwtls kubectl-gwtls', fish: "complete -c kubectl-gwtls -f -a '(__kubectl_gwtls_complete)'" };
    for (const [shell, line] of Object.entries(registration)) {
      const script = spawnSync('kubectl-gwtls', ['completion', shell], { env, encoding: 'utf8' }).stdout;
      expect(script).toContain(' __complete ');
      expect(script).toContain(line);
    }
  });
});
