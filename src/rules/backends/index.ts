import type { Rule } from '../types.ts';
import { be001 } from './be-001-backend-missing.ts';
import { be002 } from './be-002-port-not-service-port.ts';
import { be003 } from './be-003-cross-namespace-no-grant.ts';
import { be004 } from './be-004-no-ready-endpoints.ts';
import { be005 } from './be-005-selector-matches-nothing.ts';
import { be006 } from './be-006-named-target-port.ts';
import { be007 } from './be-007-unsupported-backend.ts';
import { be008 } from './be-008-lbc-instance-targets.ts';

export const BACKENDS_RULES: Rule[] = [be001, be002, be003, be004, be005, be006, be007, be008];
