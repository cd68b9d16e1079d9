import type { Rule } from '../types.ts';

export const ENVOY_GATEWAY_RULES: Rule[] = [];
