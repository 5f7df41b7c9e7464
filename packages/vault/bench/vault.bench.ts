// npm run bench:vault — throughput of the vault's crypto and cost of SSH key generation.
// Figures are relative to a raw node:crypto AES-256-GCM baseline measured in the same
// run, so they compare across machines; docs/benchmarks.md records one run.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { cpus, availableParallelism, loadavg } from 'node:os';
import {
  createMasterKeyRing,
  createVault,
  generatePassword,
  generateSshKey,
  DEFAULT_PASSWORD_POLICY,
  CREDENTIAL_SECRET_PURPOSE,
  importSshPrivateKey,
  type SshKeyType,
} from '../src/index.js';
import { startEventLoopProbe } from '../src/event-loop-probe.test-util.js';
import { makeTempDir, sshKeygenGenerate } from '../src/ssh-keygen.test-util.js';

const loadStart = loadavg()
  .map((l) => l.toFixed(1))
  .join(' ');
const SECRET = Buffer.from('Tr0ub4dor&3-correct-horse-battery'); // 33 bytes, a typical password
const DURATION_MS = 3000;
const ROUNDS = 15;

function opsPerSecond(op: () => void, durationMs: number): number {
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < durationMs) {
    for (let i = 0; i < 200; i += 1) op();
    n += 200;
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}

/**
 * Measures `op` and its `baseline` in alternating short rounds and reports medians,
 * so a change in machine load (other processes) hits both alike and the ratio holds.
 */
