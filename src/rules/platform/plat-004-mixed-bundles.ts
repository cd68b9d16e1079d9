import { GATEWAY_GROUP } from '../../cluster/kinds.ts';
import type { CustomResourceDefinitionObject } from '../../cluster/objects.ts';
import type { Rule } from '../types.ts';

/** The experimental X-kinds (XListenerSet, XBackendTrafficPolicy, ...) ship in the same bundle. */
const GATEWAY_API_GROUPS = new Set([GATEWAY_GROUP, 'gateway.networking.x-k8s.io']);
const GATEWAY_CRD = `gateways.${GATEWAY_GROUP}`;

function semverParts(v: string): number[] {
  return (/^v?(\d+)\.(\d+)\.(\d+)/.exec(v) ?? []).slice(1).map(Number);
}

function newer(a: string, b: string): boolean {
  const [x, y] = [semverParts(a), semverParts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? -1) !== (y[i] ?? -1)) return (x[i] ?? -1) > (y[i] ?? -1);
  return a > b;
}

const shortName = (c: CustomResourceDefinitionObject) => c.meta.name.replace(`.${GATEWAY_GROUP}`, '');
const bundle = (c: CustomResourceDefinitionObject) => `${c.bundleVersion}${c.channel ? ` ${c.channel}` : ''}`;

/** The CRDs of each bundle (version and channel), as evidence lines. */
function inventory(crds: CustomResourceDefinitionObject[]): string[] {
  const byBundle = new Map<string, string[]>();
  for (const c of crds) byBundle.set(bundle(c), [...(byBundle.get(bundle(c)) ?? []), shortName(c)]);
  return [...byBundle].map(([b, names]) => `Gateway API ${b}: ${names.sort().join(', ')}`);
}

export const plat004: Rule = {
  meta: {
    code: 'GWTLS-PLAT-004',
    severity: 'warning',
    title: 'Gateway API CRDs from different releases or channels',
    inputs: ['CustomResourceDefinition'],
    description:
      'The Gateway API CRDs of the cluster carry different gateway.networking.k8s.io/bundle-version (or channel) annotations: they were installed from more than one release. Controllers are built against one bundle; a CRD from another one serves other versions and fields, and the API server prunes fields its schema does not know without an error.',
  },
  check(ctx) {
    // In name order: the answer must not depend on the order the objects were read in.
    const crds = ctx.snapshot
      .list('CustomResourceDefinition')
      .filter((c) => GATEWAY_API_GROUPS.has(c.group) && c.bundleVersion)
      .sort((a, b) => a.meta.name.localeCompare(b.meta.name));
    if (crds.length < 2) return;
    const counts = new Map<string, number>();
    for (const c of crds) counts.set(c.bundleVersion!, (counts.get(c.bundleVersion!) ?? 0) + 1);
    // Controllers read Gateways first of all: the Gateway CRD's release is the one the others are measured against.
    const reference = crds.find((c) => c.meta.name === GATEWAY_CRD) ?? [...crds].sort((a, b) => counts.get(b.bundleVersion!)! - counts.get(a.bundleVersion!)!)[0]!;
    const newest = crds.map((c) => c.bundleVersion!).reduce((a, b) => (newer(b, a) ? b : a));
    const install = (channel: string) => `kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api/releases/download/${newest}/${channel}-install.yaml`;
    const others = crds.filter((c) => c !== reference && c.bundleVersion === reference.bundleVersion).length;
    const peers = `${reference.meta.name}${others ? ` and ${others} other Gateway API CRD${others === 1 ? '' : 's'}` : ''}`;
    const evidence = inventory(crds);
    for (const c of crds) {
      if (c === reference) continue;
      if (c.bundleVersion !== reference.bundleVersion) {
        ctx.report({
          object: c,
          field: `metadata.annotations[${GATEWAY_GROUP}/bundle-version]`,
          message: `CRD ${c.meta.name} comes from Gateway API ${bundle(c)}, ${peers} from ${bundle(reference)}: controllers are built against one release, and a CRD from another serves other versions and fields (the API server prunes fields its schema does not know, without an error). Re-apply one release in full (the newest, in the channel of the Gateway CRD): ${install(reference.channel === 'experimental' ? 'experimental' : 'standard')}`,
          evidence,
        });
      } else if (c.channel && reference.channel && c.channel !== reference.channel) {
        ctx.report({
          object: c,
          field: `metadata.annotations[${GATEWAY_GROUP}/channel]`,
          severity: 'info',
          message: `CRD ${c.meta.name} comes from the ${c.channel} channel of Gateway API ${c.bundleVersion}, ${reference.meta.name} from the ${reference.channel} channel: a field that exists only in the Experimental channel is pruned without an error from objects whose CRD comes from the Standard channel. That is harmless while nothing sets such fields; to use them, install the Experimental bundle in full (from v1.5 on, the safe-upgrades.gateway.networking.k8s.io ValidatingAdmissionPolicy refuses Experimental CRDs over Standard ones: delete it first): ${install('experimental')}`,
          evidence,
        });
      }
    }
  },
};
