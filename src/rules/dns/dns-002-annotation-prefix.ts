import { fix, identity } from '../../fixes/builders.ts';
import type { Rule } from '../types.ts';
import { ALPHA, externalDnsAnnotations, GA } from './annotations.ts';

export const dns002: Rule = {
  meta: {
    code: 'GWTLS-DNS-002',
    severity: 'info',
    title: 'external-dns annotations under one prefix only',
    inputs: ['Gateway', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'],
    description:
      'external-dns v0.22.0 changed its default annotation prefix from external-dns.alpha.kubernetes.io/ to external-dns.kubernetes.io/. Annotations under only one prefix are read by one side of that change: the alpha prefix by v0.21 and older (or a newer release started with --annotation-prefix=external-dns.alpha.kubernetes.io/), the new prefix by v0.22.0 and later. Writing both keeps records published across an upgrade.',
  },
  check(ctx) {
    const objects = [...ctx.model.gateways.map((g) => ({ obj: g.obj, gateway: g })), ...ctx.model.routes.map((r) => ({ obj: r.obj, gateway: undefined }))];
    for (const { obj, gateway } of objects) {
      const { alpha, ga } = externalDnsAnnotations(obj);
      const onlyAlpha = [...alpha].filter(([k]) => !ga.has(k));
      const onlyGa = [...ga].filter(([k]) => !alpha.has(k));
      if (onlyAlpha.length === 0 && onlyGa.length === 0) continue;
      const add: Record<string, string> = {};
      for (const [k, v] of onlyAlpha) add[GA + k] = v;
      for (const [k, v] of onlyGa) add[ALPHA + k] = v;
      const id = identity(obj);
      const doc = { ...id, metadata: { ...id.metadata, annotations: add } };
      const parts = [
        onlyAlpha.length ? `${onlyAlpha.map(([k]) => ALPHA + k).join(', ')} ${onlyAlpha.length > 1 ? 'are' : 'is'} read by external-dns v0.21 and older (v0.22.0 and later read ${GA} by default)` : '',
        onlyGa.length ? `${onlyGa.map(([k]) => GA + k).join(', ')} ${onlyGa.length > 1 ? 'are' : 'is'} read by external-dns v0.22.0 and later only (v0.21 and older read ${ALPHA})` : '',
      ].filter(Boolean);
      ctx.report({
        object: obj,
        field: 'metadata.annotations',
        message: `${obj.kind} ${obj.meta.namespace}/${obj.meta.name}: ${parts.join('; ')}. Whether a DNS record appears depends on the external-dns release and its --annotation-prefix; write both prefixes to be independent of it.`,
        evidence: [...alpha].map(([k, v]) => `${ALPHA}${k}: ${v}`).concat([...ga].map(([k, v]) => `${GA}${k}: ${v}`)),
        fixes: [fix(`add the same annotations under ${onlyAlpha.length && onlyGa.length ? 'both prefixes' : onlyAlpha.length ? GA : ALPHA}`, [doc])],
        ...(gateway ? { gateway } : {}),
      });
    }
  },
};
