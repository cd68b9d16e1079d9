// The in-memory server-side apply: field ownership per manager, as the API server tracks it.
import { describe, expect, it } from 'vitest';
import { displayFields, extract, fieldsOf, fromFieldsV1 } from '../../../src/fixes/fields.ts';
import { applyConfigurations, managedFrom, serverSideApply, toFieldsV1 } from '../../../src/fixes/merge.ts';

const route = {
  apiVersion: 'gateway.networking.k8s.io/v1alpha2',
  kind: 'TCPRoute',
  metadata: { name: 'myroute', namespace: 'default', annotations: { 'external-dns.alpha.kubernetes.io/hostname': 'myroute.my-domain.com' } },
  spec: {
    parentRefs: [{ name: 'mygateway', sectionName: 'mylistener', namespace: 'wherethegatewayis' }],
    rules: [{ backendRefs: [{ name: 'myservice', port: 5432 }] }],
  },
};
const id = { apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TCPRoute', metadata: { name: 'myroute', namespace: 'default' } };
const parentFix = { ...id, spec: { parentRefs: [{ name: 'mygateway', sectionName: 'mylistener', namespace: 'default' }] } };
const annotationFix = { ...id, metadata: { ...id.metadata, annotations: { 'external-dns.kubernetes.io/hostname': 'myroute.my-domain.com' } } };

describe('server-side apply emulation', () => {
  it('reproduces the loss of parentRefs when one manager applies two partial configurations one after another', () => {
    const [after] = applyConfigurations([route], [parentFix, annotationFix]);
    const spec = after!.spec as Record<string, unknown>;
    // The second configuration did not carry parentRefs, which the first had taken over: the server removes them.
    expect(spec.parentRefs).toBeUndefined();
    expect(spec.rules).toEqual(route.spec.rules);
  });

  it('keeps every field when the second configuration carries what the manager already owns', () => {
    const [first] = applyConfigurations([route], [parentFix]);
    const owned = managedFrom(first!).managers.get('kubectl-gwtls')!.fields;
    const carried = extract(first!, 'TCPRoute', owned);
    const merged = { ...annotationFix, spec: carried.spec };
    const [after] = applyConfigurations([first!], [merged]);
    expect((after!.spec as Record<string, unknown>).parentRefs).toEqual(parentFix.spec.parentRefs);
    expect((after!.metadata as Record<string, unknown>).annotations).toEqual({ ...route.metadata.annotations, ...annotationFix.metadata.annotations });
  });

  it('reports a conflict with the field owner unless forced, and then takes the field from it', () => {
    const owned = managedFrom(route, 'kubectl-client-side-apply');
    const refused = serverSideApply(owned, parentFix, 'kubectl-gwtls', { force: false });
    expect(refused.conflicts.map((c) => [c.manager, c.field.join('.')])).toEqual([['kubectl-client-side-apply', 'f:spec.f:parentRefs']]);
    expect(refused.result).toBe(owned);
    const forced = serverSideApply(owned, parentFix, 'kubectl-gwtls', { force: true });
    expect(displayFields(forced.result.managers.get('kubectl-gwtls')!.fields)).toEqual(['spec.parentRefs']);
    expect(displayFields(forced.result.managers.get('kubectl-client-side-apply')!.fields)).not.toContain('spec.parentRefs');
  });

  it('shares a field whose value does not change, and never removes what another manager still owns', () => {
    const gw = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'gw', namespace: 'infra' },
      spec: { gatewayClassName: 'eg', listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', tls: { mode: 'Terminate', certificateRefs: [{ name: 'a' }] } }, { name: 'http', port: 80, protocol: 'HTTP' }] },
    };
    const patch = { apiVersion: gw.apiVersion, kind: 'Gateway', metadata: { name: 'gw', namespace: 'infra' }, spec: { listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'b' }] } }] } };
    const [once] = applyConfigurations([gw], [patch]);
    const listeners = (once!.spec as { listeners: Array<Record<string, unknown>> }).listeners;
    expect(listeners.map((l) => l.name)).toEqual(['https', 'http']);
    expect(listeners[0]!.tls).toEqual({ mode: 'Terminate', certificateRefs: [{ name: 'b' }] });
    // Dropping the listener from the next configuration does not remove it: the manifest still owns its name, port and protocol.
    const [twice] = applyConfigurations([once!], [{ ...patch, spec: { gatewayClassName: 'eg' } }]);
    const again = (twice!.spec as { listeners: Array<Record<string, unknown>> }).listeners;
    expect(again.map((l) => l.name)).toEqual(['https', 'http']);
    // certificateRefs was owned by kubectl-gwtls alone (force took it): it goes.
    expect((again[0]!.tls as Record<string, unknown>).certificateRefs).toBeUndefined();
  });

  it('round-trips field sets through FieldsV1 with keyed items', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', labels: { a: 'b' } }, spec: { ports: [{ port: 443, protocol: 'TCP', targetPort: 8443 }] } };
    const fields = fieldsOf(svc, 'Service');
    expect(displayFields(fields)).toEqual(['metadata.labels.a', 'spec.ports[port=443,protocol=TCP]', 'spec.ports[port=443,protocol=TCP].port', 'spec.ports[port=443,protocol=TCP].protocol', 'spec.ports[port=443,protocol=TCP].targetPort']);
    expect(fromFieldsV1(toFieldsV1(fields))).toEqual(fields);
    expect(toFieldsV1(fields)).toEqual({ 'f:metadata': { 'f:labels': { 'f:a': {} } }, 'f:spec': { 'f:ports': { 'k:{"port":443,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:protocol': {}, 'f:targetPort': {} } } } });
  });
});
