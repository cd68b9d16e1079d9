import type { CertificateObject } from '../../cluster/objects-cert-manager.ts';
import { fix, FORCE_NOTE, identity } from '../../fixes/builders.ts';
import { certificateCovers } from '../../graph/hostnames.ts';
import type { Fix } from '../../report/types.ts';
import { sentence } from '../listeners/words.ts';
import type { Rule } from '../types.ts';
import { gatewayId, listenerLabel } from '../util.ts';
import { chains } from './chains.ts';

function addNameFix(crt: CertificateObject, hostname: string): Fix {
  return fix(`add ${hostname} to spec.dnsNames of Certificate ${crt.meta.namespace}/${crt.meta.name}`, [{ ...identity(crt), spec: { dnsNames: [...crt.dnsNames, hostname] } }], {
    note: `cert-manager re-issues the certificate with the new name (the request no longer matches the spec). ${FORCE_NOTE}`,
  });
}

export const cm008: Rule = {
  meta: {
    code: 'GWTLS-CM-008',
    severity: 'error',
    title: "Certificate dnsNames do not cover the listener hostname",
    inputs: ['Gateway', 'Secret', 'Certificate'],
    description:
      "The cert-manager Certificate that writes the listener's Secret does not list the listener's hostname in spec.dnsNames (a wildcard name covers one label only), so every certificate it issues fails hostname verification for that listener, now and after each renewal. The gateway-shim keeps dnsNames in step with the listener hostnames only for Certificates the Gateway controls; a hand-written Certificate, or one another Gateway or ListenerSet controls, is left as it is.",
  },
  check(ctx) {
    for (const { lm, chain } of chains(ctx.model)) {
      const crt = chain.certificate;
      const hostname = lm.spec.hostname;
      if (!crt || !hostname || crt.secretName !== chain.secret.name) continue;
      const cover = certificateCovers(crt.dnsNames, hostname);
      if (cover.full || cover.partial) continue;
      const ns = crt.meta.namespace;
      const ctl = crt.owners.find((o) => o.controller);
      // The Gateway, or the ListenerSet that defines the listener (cert-manager's listenerset shim controls those).
      const gw = lm.set?.obj ?? lm.gateway.obj;
      const ours = ctl?.kind === gw.kind && ctl.name === gw.meta.name && ns === gw.meta.namespace;
      const who = ours
        ? `The gateway-shim controls it and would have added ${hostname}: cert-manager's gateway-shim is not running, or the Certificate was edited after it`
        : ctl
          ? `${ctl.kind} ${ns}/${ctl.name} controls it, so the gateway-shim of Gateway ${gatewayId(lm.gateway)} leaves it alone ("not owned by this object. refusing to update")`
          : 'It is not controlled by any Gateway, so nothing keeps its dnsNames in step with the listener';
      ctx.report({
        object: crt,
        field: 'spec.dnsNames',
        severity: 'error',
        message: sentence(`Certificate ${ns}/${crt.meta.name} writes Secret ${chain.secret.namespace}/${chain.secret.name} of ${listenerLabel(lm)} of Gateway ${gatewayId(lm.gateway)}, but its dnsNames (${crt.dnsNames.join(', ') || 'none'}) do not cover the listener hostname ${hostname}: clients connecting to ${hostname} reject every certificate it issues. ${who}`),
        evidence: [`Certificate ${ns}/${crt.meta.name} spec.dnsNames: ${crt.dnsNames.join(', ') || 'none'}${crt.commonName ? `; commonName ${crt.commonName} (not a subject alternative name)` : ''}`, `listener ${lm.spec.name} hostname: ${hostname}`],
        fixes: ours || ctl ? [] : [addNameFix(crt, hostname)],
        listener: lm,
      });
    }
  },
};
