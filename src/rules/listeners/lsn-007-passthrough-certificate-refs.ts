import { fix, FORCE_NOTE, listenerPatch, rawListener } from '../../fixes/builders.ts';
import { isAwsLbc } from '../../graph/providers/aws-lbc.ts';
import { sentence } from './words.ts';
import type { Rule } from '../types.ts';
import { gatewayId, listenerField, listenerLabel, listeners, listenerOwner } from '../util.ts';
import { conditionEvidence, listenerCondition } from './status.ts';

export const lsn007: Rule = {
  meta: {
    code: 'GWTLS-LSN-007',
    severity: 'error',
    title: 'Passthrough listener carries certificateRefs',
    inputs: ['Gateway', 'GatewayClass'],
    description:
      'In Passthrough mode the backend terminates TLS with its own certificate; the spec says certificateRefs are ignored, but Envoy Gateway (and Calico Ingress Gateway) refuse such a listener (Programmed=False: "Listener must not have TLS certificate refs set for TLS mode Passthrough"). Elsewhere the refs only mislead readers into thinking the Gateway terminates TLS.',
  },
  check(ctx) {
    for (const lm of listeners(ctx.model)) {
      const { spec, gateway: gm } = lm;
      if (spec.protocol !== 'TLS' || spec.tls?.mode !== 'Passthrough' || spec.tls.certificateRefs.length === 0) continue;
      if (isAwsLbc(gm.impl)) continue; // LBC ignores every certificateRef (GWTLS-LBC-002).
      const rejects = gm.impl.rejectsCertificateRefsOnPassthrough;
      const names = spec.tls.certificateRefs.map((r) => `${r.namespace ?? listenerOwner(lm).meta.namespace}/${r.name}`).join(', ');
      const raw = rawListener(listenerOwner(lm), spec);
      // An empty list, not an omitted field: server-side apply keeps fields another manager owns unless they are set.
      raw.tls = { ...((raw.tls ?? {}) as Record<string, unknown>), mode: 'Passthrough', certificateRefs: [] };
      const programmed = listenerCondition(lm, 'Programmed');
      ctx.report({
        object: listenerOwner(lm),
        field: listenerField(lm, 'tls.certificateRefs'),
        severity: rejects ? 'error' : 'warning',
        message: rejects
          ? sentence(`${listenerLabel(lm)} of Gateway ${gatewayId(gm)} passes TLS through to the backend but lists certificateRefs (Secret ${names}): ${gm.impl.name} refuses such a listener (Programmed=False), so port ${spec.port} serves nothing. In Passthrough mode the backend presents its own certificate; remove the refs.`)
          : sentence(`${listenerLabel(lm)} of Gateway ${gatewayId(gm)} passes TLS through to the backend but lists certificateRefs (Secret ${names}): they are ignored in Passthrough mode (the backend presents its own certificate), and suggest that the Gateway terminates TLS. Remove them.`),
        evidence: [`${listenerField(lm, 'tls')}: mode Passthrough, certificateRefs ${names}`, ...(programmed?.status === 'False' ? [conditionEvidence(lm, programmed)] : [])],
        fixes: [fix(`remove certificateRefs from Passthrough listener ${spec.name}`, [listenerPatch(listenerOwner(lm), raw)], { note: FORCE_NOTE })],
        listener: lm,
      });
    }
  },
};
