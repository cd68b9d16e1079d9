import type { Rule } from '../types.ts';
import { btls001 } from './btls-001-plaintext-to-tls-backend.ts';
import { btls002 } from './btls-002-tls-to-plaintext-backend.ts';
import { btls003 } from './btls-003-policy-invalid.ts';
import { btls004 } from './btls-004-policy-wrong-target.ts';
import { btls005 } from './btls-005-policy-ignored.ts';
import { btls006 } from './btls-006-name-mismatch.ts';
import { btls007 } from './btls-007-untrusted-certificate.ts';
import { btls008 } from './btls-008-conflicting-policies.ts';
import { btls010 } from './btls-010-system-ca-private-certificate.ts';
import { btls011 } from './btls-011-skip-verify.ts';
import { btls012 } from './btls-012-san-validation-unsupported.ts';

export const BACKEND_TLS_RULES: Rule[] = [btls001, btls002, btls003, btls004, btls005, btls006, btls007, btls008, btls010, btls011, btls012];
