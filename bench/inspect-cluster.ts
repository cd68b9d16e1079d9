// Benchmark (issue 3): the S-size synthetic cluster loaded into a real kube-apiserver (the e2e harness's control
// plane), then, in the same run:
//   kubectl gwtls inspect gw-0 -n ns-0 -o json      (goal: at most 0.5x the kubectl baseline)
//   kubectl gwtls inspect -A -o json                 (goal: at most 1.2x the kubectl baseline)
//   kubectl get gateways,httproutes,tcproutes,tlsroutes,grpcroutes,services,endpointslices,pods -A -o json
// with wall times (median of 5), peak memory, and the number of API requests the tool made (from the report),
// also for a second, larger load of the same cluster, to show the request count does not grow with objects.
//   node bench/inspect-cluster.ts        (npm run bench:cluster; needs Go, builds the control plane once)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ControlPlane } from '../test/e2e/harness/controlplane.ts';
import type { KubeObject } from '../test/e2e/harness/rest.ts';
import { generate } from './synthetic.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = `${root}dist/kubectl-gwtls.mjs`;
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

async function load(cp: ControlPlane, objects: Array<Record<string, unknown>>): Promise<void> {
  const client = cp.client();
  const started = performance.now();
  const order = ['Namespace', 'GatewayClass', 'Secret', 'ConfigMap', 'Service', 'Pod', 'EndpointSlice', 'Gateway', 'HTTPRoute', 'TLSRoute', 'TCPRoute', 'BackendTLSPolicy'];
  const sorted = [...objects].sort((a, b) => order.indexOf(String(a.kind)) - order.indexOf(String(b.kind)));
  let i = 0;
  const worker = async () => {
    while (i < sorted.length) {
      const obj = sorted[i++]! as KubeObject & { status?: unknown };
      const { status, ...spec } = obj;
      await client.apply(spec as KubeObject, { fieldManager: 'bench' });
      if (status && (obj.kind === 'Pod' || obj.kind === 'Gateway')) {
        const path = await client.objectPath({ apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace }, 'status');
        const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
        const s = JSON.parse(JSON.stringify(status, (k, v) => (k === 'conditions' ? (v as Array<Record<string, unknown>>).map((c) => ({ message: '', lastTransitionTime: now, ...c })) : v)));
        await client.call('PATCH', `${path}?fieldManager=bench`, { body: { status: s }, contentType: 'application/merge-patch+json' });
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  console.log(`loaded ${objects.length} objects in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

function measure(cp: ControlPlane, label: string): void {
  const env = { ...process.env, KUBECONFIG: cp.kubeconfig, NO_COLOR: '1' };
  const node = process.execPath;
  const rows: Array<[string, string, string[]]> = [
    ['kubectl get ... -A -o json (baseline)', 'kubectl', ['get', 'gateways,httproutes,tcproutes,tlsroutes,grpcroutes,services,endpointslices,pods', '-A', '-o', 'json']],
    ['kubectl gwtls inspect gw-0 -n ns-0 -o json', node, [cli, 'inspect', 'gw-0', '-n', 'ns-0', '-o', 'json', '--fail-on', 'none']],
    ['kubectl gwtls inspect -A -o json', node, [cli, 'inspect', '-A', '-o', 'json', '--fail-on', 'none']],
  ];
  const results = rows.map(([name, cmd, args]) => {
    const runs = Array.from({ length: RUNS }, () => timed(cmd, args, env));
    const requests = name.includes('gwtls') ? (JSON.parse(runs[0]!.stdout) as { source: { requests?: number } }).source.requests : undefined;
    return { name, seconds: median(runs.map((r) => r.seconds)), maxRssMb: Math.max(...runs.map((r) => r.maxRssMb)), requests };
  });
  const base = results[0]!.seconds;
  console.log(`\n${label}`);
  for (const r of results) {
    console.log(`  ${r.name.padEnd(44)} ${r.seconds.toFixed(2).padStart(6)} s  ${(r.seconds / base).toFixed(2)}x  ${String(r.maxRssMb).padStart(4)} MB${r.requests !== undefined ? `  ${r.requests} API requests` : ''}`);
  }
}

const cp = new ControlPlane();
try {
  await cp.start({});
  const s = generate('S');
  await load(cp, s.objects);
  measure(cp, `S (${s.objects.length} objects), median of ${RUNS} runs:`);
  // The same cluster with a second copy of every namespace: twice the objects, the same Gateway to inspect.
  const copy = s.objects
    .filter((o) => o.kind !== 'GatewayClass')
    .map((o) => {
      const c = JSON.parse(JSON.stringify(o).replace(/"ns-(\d+)/g, '"copy-$1')) as Record<string, unknown>;
      return c;
    });
  await load(cp, copy);
  measure(cp, `2 x S (${s.objects.length + copy.length} objects), median of ${RUNS} runs:`);
} finally {
  await cp.stop();
}
