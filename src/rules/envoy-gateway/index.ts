import type { Rule } from '../types.ts';
import { eg001 } from './eg-001-backend-disabled.ts';
import { eg002 } from './eg-002-backend-tls-invalid.ts';
import { eg003 } from './eg-003-backend-sni.ts';
import { eg004 } from './eg-004-backend-address.ts';
import { eg005 } from './eg-005-terminate-without-certificate-refs.ts';

export const ENVOY_GATEWAY_RULES: Rule[] = [eg001, eg002, eg003, eg004, eg005];
