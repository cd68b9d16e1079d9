// `kubectl gwtls inspect`: load objects, build the path model, run the rules, print the report.
import * as yaml from 'js-yaml';
import { loadSnapshot } from '../cluster/source.ts';
import { InputPathError } from '../cluster/manifests.ts';
import { buildModel } from '../graph/model.ts';
import { buildReport } from '../report/build.ts';
import { colorEnabled, makeStyle } from '../report/style.ts';
import { renderGatewayList, renderReport } from '../report/text.ts';
import type { InspectReport } from '../report/types.ts';
import { runRules } from '../rules/engine.ts';
import { ALL_RULES } from '../rules/index.ts';
import { fixesDocument } from '../fixes/render.ts';
import { EXIT_FINDINGS, EXIT_OK, UserError } from './errors.ts';
import type { InspectOptions } from './inspect.ts';

export async function runInspect(gateway: string | undefined, opts: InspectOptions): Promise<number> {
  const format = opts.output ?? 'text';
  if (format === 'tui') throw new UserError('the interactive terminal UI is not part of this build yet; use -o text, json or yaml');
  if (opts.fix && format !== 'text') throw new UserError('--fix prints the fixes as YAML; with -o json or yaml they are already in findings[].fixes');

  const now = process.env.GWTLS_NOW ? new Date(process.env.GWTLS_NOW) : new Date();
  let loaded;
  try {
    loaded = await loadSnapshot({
      ...(opts.filename ? { files: opts.filename } : {}),
      ...(opts.namespace !== undefined ? { namespace: opts.namespace } : {}),
      allNamespaces: opts.allNamespaces ?? false,
      ...(gateway ? { gatewayName: gateway } : {}),
      cluster: {
        ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
        ...(opts.context ? { context: opts.context } : {}),
        ...(opts.requestTimeout !== undefined ? { requestTimeoutMs: opts.requestTimeout } : {}),
      },
    });
  } catch (e) {
    if (e instanceof InputPathError) throw new UserError(e.message);
    throw e;
  }
  const { snapshot, scope, inputErrors, ignored } = loaded;
  for (const err of inputErrors) process.stderr.write(`warning: ${err.file}${err.line ? `:${err.line}` : ''}: ${err.message}\n`);
  const ignoredCount = Object.values(ignored).reduce((a, b) => a + b, 0);
  if (ignoredCount > 0 && format === 'text') process.stderr.write(`note: ignored ${ignoredCount} object${ignoredCount > 1 ? 's' : ''} of kinds this tool does not read (${Object.keys(ignored).join(', ')})\n`);

  const model = buildModel(snapshot, scope, now);
  if (gateway && model.gateways.length === 0) throw new UserError(gatewayNotFound(gateway, scope.namespace, snapshot.list('Gateway').map((g) => `${g.meta.namespace}/${g.meta.name}`), snapshot.source.type));
  const { findings, skipped } = runRules(model, ALL_RULES, { ...(opts.ignore ? { ignore: opts.ignore } : {}) });
  const report = buildReport({ model, findings, skipped, inputErrors });

  if (opts.fix) {
    process.stdout.write(fixesDocument(report.findings));
  } else if (format === 'json') {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  } else if (format === 'yaml') {
    process.stdout.write(yaml.dump(report, { noRefs: true, lineWidth: -1 }));
  } else {
    const style = makeStyle(colorEnabled());
    const width = Math.max(60, Math.min(process.stdout.columns || 80, 120));
    process.stdout.write(gateway ? renderReport(report, { style, width }) : renderGatewayList(report, { style, width }));
  }
  return exitCode(report, opts.failOn);
}

export function exitCode(report: InspectReport, failOn: 'error' | 'warning' | 'none'): number {
  if (failOn === 'none') return EXIT_OK;
  const { errors, warnings } = report.summary;
  if (errors > 0 || (failOn === 'warning' && warnings > 0)) return EXIT_FINDINGS;
  return EXIT_OK;
}

function gatewayNotFound(name: string, namespace: string | undefined, existing: string[], source: 'files' | 'cluster'): string {
  const where = namespace ? `namespace ${namespace}` : source === 'files' ? 'the input' : 'any namespace';
  const here = namespace ? existing.filter((g) => g.startsWith(`${namespace}/`)) : existing;
  const elsewhere = existing.filter((g) => g.endsWith(`/${name}`));
  let hint = here.length ? `Gateways there: ${here.slice(0, 8).join(', ')}${here.length > 8 ? ', …' : ''}` : `there are no Gateways in ${where}`;
  if (elsewhere.length) hint += `; a Gateway named ${name} exists in ${elsewhere.map((g) => g.split('/')[0]).join(', ')} (use -n)`;
  return `Gateway ${name} not found in ${where}: ${hint}`;
}
