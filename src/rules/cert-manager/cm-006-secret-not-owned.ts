import { CERT_MANAGER_GROUP } from '../../cluster/kinds.ts';
import type { CertificateObject } from '../../cluster/objects-cert-manager.ts';
import { fix, FORCE_NOTE, identity } from '../../fixes/builders.ts';
import { CM } from '../../graph/cert-manager-shim.ts';
import type { Fix } from '../../report/types.ts';
import { sentence } from '../listeners/words.ts';
import type { Rule, RuleContext } from '../types.ts';
import { gatewayId, listenerLabel } from '../util.ts';
import { grouped, listenersLabel, type ChainAt } from './chains.ts';

const label = (c: CertificateObject) => `Certificate ${c.meta.namespace}/${c.meta.name}`;
const controlledByGateway = (c: CertificateObject) => c.owners.some((o) => o.controller && (o.kind === 'Gateway' || o.kind === 'ListenerSet'));

/** The Certificate that is not the shim's writes to a Secret of its own name instead (a suggestion: users of that Secret must follow). */
function moveFix(other: CertificateObject): Fix[] {
  if (other.meta.name === other.secretName || controlledByGateway(other)) return [];
  return [
    fix(`make ${label(other)} write Secret ${other.meta.namespace}/${other.meta.name} (its own name) instead`, [{ ...identity(other), spec: { secretName: other.meta.name } }], {
      suggestion: true,
      note: `Whatever mounted Secret ${other.secretName} for that Certificate must then use ${other.meta.name}. ${FORCE_NOTE}`,
    }),
  ];
}

/** The Secret names a Certificate that no longer writes it: nothing renews it. */
function orphan(ctx: RuleContext, at: ChainAt, all: ChainAt[]): void {
  const { lm, chain } = at;
  const secret = chain.secret.obj!;
  const ns = chain.secret.namespace;
  const claimed = chain.secretClaims!.certificateName!;
  const named = ctx.snapshot.get('Certificate', ns, claimed);
  const leaf = at.ref?.chain?.certs[0]?.cert;
  const fixes: Fix[] = [];
  const issuerName = secret.meta.annotations[CM.issuerName];
  if (!named && leaf && leaf.sans.dns.length && issuerName) {
    const doc = {
      apiVersion: `${CERT_MANAGER_GROUP}/v1`,
      kind: 'Certificate',
      metadata: { name: claimed, namespace: ns },
      spec: { secretName: chain.secret.name, dnsNames: leaf.sans.dns, issuerRef: { name: issuerName, kind: secret.meta.annotations[CM.issuerKind] || 'Issuer', group: secret.meta.annotations['cert-manager.io/issuer-group'] || CERT_MANAGER_GROUP } },
    };
    fixes.push(fix(`recreate Certificate ${ns}/${claimed} for ${leaf.sans.dns.join(', ')}, from what the Secret says it was issued with`, [doc], { note: 'The names come from the certificate in the Secret, the issuer from its cert-manager.io/issuer-* annotations; cert-manager takes the Secret over again and renews it.' }));
  }
  ctx.report({
    object: secret,
    field: `metadata.annotations["${CM.certificateName}"]`,
    severity: 'warning',
    message: sentence(
      `Secret ${ns}/${chain.secret.name} of ${listenersLabel(all, listenerLabel)} of Gateway ${gatewayId(lm.gateway)} was issued by cert-manager for Certificate ${ns}/${claimed}, which ${named ? `now writes Secret ${ns}/${named.secretName}` : 'no longer exists'}: nothing renews it${leaf ? `, and its certificate expires on ${leaf.notAfter.slice(0, 10)}` : ''}`,
    ),
    evidence: [`annotation ${CM.certificateName}: ${claimed}`, named ? `Certificate ${ns}/${claimed}: spec.secretName ${named.secretName}` : `Certificate ${ns}/${claimed} not found`],
    fixes,
    listener: lm,
  });
}

