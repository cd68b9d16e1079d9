import type { Rule } from '../types.ts';
import { dns002 } from './dns-002-annotation-prefix.ts';
import { dns003 } from './dns-003-tcproute-source-version.ts';
import { dns004 } from './dns-004-missing-hostname.ts';

// GWTLS-DNS-001 (listener hostname does not resolve to the Gateway address) needs DNS lookups and is not here.
export const DNS_RULES: Rule[] = [dns002, dns003, dns004];
