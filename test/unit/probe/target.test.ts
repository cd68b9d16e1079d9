import { describe, expect, it } from 'vitest';
import { joinHostPort, parseTarget, splitHostPort, TargetError } from '../../../src/probe/target.ts';

describe('parseTarget', () => {
  it.each([
    ['example.com', { host: 'example.com', port: 443, ip: false }],
    ['Example.COM.:8443', { host: 'example.com', port: 8443, ip: false }],
    ['10.0.0.1', { host: '10.0.0.1', port: 443, ip: true }],
    ['10.0.0.1:5432', { host: '10.0.0.1', port: 5432, ip: true }],
    ['[::1]:8443', { host: '::1', port: 8443, ip: true }],
    ['[2001:db8::1]', { host: '2001:db8::1', port: 443, ip: true }],
    ['2001:db8::1', { host: '2001:db8::1', port: 443, ip: true }],
    ['https://shop.example.com:9443/path', { host: 'shop.example.com', port: 9443, ip: false }],
    ['http://shop.example.com', { host: 'shop.example.com', port: 80, ip: false }],
    ['bücher.example:8443', { host: 'xn--bcher-kva.example', port: 8443, ip: false }],
    ['ÉCOLE.example', { host: 'xn--cole-9oa.example', port: 443, ip: false }],
  ])('%s', (input, want) => {
    expect(parseTarget(input)).toMatchObject({ kind: 'host', input, ...want });
  });

  it('svc/ and pod/ targets', () => {
    expect(parseTarget('svc/web:443')).toEqual({ kind: 'service', input: 'svc/web:443', name: 'web', port: 443 });
    expect(parseTarget('pod/db-0:postgres')).toEqual({ kind: 'pod', input: 'pod/db-0:postgres', name: 'db-0', port: 'postgres' });
    expect(() => parseTarget('svc/web')).toThrow(/give the port, e.g. svc\/web:443/);
  });

  it.each([
    ['', /empty/],
    ['host:0', /out of range/],
    ['host:70000', /out of range/],
    ['host:abc', /not a number/],
    ['[::1', /missing "]"/],
    ['[10.0.0.1]:443', /not an IPv6 address/],
    ['::1:443:x', /brackets/],
    ['bad_host!:443', /not a valid host name/],
    ['[::1]x', /expected ":PORT"/],
    ['::1:24490', /^target "::1:24490": write IPv6 addresses in brackets/],
    ['host:99999', /^target "host:99999": port 99999 is out of range/],
    ['bad host', /^target "bad host": "bad host" is not a valid host name$/],
    ['a\u202eb.example', /is not a valid host name/],
  ])('rejects %j', (input, re) => {
    expect(() => parseTarget(input)).toThrow(TargetError);
    expect(() => parseTarget(input)).toThrow(re);
  });

  it('splitHostPort keeps the port optional (for --connect-to)', () => {
    expect(splitHostPort('203.0.113.7')).toEqual({ host: '203.0.113.7', port: null, ip: true });
    expect(splitHostPort('lb.example.com:8443')).toEqual({ host: 'lb.example.com', port: 8443, ip: false });
  });

  it('joinHostPort brackets IPv6', () => {
    expect(joinHostPort('::1', 443)).toBe('[::1]:443');
    expect(joinHostPort('a.b', 1)).toBe('a.b:1');
    expect(joinHostPort('10.0.0.1', null)).toBe('10.0.0.1');
  });
});
