import type { GatewayModel, ListenerModel } from '../../graph/model.ts';
import { isAwsLbc } from '../../graph/providers/aws-lbc.ts';
import type { Severity } from '../../report/types.ts';
import { sentence } from './words.ts';
import type { Rule } from '../types.ts';
import { gatewayId, listenerField, listenerLabel, listenerOwner } from '../util.ts';
import { conditionEvidence, isEnvoyGateway, listenerCondition } from './status.ts';

interface Conflict {
  members: ListenerModel[];
  reason: 'ProtocolConflict' | 'HostnameConflict';
  why: string;
  severity: Severity;
}

const L7 = new Set(['HTTP', 'HTTPS', 'TLS']);
const hostKey = (lm: ListenerModel) => (lm.spec.hostname ?? '').toLowerCase();
const names = (ls: ListenerModel[]) => {
  const n = ls.map((l) => l.spec.name);
  return n.length > 1 ? `${n.slice(0, -1).join(', ')} and ${n.at(-1)}` : (n[0] ?? '');
};

/** Conflicts the spec and the implementations define for listeners sharing a port (gateway-tls-domain.md §1.3, §2.1, §2.2). */
function conflictsOnPort(gm: GatewayModel, port: number, group: ListenerModel[]): Conflict[] {
  const out: Conflict[] = [];
  const impl = gm.impl;
  const tcp = group.filter((l) => l.spec.protocol === 'TCP');
  const l7 = group.filter((l) => L7.has(l.spec.protocol));
  if (tcp.length > 0 && l7.length > 0) {
    out.push({ members: [...tcp, ...l7], reason: 'ProtocolConflict', severity: 'error', why: `a TCP listener cannot share port ${port} with HTTP, HTTPS or TLS listeners (Gateway API: such listeners are not distinct and MUST NOT be accepted)` });
  }
  const seen = new Map<string, ListenerModel[]>();
  for (const l of group) {
    const key = `${l.spec.protocol}|${hostKey(l)}`;
    seen.set(key, [...(seen.get(key) ?? []), l]);
  }
  for (const same of seen.values()) {
    if (same.length < 2) continue;
    const h = same[0]!.spec.hostname;
    out.push({
      members: same,
      reason: 'HostnameConflict',
      severity: 'error',
      why: `they have the same protocol ${same[0]!.spec.protocol} and ${h ? `the same hostname ${h}` : 'no hostname'}, so no connection can be assigned to one of them (the API server also rejects this: "Combination of port, protocol and hostname must be unique for each listener")`,
    });
  }
  const http = group.filter((l) => l.spec.protocol === 'HTTP');
  const secure = group.filter((l) => l.spec.protocol === 'HTTPS' || l.spec.protocol === 'TLS');
  if (isAwsLbc(impl)) {
    const protocols = new Set(group.map((l) => l.spec.protocol));
    const mixed = [...protocols].filter((p) => p !== 'TCP' && p !== 'UDP').length > 0 && protocols.size > 1 && !(tcp.length > 0 && l7.length > 0);
    if (mixed) out.push({ members: group, reason: 'ProtocolConflict', severity: 'error', why: `${impl.name} allows one protocol per port (only TCP and UDP combine, as TCP_UDP), and port ${port} has ${[...protocols].join(' and ')}` });
  } else if (http.length > 0 && secure.length > 0) {
    out.push(
      isEnvoyGateway(impl)
        ? { members: [...http, ...secure], reason: 'ProtocolConflict', severity: 'error', why: `${impl.name} cannot serve plaintext HTTP and TLS on one port (All listeners for a given port must use a compatible protocol)` }
        : { members: [...http, ...secure], reason: 'ProtocolConflict', severity: 'warning', why: `plaintext HTTP and TLS on one port are distinct by the spec, but most implementations cannot serve both on one port` },
    );
  }
  if (isEnvoyGateway(impl)) {
    // Envoy Gateway counts hostnames across HTTPS and TLS listeners of a port (validateConflictedLayer7Listeners).
    const byHost = new Map<string, ListenerModel[]>();
    for (const l of secure) byHost.set(hostKey(l), [...(byHost.get(hostKey(l)) ?? []), l]);
    for (const same of byHost.values()) {
      if (same.length < 2 || new Set(same.map((l) => l.spec.protocol)).size < 2) continue;
      out.push({ members: same, reason: 'HostnameConflict', severity: 'error', why: `${impl.name} matches HTTPS and TLS listeners of one port by SNI alike, and these share ${same[0]!.spec.hostname ? `hostname ${same[0]!.spec.hostname}` : 'the empty hostname'}` });
    }
  }
  const tlsModes = group.filter((l) => l.spec.protocol === 'TLS');
  const modes = new Set(tlsModes.map((l) => l.spec.tls?.mode ?? 'Terminate'));
  const mixedUnsupported = gm.features.length > 0 ? !gm.features.includes('TLSRouteModeMixed') : impl.id === 'cilium';
  if (modes.size > 1 && mixedUnsupported) {
    out.push({ members: tlsModes, reason: 'ProtocolConflict', severity: 'error', why: `TLS listeners in Passthrough and Terminate mode share port ${port}, and ${impl.name} does not support mixing them (feature TLSRouteModeMixed)` });
  }
  return out;
}

