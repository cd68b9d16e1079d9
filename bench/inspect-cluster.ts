// Benchmark (issues 3 and 11): synthetic clusters loaded into a real kube-apiserver (the e2e harness's control
// plane), then, in the same run, beside the kubectl baseline
//   kubectl get gateways,httproutes,tcproutes,tlsroutes,grpcroutes,services,endpointslices,pods -A -o json
// the tool's reads, with wall times (median of RUNS), peak memory, and the API requests the tool made:
//   S and 2 x S:  kubectl gwtls inspect gw-0 -n ns-0 -o json   (routes read in every namespace; goal: at most
//                 0.1x the baseline, the same number of requests for twice the objects)
//                 kubectl gwtls inspect -A -o json
//   L (a fresh control plane):  kubectl gwtls inspect -A -o json   (goal: at most 0.3x the baseline, under 1 GB)
//   node bench/inspect-cluster.ts [--no-l | --only-l]   (npm run bench:cluster; needs Go, builds the control plane once)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ControlPlane } from '../test/e2e/harness/controlplane.ts';
import type { KubeObject } from '../test/e2e/harness/rest.ts';
import { generate } from './synthetic.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
// GWTLS_BENCH_CLI: a copy of the build, so that rebuilding dist/ meanwhile does not change what is measured.
const cli = process.env.GWTLS_BENCH_CLI ?? `${root}dist/kubectl-gwtls.mjs`;
const RUNS = 5;

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv): { seconds: number; maxRssMb: number; stdout: string; code: number | null } {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const [secs, kb] = (r.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  return { seconds: secs ?? NaN, maxRssMb: Math.round((kb ?? 0) / 1024), stdout: r.stdout, code: r.status };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function load(cp: ControlPlane, objects: Array<Record<string, unknown>>): Promise<number> {
  const client = cp.client();
  const started = performance.now();
  const order = ['Namespace', 'GatewayClass', 'Secret', 'ConfigMap', 'Service', 'Pod', 'EndpointSlice', 'Gateway', 'HTTPRoute', 'TLSRoute', 'TCPRoute', 'BackendTLSPolicy'];
  const sorted = [...objects].sort((a, b) => order.indexOf(String(a.kind)) - order.indexOf(String(b.kind)));
  let i = 0;
  const worker = async () => {
    while (i < sorted.length) {
      const obj = sorted[i++]! as KubeObject & { status?: unknown };
      const { status, ...spec } = obj;
      // Create (cheaper for the server than an apply); an object that exists already is applied instead.
      const collection = await client.objectPath({ apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata.namespace });
      const created = await client.request('POST', `${collection}?fieldManager=bench`, { body: spec, contentType: 'application/json', timeoutMs: 60_000 });
      if (created.status === 409) await client.apply(spec as KubeObject, { fieldManager: 'bench' });
      else if (created.status >= 300) throw new Error(`create ${obj.kind} ${obj.metadata.name}: ${created.status} ${created.text.slice(0, 200)}`);
      if (status && (obj.kind === 'Pod' || obj.kind === 'Gateway')) {
        const path = await client.objectPath({ apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace }, 'status');
        const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
        const s = JSON.parse(JSON.stringify(status, (k, v) => (k === 'conditions' ? (v as Array<Record<string, unknown>>).map((c) => ({ message: '', lastTransitionTime: now, ...c })) : v)));
        await client.call('PATCH', `${path}?fieldManager=bench`, { body: { status: s }, contentType: 'application/merge-patch+json' });
      }
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  const seconds = (performance.now() - started) / 1000;
  console.log(`loaded ${objects.length} objects in ${seconds.toFixed(0)} s`);
  return seconds;
}

interface Row {
  name: string;
  seconds: number;
  maxRssMb: number;
  requests?: number;
}

const BASELINE = ['get', 'gateways,httproutes,tcproutes,tlsroutes,grpcroutes,services,endpointslices,pods', '-A', '-o', 'json'];

function measure(cp: ControlPlane, label: string, which: Array<'one' | 'all'>, runs = RUNS): Row[] {
  const env = { ...process.env, KUBECONFIG: cp.kubeconfig, NO_COLOR: '1' };
  const node = process.execPath;
  const rows: Array<[string, string, string[]]> = [['kubectl get ... -A -o json (baseline)', 'kubectl', BASELINE]];
  if (which.includes('one')) rows.push(['kubectl gwtls inspect gw-0 -n ns-0 -o json', node, [cli, 'inspect', 'gw-0', '-n', 'ns-0', '-o', 'json', '--fail-on', 'none']]);
  if (which.includes('all')) rows.push(['kubectl gwtls inspect -A -o json', node, [cli, 'inspect', '-A', '-o', 'json', '--fail-on', 'none']]);
  const results: Row[] = rows.map(([name, cmd, args]) => {
    const out = Array.from({ length: runs }, () => timed(cmd, args, env));
    const bad = out.find((r) => r.code !== 0);
    if (bad) throw new Error(`${name} exited ${bad.code}`);
    const requests = name.includes('gwtls') ? (JSON.parse(out[0]!.stdout) as { source: { requests?: number } }).source.requests : undefined;
    return { name, seconds: median(out.map((r) => r.seconds)), maxRssMb: Math.max(...out.map((r) => r.maxRssMb)), ...(requests !== undefined ? { requests } : {}) };
  });
  const base = results[0]!.seconds;
  console.log(`\n${label}`);
  for (const r of results) {
    console.log(`  ${r.name.padEnd(44)} ${r.seconds.toFixed(2).padStart(6)} s  ${(r.seconds / base).toFixed(2)}x  ${String(r.maxRssMb).padStart(4)} MB${r.requests !== undefined ? `  ${r.requests} API requests` : ''}`);
  }
  return results;
}

const ratio = (rows: Row[], i: number) => rows[i]!.seconds / rows[0]!.seconds;

const goals: string[] = [];
const cp = new ControlPlane();
if (!process.argv.includes('--only-l')) try {
  await cp.start({});
  const s = generate('S');
  await load(cp, s.objects);
  const one = measure(cp, `S (${s.objects.length} objects), median of ${RUNS} runs:`, ['one', 'all']);
  // The same cluster with a second copy of every namespace: twice the objects, the same Gateway to inspect.
  const copy = s.objects.filter((o) => o.kind !== 'GatewayClass').map((o) => JSON.parse(JSON.stringify(o).replace(/"ns-(\d+)/g, '"copy-$1')) as Record<string, unknown>);
  await load(cp, copy);
  const two = measure(cp, `2 x S (${s.objects.length + copy.length} objects), median of ${RUNS} runs:`, ['one', 'all']);
  goals.push(`inspect gw-0 at most 0.1x the baseline: S ${ratio(one, 1).toFixed(2)}x, 2 x S ${ratio(two, 1).toFixed(2)}x -> ${ratio(one, 1) <= 0.1 && ratio(two, 1) <= 0.1 ? 'met' : 'NOT met'}`);
  goals.push(`API requests of inspect gw-0 independent of object count: S ${one[1]!.requests}, 2 x S ${two[1]!.requests} -> ${one[1]!.requests === two[1]!.requests ? 'met' : 'NOT met'}`);
} finally {
  await cp.stop();
}

if (!process.argv.includes('--no-l')) {
  const big = new ControlPlane();
  try {
    await big.start({});
    const l = generate('L');
    const seconds = await load(big, l.objects);
    const rows = measure(big, `L (${l.objects.length} objects, loaded in ${seconds.toFixed(0)} s), median of 3 runs:`, ['all'], 3);
    goals.push(`L: inspect -A at most 0.3x the baseline and under 1 GB: ${ratio(rows, 1).toFixed(2)}x, ${rows[1]!.maxRssMb} MB -> ${ratio(rows, 1) <= 0.3 && rows[1]!.maxRssMb < 1024 ? 'met' : 'NOT met'}`);
  } finally {
    await big.stop();
  }
}
console.log(`\ngoals:\n${goals.map((g) => `  ${g}`).join('\n')}`);
