import { GATEWAY_GROUP, KINDS } from '../../cluster/kinds.ts';
import { fix, objectName, referenceGrant } from '../../fixes/builders.ts';
import { checkGrant } from '../../graph/grants.ts';
import { sentence } from './words.ts';
import type { Rule } from '../types.ts';
import { gatewayId, listenerField, listenerLabel, listenerOwner } from '../util.ts';
import { refLabel, terminatingListeners, usable } from './cert-refs.ts';
import { conditionEvidence, listenerCondition } from './status.ts';

export const lsn006: Rule = {
  meta: {
    code: 'GWTLS-LSN-006',
    severity: 'error',
    title: 'Cross-namespace certificate Secret without a ReferenceGrant',
    inputs: ['Gateway', 'GatewayClass', 'Secret', 'ReferenceGrant'],
    description:
      'A listener may use a Secret in another namespace only when a ReferenceGrant in the Secret\'s namespace allows Gateways from the listener\'s namespace to reference it. Without one the ref is RefNotPermitted and the listener does not get the certificate.',
  },
  check(ctx) {
    for (const lm of terminatingListeners(ctx.model)) {
      const gm = lm.gateway;
      for (const ref of lm.certRefs) {
        // A missing Secret is the first thing to fix (GWTLS-LSN-004); a grant for it would change nothing yet.
        if (ref.state !== 'not-permitted' || (ref.secret?.found === false && ref.secret.known)) continue;
        const others = lm.certRefs.filter((r) => r !== ref && usable(r));
        // A ListenerSet's listeners need a grant from the ListenerSet kind: grants to its Gateway are not inherited (GEP-1713).
        const owner = listenerOwner(lm);
        const ownerNs = owner.meta.namespace;
        const kinds = owner.kind === 'Gateway' ? 'Gateways' : `${owner.kind}s`;
        const grant = referenceGrant({
          namespace: ref.ref.namespace,
          name: objectName(kinds.toLowerCase(), ownerNs, 'secret', ref.ref.name),
          fromGroup: KINDS[owner.kind].group,
          fromKind: owner.kind,
          fromNamespace: ownerNs,
          toGroup: '',
          toKind: 'Secret',
          toName: ref.ref.name,
        });
        const gatewayGrant = owner.kind !== 'Gateway' ? checkGrant(ctx.snapshot, { group: GATEWAY_GROUP, kind: 'Gateway', namespace: ownerNs }, { group: '', kind: 'Secret', namespace: ref.ref.namespace, name: ref.ref.name }) : undefined;
        const resolved = listenerCondition(lm, 'ResolvedRefs');
        ctx.report({
          object: owner,
          field: listenerField(lm, `tls.certificateRefs[${ref.index}]`),
          severity: others.length > 0 ? 'warning' : 'error',
          message: sentence(`${listenerLabel(lm)} of Gateway ${gatewayId(gm)} uses Secret ${ref.ref.namespace}/${ref.ref.name} from another namespace, and no ReferenceGrant in namespace ${ref.ref.namespace} allows ${kinds} from namespace ${ownerNs} to read it: the ref is not permitted (RefNotPermitted), so ${others.length > 0 ? `clients get ${others.map(refLabel).join(' or ')} instead` : 'the listener has no certificate and does not serve TLS'}.${gatewayGrant?.allowed ? ` ${gatewayGrant.why.replace(/^allowed by /, '')} lets Gateways read it, but a ListenerSet does not inherit its Gateway's grants.` : ''} A ReferenceGrant in ${ref.ref.namespace} that names this one Secret fixes it.`),
          evidence: [`${listenerField(lm, `tls.certificateRefs[${ref.index}]`)}: Secret ${ref.ref.namespace}/${ref.ref.name} (${owner.kind} in ${ownerNs})`, ref.grant.why, ...(resolved?.status === 'False' ? [conditionEvidence(lm, resolved)] : [])],
          fixes: [fix(`allow ${kinds} in ${ownerNs} to use Secret ${ref.ref.namespace}/${ref.ref.name}`, [grant])],
          listener: lm,
        });
      }
    }
  },
};
