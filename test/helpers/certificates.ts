import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as never);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

/** A certificate made for a test, with its private key (both PEM) and what signs further ones. */
export interface TestCertificate {
  certPem: string;
  keyPem: string;
  name: string;
  certificate: x509.X509Certificate;
  keys: webcrypto.CryptoKeyPair;
}

/** When a certificate is valid, in days from now (negative is in the past). */
export interface Validity {
  fromDays?: number;
  toDays?: number;
}

let serial = 1;

/** A self-signed certificate authority. */
export async function makeCa(name: string, validity: Validity = {}): Promise<TestCertificate> {
  const keys = await generateKeys();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: nextSerial(),
    name: `CN=${name}`,
    ...dates(validity),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return pack(certificate, keys, name);
}

/** An intermediate CA signed by `issuer`. */
export async function makeIntermediate(
  issuer: TestCertificate,
  name: string,
  validity: Validity = {},
): Promise<TestCertificate> {
  const keys = await generateKeys();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject: `CN=${name}`,
    issuer: issuer.certificate.subject,
    ...dates(validity),
    signingAlgorithm: ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.certificate),
    ],
  });
  return pack(certificate, keys, name);
}

/**
 * A server certificate for `hosts` (names and IP addresses), signed by `issuer`, or self-signed
 * when `issuer` is undefined.
 */
export async function makeLeaf(
  issuer: TestCertificate | undefined,
  hosts: readonly string[],
  validity: Validity = {},
): Promise<TestCertificate> {
  const keys = await generateKeys();
  const name = hosts[0] ?? 'leaf';
  const altNames = hosts.map((host) =>
    /^[\d.]+$|:/.test(host) ? { type: 'ip' as const, value: host } : { type: 'dns' as const, value: host },
  );
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject: `CN=${name}`,
    issuer: issuer ? issuer.certificate.subject : `CN=${name}`,
    ...dates(validity),
    signingAlgorithm: ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: issuer ? issuer.keys.privateKey : keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(altNames),
      ...(issuer ? [await x509.AuthorityKeyIdentifierExtension.create(issuer.certificate)] : []),
    ],
  });
  return pack(certificate, keys, name);
}

function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, [
    'sign',
    'verify',
  ]) as Promise<webcrypto.CryptoKeyPair>;
}

function dates({ fromDays = -1, toDays = 90 }: Validity): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  // Whole seconds: certificates carry no milliseconds.
  const at = (days: number) => new Date(Math.floor((now + days * DAY_MS) / 1000) * 1000);
  return { notBefore: at(fromDays), notAfter: at(toDays) };
}

function nextSerial(): string {
  serial += 1;
  return serial.toString(16).padStart(2, '0');
}

async function pack(
  certificate: x509.X509Certificate,
  keys: webcrypto.CryptoKeyPair,
  name: string,
): Promise<TestCertificate> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    certPem: certificate.toString('pem'),
    keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
    name,
    certificate,
    keys,
  };
}
