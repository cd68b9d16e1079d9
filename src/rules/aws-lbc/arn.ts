// ACM and IAM server-certificate ARNs, the only certificate values AWS load balancer listeners take
// (arn:<partition>:acm:<region>:<account>:certificate/<id>, arn:<partition>:iam::<account>:server-certificate/<path>).
const ARN = /^arn:aws(?:-[a-z]+)*:(?:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+|iam::\d{12}:server-certificate\/\S+)$/;

export function isCertificateArn(value: string): boolean {
  return ARN.test(value.trim());
}
