import type { Rule } from '../types.ts';

export const AWS_LBC_RULES: Rule[] = [];
