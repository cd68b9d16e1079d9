import type { Rule } from '../types.ts';
import { btls001 } from './btls-001-plaintext-to-tls-backend.ts';
import { btls002 } from './btls-002-tls-to-plaintext-backend.ts';
import { btls003 } from './btls-003-policy-invalid.ts';

export const BACKEND_TLS_RULES: Rule[] = [btls001, btls002, btls003];
