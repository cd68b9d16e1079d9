// Types shared by the expected-status profiles (expected.ts), and the condition set they build.
import type { BackendTLSPolicyObject, ParentReference } from '../cluster/objects.ts';
import type { ExpectedCondition } from '../report/types.ts';
import type { ParentResolution } from './attach.ts';
import type { ListenerModel, RouteModel } from './model.ts';

export type ExpectationProfile = 'gateway-api' | 'envoy-gateway';

export interface ListenerExpectation {
  conditions: ExpectedCondition[];
  attachedRoutes: number;
}

export interface PolicyAncestorExpectation {
  policy: BackendTLSPolicyObject;
  /** The ancestor as the implementation records it (Envoy Gateway: the route's parentRef, sectionName included). */
  ancestor: ParentReference;
  conditions: ExpectedCondition[];
}

export interface RouteParent {
  route: RouteModel;
  parent: ParentResolution;
}

export interface GatewayExpectations {
  profile: ExpectationProfile;
  /** What the expectation is modelled on, in words. */
  basis: string;
  gateway: ExpectedCondition[];
  listeners: Map<ListenerModel, ListenerExpectation>;
  /** Every route parentRef that resolves to this Gateway, attached or not; [] when nothing is written. */
  parents: Map<ParentResolution, ExpectedCondition[]>;
  policies: PolicyAncestorExpectation[];
}

export function cond(type: string, status: 'True' | 'False' | 'Unknown', reason: string): ExpectedCondition {
  return { type, status, reason };
}

/** Conditions keyed by type, last write wins, as metav1 conditions merge. */
export class ConditionSet {
  private readonly byType = new Map<string, ExpectedCondition>();

  set(type: string, status: 'True' | 'False' | 'Unknown', reason: string): void {
    this.byType.set(type, cond(type, status, reason));
  }

  get(type: string): ExpectedCondition | undefined {
    return this.byType.get(type);
  }

  has(type: string, status?: string): boolean {
    const c = this.byType.get(type);
    return c !== undefined && (status === undefined || c.status === status);
  }

  get size(): number {
    return this.byType.size;
  }

  list(): ExpectedCondition[] {
    return [...this.byType.values()];
  }
}
