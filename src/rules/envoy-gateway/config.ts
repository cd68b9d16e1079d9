// Envoy Gateway's startup configuration (ConfigMap envoy-gateway-config, key envoy-gateway.yaml) and which
// Gateways Envoy Gateway serves (gateway-tls-domain.md §2.2, §2.3).
import * as yaml from 'js-yaml';
import type { ConfigMapObject } from '../../cluster/objects.ts';
import type { Snapshot } from '../../cluster/snapshot.ts';
import type { GatewayModel } from '../../graph/model.ts';

/** Default install, Calico operator v1.43+, older Calico operators. */
export const CONFIG_NAMESPACES = ['envoy-gateway-system', 'calico-system', 'tigera-gateway'];
export const CONFIG_NAME = 'envoy-gateway-config';
export const CONFIG_KEY = 'envoy-gateway.yaml';

export interface EnvoyConfig {
  configMap: ConfigMapObject;
  parsed: Record<string, unknown> | null;
  error?: string;
  enableBackend: boolean;
}

export function envoyConfig(snapshot: Snapshot): EnvoyConfig | undefined {
  for (const ns of CONFIG_NAMESPACES) {
    const cm = snapshot.get('ConfigMap', ns, CONFIG_NAME);
    if (!cm) continue;
    const text = cm.data[CONFIG_KEY];
    if (text === undefined) return { configMap: cm, parsed: null, error: `no key ${CONFIG_KEY}`, enableBackend: false };
    try {
      const parsed = yaml.load(text, { schema: yaml.CORE_SCHEMA });
      const doc = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
      const ext = doc.extensionApis as Record<string, unknown> | undefined;
      return { configMap: cm, parsed: doc, enableBackend: ext?.enableBackend === true };
    } catch (e) {
      return { configMap: cm, parsed: null, error: `${CONFIG_KEY} is not valid YAML: ${(e as Error).message.split('\n')[0]}`, enableBackend: false };
    }
  }
  return undefined;
}

export function isEnvoyGateway(g: GatewayModel): boolean {
  return g.impl.id === 'envoy-gateway' || g.impl.id === 'calico';
}
