// external-dns annotations on routes and Gateways. v0.22.0 switched the default prefix from
// external-dns.alpha.kubernetes.io/ to external-dns.kubernetes.io/ (kubernetes-sigs/external-dns PR #6424,
// source/annotations/annotations.go), so both are in use.
import type { BaseObject } from '../../cluster/objects.ts';

export const ALPHA = 'external-dns.alpha.kubernetes.io/';
export const GA = 'external-dns.kubernetes.io/';

/** Annotation suffixes (hostname, ttl, target, ...) under each prefix. */
export function externalDnsAnnotations(obj: BaseObject): { alpha: Map<string, string>; ga: Map<string, string> } {
  const alpha = new Map<string, string>();
  const ga = new Map<string, string>();
  for (const [k, v] of Object.entries(obj.meta.annotations)) {
    if (k.startsWith(ALPHA)) alpha.set(k.slice(ALPHA.length), v);
    else if (k.startsWith(GA)) ga.set(k.slice(GA.length), v);
  }
  return { alpha, ga };
}

export function usesExternalDns(obj: BaseObject): boolean {
  const { alpha, ga } = externalDnsAnnotations(obj);
  return alpha.size + ga.size > 0;
}

export function hostnameAnnotation(obj: BaseObject): string | undefined {
  const { alpha, ga } = externalDnsAnnotations(obj);
  return ga.get('hostname') ?? alpha.get('hostname');
}
