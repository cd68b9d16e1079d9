import type { Rule } from '../types.ts';

export const BACKEND_TLS_RULES: Rule[] = [];
