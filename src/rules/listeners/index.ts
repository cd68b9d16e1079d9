import type { Rule } from '../types.ts';
import { lsn001 } from './lsn-001-not-accepted.ts';
import { lsn002 } from './lsn-002-conflicted.ts';
import { lsn003 } from './lsn-003-invalid-kinds.ts';
import { lsn004 } from './lsn-004-secret-missing.ts';
import { lsn005 } from './lsn-005-secret-unusable.ts';
import { lsn006 } from './lsn-006-ref-not-permitted.ts';
import { lsn007 } from './lsn-007-passthrough-certificate-refs.ts';
import { lsn008 } from './lsn-008-no-tls.ts';
import { lsn009 } from './lsn-009-overlapping-tls.ts';
import { lsn010 } from './lsn-010-no-routes.ts';

export const LISTENERS_RULES: Rule[] = [lsn001, lsn002, lsn003, lsn004, lsn005, lsn006, lsn007, lsn008, lsn009, lsn010];
