/**
 * PKI for one control plane: a CA, the kube-apiserver serving certificate (127.0.0.1/localhost), the
 * service-account signing key pair, and bearer tokens for the two harness users. Keys are generated with
 * node:crypto (fast, native); certificates are assembled and signed with node-forge.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface KeyPairPem {
  privateKeyPem: string;
  publicKeyPem: string;
}

export interface ControlPlanePki {
  caCertPem: string;
  servingCertPem: string;
  servingKeyPem: string;
  serviceAccount: KeyPairPem;
  adminToken: string;
  restrictedToken: string;
}

function rsaKeyPair(): KeyPairPem {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

function serial(): string {
  // positive 16-byte serial
  return `01${randomBytes(15).toString('hex')}`;
}

function newCert(publicKeyPem: string, days: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  cert.serialNumber = serial();
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now + days * 24 * 60 * 60 * 1000);
  return cert;
}

export function generatePki(): ControlPlanePki {
  const caKeys = rsaKeyPair();
  const caKey = forge.pki.privateKeyFromPem(caKeys.privateKeyPem);
  const ca = newCert(caKeys.publicKeyPem, 30);
  const caSubject = [{ name: 'commonName', value: 'gwtls-e2e-ca' }];
  ca.setSubject(caSubject);
  ca.setIssuer(caSubject);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKey, forge.md.sha256.create());

  const servingKeys = rsaKeyPair();
  const serving = newCert(servingKeys.publicKeyPem, 30);
  serving.setSubject([{ name: 'commonName', value: 'kube-apiserver' }]);
  serving.setIssuer(caSubject);
  serving.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 2, value: 'localhost' },
        { type: 2, value: 'kubernetes' },
        { type: 2, value: 'kubernetes.default' },
        { type: 2, value: 'kubernetes.default.svc' },
        { type: 2, value: 'kubernetes.default.svc.cluster.local' },
      ],
    },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  serving.sign(caKey, forge.md.sha256.create());

  return {
    caCertPem: forge.pki.certificateToPem(ca),
    servingCertPem: forge.pki.certificateToPem(serving),
    servingKeyPem: servingKeys.privateKeyPem,
    serviceAccount: rsaKeyPair(),
    adminToken: randomBytes(24).toString('hex'),
    restrictedToken: randomBytes(24).toString('hex'),
  };
}
