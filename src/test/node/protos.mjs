// Loads the project's own .proto files (src/main/proto) for the Node clients,
// with the google/api/*.proto and buf/validate/validate.proto they import: from
// TANDEM_PROTO_INCLUDE (':'-separated directories), else extracted from the newest
// proto-google-common-protos and protovalidate jars in the local Maven repository
// (~/.m2/repository, or MAVEN_REPO_LOCAL).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PROTO_ROOT = path.resolve(HERE, '../../main/proto');

/** Every .proto file under dir, relative to it. */
function protoFiles(dir, prefix = '') {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(prefix, e.name);
    if (e.isDirectory()) return protoFiles(dir, rel);
    return e.name.endsWith('.proto') ? [rel] : [];
  });
}

/** The jar of the newest version of groupPath/artifact in the local Maven repository, or undefined. */
function newestJar(repo, groupPath, artifact) {
  const base = path.join(repo, groupPath, artifact);
  const versions = fs.existsSync(base)
    ? fs.readdirSync(base).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    : [];
  return versions
    .reverse()
    .map((v) => path.join(base, v, `${artifact}-${v}.jar`))
    .find((j) => fs.existsSync(j));
}

/** Extracts the .proto files under `pattern` (e.g. google/api) of a jar to a temp dir, once; returns the dir. */
function extractProtos(jar, pattern, probe) {
  const out = path.join(os.tmpdir(), `tandem-proto-include-${path.basename(jar, '.jar')}`);
  if (!fs.existsSync(path.join(out, probe))) {
    fs.mkdirSync(out, { recursive: true });
    try {
      execFileSync('unzip', ['-o', '-q', jar, `${pattern}/*.proto`, '-d', out]);
    } catch {
      execFileSync('jar', ['xf', jar, pattern], { cwd: out });
    }
  }
  return out;
}

/**
 * Directories holding the imported google/api/*.proto and buf/validate/validate.proto:
 * TANDEM_PROTO_INCLUDE, else extracted from the proto-google-common-protos and protovalidate
 * jars in ~/.m2.
 */
function googleApiIncludeDirs() {
  if (process.env.TANDEM_PROTO_INCLUDE) {
    return process.env.TANDEM_PROTO_INCLUDE.split(path.delimiter).filter(Boolean);
  }
  const repo = process.env.MAVEN_REPO_LOCAL ?? path.join(os.homedir(), '.m2', 'repository');
  const common = newestJar(repo, 'com/google/api/grpc', 'proto-google-common-protos');
  const validate = newestJar(repo, 'build/buf', 'protovalidate');
  if (!common || !validate) {
    throw new Error(
      `no google/api/*.proto or buf/validate/validate.proto: set TANDEM_PROTO_INCLUDE, or build the project once so that ${repo} holds the proto-google-common-protos and protovalidate jars`,
    );
  }
  return [
    extractProtos(common, 'google/api', 'google/api/annotations.proto'),
    extractProtos(validate, 'buf/validate', 'buf/validate/validate.proto'),
  ];
}

/**
 * Loads every service of src/main/proto the way a third party's client would, with
 * @grpc/proto-loader: proto field names kept, 64-bit integers and enums as strings.
 *
 * @returns the grpc-js package tree, e.g. api.helloworld.Greeter
 */
export function loadTandemApi() {
  const definition = protoLoader.loadSync(protoFiles(PROTO_ROOT), {
    includeDirs: [PROTO_ROOT, ...googleApiIncludeDirs()],
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  return grpc.loadPackageDefinition(definition);
}
