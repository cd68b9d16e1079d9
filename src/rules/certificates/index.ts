import type { Rule } from '../types.ts';

export const CERTIFICATES_RULES: Rule[] = [];
