import type { Rule } from '../types.ts';
import { rt001 } from './rt-001-missing-gateway.ts';
import { rt002 } from './rt-002-no-matching-listener.ts';
import { rt003 } from './rt-003-kind-not-allowed.ts';
import { rt004 } from './rt-004-tlsroute-terminate-unsupported.ts';
import { rt005 } from './rt-005-tcproute-on-terminate.ts';
import { rt006 } from './rt-006-namespace-not-allowed.ts';
import { rt007 } from './rt-007-hostnames-disjoint.ts';
import { rt008 } from './rt-008-several-l4-routes.ts';
import { rt009 } from './rt-009-controller-disagrees.ts';
import { rt010 } from './rt-010-no-parents.ts';

export const ROUTES_RULES: Rule[] = [rt001, rt002, rt003, rt004, rt005, rt006, rt007, rt008, rt009, rt010];
