import { describe, expect, it } from 'vitest';
import { certificateCovers, gatewayHostnameCovers, intersectHostnames, sanMatches } from '../../src/graph/hostnames.ts';

describe('Gateway API hostname matching', () => {
  it('matches exact names case-insensitively', () => {
    expect(gatewayHostnameCovers('Shop.Example.com', 'shop.example.com')).toBe(true);
    expect(gatewayHostnameCovers('shop.example.com', 'blog.example.com')).toBe(false);
  });
  it('treats a wildcard as a suffix match of any depth, never the bare domain', () => {
    expect(gatewayHostnameCovers('*.example.com', 'a.example.com')).toBe(true);
    expect(gatewayHostnameCovers('*.example.com', 'a.b.example.com')).toBe(true);
    expect(gatewayHostnameCovers('*.example.com', 'example.com')).toBe(false);
    expect(gatewayHostnameCovers('*.example.com', 'badexample.com')).toBe(false);
    expect(gatewayHostnameCovers('*.example.com', '*.foo.example.com')).toBe(true);
  });
  it('intersects listener and route hostnames, keeping the more specific name', () => {
    expect(intersectHostnames('*.example.com', ['a.example.com', 'other.org'])).toEqual(['a.example.com']);
    expect(intersectHostnames('a.example.com', ['*.example.com'])).toEqual(['a.example.com']);
    expect(intersectHostnames('*.example.com', ['*.foo.example.com'])).toEqual(['*.foo.example.com']);
    expect(intersectHostnames('shop.example.com', ['blog.example.com'])).toEqual([]);
  });
  it('takes the listener hostname when the route has none, and everything when neither has one', () => {
    expect(intersectHostnames('a.example.com', [])).toEqual(['a.example.com']);
    expect(intersectHostnames(undefined, [])).toEqual(['*']);
    expect(intersectHostnames(undefined, ['x.example.com'])).toEqual(['x.example.com']);
  });
});

describe('X.509 name matching (RFC 6125)', () => {
  it('lets a wildcard cover exactly one label', () => {
    expect(sanMatches('*.example.com', 'a.example.com')).toBe(true);
    expect(sanMatches('*.example.com', 'a.b.example.com')).toBe(false);
    expect(sanMatches('*.example.com', 'example.com')).toBe(false);
  });
  it('honours only a full left-most wildcard label', () => {
    expect(sanMatches('a*.example.com', 'ab.example.com')).toBe(false);
    expect(sanMatches('a.*.example.com', 'a.b.example.com')).toBe(false);
  });
  it('says a certificate covers a wildcard listener only one label deep', () => {
    expect(certificateCovers(['*.example.com'], '*.example.com')).toMatchObject({ full: false, partial: true });
    expect(certificateCovers(['a.example.com'], '*.example.com')).toMatchObject({ full: false, partial: true, by: ['a.example.com'] });
    expect(certificateCovers(['shop.example.com'], 'shop.example.com')).toMatchObject({ full: true });
    expect(certificateCovers(['other.org'], '*.example.com')).toMatchObject({ full: false, partial: false });
  });
});
