// cert-manager: why the listener's certificate was not issued, renewed or served (issue 17). GWTLS-CM-005 is
// reported by inspect --probe (src/probe/cert-manager-reload.ts).
import type { Rule } from '../types.ts';
import { cm001 } from './cm-001-no-certificate.ts';
import { cm002 } from './cm-002-not-ready.ts';
import { cm003 } from './cm-003-issuer-not-ready.ts';
import { cm004 } from './cm-004-http01-route.ts';
import { cm006 } from './cm-006-secret-not-owned.ts';
import { cm007 } from './cm-007-renewal-overdue.ts';
import { cm008 } from './cm-008-dnsnames.ts';

export const CERT_MANAGER_RULES: readonly Rule[] = [cm001, cm002, cm003, cm004, cm006, cm007, cm008];
