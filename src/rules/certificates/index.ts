import type { Rule } from '../types.ts';
import { cert001 } from './cert-001-expired.ts';
import { cert002 } from './cert-002-expires-soon.ts';
import { cert003 } from './cert-003-hostname-not-covered.ts';
import { cert004 } from './cert-004-key-mismatch.ts';
import { cert005 } from './cert-005-chain.ts';
import { cert006 } from './cert-006-no-san.ts';
import { cert007 } from './cert-007-not-server-cert.ts';

export const CERTIFICATES_RULES: Rule[] = [cert001, cert002, cert003, cert004, cert005, cert006, cert007];
