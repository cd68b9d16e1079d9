// GWTLS-CM-005 (inspect --probe): the listener serves a certificate cert-manager has since replaced in the Secret.
// The served leaf has the names the Certificate asks for but was issued before the Secret's current one: cert-manager
// renewed (a new revision of the Certificate wrote the Secret) and the data plane still serves the old certificate.
import type { ListenerModel } from '../graph/model.ts';
import type { Cert } from '../report/types.ts';
import { shortName } from './chain.ts';
import { probeFinding, type ProbeFinding } from './codes.ts';
import type { ProbeReport } from './types.ts';

const sameNames = (a: Cert, b: Cert) => {
  const x = [...a.sans.dns, ...a.sans.ip].map((s) => s.toLowerCase()).sort();
  const y = [...b.sans.dns, ...b.sans.ip].map((s) => s.toLowerCase()).sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
};

/** The finding when the served leaf is an older issuance of the Secret's cert-manager Certificate, else null. */
export function certManagerReloadFinding(lm: ListenerModel, r: ProbeReport, endpoint: string): ProbeFinding | null {
  const served = r.chain[0];
  if (!served || r.cluster?.outcome !== 'different') return null;
  for (const chain of lm.issuance) {
    const crt = chain.certificate;
    const ref = lm.certRefs.find((c) => c.ref.namespace === chain.secret.namespace && c.ref.name === chain.secret.name);
    const current = ref?.chain?.certs[0]?.cert;
    if (!crt || !current || current.fingerprintSha256 === served.fingerprintSha256) continue;
    if (!sameNames(served, current) || Date.parse(served.notBefore) >= Date.parse(current.notBefore)) continue;
    const ns = crt.meta.namespace;
    const revision = crt.revision !== undefined ? `revision ${crt.revision} of ` : '';
    return probeFinding(
      'GWTLS-CM-005',
      endpoint,
      `listener ${lm.spec.name} of Gateway ${lm.gateway.obj.meta.namespace}/${lm.gateway.obj.meta.name} still serves the certificate issued ${served.notBefore} (serial ${served.serial}, expires ${served.notAfter}), but Secret ${chain.secret.namespace}/${chain.secret.name} holds ${revision}Certificate ${ns}/${crt.meta.name}, issued ${current.notBefore} (serial ${current.serial}): cert-manager renewed it and the gateway has not reloaded the Secret.`,
      {
        evidence: [
          `served: ${shortName(served.subject) || served.sans.dns.join(', ')}; issued ${served.notBefore}; expires ${served.notAfter}; SHA-256 ${served.fingerprintSha256}`,
          `Secret ${chain.secret.namespace}/${chain.secret.name}: issued ${current.notBefore}; expires ${current.notAfter}; SHA-256 ${current.fingerprintSha256}`,
          `Certificate ${ns}/${crt.meta.name}: revision ${crt.revision ?? 'unknown'}, notBefore ${crt.notBefore ?? 'unknown'}`,
        ],
        hint: 'the implementation watches the Secret and reloads it; check its controller log for errors about the Secret, and restart the data plane pods if it is stuck',
      },
    );
  }
  return null;
}
