import { CERT_MANAGER_GROUP } from '../../cluster/kinds.ts';
import type { BaseObject } from '../../cluster/objects.ts';
import type { CertificateObject, IssuerRef } from '../../cluster/objects-cert-manager.ts';
import { fix, FORCE_NOTE, identity } from '../../fixes/builders.ts';
import { CM } from '../../graph/cert-manager-shim.ts';
import { issuerLabel, issuerState, type IssuerState } from '../../graph/cert-manager.ts';
import type { GatewayModel, ListenerModel } from '../../graph/model.ts';
import type { Fix } from '../../report/types.ts';
import { sentence } from '../listeners/words.ts';
import type { Rule, RuleContext } from '../types.ts';
import { gatewayId } from '../util.ts';
import { chains, conditionEvidence, stillServing } from './chains.ts';

interface Use {
  lm: ListenerModel;
  certificate?: CertificateObject;
  serving: boolean;
}

/** An issuer of the other kind with the same name: the usual mix-up of Issuer and ClusterIssuer. */
function otherKind(ctx: RuleContext, ref: IssuerRef, namespace: string): IssuerRef | undefined {
  if (ref.group !== CERT_MANAGER_GROUP) return undefined;
  if (ref.kind === 'Issuer' && ctx.snapshot.get('ClusterIssuer', '', ref.name)) return { ...ref, kind: 'ClusterIssuer' };
  if (ref.kind === 'ClusterIssuer' && ctx.snapshot.get('Issuer', namespace, ref.name)) return { ...ref, kind: 'Issuer' };
  return undefined;
}

function fixesFor(ctx: RuleContext, gm: GatewayModel, state: IssuerState, namespace: string, uses: Use[]): Fix[] {
  if (state.state !== 'missing') return [];
  const target = otherKind(ctx, state.ref, namespace);
  if (!target) return [];
  const shimmed = uses.some((u) => !u.certificate || u.certificate.owners.some((o) => o.controller && o.kind === 'Gateway' && o.name === gm.obj.meta.name));
  if (shimmed) {
    // cert-manager.io/issuer + cert-manager.io/issuer-kind is what the shim accepts for another kind
    // (sync.go issuerForIngressLike); cluster-issuer with issuer-kind is refused, so only the first direction works.
    if (state.ref.kind === 'Issuer' && gm.obj.meta.annotations[CM.issuer] !== undefined) {
      return [fix(`tell the gateway-shim that ${state.ref.name} is a ClusterIssuer (annotation ${CM.issuerKind}: ClusterIssuer)`, [{ ...identity(gm.obj), metadata: { ...identity(gm.obj).metadata, annotations: { [CM.issuerKind]: 'ClusterIssuer' } } }], { note: 'cert-manager.io/issuer with cert-manager.io/issuer-kind: ClusterIssuer names the ClusterIssuer; the shim updates the Certificates it controls.' })];
    }
    return [];
  }
  return uses
    .filter((u) => u.certificate && u.certificate.meta.namespace === namespace)
    .map((u) =>
      fix(`point Certificate ${namespace}/${u.certificate!.meta.name} at ${issuerLabel(target, namespace)}`, [{ ...identity(u.certificate!), spec: { issuerRef: { name: target.name, kind: target.kind, group: target.group } } }], { note: FORCE_NOTE }),
    );
}

