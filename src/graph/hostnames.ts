// Two different wildcard semantics meet on a Gateway:
// - Gateway API hostnames (listener, route): `*.example.com` is a suffix match covering any number of labels
//   (`a.example.com` and `a.b.example.com`), never `example.com` itself (apis/v1 Hostname godoc).
// - X.509 certificates (RFC 6125 §6.4.3): `*.example.com` covers exactly one label.

function lower(h: string): string {
  return h.toLowerCase().replace(/\.$/, '');
}

export function isWildcard(h: string): boolean {
  return h.startsWith('*.');
}

/** Whether a concrete name falls under a Gateway API hostname (exact, or wildcard suffix of any depth). */
export function gatewayHostnameCovers(pattern: string, name: string): boolean {
  const p = lower(pattern);
  const n = lower(name);
  if (!isWildcard(p)) return p === n;
  const suffix = p.slice(1); // ".example.com"
  return n.endsWith(suffix) && n.length > suffix.length;
}

/**
 * The hostnames a listener serves for a route: the intersection of the listener hostname and the route's
 * hostnames, each intersection being the more specific of the two. An empty listener hostname matches all;
 * an empty route hostname list takes the listener's. Returns [] when they do not intersect.
 */
export function intersectHostnames(listenerHostname: string | undefined, routeHostnames: readonly string[]): string[] {
  if (routeHostnames.length === 0) return listenerHostname ? [listenerHostname] : ['*'];
  if (!listenerHostname) return [...routeHostnames];
  const out: string[] = [];
  for (const rh of routeHostnames) {
    const i = intersectPair(listenerHostname, rh);
    if (i) out.push(i);
  }
  return [...new Set(out)];
}

function intersectPair(a: string, b: string): string | null {
  const la = lower(a);
  const lb = lower(b);
  if (la === lb) return b;
  if (isWildcard(la) && gatewayHostnameCovers(la, lb)) return b;
  if (isWildcard(lb) && gatewayHostnameCovers(lb, la)) return a;
  return null;
}

/** RFC 6125 matching of one certificate DNS SAN against a concrete hostname. */
export function sanMatches(san: string, hostname: string): boolean {
  const s = lower(san);
  const h = lower(hostname);
  if (!s.includes('*')) return s === h;
  // Only a full left-most label wildcard is honoured (as browsers do): `*.example.com`.
  if (!isWildcard(s) || s.indexOf('*', 1) >= 0) return false;
  const rest = s.slice(2);
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === rest;
}

export interface CoverResult {
  /** Every name of the pattern is covered. */
  full: boolean;
  /** Some names are covered (for wildcard patterns covered only one label deep). */
  partial: boolean;
  /** The SAN(s) that cover it. */
  by: string[];
}

/**
 * Whether a certificate's DNS SANs cover a Gateway API hostname pattern. A wildcard listener hostname
 * `*.example.com` admits names of any depth, which an X.509 `*.example.com` only covers one label deep.
 */
export function certificateCovers(dnsSans: readonly string[], pattern: string): CoverResult {
  const p = lower(pattern);
  if (!isWildcard(p)) {
    const by = dnsSans.filter((s) => sanMatches(s, p));
    return { full: by.length > 0, partial: by.length > 0, by };
  }
  const by = dnsSans.filter((s) => lower(s) === p);
  if (by.length > 0) return { full: false, partial: true, by };
  // Individual names under the wildcard (e.g. SAN a.example.com for listener *.example.com).
  const some = dnsSans.filter((s) => gatewayHostnameCovers(p, s) && !isWildcard(s));
  return { full: false, partial: some.length > 0, by: some };
}