export const cm006: Rule = {
  meta: {
    code: 'GWTLS-CM-006',
    severity: 'error',
    title: "Listener Secret not owned by the Certificate that claims it",
    inputs: ['Gateway', 'Secret', 'Certificate'],
    description:
      "cert-manager marks the Secrets it writes with cert-manager.io/certificate-name. This finding means the Secret of a listener is claimed by more than one Certificate (each re-issues it in turn: IncorrectCertificate, \"you might have two conflicting Certificates pointing to the same secret\"), carries the name of another Certificate, was not written by cert-manager at all (created by hand or by another tool, which cert-manager overwrites on its next issuance), or names a Certificate that no longer writes it (deleted, or pointed at another Secret), so nothing renews it.",
  },
  check(ctx) {
    for (const { first, all } of grouped(ctx.model, (a) => `${a.chain.secret.namespace}/${a.chain.secret.name}`)) {
      const { lm, chain } = first;
      const crt = chain.certificate;
      const secret = chain.secret.obj;
      if (!crt && secret && !chain.shim && chain.certificates.known && chain.secretClaims?.certificateName !== undefined) {
        orphan(ctx, first, all);
        continue;
      }
      if (!crt || !secret) continue;
      const where = `Secret ${chain.secret.namespace}/${chain.secret.name} of ${listenersLabel(all, listenerLabel)} of Gateway ${gatewayId(lm.gateway)}`;
      const others = chain.claimants.filter((c) => c !== crt);
      const claimed = chain.secretClaims?.certificateName;
      if (others.length) {
        ctx.report({
          object: secret,
          field: `metadata.annotations["${CM.certificateName}"]`,
          severity: 'error',
          message: sentence(`${where} is claimed by ${[crt, ...others].map(label).join(' and ')} (each names it in spec.secretName): they re-issue it in turn, so its content and key flip between them${claimed !== undefined ? `; it was last written for Certificate ${claimed}` : ''}. Give each Certificate its own Secret`),
          evidence: [crt, ...others].map((c) => `${label(c)}: spec.secretName ${c.secretName}, dnsNames ${c.dnsNames.join(', ') || 'none'}${controlledByGateway(c) ? ' (made by the gateway-shim)' : ''}`),
          fixes: others.flatMap(moveFix).concat(controlledByGateway(crt) ? [] : moveFix(crt)).slice(0, 2),
          listener: lm,
        });
        continue;
      }
      if (claimed !== undefined && claimed !== crt.meta.name) {
        ctx.report({
          object: secret,
          field: `metadata.annotations["${CM.certificateName}"]`,
          severity: 'warning',
          message: sentence(`${where} was issued for Certificate ${claimed}, but ${label(crt)} now claims it: cert-manager re-issues it for ${crt.meta.name} (reason IncorrectCertificate: "Secret was issued for ${claimed}")`),
          evidence: [`annotation ${CM.certificateName}: ${claimed}`, `${label(crt)}: spec.secretName ${crt.secretName}`],
          listener: lm,
        });
        continue;
      }
      if (claimed === undefined) {
        ctx.report({
          object: secret,
          field: 'metadata.annotations',
          severity: 'warning',
          message: sentence(
            `${where} was not written by cert-manager (no ${CM.certificateName} annotation), yet ${label(crt)} claims it: cert-manager replaces its certificate and key when it next issues — at once when the Secret's issuer annotations or key do not match the Certificate ("Issuing certificate as Secret was previously issued by …"), else at renewal. Whoever wrote the Secret and cert-manager overwrite each other`,
          ),
          evidence: [`Secret ${chain.secret.namespace}/${chain.secret.name}: annotations ${Object.keys(secret.meta.annotations).filter((k) => k.startsWith('cert-manager.io/')).join(', ') || 'none from cert-manager'}`, `${label(crt)}: spec.secretName ${crt.secretName}`],
          listener: lm,
        });
      }
    }
  },
};
