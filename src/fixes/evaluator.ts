// The analysis `inspect` runs, made repeatable on the objects a fix plan would leave behind: the raw objects
// are read the way the source reads them (normalize) and laid over the snapshot, then the model and the rules
// run again with the same scope, time and ignores.
import { kindFor } from '../cluster/kinds.ts';
import { normalize } from '../cluster/normalize.ts';
import type { AnyObject } from '../cluster/objects.ts';
import type { Snapshot } from '../cluster/snapshot.ts';
import { buildModel, type Scope } from '../graph/model.ts';
import { runRules } from '../rules/engine.ts';
import { ALL_RULES } from '../rules/index.ts';
import type { Evaluator } from './evaluate.ts';

export function makeEvaluator(snapshot: Snapshot, scope: Scope, now: Date, opts: { ignore?: readonly string[]; defaultNamespace: string }): Evaluator {
  return (objects) => {
    const replaced: AnyObject[] = [];
    for (const raw of objects) {
      const info = kindFor(String(raw.apiVersion ?? ''), String(raw.kind ?? ''));
      if (info) replaced.push(normalize(raw, info, opts.defaultNamespace));
    }
    const model = buildModel(replaced.length ? snapshot.derive(replaced) : snapshot, scope, now);
    return { findings: runRules(model, ALL_RULES, opts.ignore ? { ignore: opts.ignore } : {}).findings, model };
  };
}
