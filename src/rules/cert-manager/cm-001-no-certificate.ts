import { CERT_MANAGER_GROUP } from '../../cluster/kinds.ts';
import { fix, listenerPatch, rawListener, FORCE_NOTE } from '../../fixes/builders.ts';
import type { PlannedCertificate, ShimIssuer } from '../../graph/cert-manager-shim.ts';
import type { ListenerModel } from '../../graph/model.ts';
import type { Fix } from '../../report/types.ts';
import { sentence } from '../listeners/words.ts';
import type { Rule, RuleContext } from '../types.ts';
import { gatewayId, listenerField, listenerLabel, listenerOwner } from '../util.ts';
import { chains, stillServing } from './chains.ts';

const ENABLE = 'cert-manager creates Certificates for Gateways only with Gateway API support switched on: the controller flag --enable-gateway-api, or config.enableGatewayAPI: true in its ControllerConfiguration (Helm: config.enableGatewayAPI=true), and the Gateway API CRDs installed before cert-manager starts';
/** cert-manager v1.20+ cmd/controller/app/options/options.go: the "listenerset" controller starts only with all three switches. */
const ENABLE_LISTENERSET =
  'cert-manager creates Certificates for ListenerSets only from v1.20.0, and only with its "listenerset" controller switched on: the feature gate ListenerSets (Alpha, off by default: --feature-gates=ListenerSets=true), --enable-gateway-api-listenerset (config gatewayAPI.enableListenerSet) and --enable-gateway-api; it reads gateway.networking.k8s.io/v1 ListenerSet only, never XListenerSet';

/** Who asks cert-manager for the certificate, and which of its controllers answers. */
function asker(lm: ListenerModel): { label: string; shim: string; enable: string } {
  if (!lm.set) return { label: `Gateway ${gatewayId(lm.gateway)}`, shim: 'the gateway-shim', enable: ENABLE };
  const o = lm.set.obj;
  return { label: `${o.kind} ${o.meta.namespace}/${o.meta.name}`, shim: "cert-manager's listenerset shim", enable: ENABLE_LISTENERSET };
}

/** A Certificate the gateway-shim would have created, written out: issuance works with or without the shim. */
function certificateFix(lm: ListenerModel, planned: PlannedCertificate, issuer: ShimIssuer): Fix {
  const doc = {
    apiVersion: `${CERT_MANAGER_GROUP}/v1`,
    kind: 'Certificate',
    metadata: { name: planned.name, namespace: planned.namespace },
    spec: {
      secretName: planned.name,
      dnsNames: planned.dnsNames,
      issuerRef: { name: issuer.ref.name, kind: issuer.ref.kind, group: issuer.ref.group },
    },
  };
  return fix(`create Certificate ${planned.namespace}/${planned.name} for ${planned.dnsNames.join(', ')}, as ${asker(lm).shim} would for ${asker(lm).label}`, [doc], {
    note: 'Written out, the Certificate does not depend on the gateway-shim; once the shim runs it leaves a Certificate it does not control alone. Enabling Gateway API support in cert-manager is the other way.',
  });
}

function hostnameFix(lm: ListenerModel): Fix {
  const raw = rawListener(listenerOwner(lm), lm.spec);
  raw.hostname = '<the hostname clients use for this listener>';
  return fix(`give listener ${lm.spec.name} the hostname its certificate is for`, [listenerPatch(listenerOwner(lm), raw)], { note: `cert-manager takes the Certificate's dnsNames from listener hostnames. ${FORCE_NOTE}` });
}

function modeFix(lm: ListenerModel): Fix {
  const raw = rawListener(listenerOwner(lm), lm.spec);
  raw.tls = { ...((raw.tls ?? {}) as Record<string, unknown>), mode: 'Terminate' };
  return fix(`write tls.mode: Terminate on listener ${lm.spec.name}`, [listenerPatch(listenerOwner(lm), raw)], { note: FORCE_NOTE });
}

/** The shim's events on the object that asks (the Gateway, or the ListenerSet). */
function events(ctx: RuleContext, lm: ListenerModel): string[] {
  const o = listenerOwner(lm);
  const ns = o.meta.namespace;
  return ctx.snapshot
    .list('Event', ns)
    .filter((e) => e.involvedObject.kind === o.kind && e.involvedObject.name === o.meta.name && ['BadConfig', 'CreateCertificate', 'UpdateCertificate', 'DeleteCertificate'].includes(e.reason))
    .map((e) => `event ${e.type} ${e.reason} on ${o.kind} ${ns}/${o.meta.name}: ${e.message}`);
}

