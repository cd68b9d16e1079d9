// Less input is less certainty, never a stronger claim. For every seed and scenario fixture, and every kind in it
// (the Gateways aside), the same files without any object of that kind (and, apart, without any object's status)
// give no finding the full files do not
// give, and none more severe, unless the difference is one of the few below that the design explains: there the
// files are the desired state (a BackendTLSPolicy, a ReferenceGrant, a TargetGroupConfiguration that is not in
// them is not wanted), or the report says what it assumed (no GatewayClass, hence no known implementation: the
// specification's behaviour). Each explained difference is counted and printed. It found GWTLS-CM-002 calling a
// failing Certificate's Secret empty (an error) when the Secret was merely not in the input.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { analyse } from '../../../src/cli/inspect-run.ts';
import type { InspectReport } from '../../../src/report/types.ts';
import { yamlFiles } from '../../helpers/yaml-files.ts';

const NOW = new Date('2026-11-22T00:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'gwtls-kind-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Finding = InspectReport['findings'][number];
const claim = (f: Finding) => JSON.stringify([f.code, f.object, f.field ?? null]);
const RANK = { info: 0, warning: 1, error: 2 } as const;

/** Not a kind: every object's status. */
const STATUS = 'status';
const DESIRED = 'the files are the desired state: an object of this kind that is not in them is not wanted, and the finding is the diagnosis';
const SPEC_ASSUMED = 'no GatewayClass in the files: the implementation is unknown, so the specification\'s behaviour is assumed, and skipped says the GatewayClass could not be checked';
const SUPERSEDED = 'the object the full files hold gives a finding of its own on the same cause (another code); without it this one says it';

/** Removed kind -> finding code -> why a finding may appear (or grow) without that kind. */
const EXPLAINED: Record<string, Record<string, string>> = {
  BackendTLSPolicy: { 'GWTLS-BTLS-001': `${DESIRED} (seed b, no-policy.yaml)`, 'GWTLS-EG-002': DESIRED },
  ReferenceGrant: { 'GWTLS-LSN-006': DESIRED, 'GWTLS-BE-003': DESIRED, 'GWTLS-LS-004': DESIRED },
  TargetGroupConfiguration: {
    'GWTLS-BE-008': `${DESIRED}; the controller's defaults apply, and the finding names the flag that changes them`,
    'GWTLS-LBC-005': DESIRED,
    'GWTLS-BTLS-002': DESIRED,
    'GWTLS-BTLS-005': DESIRED,
  },
  LoadBalancerConfiguration: { 'GWTLS-LBC-007': DESIRED },
  ConfigMap: { 'GWTLS-BTLS-003': 'a warning that says the CA ConfigMap is not in the input and may exist in the cluster' },
  GatewayClass: Object.fromEntries(['GWTLS-BE-007', 'GWTLS-RT-003', 'GWTLS-BTLS-001', 'GWTLS-BTLS-003', 'GWTLS-CERT-001', 'GWTLS-CERT-003', 'GWTLS-LSN-004', 'GWTLS-LSN-005', 'GWTLS-LSN-007', 'GWTLS-LSN-008'].map((c) => [c, SPEC_ASSUMED])),
  Event: { 'GWTLS-GW-001': 'the finding says the Events that would name the cause could not be read' },
  Secret: {
    'GWTLS-LSN-006': `${SUPERSEDED} (GWTLS-LSN-004: the Secret named does not exist, and a grant would be needed too)`,
    'GWTLS-LSN-009': 'overlapping hostnames are a warning; only a certificate known not to cover the other name lowers it to info',
  },
  Certificate: { 'GWTLS-CM-003': `${SUPERSEDED} (GWTLS-CM-002 gives the issuer as the Certificate's cause)` },
  CertificateRequest: { 'GWTLS-CM-004': `${SUPERSEDED} (the Challenge's own failure)` },
  Order: { 'GWTLS-CM-004': `${SUPERSEDED} (the Challenge's own failure)` },
  Challenge: { 'GWTLS-CM-004': `${SUPERSEDED} (the Challenge's own failure)` },
  TCPRoute: { 'GWTLS-GW-003': `${SUPERSEDED} (the route's listener finding explains the controller's event)` },
  HTTPRoute: { 'GWTLS-CERT-003': 'without routes a wildcard listener is not narrowed to the names its routes use, so the certificate must cover the listener hostname itself' },
};

describe('a kind not in the input', () => {
  const files = [...yamlFiles('test/fixtures/seeds'), ...yamlFiles('test/fixtures/scenarios')];

  it('never adds a finding nor raises one, but for the differences the design explains', async () => {
    let variants = 0;
    const explained = new Map<string, number>();
    const problems: string[] = [];
    const opts = { allNamespaces: true, failOn: 'none' as const };
    for (const [i, file] of files.entries()) {
      const docs = yaml.loadAll(readFileSync(file, 'utf8')).filter((d): d is Record<string, unknown> => d !== null && typeof d === 'object');
      const kinds = [...new Set(docs.map((d) => String(d.kind)))].filter((k) => k !== 'Gateway');
      // The status written by controllers is left out too, as manifests from a repository have none.
      if (docs.some((d) => d.status !== undefined)) kinds.push(STATUS);
      if (kinds.length === 0) continue;
      const full = await analyse(undefined, { ...opts, filename: [file] }, NOW);
      const known = new Map(full.report.findings.map((f) => [claim(f), f]));
      for (const kind of kinds) {
        const kept = kind === STATUS ? docs.map(({ status: _status, ...rest }) => rest) : docs.filter((d) => d.kind !== kind);
        if (kept.length === 0) continue;
        const less = join(dir, `${i}-${kind}.yaml`);
        writeFileSync(less, kept.map((d) => yaml.dump(d, { noRefs: true, lineWidth: -1 })).join('---\n'));
        const { report } = await analyse(undefined, { ...opts, filename: [less] }, NOW);
        variants++;
        for (const f of report.findings) {
          const was = known.get(claim(f));
          if (was && RANK[f.severity] <= RANK[was.severity]) continue;
          const why = EXPLAINED[kind]?.[f.code];
          const what = `without ${kind}: ${f.code} ${was ? `${was.severity} -> ${f.severity}` : f.severity} on ${f.object.kind} ${f.object.namespace ?? ''}/${f.object.name}`;
          if (why) explained.set(`${what.replace(/ on .*/, '')}: ${why}`, (explained.get(`${what.replace(/ on .*/, '')}: ${why}`) ?? 0) + 1);
          else problems.push(`${file}: ${what}: ${f.message.slice(0, 240)}`);
        }
      }
    }
    console.log(`[kind-not-in-input] ${variants} inputs with one kind (or every status) left out; explained differences:\n${[...explained].map(([k, n]) => `  ${n} x ${k}`).join('\n')}`);
    expect(variants).toBeGreaterThan(1000);
    expect(problems).toEqual([]);
  }, 600_000);
});
