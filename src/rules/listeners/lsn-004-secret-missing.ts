import type { SecretObject } from '../../cluster/objects.ts';
import { fix, FORCE_NOTE, listenerPatch, rawListener } from '../../fixes/builders.ts';
import { inheritedShimAnnotations } from '../../graph/listener-sets.ts';
import type { CertRef } from '../../graph/listener-certs.ts';
import type { ListenerModel } from '../../graph/model.ts';
import type { Fix, Severity } from '../../report/types.ts';
import { sentence } from './words.ts';
import type { Rule, RuleContext } from '../types.ts';
import { gatewayId, listenerField, listenerLabel, listenerOwner } from '../util.ts';
import { refLabel, terminatingListeners, usable } from './cert-refs.ts';
import { conditionEvidence, isEnvoyGateway, listenerCondition } from './status.ts';

const CERT_MANAGER_ISSUERS = ['cert-manager.io/issuer', 'cert-manager.io/cluster-issuer'];

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** A TLS Secret in the ref's namespace whose name is the one meant (a typo, or a ref of the wrong kind naming it). */
function meant(ctx: RuleContext, ref: CertRef): SecretObject | undefined {
  const all = ctx.snapshot.list('Secret', ref.ref.namespace).filter((s) => s.type === 'kubernetes.io/tls' && s.tlsCrt !== undefined);
  if (ref.state === 'invalid-kind') return all.find((s) => s.meta.name === ref.ref.name);
  const near = all.filter((s) => distance(s.meta.name, ref.ref.name) <= 2);
  return near.length === 1 ? near[0] : undefined;
}

function refFix(lm: ListenerModel, ref: CertRef, secret: SecretObject): Fix {
  const raw = rawListener(listenerOwner(lm), lm.spec);
  const tls = (raw.tls ?? {}) as Record<string, unknown>;
  const refs = Array.isArray(tls.certificateRefs) ? structuredClone(tls.certificateRefs as Array<Record<string, unknown>>) : [];
  const entry: Record<string, unknown> = { group: '', kind: 'Secret', name: secret.meta.name };
  if (refs[ref.index]?.namespace !== undefined) entry.namespace = refs[ref.index]!.namespace;
  refs[ref.index] = entry;
  raw.tls = { ...tls, certificateRefs: refs };
  return fix(`point certificateRefs[${ref.index}] of listener ${lm.spec.name} at Secret ${secret.meta.namespace}/${secret.meta.name}`, [listenerPatch(listenerOwner(lm), raw)], { note: FORCE_NOTE });
}

