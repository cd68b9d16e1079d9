// The gateway harness itself: the network namespace keeps the backends' address off the host, everything it
// started is gone after stop(), and a Traefik pin that needs a module the proxy does not serve is refused.
import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { traefikReplaces } from '../harness/gobuild.ts';
import { deleteObject, skipE2e } from '../harness/kube.ts';
import { pidAlive } from '../harness/state.ts';
import { BACKEND_ADDRESS, httpGet, requireGateway, until, useTraefik } from './traefik.ts';

describe('Traefik pin', () => {
  it('copies module-to-module replaces and refuses a replace to a local directory (v3.7: a nested module the proxy does not serve)', () => {
    const v36 = 'replace (\n\tgithub.com/gorilla/mux => github.com/containous/mux v0.0.0-20250523120546-41b6ec3aed59 // fork\n)\n';
    expect(traefikReplaces(v36)).toEqual(['github.com/gorilla/mux => github.com/containous/mux v0.0.0-20250523120546-41b6ec3aed59']);
    const v37 = `${v36}replace github.com/traefik/traefik/dynamic/ext => ./pkg/config/dynamic/ext\n`;
    expect(() => traefikReplaces(v37)).toThrow(/local directory \.\/pkg\/config\/dynamic\/ext.*module proxy does not serve/);
  });
});

describe.skipIf(skipE2e())('gateway harness', () => {
  const h = useTraefik();

  it('runs backends on a non-loopback address inside its own namespace, never on the host, and leaves nothing behind', async (ctx) => {
    const gw = requireGateway(h, ctx);
    const onHost = Object.values(networkInterfaces()).flat().map((i) => i?.address);
    expect(onHost, 'the backend address is not added to the host').not.toContain(BACKEND_ADDRESS);
    await gw.startBackends([{ name: 'probe', kind: 'http', port: 18090 }]);
    // Traefik answers on the host side of the relay: with no route for this host, its own 404
    const res = await until(() => httpGet(gw.entryPoints.web, 'nothing.example.test', 'probe').then((o) => ({ ...o, ok: o.status === 404 })));
    expect(res.status).toBe(404);
    const procs = gw.processes();
    expect(procs.map((p) => p.name)).toEqual(['netns', 'relay-host', 'relay-netns', 'traefik', 'backends-1']);
    const workDir = gw.workDir;
    await deleteObject({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', name: gw.gatewayClass });
    await gw.stop();
    expect(procs.filter((p) => pidAlive(p.pid)), 'every process the gateway started is gone').toEqual([]);
    expect(existsSync(workDir)).toBe(false);
    h.gw = undefined;
  });
});
