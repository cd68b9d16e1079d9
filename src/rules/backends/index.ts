import type { Rule } from '../types.ts';

export const BACKENDS_RULES: Rule[] = [];
