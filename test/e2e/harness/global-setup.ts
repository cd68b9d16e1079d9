/**
 * vitest globalSetup of the `e2e` project (runs once, in the main vitest process).
 *
 * - GWTLS_E2E_KUBECONFIG set: use that cluster (context GWTLS_E2E_CONTEXT or the current one; restricted
 *   context GWTLS_E2E_RESTRICTED_CONTEXT or `gwtls-restricted` when present); nothing is started; missing
 *   CRDs are installed when Go is available.
 * - else, Go available: start a ControlPlane (Gateway API v1.6.1 + LBC + Envoy Gateway CRDs), stop it in teardown.
 * - else: tests skip, with the reason printed (GWTLS_E2E_REQUIRE=1 turns that into a failure).
 */
import type { TestProject } from 'vitest/node';
import { ControlPlane } from './controlplane.ts';
import { installCrds } from './crds.ts';
import { findGo, log } from './gobuild.ts';
import { loadKubeConfig, RestClient } from './rest.ts';
import { E2E_ENV_KEY, type E2eEnv } from './env.ts';
import { DEFAULT_GATEWAY_API_VERSION, KUBERNETES_VERSION, RESTRICTED_CONTEXT } from './versions.ts';

function unavailable(reason: string): E2eEnv {
  return {
    available: false,
    reason,
    source: 'none',
    kubeconfig: '',
    adminContext: '',
    restrictedContext: '',
    goAvailable: false,
    server: '',
    kubernetesVersion: '',
    gatewayApiVersion: '',
  };
}

async function externalCluster(kubeconfig: string, goAvailable: boolean): Promise<E2eEnv> {
  const kc = loadKubeConfig(kubeconfig);
  const adminContext = process.env.GWTLS_E2E_CONTEXT || kc.getCurrentContext();
  kc.setCurrentContext(adminContext);
  const contexts = kc.getContexts().map((c) => c.name);
  const wanted = process.env.GWTLS_E2E_RESTRICTED_CONTEXT ?? RESTRICTED_CONTEXT;
  const restrictedContext = contexts.includes(wanted) ? wanted : '';
  const client = new RestClient(kc);
  const crd = await client.request('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gateways.gateway.networking.k8s.io');
  if (goAvailable) {
    await installCrds(client, { onlyMissing: true });
  } else if (crd.status !== 200) {
    log(`WARNING: ${kubeconfig} has no Gateway API CRDs and there is no Go toolchain to fetch them; tests needing them will fail`);
  }
  const gw = await client.request<{ spec?: { versions?: { name: string }[] }; metadata?: { annotations?: Record<string, string> } }>(
    'GET',
    '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gateways.gateway.networking.k8s.io',
  );
  return {
    available: true,
    reason: '',
    source: 'external',
    kubeconfig,
    adminContext,
    restrictedContext,
    goAvailable,
    server: client.server,
    kubernetesVersion: '',
    gatewayApiVersion: gw.body?.metadata?.annotations?.['gateway.networking.k8s.io/bundle-version'] ?? '',
  };
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const goAvailable = findGo() !== undefined;
  const external = process.env.GWTLS_E2E_KUBECONFIG;
  let env: E2eEnv;
  let cp: ControlPlane | undefined;
  if (external) {
    env = await externalCluster(external, goAvailable);
    log(`e2e: using existing cluster ${env.server} from GWTLS_E2E_KUBECONFIG=${external} (context ${env.adminContext})`);
  } else if (goAvailable) {
    cp = new ControlPlane();
    await cp.start({ gatewayApiVersion: DEFAULT_GATEWAY_API_VERSION, lbcCrds: true, envoyCrds: true });
    env = {
      available: true,
      reason: '',
      source: 'harness',
      kubeconfig: cp.kubeconfig,
      adminContext: cp.adminContext,
      restrictedContext: cp.restrictedContext,
      goAvailable,
      server: cp.server,
      kubernetesVersion: KUBERNETES_VERSION,
      gatewayApiVersion: cp.gatewayApiVersion,
    };
  } else {
    env = unavailable(
      'no Go toolchain (`go` not on PATH, no /usr/local/go/bin/go) to build kube-apiserver/etcd, and GWTLS_E2E_KUBECONFIG is not set',
    );
    if (process.env.GWTLS_E2E_REQUIRE === '1') throw new Error(`e2e tests required (GWTLS_E2E_REQUIRE=1) but ${env.reason}`);
    log(`SKIPPING e2e tests: ${env.reason}`);
  }
  project.provide(E2E_ENV_KEY, env);
  if (!cp) return undefined;
  const started = cp;
  return async () => {
    await started.stop();
  };
}
