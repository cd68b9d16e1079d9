// The cert-manager issuance chain behind a listener's certificate Secret: Gateway annotations -> (gateway-shim)
// Certificate -> Issuer/ClusterIssuer -> CertificateRequest (newest revision) -> Order -> Challenges, plus the
// Secret's own cert-manager annotations. Field meanings follow cert-manager v1.21.2 (pkg/apis/certmanager/v1,
// pkg/apis/acme/v1); the shim's rules are in cert-manager-shim.ts.
import type { ListenerSpec, SecretObject } from '../cluster/objects.ts';
import type { CertificateObject, CertificateRequestObject, ChallengeObject, ClusterIssuerObject, IssuerObject, IssuerRef, OrderObject, OwnerRef } from '../cluster/objects-cert-manager.ts';
import type { Snapshot } from '../cluster/snapshot.ts';
import type { Condition } from '../report/types.ts';
import { solverRouteChecks, type SolverRouteCheck } from './cert-manager-acme.ts';
import { CM, shimPlan, type IngressLike, type ListenerOutcome, type PlannedCertificate, type ShimPlan } from './cert-manager-shim.ts';

export type AnyIssuer = IssuerObject | ClusterIssuerObject;

export interface IssuerState {
  ref: IssuerRef;
  /** Only cert-manager.io issuers are looked up; others (external issuers) are `external`. */
  state: 'found' | 'missing' | 'unknown' | 'external';
  obj?: AnyIssuer;
  why: string;
  ready?: Condition;
}

export interface IssuanceChain {
  /** The Secret the listener names. */
  secret: { namespace: string; name: string; obj?: SecretObject };
  /** How the shim treats this listener of an annotated Gateway (absent when the Gateway is not annotated). */
  shim?: { plan: ShimPlan; listener: ListenerOutcome; planned?: PlannedCertificate };
  /** Certificates whose spec.secretName is this Secret (several means they fight over it). */
  claimants: CertificateObject[];
  /** The Certificate that stands for this Secret: the one this Gateway controls, else the one the Secret names, else the first. */
  certificate?: CertificateObject;
  /** Whether the absence of a Certificate is known, or Certificates could not be read. */
  certificates: { known: boolean; why: string };
  /** The Secret's cert-manager.io/certificate-name annotation, and its issuer annotations. */
  secretClaims?: { certificateName?: string; issuer?: string };
  controller?: OwnerRef;
  issuer?: IssuerState;
  /** The issuer is the one the Gateway's annotations name, which the shim has yet to write into the Certificate. */
  issuerPending?: boolean;
  ready?: Condition;
  issuing?: Condition;
  /** CertificateRequests of the Certificate, newest revision first. */
  requests: CertificateRequestObject[];
  order?: OrderObject;
  challenges: ChallengeObject[];
  /** ACME HTTP-01 through Gateway API: the solver route of each name, and whether it reaches an HTTP listener on port 80. */
  solverRoutes: SolverRouteCheck[];
  /** The deepest failure cert-manager reports along the chain, in words; undefined when nothing failed. */
  cause?: string;
  /** The object the cause was read from, e.g. `CertificateRequest apps/web-tls-3`. */
  causeFrom?: string;
  /** now >= status.renewalTime. */
  renewalDue: boolean;
}

export function conditionOf(conds: readonly Condition[], type: string): Condition | undefined {
  return conds.find((c) => c.type === type);
}

export function conditionWords(c: Condition | undefined, type: string): string {
  if (!c) return `${type} unknown (no status yet)`;
  return `${type}=${c.status}${c.reason ? `, reason: ${c.reason}` : ''}${c.message ? `: ${c.message}` : ''}`;
}

function controllerOf(owners: readonly OwnerRef[]): OwnerRef | undefined {
  return owners.find((o) => o.controller);
}

function ownedBy(owners: readonly OwnerRef[], kind: string, name: string, uid?: string): boolean {
  return owners.some((o) => o.kind === kind && o.name === name && (!uid || !o.uid || o.uid === uid));
}

