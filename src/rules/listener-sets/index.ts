import type { Rule } from '../types.ts';
import { ls001 } from './ls-001-not-allowed.ts';
import { ls002 } from './ls-002-no-parent-gateway.ts';
import { ls003 } from './ls-003-precedence-conflict.ts';
import { ls004 } from './ls-004-not-accepted.ts';
import { ls005 } from './ls-005-unsupported.ts';
import { ls006 } from './ls-006-route-parent.ts';

export const LISTENER_SETS_RULES: Rule[] = [ls001, ls002, ls003, ls004, ls005, ls006];
