// A throw-away certificate authority, made on the spot with openssl, for the local mail
// server of the demo and the tests (and the tests' HTTPS stand-ins): a server certificate for
// 127.0.0.1/localhost and client certificates for certificate-only mailboxes. No key is ever
// committed; the certificates last two days.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface LocalPki {
  readonly dir: string;
  readonly caFile: string;
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  /** A client certificate whose subject CN is `commonName`, signed by this CA. */
  clientCertificate(commonName: string): { certFile: string; keyFile: string };
  /** A client certificate signed by another CA: what a stranger would present. */
  foreignClientCertificate(commonName: string): { certFile: string; keyFile: string };
  readCa(): Buffer;
}

function openssl(args: readonly string[]): void {
  execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
}

function makeCa(dir: string, name: string): { cert: string; key: string } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", `/CN=${name}`]);
  return { cert, key };
}

function signed(dir: string, ca: { cert: string; key: string }, name: string, subject: string, extensions: string): { certFile: string; keyFile: string } {
  const keyFile = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const certFile = join(dir, `${name}.crt`);
  const ext = join(dir, `${name}.ext`);
  execFileSync("sh", ["-c", `printf '%s\\n' "$1" > "$2"`, "sh", extensions, ext]);
  openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", keyFile, "-out", csr, "-subj", subject]);
  openssl(["x509", "-req", "-in", csr, "-CA", ca.cert, "-CAkey", ca.key, "-CAcreateserial", "-out", certFile, "-days", "2", "-extfile", ext]);
  return { certFile, keyFile };
}

export function createLocalPki(dir: string): LocalPki {
  mkdirSync(dir, { recursive: true });
  const ca = makeCa(dir, "local-ca");
  const server = signed(dir, ca, "server", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth");
  let foreignCa: { cert: string; key: string } | undefined;
  let counter = 0;
  const safe = (cn: string): string => `${cn.replace(/[^a-zA-Z0-9.-]/g, "_")}-${++counter}`;
  return {
    dir,
    caFile: ca.cert,
    serverCertFile: server.certFile,
    serverKeyFile: server.keyFile,
    clientCertificate: (commonName) => signed(dir, ca, `client-${safe(commonName)}`, `/CN=${commonName}`, "extendedKeyUsage=clientAuth"),
    foreignClientCertificate(commonName) {
      foreignCa ??= makeCa(dir, "foreign-ca");
      return signed(dir, foreignCa, `foreign-${safe(commonName)}`, `/CN=${commonName}`, "extendedKeyUsage=clientAuth");
    },
    readCa: () => readFileSync(ca.cert),
  };
}
