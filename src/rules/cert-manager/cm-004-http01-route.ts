import type { GatewayObject } from '../../cluster/objects.ts';
import type { CertificateObject } from '../../cluster/objects-cert-manager.ts';
import { fix, listenerPatch, objectName, rawListener } from '../../fixes/builders.ts';
import type { SolverRouteCheck } from '../../graph/cert-manager-acme.ts';
import { issuerLabel } from '../../graph/cert-manager.ts';
import { gatewayHostnameCovers } from '../../graph/hostnames.ts';
import type { Fix } from '../../report/types.ts';
import { sentence } from '../listeners/words.ts';
import type { Rule, RuleContext } from '../types.ts';
import { gatewayId, listenerLabel } from '../util.ts';
import { grouped, listenersLabel } from './chains.ts';

/** A suggestion for the first Gateway the route names: the HTTP listener on port 80 it lacks, or what keeps the route out. */
function suggestions(ctx: RuleContext, check: SolverRouteCheck, crt: CertificateObject): Fix[] {
  const p = check.parents.find((x) => x.gateway?.found);
  if (!p?.gateway?.found) return [];
  const gw: GatewayObject = p.gateway.obj;
  const http80 = gw.listeners.filter((l) => l.protocol === 'HTTP' && l.port === 80);
  const routeNs = crt.meta.namespace;
  if (http80.length === 0) {
    const listener: Record<string, unknown> = { name: objectName('acme-http01', check.name.replace(/^\*\./, '')), protocol: 'HTTP', port: 80, hostname: check.name };
    if (routeNs !== gw.meta.namespace) listener.allowedRoutes = { namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': routeNs } } } };
    return [
      fix(`add an HTTP listener on port 80 for ${check.name} to Gateway ${gw.meta.namespace}/${gw.meta.name}, for cert-manager's HTTP-01 solver route`, [listenerPatch(gw, listener)], {
        suggestion: true,
        note: 'Opens plain HTTP on port 80 for this name (ACME validates HTTP-01 there); the solver route only serves /.well-known/acme-challenge/. Check that the load balancer forwards port 80. Or use a DNS-01 solver.',
      }),
    ];
  }
  const fixes: Fix[] = [];
  for (const l of http80) {
    const attach = p.listeners.find((x) => x.listener === l);
    if (!attach || attach.accepted) continue;
    const raw = rawListener(gw, l);
    if (attach.namespaceAllowed === false) {
      const ar = (raw.allowedRoutes ?? {}) as Record<string, unknown>;
      raw.allowedRoutes = { ...ar, namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': routeNs } } } };
      fixes.push(fix(`let listener ${l.name} of Gateway ${gw.meta.namespace}/${gw.meta.name} admit routes from namespace ${routeNs} (the solver route's)`, [listenerPatch(gw, raw)], { suggestion: true, note: 'Admits every route of that namespace on this listener, not only the solver route.' }));
    } else if (l.hostname && !gatewayHostnameCovers(l.hostname, check.name)) {
      fixes.push(
        fix(`add an HTTP listener on port 80 for ${check.name} to Gateway ${gw.meta.namespace}/${gw.meta.name}`, [listenerPatch(gw, { name: objectName('acme-http01', check.name.replace(/^\*\./, '')), protocol: 'HTTP', port: 80, hostname: check.name })], {
          suggestion: true,
          note: `Listener ${l.name} serves only ${l.hostname}. A second HTTP listener on port 80 with another hostname is allowed (listeners on one port are told apart by hostname).`,
        }),
      );
    }
  }
  return fixes;
}

export const cm004: Rule = {
  meta: {
    code: 'GWTLS-CM-004',
    severity: 'error',
    title: 'ACME HTTP-01 solver route cannot attach to a Gateway HTTP listener on port 80',
    inputs: ['Gateway', 'GatewayClass', 'Certificate', 'Issuer', 'ClusterIssuer', 'Challenge', 'Namespace', 'HTTPRoute'],
    description:
      "The listener's certificate comes from an ACME issuer whose HTTP-01 solver uses Gateway API (gatewayHTTPRoute). cert-manager then creates an HTTPRoute in the Certificate's namespace with the solver's parentRefs (and the Gateway the shim names), hostnames [the name], and the ACME server fetches http://NAME/.well-known/acme-challenge/TOKEN on port 80. When that route cannot attach to an HTTP listener on port 80 — no such listener, allowedRoutes not admitting the namespace, a listener hostname that does not cover the name, no parentRefs — the challenge never validates. An error while a Challenge is pending or failed; a warning when the Certificate is Ready (its next renewal will fail).",
  },
  check(ctx) {
    for (const { first, all } of grouped(ctx.model, (a) => (a.chain.certificate ? `${a.chain.certificate.meta.namespace}/${a.chain.certificate.meta.name}` : undefined))) {
      const { lm, chain } = first;
      const crt = chain.certificate;
      if (!crt) continue;
      for (const check of chain.solverRoutes) {
        const ns = crt.meta.namespace;
        const active = check.challenge !== undefined && check.challenge.state !== 'valid';
        const failing = active || chain.ready?.status === 'False';
        if (!check.problem) {
          if (check.reachable.length === 0 && check.otherPorts.length) {
            ctx.report({
              object: crt,
              field: 'spec.dnsNames',
              severity: 'warning',
              message: sentence(`The HTTP-01 solver route for ${check.name} (Certificate ${ns}/${crt.meta.name}, ${issuerLabel(crt.issuerRef, ns)}) attaches only to ${check.otherPorts.join(', ')}: the ACME server connects to port 80, so validation works only if the load balancer forwards port 80 to that port`),
              evidence: check.parents.map((p) => `parentRef ${p.ref.namespace}/${p.ref.name}: ${p.why}`),
              listener: lm,
            });
          }
          continue;
        }
        const challenge = check.challenge;
        ctx.report({
          object: challenge ?? crt,
          field: challenge ? 'spec.solver.http01.gatewayHTTPRoute.parentRefs' : 'spec.dnsNames',
          severity: failing ? 'error' : 'warning',
          message: sentence(
            `the HTTP-01 solver HTTPRoute cert-manager creates for ${check.name} (Certificate ${ns}/${crt.meta.name} for ${listenersLabel(all, listenerLabel)} of Gateway ${gatewayId(lm.gateway)}, ${issuerLabel(crt.issuerRef, ns)}) cannot attach where the ACME server looks: ${check.problem}. ${
              challenge ? `Challenge ${ns}/${challenge.meta.name} is ${challenge.state || 'pending'}${challenge.reason ? ` ("${challenge.reason}")` : ''} and will not validate` : failing ? 'The challenge cannot validate, so the Certificate is not issued' : 'The certificate is issued now, but its next renewal will fail the same way'
            }`,
          ),
          evidence: [
            `solver: ${challenge ? `Challenge ${ns}/${challenge.meta.name} spec.solver` : `${issuerLabel(crt.issuerRef, ns)} spec.acme.solvers[${check.solver.index}]`} http01.gatewayHTTPRoute, parentRefs ${check.parents.map((p) => `${p.ref.namespace}/${p.ref.name}${p.ref.sectionName ? `#${p.ref.sectionName}` : ''}`).join(', ') || 'none'}`,
            ...(check.route ? [`HTTPRoute ${check.route} (created by cert-manager for the challenge)`] : []),
            ...check.parents.map((p) => `parentRef ${p.ref.namespace}/${p.ref.name}: ${p.why}`),
          ],
          fixes: suggestions(ctx, check, crt),
          listener: lm,
        });
      }
    }
  },
};
