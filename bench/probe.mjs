// Benchmark: one `kubectl gwtls probe` call on 200 loopback TLS endpoints vs. 200 sequential
// `openssl s_client` runs, and a single probe vs. a single s_client. Wall time and peak RSS (GNU time).
// Run: node_modules/.bin/node bench/probe.mjs [--endpoints 200] [--runs 7]
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import tls from 'node:tls';
import { makePki, pem } from '../test/helpers/tls-certs.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(root, 'dist/kubectl-gwtls.mjs');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg('endpoints', 200);
const RUNS = arg('runs', 7);
if (!existsSync(CLI)) {
  console.error('dist/kubectl-gwtls.mjs is missing: run `npm run build` first');
  process.exit(2);
}

const pki = makePki('ec', 'Bench');
const leaf = pki.leaf({ cn: 'bench.test', dns: ['*.bench.test'] });
const dir = mkdtempSync(join(tmpdir(), 'gwtls-bench-'));
const caFile = join(dir, 'ca.pem');
writeFileSync(caFile, pki.root.pem);
const ctxOpts = { key: leaf.key.keyPem, cert: pem(leaf, pki.int) };

const servers = [];
for (let i = 0; i < N; i++) {
  const s = tls.createServer(ctxOpts, (sock) => {
    sock.on('error', () => undefined);
    sock.end();
  });
  s.on('tlsClientError', () => undefined);
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  servers.push(s);
}
const ports = servers.map((s) => s.address().port);

/** Runs a command under GNU time; returns wall ms, peak RSS (KiB) and exit code. */
function timed(cmd, args, { stdin = 'ignore' } = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%M', cmd, ...args], { stdio: [stdin, 'pipe', 'pipe'] });
    let err = '';
    child.stdout.resume();
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const wall = performance.now() - t0;
      const rss = Number(err.trim().split('\n').pop());
      resolve({ wall, rss, code });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const node = process.execPath;
const targets = ports.map((p, i) => `e${i}.bench.test:${p}`);

async function batchProbe() {
  return timed(node, [CLI, 'probe', ...targets, '--connect-to', '127.0.0.1', '--ca-file', caFile, '-o', 'json']);
}
async function batchOpenssl() {
  const t0 = performance.now();
  let peak = 0;
  let failures = 0;
  for (let i = 0; i < N; i++) {
    const r = await timed('openssl', ['s_client', '-connect', `127.0.0.1:${ports[i]}`, '-servername', `e${i}.bench.test`, '-CAfile', caFile], { stdin: 'ignore' });
    peak = Math.max(peak, r.rss);
    if (r.code !== 0) failures++;
  }
  return { wall: performance.now() - t0, rss: peak, code: failures };
}

const fmt = (ms) => `${ms.toFixed(0)} ms`;
console.log(`kubectl-gwtls probe benchmark: ${N} TLS endpoints on 127.0.0.1 (ECDSA P-256, TLS 1.3), Node ${process.version}, ${(await import('node:os')).cpus().length} CPUs`);

// Batch.
const bp = [];
const bo = [];
for (let i = 0; i < Math.max(1, Math.floor(RUNS / 2)); i++) {
  bp.push(await batchProbe());
  bo.push(await batchOpenssl());
}
const bpw = median(bp.map((r) => r.wall));
const bow = median(bo.map((r) => r.wall));
console.log(`\nbatch (${N} endpoints)`);
console.log(`  kubectl gwtls probe, one call:    ${fmt(bpw)}  peak RSS ${(Math.max(...bp.map((r) => r.rss)) / 1024).toFixed(0)} MiB  exit ${bp[0].code}`);
console.log(`  openssl s_client x ${N}, sequential: ${fmt(bow)}  peak RSS ${(Math.max(...bo.map((r) => r.rss)) / 1024).toFixed(0)} MiB (each)  failures ${bo[0].code}`);
console.log(`  ratio probe/openssl: ${(bpw / bow).toFixed(3)}x  (goal <= 0.3x)`);

// Single.
const sp = [];
const so = [];
const ns = [];
const nv = [];
const nt = [];
// The floor of any Node program that does one handshake: start, load node:tls, connect with SNI, read the chain.
const bareHandshake = `require('node:tls').connect({ host: '127.0.0.1', port: ${ports[0]}, servername: 'e0.bench.test', rejectUnauthorized: false }, function () { this.getPeerCertificate(true); this.destroy(); })`;
for (let i = 0; i < RUNS; i++) {
  sp.push(await timed(node, [CLI, 'probe', targets[0], '--connect-to', '127.0.0.1', '--ca-file', caFile, '-o', 'json']));
  so.push(await timed('openssl', ['s_client', '-connect', `127.0.0.1:${ports[0]}`, '-servername', 'e0.bench.test', '-CAfile', caFile]));
  ns.push(await timed(node, ['-e', '0']));
  nv.push(await timed(node, [CLI, 'version']));
  nt.push(await timed(node, ['-e', bareHandshake]));
}
const spw = median(sp.map((r) => r.wall));
const sow = median(so.map((r) => r.wall));
const nsw = median(ns.map((r) => r.wall));
const nvw = median(nv.map((r) => r.wall));
const ntw = median(nt.map((r) => r.wall));
console.log(`\nsingle endpoint (median of ${RUNS})`);
console.log(`  kubectl gwtls probe:        ${fmt(spw)}  peak RSS ${(median(sp.map((r) => r.rss)) / 1024).toFixed(0)} MiB`);
console.log(`  openssl s_client:           ${fmt(sow)}  peak RSS ${(median(so.map((r) => r.rss)) / 1024).toFixed(0)} MiB`);
console.log(`  node -e 0 (Node start-up):  ${fmt(nsw)}`);
console.log(`  kubectl gwtls version:      ${fmt(nvw)}`);
console.log(`  node, bare tls.connect:     ${fmt(ntw)}  (the floor for a Node program doing one handshake)`);
console.log(`  budget = Node start-up + 1.2 x openssl = ${fmt(nsw + 1.2 * sow)}; probe is ${spw <= nsw + 1.2 * sow ? 'within' : 'OVER'} budget (${fmt(spw - nsw)} beyond Node start-up; ${(spw / ntw).toFixed(2)}x the bare tls.connect floor)`);

await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
process.exit(0);