export const cm001: Rule = {
  meta: {
    code: 'GWTLS-CM-001',
    severity: 'error',
    title: 'Gateway annotated for cert-manager, but no Certificate for the listener',
    inputs: ['Gateway', 'Secret', 'Certificate'],
    description:
      "The Gateway carries cert-manager.io/issuer or cert-manager.io/cluster-issuer, so cert-manager's gateway-shim should create a Certificate (named after the Secret) for each TLS listener. There is none for this listener's Secret: the shim skips the listener (no hostname, a Secret in another namespace, a ref that is not a Secret, tls.mode missing), the issuer annotations conflict, or the shim is not running (cert-manager without --enable-gateway-api / config.enableGatewayAPI).",
  },
  check(ctx) {
    const reported = new Set<object>();
    for (const at of chains(ctx.model)) {
      const { lm, chain } = at;
      const gm = lm.gateway;
      const shim = chain.shim;
      if (!shim || chain.certificate) continue;
      const serving = stillServing(at, ctx.now);
      const severity = serving ? 'warning' : 'error';
      const consequence = serving ? `Secret ${chain.secret.namespace}/${chain.secret.name} still holds a valid certificate, but nothing renews it` : `so Secret ${chain.secret.namespace}/${chain.secret.name} is never issued and the listener has no certificate`;
      const who = asker(lm);
      if (shim.plan.issuerError) {
        const owner = listenerOwner(lm);
        if (reported.has(owner)) continue;
        reported.add(owner);
        ctx.report({
          object: owner,
          field: 'metadata.annotations',
          severity,
          message: sentence(`${who.label} asks cert-manager for certificates, but its annotations${lm.set ? ' (with those it inherits from its Gateway)' : ''} contradict each other and ${who.shim} creates no Certificate for any listener (${shim.plan.issuerError}); ${consequence}. Keep one of cert-manager.io/issuer (with cert-manager.io/issuer-kind/-group for other kinds) or cert-manager.io/cluster-issuer`),
          evidence: [...Object.entries(shim.plan.owner.meta.annotations).filter(([k]) => k.startsWith('cert-manager.io/')).map(([k, v]) => `annotation ${k}: ${v}`), ...events(ctx, lm)],
          gateway: gm,
        });
        continue;
      }
      const outcome = shim.listener;
      if (outcome.outcome === 'passed-over') continue;
      if (outcome.outcome === 'skipped') {
        const fixes: Fix[] = [];
        if (!lm.spec.hostname) fixes.push(hostnameFix(lm));
        else if (lm.spec.tls && !lm.spec.tls.modeSet && /tls\.mode/.test(outcome.why)) fixes.push(modeFix(lm));
        ctx.report({
          object: listenerOwner(lm),
          field: listenerField(lm, lm.spec.hostname ? 'tls' : 'hostname'),
          severity,
          message: sentence(`${listenerLabel(lm)} of Gateway ${gatewayId(gm)} gets no Certificate although ${lm.set ? `its ${lm.set.obj.kind}` : 'the Gateway'} asks cert-manager for one (${shim.plan.issuer!.from}): ${who.shim} skips it with a BadConfig event "${outcome.why}"; ${consequence}`),
          evidence: [`${who.label}: ${shim.plan.issuer!.from}`, ...events(ctx, lm)],
          fixes,
          listener: lm,
        });
        continue;
      }
      // The shim would create it: unless Certificates could not be read, it does not run.
      const state = ctx.snapshot.state('Certificate');
      if (!chain.certificates.known && state.state !== 'not-served') continue;
      const notInstalled = state.state === 'not-served';
      const planned = shim.planned!;
      ctx.report({
        object: listenerOwner(lm),
        field: listenerField(lm, 'tls.certificateRefs'),
        severity,
        message: sentence(
          `${listenerLabel(lm)} of Gateway ${gatewayId(gm)} should get Certificate ${planned.namespace}/${planned.name} for ${planned.dnsNames.join(', ')} from ${lm.set ? who.shim : "cert-manager's gateway-shim"} (${shim.plan.issuer!.from}${lm.set && !lm.set.obj.meta.annotations['cert-manager.io/issuer'] && !lm.set.obj.meta.annotations['cert-manager.io/cluster-issuer'] ? `, inherited from Gateway ${gatewayId(gm)}` : ''}), but ${notInstalled ? `the cluster does not serve certificates.cert-manager.io: cert-manager is not installed` : `no such Certificate exists: ${lm.set ? 'the listenerset shim' : 'the gateway-shim'} is not running. ${who.enable}`}; ${consequence}`,
        ),
        evidence: [`${who.label}: ${shim.plan.issuer!.from}`, `expected Certificate ${planned.namespace}/${planned.name}: dnsNames ${planned.dnsNames.join(', ')}; secretName ${planned.name}; issuerRef ${shim.plan.issuer!.ref.kind} ${shim.plan.issuer!.ref.name}`, ...events(ctx, lm)],
        fixes: notInstalled ? [] : [certificateFix(lm, planned, shim.plan.issuer!)],
        listener: lm,
      });
    }
  },
};