export function issuerState(snapshot: Snapshot, ref: IssuerRef, namespace: string): IssuerState {
  if (ref.group !== 'cert-manager.io') return { ref, state: 'external', why: `${ref.kind}.${ref.group} ${ref.name} is an external issuer; its status is not read` };
  if (ref.kind !== 'Issuer' && ref.kind !== 'ClusterIssuer') return { ref, state: 'missing', why: `issuerRef kind ${ref.kind} is neither Issuer nor ClusterIssuer` };
  const lookup = ref.kind === 'Issuer' ? snapshot.lookup('Issuer', namespace, ref.name) : snapshot.lookup('ClusterIssuer', '', ref.name);
  if (!lookup.found) return { ref, state: lookup.known ? 'missing' : 'unknown', why: lookup.why };
  const out: IssuerState = { ref, state: 'found', obj: lookup.obj, why: '' };
  const ready = conditionOf(lookup.obj.conditions, 'Ready');
  if (ready) out.ready = ready;
  return out;
}

export function issuerLabel(ref: IssuerRef, namespace: string): string {
  return ref.kind === 'Issuer' ? `Issuer ${namespace}/${ref.name}` : ref.group === 'cert-manager.io' ? `${ref.kind} ${ref.name}` : `${ref.kind}.${ref.group} ${ref.name}`;
}

function byRevision(a: CertificateRequestObject, b: CertificateRequestObject): number {
  return (b.revision ?? 0) - (a.revision ?? 0) || (b.meta.creationTimestamp ?? '').localeCompare(a.meta.creationTimestamp ?? '');
}

/** The chain for each certificateRef of a listener that cert-manager has (or should have) a hand in. */
export function issuanceChains(owner: IngressLike, plan: ShimPlan, listener: ListenerSpec, snapshot: Snapshot, now: Date): IssuanceChain[] {
  const out: IssuanceChain[] = [];
  const outcome = plan.listeners.find((l) => l.listener === listener);
  const secretsByCert = snapshot.indexBy('Certificate', 'secretName', (c) => [`${c.meta.namespace}/${c.secretName}`]);
  for (const ref of listener.tls?.certificateRefs ?? []) {
    if ((ref.group !== '' && ref.group !== 'core') || (ref.kind !== 'Secret' && ref.kind !== '')) continue;
    const namespace = ref.namespace ?? owner.meta.namespace;
    const secret = snapshot.get('Secret', namespace, ref.name);
    const claimants = secretsByCert(`${namespace}/${ref.name}`);
    const secretClaim = secret?.meta.annotations[CM.certificateName];
    const coverage = snapshot.coverage('Certificate', namespace);
    if (!plan.annotated && claimants.length === 0 && secretClaim === undefined) continue;
    const chain: IssuanceChain = {
      secret: { namespace, name: ref.name, ...(secret ? { obj: secret } : {}) },
      claimants,
      certificates: coverage.complete ? { known: true, why: '' } : { known: false, why: coverage.why },
      requests: [],
      challenges: [],
      solverRoutes: [],
      renewalDue: false,
    };
    if (plan.annotated) {
      // Conflicting issuer annotations: the shim refuses the whole Gateway, listener by listener alike.
      chain.shim = { plan, listener: outcome ?? { listener, outcome: 'skipped', why: plan.issuerError ?? 'not reconciled by the gateway-shim' } };
      const planned = plan.certificates.get(`${namespace}/${ref.name}`);
      if (planned) chain.shim.planned = planned;
    }
    if (secret) {
      const claims: NonNullable<IssuanceChain['secretClaims']> = {};
      if (secretClaim !== undefined) claims.certificateName = secretClaim;
      const issuerName = secret.meta.annotations[CM.issuerName];
      if (issuerName !== undefined) claims.issuer = `${secret.meta.annotations[CM.issuerKind] || 'Issuer'} ${issuerName}`;
      if (claims.certificateName !== undefined || claims.issuer !== undefined) chain.secretClaims = claims;
    }
    const controlled = claimants.find((c) => {
      const ctl = controllerOf(c.owners);
      return ctl?.kind === owner.kind && ctl.name === owner.meta.name;
    });
    const named = claimants.find((c) => c.meta.name === secretClaim);
    // The shim names its Certificate after the Secret; a Certificate of that name with another secretName still matters.
    const byName = snapshot.get('Certificate', namespace, ref.name);
    chain.certificate = controlled ?? named ?? claimants[0] ?? (byName && plan.annotated ? byName : undefined);
    if (chain.certificate) describeCertificate(chain, chain.certificate, snapshot, now, chain.certificate === controlled ? plan : undefined);
    out.push(chain);
  }
  return out;
}

