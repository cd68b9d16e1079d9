import { fix, FORCE_NOTE, identity } from '../../fixes/builders.ts';
import type { Rule } from '../types.ts';
import { backendUses } from './uses.ts';

export const be006: Rule = {
  meta: {
    code: 'GWTLS-BE-006',
    severity: 'error',
    title: 'Named targetPort not exposed by the pods',
    inputs: ['Service', 'Pod'],
    description:
      'The Service port forwards to a targetPort given by name, and the selected pods declare no container port of that name. Those pods are left out of the endpoints of that port, so the gateway has no (or fewer) endpoints to send the traffic to.',
  },
  check(ctx) {
    const seen = new Set<string>();
    for (const use of backendUses(ctx.model)) {
      const b = use.backend;
      const svc = b.service?.found ? b.service.obj : undefined;
      const port = b.servicePort;
      if (!svc || !port || typeof port.targetPort !== 'string' || !b.problems.some((p) => p.problem === 'named-target-port')) continue;
      const id = `${svc.meta.namespace}/${svc.meta.name}:${port.port}/${port.protocol}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const name = port.targetPort;
      const selected = b.selectedPods ?? [];
      const lacking = selected.filter((p) => !p.containerPorts.some((c) => c.name === name));
      const numbers = [...new Set(lacking.flatMap((p) => p.containerPorts.filter((c) => c.protocol === port.protocol).map((c) => c.containerPort)))];
      const index = svc.ports.indexOf(port);
      const fixes = [];
      if (numbers.length === 1 && lacking.every((p) => p.containerPorts.length > 0)) {
        const entry: Record<string, unknown> = { port: port.port, protocol: port.protocol, targetPort: numbers[0] };
        if (port.name) entry.name = port.name;
        fixes.push(fix(`forward Service port ${port.name ?? port.port} to container port ${numbers[0]}`, [{ ...identity(svc), spec: { ports: [entry] } }], { note: FORCE_NOTE }));
      }
      const declared = [...new Set(lacking.flatMap((p) => p.containerPorts.map((c) => (c.name ? `${c.name} (${c.containerPort})` : String(c.containerPort)))))];
      ctx.report({
        object: svc,
        field: `spec.ports[${index}].targetPort`,
        message: `Service ${svc.meta.namespace}/${svc.meta.name} port ${port.name ?? port.port} forwards to the container port named ${name}, which ${lacking.length === selected.length ? 'none' : `${lacking.length} of ${selected.length}`} of its pods declare: ${lacking.length === selected.length ? 'the port has no endpoints and the gateway has nowhere to send traffic' : 'those pods get no traffic on this port'}. Name the container port ${name}, or set a numeric targetPort.`,
        evidence: [
          `spec.ports[${index}]: port ${port.port}, targetPort ${name}`,
          ...lacking.slice(0, 3).map((p) => `Pod ${p.meta.namespace}/${p.meta.name} declares ${p.containerPorts.length ? p.containerPorts.map((c) => (c.name ? `${c.name} (${c.containerPort})` : String(c.containerPort))).join(', ') : 'no container ports'}`),
          ...(declared.length ? [] : ['the pods declare no container ports at all']),
        ],
        fixes,
        ...use.at,
      });
    }
  },
};
