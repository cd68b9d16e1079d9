import type { Rule } from '../types.ts';
import { gw001 } from './gw-001-not-accepted.ts';
import { gw002 } from './gw-002-not-programmed.ts';
import { gw003 } from './gw-003-lbc-events.ts';
import { gw004 } from './gw-004-stale-status.ts';
import { plat001 } from './plat-001-api-version.ts';
import { plat002 } from './plat-002-prerequisites.ts';
import { plat003 } from './plat-003-gatewayclass.ts';
import { plat004 } from './plat-004-mixed-bundles.ts';

export const PLATFORM_RULES: Rule[] = [gw001, gw002, gw003, gw004, plat001, plat002, plat003, plat004];