function describeCertificate(chain: IssuanceChain, crt: CertificateObject, snapshot: Snapshot, now: Date, shim?: ShimPlan): void {
  const ns = crt.meta.namespace;
  const ctl = controllerOf(crt.owners);
  if (ctl) chain.controller = ctl;
  const ready = conditionOf(crt.conditions, 'Ready');
  const issuing = conditionOf(crt.conditions, 'Issuing');
  if (ready) chain.ready = ready;
  if (issuing) chain.issuing = issuing;
  chain.issuer = issuerState(snapshot, crt.issuerRef, ns);
  // The shim rewrites the issuerRef of a Certificate its Gateway controls when the annotations name another
  // issuer (sync.go certNeedsUpdate compares name and kind): judge the issuer it is about to get.
  const planned = shim?.issuer?.ref;
  if (planned && (planned.name !== crt.issuerRef.name || planned.kind !== crt.issuerRef.kind)) {
    chain.issuer = issuerState(snapshot, planned, ns);
    chain.issuerPending = true;
  }
  chain.renewalDue = crt.renewalTime !== undefined && Date.parse(crt.renewalTime) <= now.getTime();
  chain.requests = snapshot
    .list('CertificateRequest', ns)
    .filter((r) => ownedBy(r.owners, 'Certificate', crt.meta.name, crt.meta.uid) || r.certificateName === crt.meta.name)
    .sort(byRevision);
  const current = chain.requests[0];
  if (current) {
    chain.order = snapshot
      .list('Order', ns)
      .filter((o) => ownedBy(o.owners, 'CertificateRequest', current.meta.name, current.meta.uid))
      .sort((a, b) => (b.meta.creationTimestamp ?? '').localeCompare(a.meta.creationTimestamp ?? ''))[0];
    if (chain.order) {
      const order = chain.order;
      chain.challenges = snapshot.list('Challenge', ns).filter((c) => ownedBy(c.owners, 'Order', order.meta.name, order.meta.uid));
    }
  }
  const issuer = chain.issuer.obj;
  if (issuer?.spec.type === 'acme') chain.solverRoutes = solverRouteChecks(snapshot, crt, issuer, chain.challenges);
  const cause = failureCause(chain, crt);
  if (cause) {
    chain.cause = cause.text;
    chain.causeFrom = cause.from;
  }
}

