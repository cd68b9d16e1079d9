// Manifest pieces the rule tests share: the seed (a) files, an ACM certificate ARN, and GatewayClasses of the
// implementations the rules tell apart.

export const ARN = 'arn:aws:acm:eu-west-1:111122223333:certificate/11111111-2222-3333-4444-555555555555';
export const SEED_A = 'file:test/fixtures/seeds/a-nlb-acm/as-written.yaml';
export const SEED_A_FIXED = 'file:test/fixtures/seeds/a-nlb-acm/corrected.yaml';

export const classOf = (name: string, controller: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: ${name}}
spec: {controllerName: ${controller}}
`;
export const eg = classOf('eg', 'gateway.envoyproxy.io/gatewayclass-controller');
export const istio = classOf('istio', 'istio.io/gateway-controller');
export const nlb = classOf('nlb', 'gateway.k8s.aws/nlb');
export const alb = classOf('alb', 'gateway.k8s.aws/alb');
