// `kubectl gwtls probe` as users run it: the built CLI against loopback TLS servers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { makePki, pem } from '../helpers/tls-certs.ts';
import { probeContractProblems } from '../helpers/probe-schema.ts';
import { freePort, startRawServer, startTlsServer, type Running } from '../helpers/tls-servers.ts';
import { makeStyle, styleFor } from '../../src/probe/style.ts';

const pki = makePki('rsa', 'Cli');
const dir = mkdtempSync(join(tmpdir(), 'gwtls-probe-cli-'));
const caFile = join(dir, 'ca.pem');
const notPem = join(dir, 'not.pem');
let good: Running;
let noInt: Running;
const servers: Running[] = [];
const flat = (s: string) => s.replace(/\s+/g, ' ');

beforeAll(async () => {
  writeFileSync(caFile, pki.root.pem);
  writeFileSync(notPem, 'hello\n');
  const leaf = pki.leaf({ cn: 'shop.example.test', dns: ['shop.example.test', 'localhost'] });
  good = await startTlsServer({ key: leaf.key.keyPem, cert: pem(leaf, pki.int), ALPNProtocols: ['h2', 'http/1.1'] });
  noInt = await startTlsServer({ key: leaf.key.keyPem, cert: pem(leaf) });
  servers.push(good, noInt);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('probe CLI', () => {
  it('-o json: one ProbeReport, field by field, exit 0', async () => {
    const r = await runCli(['probe', `shop.example.test:${good.port}`, '--connect-to', '127.0.0.1', '--ca-file', caFile, '--alpn', 'h2,http/1.1', '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.apiVersion).toBe('gwtls.dev/v1alpha1');
    expect(j.kind).toBe('ProbeReport');
    expect(j.target).toEqual({ input: `shop.example.test:${good.port}`, host: 'shop.example.test', port: good.port, sni: 'shop.example.test', address: '127.0.0.1', addressPort: good.port, connectTo: '127.0.0.1', starttls: null, alpnOffered: ['h2', 'http/1.1'] });
    expect(j.connection).toMatchObject({ ok: true, phase: 'done', protocol: 'TLSv1.3', alpn: 'h2', error: null, notTls: null });
    expect(typeof j.connection.tcpMs).toBe('number');
    expect(typeof j.connection.tlsMs).toBe('number');
    expect(j.connection.cipher).toMatch(/^TLS_AES_/);
    expect(j.chain).toHaveLength(2);
    expect(j.chain[0]).toMatchObject({ subject: 'CN=shop.example.test', issuer: 'O=gwtls tests, CN=Cli Intermediate CA', keyType: 'RSA', keyBits: 2048, isCA: false, selfSigned: false, source: 'probe', index: 0, issuedByNext: true });
    expect(j.chain[0].sans).toEqual({ dns: ['shop.example.test', 'localhost'], ip: [] });
    expect(j.chain[0].fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(j.chain[0].aiaIssuers).toEqual(['http://pki.example.test/cli-int.crt']);
    expect(j.chain[1]).toMatchObject({ isCA: true, index: 1, issuedByNext: null });
    expect(j.verification).toMatchObject({ trusted: true, hostnameMatches: true, error: null, name: 'shop.example.test', trustStore: `ca-file ${caFile}` });
    expect(j.chainAnalysis).toMatchObject({ ordered: true, missingIntermediate: null, issues: [] });
    expect(j.findings).toEqual([]);
    expect(j.summary).toEqual({ errors: 0, warnings: 0, info: 0 });
    expect(j.ok).toBe(true);
  });

  it('text: readable at 80 columns, every state in words, no colour when NO_COLOR is set', async () => {
    const r = await runCli(['probe', `localhost:${noInt.port}`, '--ca-file', caFile]);
    expect(r.code).toBe(1);
    const out = r.stdout;
    expect(out).not.toContain('\x1b[');
    expect(out).toContain('result      FAILED: handshake complete, chain not trusted');
    expect(out).toContain('NOT trusted');
    expect(out).toContain('chain as served: 1 certificate');
    expect(out).toContain('ERROR    GWTLS-PRB-007');
    expect(flat(out)).toContain('the issuer certificate can be downloaded from http://pki.example.test/cli-int.crt');
    expect(flat(out)).toContain('see: kubectl gwtls explain GWTLS-PRB-007');
    for (const line of out.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('text: findings with long titles stay within 80 columns', async () => {
    const r = await runCli(['probe', `localhost:${good.port}`]); // private CA, no --ca-file: PRB-008
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('GWTLS-PRB-008');
    expect(r.stdout).toContain('NOT trusted (system trust store)');
    for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('several targets: a ProbeReportList in input order and the worst exit code', async () => {
    const refused = await freePort();
    const r = await runCli(['probe', `localhost:${good.port}`, `127.0.0.1:${refused}`, '--ca-file', caFile, '-o', 'json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.kind).toBe('ProbeReportList');
    expect(j.apiVersion).toBe('gwtls.dev/v1alpha1');
    expect(j.items.map((i: { ok: boolean; target: { port: number } }) => [i.target.port, i.ok])).toEqual([[good.port, true], [refused, false]]);
    const r2 = await runCli(['probe', `localhost:${good.port}`, 'nothing-here.invalid', '--ca-file', caFile]);
    expect(r2.code).toBe(2);
    expect(r2.stdout).toContain('OK: handshake complete, chain trusted, name matches');
  });

  it('-o json keeps the contract of docs/report.schema.json (probeReport, probeReportList) for every kind of peer', async () => {
    const refused = await freePort();
    const http = await startRawServer((sock) => sock.once('data', () => sock.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')));
    servers.push(http);
    const runs = [
      ['probe', `shop.example.test:${good.port}`, '--connect-to', '127.0.0.1', '--ca-file', caFile, '--alpn', 'h2,http/1.1'],
      ['probe', `wrong.example.test:${noInt.port}`, '--connect-to', '127.0.0.1'],
      ['probe', `127.0.0.1:${good.port}`, '--ca-file', caFile],
      ['probe', `localhost:${http.port}`],
      ['probe', `localhost:${good.port}`, `127.0.0.1:${refused}`, 'nothing-here.invalid', '--ca-file', caFile],
    ];
    const problems: string[] = [];
    for (const args of runs) {
      const r = await runCli([...args, '--no-cluster', '-o', 'json', '--timeout', '5s']);
      const doc = JSON.parse(r.stdout) as { kind: string };
      problems.push(...probeContractProblems(doc).map((p) => `${args.join(' ')}: ${p}`));
    }
    expect(problems).toEqual([]);
  });

  it('many targets at once (bounded concurrency)', async () => {
    const targets = Array.from({ length: 40 }, () => `localhost:${good.port}`);
    const r = await runCli(['probe', ...targets, '--ca-file', caFile, '-o', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).items.every((i: { ok: boolean }) => i.ok)).toBe(true);
  });

  it.each([
    [['probe', 'bad_host!'], /not a valid host name/],
    [['probe', 'host:99999'], /out of range/],
    [['probe', 'localhost', '--ca-file', '/nonexistent/ca.pem'], /cannot read --ca-file \/nonexistent\/ca.pem: no such file/],
    [['probe', 'localhost', '--ca-file', notPem], /holds no PEM certificate|not valid PEM/],
    [['probe', 'localhost', '--timeout', 'soon'], /invalid --timeout "soon"/],
    [['probe', 'localhost', '--timeout', '0'], /^error: invalid --timeout "0": a probe needs a time limit longer than 0/],
    [['probe', 'localhost', '--alpn', 'a'.repeat(256)], /^error: invalid --alpn: a protocol name is at most 255 bytes/],
    [['probe', 'localhost', '--sni', '127.0.0.1'], /^error: --sni "127.0.0.1": give a host name only/],
    [['probe', 'localhost', '--sni', '[::1]'], /^error: --sni "\[::1\]": give a host name only/],
    [['probe', 'localhost', '--connect-to', '[::1'], /--connect-to/],
    [['probe', 'localhost', '--starttls', 'gopher'], /Allowed choices are postgres, mysql, smtp, imap, pop3, ftp/],
    [['probe'], /missing required argument/],
  ])('usage error %j: exit 2, one line, no stack', async (args, re) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(re);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('help documents the flags and the exit codes', async () => {
    const r = await runCli(['probe', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--sni', '--connect-to', '--ca-file', '--alpn', '--starttls', '--timeout', '--output', '--context', '--no-cluster']) expect(r.stdout).toContain(flag);
    expect(flat(r.stdout)).toContain('When a kubeconfig is usable, HOST targets are cross-checked against the cluster');
    expect(flat(r.stdout)).toContain('svc/NAME:PORT (a Service port, number or name) goes to a ready endpoint Pod and its target port');
    expect(r.stdout).toContain('Exit codes: 0');
  });
});

describe('colour helper', () => {
  it('colours only on a terminal without NO_COLOR', () => {
    expect(styleFor({ isTTY: true }, {}).enabled).toBe(true);
    expect(styleFor({ isTTY: true }, { NO_COLOR: '1' }).enabled).toBe(false);
    expect(styleFor({ isTTY: false }, {}).enabled).toBe(false);
    expect(makeStyle(true).red('x')).toBe('\x1b[31mx\x1b[39m');
    expect(makeStyle(false).red('x')).toBe('x');
  });
});
