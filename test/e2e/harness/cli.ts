/**
 * node test/e2e/harness/cli.ts <command>
 *
 *   up [--gateway-api v1.6.1|v1.4.1] [--no-lbc] [--no-envoy] [--no-cert-manager] [--with-gateway]
 *                start a control plane that keeps running; prints its kubeconfig (npm run e2e:up);
 *                --with-gateway also runs Traefik against it (GatewayClass `traefik`) and prints its entry points
 *   down [--all] stop control planes started by `up` and any left by a crashed run (npm run e2e:down);
 *                --all also stops those of test runs still in progress
 *   status       list recorded control planes
 *   build [--with-gateway] [--with-cert-manager]
 *                build (or reuse) the cached kube-apiserver and etcd binaries (and Traefik, the cert-manager wrapper)
 *   gen-gomod    regenerate the wrapper go.mod/go.sum files from the pinned upstream go.mod files
 */
import { ControlPlane, stopRecorded } from './controlplane.ts';
import { TraefikGateway } from './gateway.ts';
import { ensureBinaries, ensureBinary, generateGoMod } from './gobuild.ts';
import { isOurProcess, pidAlive, readStates } from './state.ts';
import type { GatewayApiVersion } from './versions.ts';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'up': {
      let gatewayApiVersion: GatewayApiVersion = 'v1.6.1';
      const i = rest.indexOf('--gateway-api');
      if (i >= 0) {
        const v = rest[i + 1];
        if (v !== 'v1.6.1' && v !== 'v1.4.1') throw new Error(`--gateway-api must be v1.6.1 or v1.4.1, not ${v}`);
        gatewayApiVersion = v;
      }
      const cp = new ControlPlane();
      await cp.start({
        gatewayApiVersion,
        lbcCrds: !rest.includes('--no-lbc'),
        envoyCrds: !rest.includes('--no-envoy'),
        certManagerCrds: !rest.includes('--no-cert-manager'),
        persistent: true,
      });
      const t = cp.timings!;
      process.stdout.write(
        [
          `control plane ${cp.id} is up: kube-apiserver ${cp.kubernetesVersion} at ${cp.server}, Gateway API ${cp.gatewayApiVersion}`,
          `  build ${t.buildSeconds.toFixed(1)} s, etcd+apiserver ready ${t.readySeconds.toFixed(1)} s, CRDs+RBAC ${t.crdSeconds.toFixed(1)} s`,
          `  contexts: ${cp.adminContext} (current, system:masters), ${cp.restrictedContext} (read-only, no secrets)`,
          `kubeconfig: ${cp.kubeconfig}`,
          `export KUBECONFIG=${cp.kubeconfig}`,
          'stop it with: npm run e2e:down',
          '',
        ].join('\n'),
      );
      if (rest.includes('--with-gateway')) {
        const gw = await new TraefikGateway().start({ kubeconfig: cp.kubeconfig, persistent: true });
        const ep = gw.entryPoints;
        process.stdout.write(
          [
            `gateway ${gw.id}: Traefik ${gw.version} (${gw.binary!.cached ? 'cached binary' : `built in ${gw.timings!.buildSeconds.toFixed(0)} s`}), ready in ${gw.timings!.startSeconds.toFixed(1)} s; GatewayClass ${gw.gatewayClass} Accepted`,
            `  entry points (use these ports as Gateway listener ports; the Gateway status address is 127.0.0.1):`,
            ...Object.entries(ep).map(([name, port]) => `    ${name.padEnd(12)} 127.0.0.1:${port}`),
            `  backends: Service + EndpointSlice with addresses ${gw.backendAddress}, a server inside Traefik's network namespace, e.g.`,
            `    ${gw.enterNamespace} python3 -m http.server --bind ${gw.backendAddress} 8080`,
            `  Traefik log: ${gw.logFile}`,
            `  e.g. curl --connect-to ::127.0.0.1:${ep.websecure} https://app.example.com:${ep.websecure}/   or   kubectl gwtls probe app.example.com:${ep.websecure} --connect-to 127.0.0.1`,
            '',
          ].join('\n'),
        );
      }
      return 0;
    }
    case 'down': {
      const stopped = stopRecorded({ all: rest.includes('--all') });
      if (stopped.length === 0) process.stdout.write('no control plane to stop\n');
      for (const s of stopped) process.stdout.write(`stopped ${s.id} (${s.server}; pids ${s.processes.map((p) => p.pid).join(', ')})\n`);
      const remaining = readStates();
      for (const s of remaining) process.stdout.write(`still running: ${s.id} (owned by live pid ${s.ownerPid}; use --all)\n`);
      return 0;
    }
    case 'status': {
      const states = readStates();
      if (states.length === 0) process.stdout.write('no control plane recorded\n');
      for (const s of states) {
        const procs = s.processes.map((p) => `${p.name}:${p.pid}${isOurProcess(p) ? '' : '(gone)'}`).join(' ');
        const owner = s.persistent ? 'persistent (cli up)' : `owner ${s.ownerPid}${pidAlive(s.ownerPid) ? '' : ' (gone)'}`;
        process.stdout.write(`${s.id} ${s.server} ${s.kubernetesVersion} gateway-api ${s.gatewayApiVersion} ${owner} ${procs}\n  KUBECONFIG=${s.kubeconfig}\n`);
      }
      return 0;
    }
    case 'build': {
      const { etcd, kubeApiserver } = await ensureBinaries();
      const gateway = rest.includes('--with-gateway') ? [await ensureBinary('traefik')] : [];
      const certManager = rest.includes('--with-cert-manager') ? [await ensureBinary('cert-manager')] : [];
      for (const b of [etcd, kubeApiserver, ...gateway, ...certManager]) {
        process.stdout.write(`${b.name} ${b.version}: ${b.path} (${b.cached ? 'cached' : `built in ${b.buildSeconds.toFixed(1)} s`})\n`);
      }
      return 0;
    }
    case 'gen-gomod': {
      await generateGoMod('etcd');
      await generateGoMod('kube-apiserver');
      await generateGoMod('traefik');
      await generateGoMod('cert-manager');
      return 0;
    }
    default:
      process.stderr.write('usage: node test/e2e/harness/cli.ts up|down|status|build|gen-gomod\n');
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
