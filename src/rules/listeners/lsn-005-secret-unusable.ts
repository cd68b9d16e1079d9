import type { SecretObject } from '../../cluster/objects.ts';
import type { ListenerModel } from '../../graph/model.ts';
import type { CertRef } from '../../graph/listener-certs.ts';
import type { Severity } from '../../report/types.ts';
import { sentence } from './words.ts';
import type { Rule } from '../types.ts';
import { gatewayId, listenerLabel, listenerOwner } from '../util.ts';
import { terminatingListeners } from './cert-refs.ts';
import { conditionEvidence, isEnvoyGateway, listenerCondition } from './status.ts';

interface Problem {
  field: string;
  text: string;
  severity: Severity;
}

function problems(ref: CertRef, secret: SecretObject, eg: boolean): Problem[] {
  const out: Problem[] = [];
  const decode = secret.decodeErrors.length ? ` (${secret.decodeErrors.join('; ')})` : '';
  if (ref.state === 'no-certificate') {
    out.push({ field: 'data.tls.crt', severity: 'error', text: `it has no tls.crt${decode}; its keys are ${secret.dataKeys.join(', ') || 'none'}` });
  } else if (ref.state === 'unparseable') {
    out.push({ field: 'data.tls.crt', severity: 'error', text: `its tls.crt holds no readable certificate (${ref.chain?.errors.join('; ') ?? 'unreadable'})` });
  } else if (ref.chain && ref.chain.errors.length > 0) {
    out.push({ field: 'data.tls.crt', severity: 'warning', text: `its tls.crt also holds blocks that are not certificates (${ref.chain.errors.join('; ')}), which implementations may refuse` });
  }
  if (ref.state === 'wrong-type') {
    out.push({ field: 'type', severity: eg ? 'error' : 'warning', text: `its type is ${secret.type}, not kubernetes.io/tls${eg ? ', and Envoy Gateway accepts no other type' : ' (the only type every implementation must accept)'}` });
  }
  if (ref.state !== 'no-certificate') {
    if (secret.tlsKey === undefined) out.push({ field: 'data.tls.key', severity: 'error', text: `it has no tls.key${decode}, so the gateway cannot prove it owns the certificate` });
    else if (ref.keyMatches === null) out.push({ field: 'data.tls.key', severity: 'error', text: `its tls.key is unusable: ${ref.keyError ?? 'not a parseable PEM private key'}` });
  }
  return out;
}

export const lsn005: Rule = {
  meta: {
    code: 'GWTLS-LSN-005',
    severity: 'error',
    title: 'Listener certificate Secret has the wrong type, keys or format',
    inputs: ['Gateway', 'GatewayClass', 'Secret'],
    description:
      'A listener Secret must be of type kubernetes.io/tls with a PEM certificate chain in tls.crt and an unencrypted PEM private key in tls.key. Anything else makes the ref invalid (InvalidCertificateRef): the listener has no certificate to serve. Private keys are never printed, only whether they can be used.',
  },
  check(ctx) {
    const bySecret = new Map<string, { secret: SecretObject; ref: CertRef; users: ListenerModel[] }>();
    const explained = new Set<ListenerModel>();
    for (const lm of terminatingListeners(ctx.model)) {
      for (const ref of lm.certRefs) {
        if (!ref.secret?.found) continue;
        if (!['ok', 'wrong-type', 'no-certificate', 'unparseable'].includes(ref.state)) continue;
        const id = `${ref.ref.namespace}/${ref.ref.name}`;
        const entry = bySecret.get(id) ?? { secret: ref.secret.obj, ref, users: [] };
        entry.users.push(lm);
        bySecret.set(id, entry);
      }
    }
    for (const { secret, ref, users } of bySecret.values()) {
      const first = users[0]!;
      const eg = users.some((u) => isEnvoyGateway(u.gateway.impl));
      const found = problems(ref, secret, eg);
      if (found.length === 0) continue;
      users.forEach((u) => explained.add(u));
      const severity: Severity = found.some((p) => p.severity === 'error') ? 'error' : 'warning';
      const who = users.map((u) => `${listenerLabel(u)} of Gateway ${gatewayId(u.gateway)}`).join(', ');
      const create = `kubectl create secret tls ${secret.meta.name} -n ${secret.meta.namespace} --cert=fullchain.pem --key=privkey.pem`;
      const how = found.some((p) => p.field === 'type')
        ? `A Secret's type cannot be changed: delete it and recreate it from the PEM files (${create}).`
        : `Recreate it from the PEM files (${create} --dry-run=client -o yaml | kubectl apply -f -).`;
      const effect = severity === 'error' ? `so ${who} cannot use it (InvalidCertificateRef) and ${users.length > 1 ? 'get' : 'gets'} no certificate from it` : `used by ${who}`;
      ctx.report({
        object: secret,
        field: found[0]!.field,
        severity,
        message: `Secret ${secret.meta.namespace}/${secret.meta.name} is not a usable TLS Secret: ${found.map((p) => p.text).join('; ')}, ${effect}. ${how}`,
        evidence: [`type: ${secret.type}`, `data keys: ${secret.dataKeys.join(', ') || 'none'}`, ...users.flatMap((u) => {
          const c = listenerCondition(u, 'ResolvedRefs');
          return c?.status === 'False' ? [conditionEvidence(u, c)] : [];
        })],
        gateway: first.gateway,
        listener: first,
      });
    }
    // The controller refuses a ref that looks fine here: say what it says (content checks are GWTLS-CERT-*).
    for (const lm of terminatingListeners(ctx.model)) {
      const c = listenerCondition(lm, 'ResolvedRefs');
      if (explained.has(lm) || c?.status !== 'False' || c.reason !== 'InvalidCertificateRef') continue;
      if (!lm.certRefs.every((r) => r.state === 'ok' && r.keyMatches === true)) continue;
      const leafOk = lm.certRefs.every((r) => {
        const leaf = r.chain?.certs[0]?.cert;
        return !!leaf && new Date(leaf.notAfter) >= ctx.now && new Date(leaf.notBefore) <= ctx.now;
      });
      if (!leafOk) continue;
      ctx.report({
        object: listenerOwner(lm),
        field: `spec.listeners[${lm.spec.index}].tls.certificateRefs`,
        message: sentence(`${listenerLabel(lm)} of Gateway ${gatewayId(lm.gateway)}: the controller refuses its certificate Secret (${c.message ?? 'no message'}) although type, keys, chain dates and key match look right here; the listener has no certificate. Read the controller's message and logs.`),
        evidence: [conditionEvidence(lm, c)],
        listener: lm,
      });
    }
  },
};
