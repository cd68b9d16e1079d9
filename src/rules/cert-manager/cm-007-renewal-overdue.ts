import { issuerLabel } from '../../graph/cert-manager.ts';
import { sentence } from '../listeners/words.ts';
import type { Rule } from '../types.ts';
import { gatewayId, listenerLabel } from '../util.ts';
import { CHAIN_INPUTS, chainEvidence, days, grouped, listenersLabel } from './chains.ts';

const WEEK = 7 * 86_400_000;

export const cm007: Rule = {
  meta: {
    code: 'GWTLS-CM-007',
    severity: 'error',
    title: 'cert-manager renewal overdue',
    inputs: CHAIN_INPUTS,
    description:
      "The listener's Certificate passed its status.renewalTime and has not been renewed: it is not Ready, a renewal is failing (Issuing with failed attempts), or no renewal started at all (no cert-manager controller acting on it). The certificate in the Secret keeps being served until it expires. A warning while more than a week is left; an error within the last week or once expired.",
  },
  check(ctx) {
    for (const { first, all } of grouped(ctx.model, (a) => (a.chain.certificate ? `${a.chain.certificate.meta.namespace}/${a.chain.certificate.meta.name}` : undefined))) {
      const { lm, chain } = first;
      const crt = chain.certificate;
      if (!crt || !chain.renewalDue) continue;
      const ns = crt.meta.namespace;
      const notReady = chain.ready?.status !== 'True';
      const failing = (crt.failedIssuanceAttempts ?? 0) > 0 || (chain.issuing?.status === 'False' && chain.issuing.reason === 'Failed');
      const inProgress = chain.issuing?.status === 'True';
      const renewal = Date.parse(crt.renewalTime!);
      const since = ctx.now.getTime() - renewal;
      // A renewal that started moments ago is normal: cert-manager needs a little while.
      if (!notReady && !failing && inProgress && since < 3_600_000) continue;
      const expiry = crt.notAfter ? Date.parse(crt.notAfter) : NaN;
      const left = expiry - ctx.now.getTime();
      const expiryWords = Number.isNaN(expiry) ? '' : left <= 0 ? ` The certificate expired on ${crt.notAfter} (${days(left)} ago).` : ` The certificate in Secret ${chain.secret.namespace}/${chain.secret.name} expires on ${crt.notAfter}, in ${days(left)}.`;
      const why = chain.cause
        ? `${inProgress ? 'the renewal is failing' : 'it is not renewing'}: ${chain.cause}${chain.causeFrom ? ` (${chain.causeFrom})` : ''}`
        : inProgress
          ? `a renewal has been in progress (Issuing=True) for ${days(since)} without result`
          : 'no renewal has started (no Issuing condition): cert-manager\'s certificates-trigger controller is not acting on it — is cert-manager running, and does it watch this namespace?';
      ctx.report({
        object: crt,
        field: 'status.renewalTime',
        severity: !Number.isNaN(expiry) && left > WEEK ? 'warning' : 'error',
        message: sentence(`Certificate ${ns}/${crt.meta.name} (${issuerLabel(crt.issuerRef, ns)}) for ${listenersLabel(all, listenerLabel)} of Gateway ${gatewayId(lm.gateway)} was due for renewal on ${crt.renewalTime} (${days(since)} ago) and ${why}.${expiryWords}`),
        evidence: [`Certificate ${ns}/${crt.meta.name}: notAfter ${crt.notAfter ?? 'unknown'}, renewalTime ${crt.renewalTime}, revision ${crt.revision ?? 'none'}`, ...chainEvidence(chain)],
        listener: lm,
      });
    }
  },
};
