import type { Rule } from '../types.ts';

export const LISTENERS_RULES: Rule[] = [];
