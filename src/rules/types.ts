// A rule: stable code, severity, title and the kinds it reads (its inputs), with a check that reports
// findings (object, field, evidence, fixes). Message text lives with the rule; docs in docs/rules/<CODE>.md.
import type { KindName } from '../cluster/kinds.ts';
import type { BaseObject } from '../cluster/objects.ts';
import type { Snapshot } from '../cluster/snapshot.ts';
import type { GatewayModel, ListenerModel, Model } from '../graph/model.ts';
import type { Fix, Severity } from '../report/types.ts';

export interface RuleMeta {
  code: string;
  severity: Severity;
  title: string;
  /** Kinds the check reads. A rule whose inputs cannot be read is reported under `skipped`. */
  inputs: readonly KindName[];
  /** One paragraph: what the finding means. The docs page says more. */
  description: string;
}

export interface FindingInput {
  object: BaseObject;
  field?: string;
  message: string;
  evidence?: string[];
  fixes?: Fix[];
  /** Overrides the rule's default severity for this finding (e.g. implementation-dependent). */
  severity?: Severity;
  gateway?: GatewayModel;
  listener?: ListenerModel;
}

export interface RuleContext {
  model: Model;
  snapshot: Snapshot;
  now: Date;
  report(finding: FindingInput): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

/** Metadata of codes reported outside the inspect rule engine (the probe command). */
export interface CodeMeta {
  code: string;
  severity: Severity;
  title: string;
  description: string;
}
