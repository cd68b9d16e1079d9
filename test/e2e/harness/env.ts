/** What global-setup.ts hands to the e2e test files through vitest's provide/inject (`inject('gwtlsE2e')`). */
export interface E2eEnv {
  /** false: the e2e tests must skip; `reason` says why */
  available: boolean;
  reason: string;
  /** harness: a control plane started by global-setup; external: GWTLS_E2E_KUBECONFIG */
  source: 'harness' | 'external' | 'none';
  kubeconfig: string;
  /** context with cluster-admin rights (the kubeconfig's current context) */
  adminContext: string;
  /** read-only context without access to Secrets; '' when the external kubeconfig has none */
  restrictedContext: string;
  /** whether a Go toolchain is available (needed to start extra control planes in a test file) */
  goAvailable: boolean;
  server: string;
  /** pinned version for harness control planes; '' for external clusters */
  kubernetesVersion: string;
  gatewayApiVersion: string;
}

export const E2E_ENV_KEY = 'gwtlsE2e';

declare module 'vitest' {
  export interface ProvidedContext {
    gwtlsE2e: E2eEnv;
  }
}
