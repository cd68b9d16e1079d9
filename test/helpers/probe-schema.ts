// The probe report's contract (docs/report.schema.json, definitions/probeReport and probeReportList): what in a
// `probe -o json` document does not validate, and which of its fields the schema does not name.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { unnamedFields } from '../cli/schema-coverage.ts';
import { ROOT } from './cli.ts';

const schema = JSON.parse(readFileSync(join(ROOT, 'docs/report.schema.json'), 'utf8')) as Record<string, unknown> & { $id: string };
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema(schema);
const validators = {
  ProbeReport: ajv.compile({ $ref: `${schema.$id}#/definitions/probeReport` }),
  ProbeReportList: ajv.compile({ $ref: `${schema.$id}#/definitions/probeReportList` }),
};

/** Problems with one `probe -o json` document (a ProbeReport or a ProbeReportList); none when it keeps the contract. */
export function probeContractProblems(doc: { kind?: unknown }): string[] {
  const kind = doc.kind === 'ProbeReportList' ? 'ProbeReportList' : 'ProbeReport';
  const validate = validators[kind];
  const out: string[] = [];
  if (!validate(doc)) out.push(...(validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));
  const ref = kind === 'ProbeReportList' ? '#/definitions/probeReportList' : '#/definitions/probeReport';
  for (const f of unnamedFields(doc, { $ref: ref }, schema)) out.push(`${f}: not in the schema`);
  return out;
}