export const cm003: Rule = {
  meta: {
    code: 'GWTLS-CM-003',
    severity: 'error',
    title: 'Issuer or ClusterIssuer of the listener certificate missing or not Ready',
    inputs: ['Gateway', 'Secret', 'Certificate', 'Issuer', 'ClusterIssuer'],
    description:
      "The Issuer or ClusterIssuer that a listener's Certificate (or the Gateway's cert-manager annotation) names does not exist, or reports Ready=False: a CA issuer whose CA Secret is missing or not a CA, an ACME issuer that cannot register its account. cert-manager leaves the CertificateRequest Pending (\"Referenced issuer does not have a Ready status condition\") until it is Ready, so nothing is issued or renewed.",
  },
  check(ctx) {
    // One finding per issuer and Gateway, naming every Certificate of that Gateway it blocks.
    const groups = new Map<string, { gm: GatewayModel; state: IssuerState; namespace: string; uses: Use[] }>();
    for (const at of chains(ctx.model)) {
      const { lm, chain } = at;
      const gm = lm.gateway;
      let state = chain.issuer;
      let namespace = chain.certificate?.meta.namespace ?? chain.secret.namespace;
      if (!state && !chain.certificate && chain.shim?.plan.issuer && chain.shim.listener.outcome === 'certificate') {
        namespace = chain.secret.namespace;
        state = issuerState(ctx.snapshot, chain.shim.plan.issuer.ref, namespace);
      }
      if (!state || state.state === 'external' || state.state === 'unknown') continue;
      if (state.state === 'found' && state.ready?.status === 'True') continue;
      // An issuer read from a file without a Ready condition says nothing: manifests carry no status.
      if (state.state === 'found' && !state.ready && state.obj?.origin) continue;
      const key = `${gatewayId(gm)}|${state.ref.kind}|${state.ref.kind === 'Issuer' ? namespace : ''}|${state.ref.name}`;
      const g = groups.get(key) ?? { gm, state, namespace, uses: [] };
      groups.set(key, g);
      g.uses.push({ lm, ...(chain.certificate ? { certificate: chain.certificate } : {}), serving: stillServing(at, ctx.now) });
    }
    for (const { gm, state, namespace, uses } of groups.values()) {
      const label = issuerLabel(state.ref, namespace);
      const what = uses.map((u) => (u.certificate ? `Certificate ${u.certificate.meta.namespace}/${u.certificate.meta.name} (listener ${u.lm.spec.name})` : `listener ${u.lm.spec.name}`)).join(', ');
      const serving = uses.every((u) => u.serving);
      const consequence = serving ? 'nothing is renewed; clients get the current certificates until they expire' : 'nothing is issued, so the listener has no certificate';
      const first = uses[0]!;
      if (state.state === 'missing') {
        const other = otherKind(ctx, state.ref, namespace);
        const object: BaseObject = first.certificate ?? gm.obj;
        ctx.report({
          object,
          field: first.certificate ? 'spec.issuerRef' : 'metadata.annotations',
          severity: serving ? 'warning' : 'error',
          message: sentence(`${label}, which ${what} of Gateway ${gatewayId(gm)} ${uses.length > 1 ? 'are' : 'is'} issued by, does not exist${other ? ` (a ${other.kind} named ${other.name} does: the kinds are mixed up)` : ''}; ${consequence}`),
          evidence: [state.why, ...(first.certificate ? [`Certificate ${first.certificate.meta.namespace}/${first.certificate.meta.name} spec.issuerRef: ${state.ref.kind} ${state.ref.name} (group ${state.ref.group})`] : [])],
          fixes: fixesFor(ctx, gm, state, namespace, uses),
          gateway: gm,
          ...(uses.length === 1 ? { listener: first.lm } : {}),
        });
        continue;
      }
      const issuer = state.obj!;
      const r = state.ready;
      const kindWords = issuer.spec.type === 'ca' ? ` (a CA issuer signing with Secret ${issuer.spec.ca!.secretName} in ${issuer.kind === 'Issuer' ? `namespace ${namespace}` : "cert-manager's cluster resource namespace"})` : issuer.spec.type === 'acme' ? ` (ACME, ${issuer.spec.acme!.server})` : '';
      ctx.report({
        object: issuer,
        field: 'status.conditions',
        severity: serving ? 'warning' : 'error',
        message: sentence(`${label}${kindWords} is not Ready${r ? `: ${r.reason ? `${r.reason}, ` : ''}"${r.message ?? ''}"` : ': it has no status (no cert-manager issuers controller has reconciled it)'}; ${what} of Gateway ${gatewayId(gm)} ${uses.length > 1 ? 'wait' : 'waits'} for it and ${consequence}`),
        evidence: [conditionEvidence(label, r)],
        gateway: gm,
        ...(uses.length === 1 ? { listener: first.lm } : {}),
      });
    }
  },
};