export const lsn004: Rule = {
  meta: {
    code: 'GWTLS-LSN-004',
    severity: 'error',
    title: 'Listener certificate Secret missing, or the ref is not a Secret',
    inputs: ['Gateway', 'GatewayClass', 'Secret', 'ReferenceGrant'],
    description:
      'A TLS-terminating listener names its certificate in tls.certificateRefs. When the Secret does not exist, or the ref names another kind (only core Secrets are portable), the listener has no certificate: Envoy Gateway marks it ResolvedRefs=False (InvalidCertificateRef) and does not program it; other implementations fail the handshake.',
  },
  check(ctx) {
    for (const lm of terminatingListeners(ctx.model)) {
      const refs = lm.certRefs;
      const gm = lm.gateway;
      const eg = isEnvoyGateway(gm.impl);
      for (const ref of refs) {
        const missing = ref.state === 'missing' || (ref.state === 'not-permitted' && ref.secret?.found === false && ref.secret.known);
        if (!missing && ref.state !== 'invalid-kind') continue;
        const others = refs.filter((r) => r !== ref && usable(r));
        // cert-manager's gateway-shim creates Secrets named by same-namespace refs (https://cert-manager.io/docs/usage/gateway/).
        const shim = ref.crossNamespace ? undefined : CERT_MANAGER_ISSUERS.find((a) => (lm.set ? inheritedShimAnnotations(lm.set.obj, gm.obj) : gm.obj.meta.annotations)[a] !== undefined);
        let severity: Severity = others.length > 0 ? 'warning' : 'error';
        if (ref.state === 'invalid-kind' && !eg && others.length === 0) severity = 'warning';
        const consequence =
          others.length > 0
            ? `clients get ${others.map(refLabel).join(' or ')} instead, and names only this certificate would cover fail`
            : eg
              ? `${gm.impl.name} marks the listener ResolvedRefs=False (InvalidCertificateRef) and does not program it, so port ${lm.spec.port} serves nothing`
              : `the listener has no certificate to present, so TLS handshakes on port ${lm.spec.port} fail`;
        let cause: string;
        if (ref.state === 'invalid-kind') {
          cause = `names ${ref.ref.kind}${ref.ref.group ? ` (group ${ref.ref.group})` : ''} ${ref.ref.name}, but only core Secrets (group "", kind Secret) are portable${eg ? ` and ${gm.impl.name} accepts nothing else` : ''}`;
        } else if (shim && ctx.snapshot.source.type === 'files' && lm.spec.hostname) {
          severity = 'info';
          cause = `names Secret ${ref.ref.namespace}/${ref.ref.name}, which is not in the input; the Gateway's ${shim} annotation asks cert-manager to create it for ${lm.spec.hostname}`;
        } else {
          // What cert-manager's chain says about it (graph/cert-manager.ts; the GWTLS-CM-* findings explain it).
          const chain = lm.issuance.find((c) => c.secret.namespace === ref.ref.namespace && c.secret.name === ref.ref.name);
          const cm = chain?.certificate
            ? ` (cert-manager's Certificate ${chain.certificate.meta.namespace}/${chain.certificate.meta.name} should write it${chain.ready?.status === 'True' ? '' : ` but is not Ready${chain.cause ? `: ${chain.cause}` : ''}`})`
            : shim
              ? ` (cert-manager should create it because of the Gateway's ${shim} annotation${chain && !chain.certificates.known ? `: check kubectl describe certificate ${ref.ref.name} -n ${ref.ref.namespace}` : ', but no Certificate for it exists: see GWTLS-CM-001'})`
              : '';
          cause = `names Secret ${ref.ref.namespace}/${ref.ref.name}, which does not exist${cm}${ref.crossNamespace ? `; once it exists, a ReferenceGrant in namespace ${ref.ref.namespace} must also allow the Gateway to use it` : ''}`;
        }
        const candidate = severity === 'info' || ref.crossNamespace ? undefined : meant(ctx, ref);
        const resolved = listenerCondition(lm, 'ResolvedRefs');
        ctx.report({
          object: listenerOwner(lm),
          field: listenerField(lm, `tls.certificateRefs[${ref.index}]`),
          severity,
          message:
            severity === 'info'
              ? sentence(`${listenerLabel(lm)} of Gateway ${gatewayId(gm)} ${cause}; until it does, the listener has no certificate.`)
              : sentence(`${listenerLabel(lm)} of Gateway ${gatewayId(gm)} ${cause}: ${consequence}.${candidate ? ` Secret ${candidate.meta.namespace}/${candidate.meta.name} exists and is probably the one meant.` : ref.state === 'invalid-kind' ? '' : ` Create it (kubectl create secret tls ${ref.ref.name} -n ${ref.ref.namespace} --cert=fullchain.pem --key=privkey.pem) or correct the name.`}`),
          evidence: [`${listenerField(lm, `tls.certificateRefs[${ref.index}]`)}: ${ref.ref.kind} ${ref.ref.namespace}/${ref.ref.name}`, ref.why, ...(resolved?.status === 'False' ? [conditionEvidence(lm, resolved)] : [])],
          fixes: candidate ? [refFix(lm, ref, candidate)] : [],
          listener: lm,
        });
      }
    }
  },
};
