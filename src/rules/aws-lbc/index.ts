import type { Rule } from '../types.ts';
import { lbc001 } from './lbc-001-no-certificate.ts';
import { lbc002 } from './lbc-002-certificaterefs-ignored.ts';
import { lbc003 } from './lbc-003-unmatched-listener-config.ts';
import { lbc004 } from './lbc-004-passthrough-version.ts';
import { lbc005 } from './lbc-005-tls-target-behind-passthrough.ts';
import { lbc007 } from './lbc-007-tgc-not-applied.ts';
import { lbc008 } from './lbc-008-tlsroute-reencrypts.ts';
import { lbc009 } from './lbc-009-version-kinds.ts';
import { lbc010 } from './lbc-010-no-sni-routing.ts';
import { lbc011 } from './lbc-011-lbc-unreferenced.ts';
import { lbc012 } from './lbc-012-certificate-not-arn.ts';
import { lbc013 } from './lbc-013-postgres-termination.ts';
import { lbc014 } from './lbc-014-targets-not-verified.ts';
import { lbc015 } from './lbc-015-acm-discovery-no-match.ts';
import { lbc016 } from './lbc-016-route-kind-across-protocols.ts';

// GWTLS-LBC-006 (TCPRoute to a TLS backend without a TLS target group) is reported as GWTLS-BTLS-001, whose
// LBC variant carries the TargetGroupConfiguration fix.
export const AWS_LBC_RULES: Rule[] = [lbc001, lbc002, lbc003, lbc004, lbc005, lbc007, lbc008, lbc009, lbc010, lbc011, lbc012, lbc013, lbc014, lbc015, lbc016];