function compare(op: () => void, baseline: () => void): { ops: number; base: number; ratio: number } {
  for (let i = 0; i < 2000; i += 1) {
    op();
    baseline();
  }
  const ops: number[] = [];
  const base: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const b = opsPerSecond(baseline, DURATION_MS / ROUNDS);
    const o = opsPerSecond(op, DURATION_MS / ROUNDS);
    base.push(b);
    ops.push(o);
    ratios.push(o / b);
  }
  return { ops: median(ops), base: median(base), ratio: median(ratios) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

// ── envelope encryption ───────────────────────────────────────────────────────
const ring = createMasterKeyRing({ keys: new Map([[1, randomBytes(32)]]), activeVersion: 1 });
const vault = createVault({ keyRing: ring });
const ctx = { credentialId: '0190f3a4-7d1c-7000-8000-00000000abcd', version: 7, purpose: CREDENTIAL_SECRET_PURPOSE };
const sample = vault.encrypt(SECRET, ctx);

const rawKey = randomBytes(32);
const rawAad = Buffer.from('aad');
const rawEncrypt = () => {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', rawKey, nonce);
  c.setAAD(rawAad);
  Buffer.concat([c.update(SECRET), c.final(), c.getAuthTag()]);
};
const rawNonce = randomBytes(12);
const rawCipher = createCipheriv('aes-256-gcm', rawKey, rawNonce);
rawCipher.setAAD(rawAad);
const rawCt = Buffer.concat([rawCipher.update(SECRET), rawCipher.final()]);
const rawTag = rawCipher.getAuthTag();
const rawDecrypt = () => {
  const d = createDecipheriv('aes-256-gcm', rawKey, rawNonce);
  d.setAAD(rawAad);
  d.setAuthTag(rawTag);
  Buffer.concat([d.update(rawCt), d.final()]);
};

const enc = compare(() => vault.encrypt(SECRET, ctx), rawEncrypt);
const dec = compare(() => vault.decrypt(sample, ctx), rawDecrypt);
const passwords = opsPerSecond(() => generatePassword(DEFAULT_PASSWORD_POLICY), 1000);

// ── SSH key generation ────────────────────────────────────────────────────────
// Warm up sshpk's code paths and let the garbage of the loops above be collected, so
// the event-loop figure is about key generation, not about this script.
await generateSshKey({ type: 'ssh-ed25519' });
// A passphrase-protected key as an operator would upload it: bcrypt KDF at 64 rounds
// (about 0.8 s of pure JavaScript, which the vault runs on a worker thread).
const keyDir = await makeTempDir();
const { text: encryptedKey } = await sshKeygenGenerate(keyDir.dir, 'enc', { type: 'ed25519', passphrase: 'pass phrase', extra: ['-a', '64'] });
await keyDir.cleanup();
await new Promise((resolve) => setTimeout(resolve, 500));
const probe = startEventLoopProbe(5);

const specs: { label: string; type: SshKeyType; bits?: number; runs: number }[] = [
  { label: 'ssh-rsa 2048', type: 'ssh-rsa', bits: 2048, runs: 7 },
  { label: 'ssh-rsa 3072 (default)', type: 'ssh-rsa', bits: 3072, runs: 7 },
  { label: 'ssh-rsa 4096', type: 'ssh-rsa', bits: 4096, runs: 5 },
  { label: 'ecdsa-sha2-nistp256', type: 'ecdsa-sha2-nistp256', runs: 15 },
  { label: 'ssh-ed25519', type: 'ssh-ed25519', runs: 15 },
  { label: 'ssh-dss 1024 (weak)', type: 'ssh-dss', runs: 7 },
];
const keygen: { label: string; median: number; min: number; max: number; runs: number }[] = [];
for (const spec of specs) {
  const times: number[] = [];
  for (let i = 0; i < spec.runs; i += 1) {
    const t = performance.now();
    await generateSshKey({ type: spec.type, bits: spec.bits });
    times.push(performance.now() - t);
  }
  keygen.push({ label: spec.label, median: median(times), min: Math.min(...times), max: Math.max(...times), runs: spec.runs });
}
// a burst, as a bulk reset would cause: 8 RSA-3072 requested at once
const burstStart = performance.now();
await Promise.all(Array.from({ length: 8 }, () => generateSshKey({ type: 'ssh-rsa', bits: 3072 })));
const burstMs = performance.now() - burstStart;
const decryptStart = performance.now();
await importSshPrivateKey(encryptedKey, { passphrase: 'pass phrase' });
const decryptMs = performance.now() - decryptStart;
await new Promise((resolve) => setTimeout(resolve, 20)); // let the probe see a block in the last step
const stall = probe.stop();

// ── report ────────────────────────────────────────────────────────────────────
const lines = [
  `Load average at start: ${loadStart}, at end: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
  `Node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'})`,
  '',
  `| operation (33-byte secret; medians of ${ROUNDS} alternating rounds) | ops/s | raw AES-256-GCM ops/s (baseline) | ratio |`,
  '|---|---:|---:|---:|',
  `| vault.encrypt (data key + 2× GCM + wrap) | ${fmt(enc.ops)} | ${fmt(enc.base)} | ${enc.ratio.toFixed(2)} |`,
  `| vault.decrypt (unwrap + 2× GCM) | ${fmt(dec.ops)} | ${fmt(dec.base)} | ${dec.ratio.toFixed(2)} |`,
  `| generatePassword (default policy, 20 chars) | ${fmt(passwords)} | | |`,
  '',
  '| SSH key generation | runs | median ms | min ms | max ms |',
  '|---|---:|---:|---:|---:|',
  ...keygen.map((k) => `| ${k.label} | ${k.runs} | ${k.median.toFixed(0)} | ${k.min.toFixed(0)} | ${k.max.toFixed(0)} |`),
  `| burst: 8 × ssh-rsa 3072 at once | 1 | ${burstMs.toFixed(0)} (total) | | |`,
  `| import of an ed25519 key with a passphrase (bcrypt, 64 rounds) | 1 | ${decryptMs.toFixed(0)} | | |`,
  '',
  `Worst event-loop delay during all key generation and the import: ${stall.histogramMaxMs.toFixed(1)} ms (monitorEventLoopDelay), ` +
    `${stall.probeMaxMs.toFixed(1)} ms (5 ms interval drift probe); most main-thread CPU between two ticks: ` +
    `${stall.mainThreadCpuMaxMs === undefined ? 'n/a (no /proc)' : `${stall.mainThreadCpuMaxMs.toFixed(1)} ms`}.`,
];
console.log(lines.join('\n'));
