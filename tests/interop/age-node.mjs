#!/usr/bin/env node
// A second, independent age implementation for Vaultik's interop tests: typage (npm age-encryption 0.3.1).
// Installed by tests/run-all.sh with `npm ci --prefix tests/interop`; the tests find this script through
// VAULTIK_TEST_NODE_AGE.
//
//   node age-node.mjs keygen [--pq]                   identity on the first line, recipient on the second
//   node age-node.mjs encrypt [--armor] RECIPIENT...  stdin -> age file on stdout
//   node age-node.mjs decrypt IDENTITY_FILE           age file (binary or armored) on stdin -> plaintext on stdout
//
// An identity file holds identities one a line (AGE-SECRET-KEY-1… or AGE-SECRET-KEY-PQ-1…); "#" lines and
// blank lines are skipped, as in age-keygen's files. Exit status: 0 on success, 1 on failure (message on
// stderr), 2 on bad usage.
import { readFileSync } from "node:fs";
import {
  Decrypter,
  Encrypter,
  armor,
  generateHybridIdentity,
  generateX25519Identity,
  identityToRecipient,
} from "age-encryption";

const usage = "usage: age-node.mjs keygen [--pq] | encrypt [--armor] RECIPIENT... | decrypt IDENTITY_FILE";

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function writeStdout(bytes) {
  return new Promise((resolve, reject) => {
    process.stdout.write(bytes, (error) => (error ? reject(error) : resolve()));
  });
}

async function keygen(args) {
  const pq = args.includes("--pq");
  const identity = pq ? await generateHybridIdentity() : await generateX25519Identity();
  const recipient = await identityToRecipient(identity);
  await writeStdout(`${identity}\n${recipient}\n`);
}

async function encrypt(args) {
  const armored = args.includes("--armor");
  const recipients = args.filter((a) => a !== "--armor");
  if (recipients.length === 0) {
    throw new UsageError("encrypt needs at least one recipient");
  }
  const encrypter = new Encrypter();
  for (const recipient of recipients) {
    encrypter.addRecipient(recipient);
  }
  const file = await encrypter.encrypt(await readStdin());
  await writeStdout(armored ? armor.encode(file) : file);
}

async function decrypt(args) {
  if (args.length !== 1) {
    throw new UsageError("decrypt needs exactly one identity file");
  }
  const identities = readFileSync(args[0], "utf8")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  if (identities.length === 0) {
    throw new Error(`cannot read identities: ${args[0]} holds none`);
  }
  const decrypter = new Decrypter();
  for (const identity of identities) {
    decrypter.addIdentity(identity);
  }
  let file = await readStdin();
  const start = new TextDecoder().decode(file.subarray(0, 64)).trimStart();
  if (start.startsWith("-----BEGIN AGE ENCRYPTED FILE-----")) {
    file = armor.decode(new TextDecoder().decode(file));
  }
  await writeStdout(await decrypter.decrypt(file));
}

class UsageError extends Error {}

const [command, ...rest] = process.argv.slice(2);
const commands = { keygen, encrypt, decrypt };
try {
  if (!(command in commands)) {
    throw new UsageError(`unknown command ${command ?? "(none)"}`);
  }
  await commands[command](rest);
} catch (error) {
  process.stderr.write(`age-node: ${error instanceof Error ? error.message : String(error)}\n`);
  if (error instanceof UsageError) {
    process.stderr.write(`${usage}\n`);
  }
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
