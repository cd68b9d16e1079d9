// The rule registry, sorted by code. Each family lists its rules in its own index.
import { AWS_LBC_RULES } from './aws-lbc/index.ts';
import { BACKEND_TLS_RULES } from './backend-tls/index.ts';
import { BACKENDS_RULES } from './backends/index.ts';
import { CERT_MANAGER_RULES } from './cert-manager/index.ts';
import { CERTIFICATES_RULES } from './certificates/index.ts';
import { DNS_RULES } from './dns/index.ts';
import { ENVOY_GATEWAY_RULES } from './envoy-gateway/index.ts';
import { LISTENER_SETS_RULES } from './listener-sets/index.ts';
import { LISTENERS_RULES } from './listeners/index.ts';
import { PLATFORM_RULES } from './platform/index.ts';
import { ROUTES_RULES } from './routes/index.ts';
import type { CodeMeta, Rule } from './types.ts';

export const ALL_RULES: readonly Rule[] = [
  ...PLATFORM_RULES,
  ...LISTENERS_RULES,
  ...LISTENER_SETS_RULES,
  ...CERTIFICATES_RULES,
  ...ROUTES_RULES,
  ...BACKENDS_RULES,
  ...BACKEND_TLS_RULES,
  ...AWS_LBC_RULES,
  ...ENVOY_GATEWAY_RULES,
  ...DNS_RULES,
  ...CERT_MANAGER_RULES,
].sort((a, b) => a.meta.code.localeCompare(b.meta.code));

/** Every code the tool can report (inspect rules, then codes reported by other commands). */
export function allCodes(extra: readonly CodeMeta[] = []): CodeMeta[] {
  return [...ALL_RULES.map((r) => ({ code: r.meta.code, severity: r.meta.severity, title: r.meta.title, description: r.meta.description })), ...extra].sort((a, b) => a.code.localeCompare(b.code));
}