/** The deepest failure along the chain: challenge, order, request, issuer, then the Certificate's own conditions. */
function failureCause(chain: IssuanceChain, crt: CertificateObject): { text: string; from: string } | undefined {
  const ns = crt.meta.namespace;
  const failingChallenge = chain.challenges.find((c) => c.state === 'invalid' || c.state === 'errored') ?? chain.challenges.find((c) => c.state !== 'valid' && c.reason);
  if (failingChallenge) {
    return { text: `${failingChallenge.type} challenge for ${failingChallenge.dnsName} is ${failingChallenge.state || 'pending'}${failingChallenge.reason ? `: ${failingChallenge.reason}` : ''}`, from: `Challenge ${ns}/${failingChallenge.meta.name}` };
  }
  const o = chain.order;
  if (o && (o.state === 'invalid' || o.state === 'errored' || o.state === 'expired')) {
    return { text: `ACME Order is ${o.state}${o.reason ? `: ${o.reason}` : ''}`, from: `Order ${ns}/${o.meta.name}` };
  }
  const i = chain.issuer;
  if (i && i.state === 'missing') return { text: `${issuerLabel(i.ref, ns)} does not exist`, from: `Certificate ${ns}/${crt.meta.name} spec.issuerRef` };
  // An issuer from a file without status says nothing (manifests carry none), as GWTLS-CM-003 holds.
  if (i?.state === 'found' && i.ready?.status !== 'True' && (i.ready || !i.obj?.origin)) {
    return { text: `${issuerLabel(i.ref, ns)} is not Ready${i.ready ? `${i.ready.reason ? ` (${i.ready.reason})` : ''}${i.ready.message ? `: ${i.ready.message}` : ''}` : ' (no status: no issuers controller has reconciled it)'}`, from: issuerLabel(i.ref, ns) };
  }
  const r = chain.requests[0];
  if (r) {
    const label = `CertificateRequest ${ns}/${r.meta.name}`;
    const denied = conditionOf(r.conditions, 'Denied');
    if (denied?.status === 'True') return { text: `the request was denied${denied.message ? `: ${denied.message}` : ''}`, from: label };
    const invalid = conditionOf(r.conditions, 'InvalidRequest');
    if (invalid?.status === 'True') return { text: `the request is invalid${invalid.message ? `: ${invalid.message}` : ''}`, from: label };
    const rr = conditionOf(r.conditions, 'Ready');
    if (rr?.status === 'False' && rr.reason === 'Failed') return { text: `the request failed${rr.message ? `: ${rr.message}` : ''}`, from: label };
    if (o && o.state && o.state !== 'valid' && (rr?.status !== 'True')) {
      const pending = chain.challenges.filter((c) => c.state !== 'valid');
      return { text: `ACME Order is ${o.state}${pending.length ? `, waiting for ${pending.map((c) => `${c.type} ${c.dnsName}${c.presented === false ? ' (not presented yet)' : ''}`).join(', ')}` : ''}${o.reason ? `: ${o.reason}` : ''}`, from: `Order ${ns}/${o.meta.name}` };
    }
    const approved = conditionOf(r.conditions, 'Approved');
    if (!approved && rr?.status !== 'True') return { text: 'the request is neither approved nor denied (no approver is running: cert-manager\'s certificaterequests-approver, or an approver-policy)', from: label };
    if (rr?.status === 'False') return { text: `the request is ${rr.reason ?? 'not ready'}${rr.message ? `: ${rr.message}` : ''}`, from: label };
  }
  const ready = chain.ready;
  const issuing = chain.issuing;
  if (issuing?.status === 'False' && issuing.reason === 'Failed') return { text: `issuance failed${issuing.message ? `: ${issuing.message}` : ''}`, from: `Certificate ${ns}/${crt.meta.name}` };
  if (ready?.status === 'False') return { text: `${ready.reason ?? 'not Ready'}${ready.message ? `: ${ready.message}` : ''}`, from: `Certificate ${ns}/${crt.meta.name}` };
  return undefined;
}

/** The one line under the listener's certificate: `issued by cert-manager Certificate ns/name via ClusterIssuer X: Ready=False, reason: ...`. */
export function chainSummary(chain: IssuanceChain): string {
  const crt = chain.certificate;
  if (!crt) {
    const shim = chain.shim;
    if (shim?.plan.issuerError) return `cert-manager: the Gateway's issuer annotations are refused by the gateway-shim: ${shim.plan.issuerError}`;
    if (shim && shim.listener.outcome !== 'certificate') return `cert-manager: the gateway-shim ${shim.listener.outcome === 'skipped' ? 'skips' : 'passes over'} this listener (${shim.listener.why}); no Certificate`;
    if (!chain.certificates.known) return `cert-manager: Certificates could not be checked (${chain.certificates.why})`;
    const claimed = chain.secretClaims?.certificateName;
    if (claimed !== undefined && !shim) return `cert-manager: issued for Certificate ${chain.secret.namespace}/${claimed}, which no longer writes this Secret: nothing renews it`;
    return `cert-manager: no Certificate for Secret ${chain.secret.namespace}/${chain.secret.name}${shim?.plan.issuer ? ` although the Gateway asks for one (${shim.plan.issuer.from})` : ''}`;
  }
  const ns = crt.meta.namespace;
  const via = issuerLabel(crt.issuerRef, ns);
  const ready = chain.ready;
  const state = ready ? `Ready=${ready.status}${ready.status !== 'True' && ready.reason ? `, reason: ${ready.reason}` : ''}` : 'no status yet';
  const cause = chain.cause && ready?.status !== 'True' ? `; cause: ${chain.cause}` : chain.cause && chain.issuing?.status === 'True' ? `; renewal in progress: ${chain.cause}` : '';
  const renew = crt.renewalTime ? `; ${chain.renewalDue ? 'renewal was due' : 'renews'} ${crt.renewalTime}` : '';
  return `issued by cert-manager Certificate ${ns}/${crt.meta.name} via ${via}: ${state}${cause}${renew}`;
}

export { shimPlan, type ShimPlan };