export const lsn002: Rule = {
  meta: {
    code: 'GWTLS-LSN-002',
    severity: 'error',
    title: 'Listeners conflict on a port',
    inputs: ['Gateway', 'GatewayClass'],
    description:
      'Listeners sharing a port must be distinct: a TCP listener cannot share its port with HTTP, HTTPS or TLS listeners; listeners of one protocol must differ in hostname; implementations add limits (Envoy Gateway: no HTTP next to HTTPS/TLS; AWS NLB: one protocol per port except TCP+UDP). Conflicted listeners are not accepted, and their port serves nothing.',
  },
  check(ctx) {
    for (const gm of ctx.model.gateways) {
      // Conflicts within one object (the Gateway, or one ListenerSet): no member wins. Between objects, GEP-1713
      // precedence decides (GWTLS-LS-003), and a listener that lost there is out of the running here.
      const owners = new Map<string, ListenerModel[]>();
      for (const l of gm.listeners) {
        if (l.conflict) continue;
        const key = l.set ? `${l.set.obj.kind}/${l.set.obj.meta.namespace}/${l.set.obj.meta.name}` : '';
        owners.set(key, [...(owners.get(key) ?? []), l]);
      }
      const covered = new Set<ListenerModel>();
      for (const own of owners.values()) {
        const byPort = new Map<number, ListenerModel[]>();
        for (const l of own) byPort.set(l.spec.port, [...(byPort.get(l.spec.port) ?? []), l]);
        for (const [port, group] of byPort) {
          if (group.length < 2) continue;
          for (const c of conflictsOnPort(gm, port, group)) {
            const members = [...new Set(c.members)].sort((a, b) => a.spec.index - b.spec.index);
            members.forEach((m) => covered.add(m));
            const last = members.at(-1)!;
            const status = members.map((m) => listenerCondition(m, 'Conflicted')).map((s, i) => (s?.status === 'True' ? conditionEvidence(members[i]!, s) : '')).filter(Boolean);
            const where = last.set ? `${last.set.obj.kind} ${last.set.obj.meta.namespace}/${last.set.obj.meta.name} (on Gateway ${gatewayId(gm)})` : `Gateway ${gatewayId(gm)}`;
            ctx.report({
              object: listenerOwner(last),
              field: listenerField(last),
              severity: c.severity,
              message: `Listeners ${names(members)} of ${where} conflict on port ${port} (${c.reason}): ${c.why}. ${c.severity === 'error' ? 'None of them is accepted, so' : 'Where the implementation refuses them,'} port ${port} serves nothing; ${c.reason === 'ProtocolConflict' ? 'move the listeners of one protocol to another port' : 'give each a distinct hostname, or its own port'}.`,
              evidence: [...members.map((m) => `${listenerField(m)}: ${listenerLabel(m)}${m.spec.hostname ? `, hostname ${m.spec.hostname}` : ''}`), ...status],
              listener: last,
            });
          }
        }
      }
      for (const lm of gm.listeners) {
        const s = listenerCondition(lm, 'Conflicted');
        if (s?.status !== 'True' || covered.has(lm) || lm.set) continue;
        ctx.report({
          object: gm.obj,
          field: listenerField(lm),
          message: sentence(`${listenerLabel(lm)} of Gateway ${gatewayId(gm)} is conflicted (${s.reason ?? 'no reason given'}${s.message ? `: ${s.message}` : ''}): the controller refuses it, so it serves nothing. Give it a port or hostname no other listener uses${isEnvoyGateway(gm.impl) ? ', also across Gateways merged onto one proxy' : ''}.`),
          evidence: [conditionEvidence(lm, s)],
          listener: lm,
        });
      }
    }
  },
};
