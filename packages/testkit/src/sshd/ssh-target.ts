import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { leaseAddress, type AddressLease } from './address-pool.js';
import { renderBootScript } from './boot-script.js';
import { ensureSshTools } from './ensure-ssh-tools.js';
import { generateHostKeys, type HostKey, type HostKeyType } from './host-keys.js';
import { spawnInNamespace, type NamespaceProcess } from './namespace-process.js';
import { renderSshdConfig, type SshdOptions } from './sshd-config.js';
import { openSshdLog, type SshdLog } from './sshd-log.js';
import { createTargetHandle, type SshTargetHandle } from './target-handle.js';
import { renderUserSetup, type SshUserSpec } from './user-setup.js';

export interface SshTargetOptions extends SshdOptions {
  users?: readonly SshUserSpec[];
  /** Host key types, first one preferred by most clients. Default: ['ed25519'] (cheapest). */
  hostKeyTypes?: readonly HostKeyType[];
  startTimeoutMs?: number;
  /**
   * PAM pauses ≈2 s after a failed password (Debian's default). Off unless asked for, so
   * tests that try wrong passwords stay fast; the target is otherwise unchanged.
   */
  pamFailDelay?: boolean;
}

export interface SshTarget extends SshTargetHandle {
  /** Generates new host keys (same types unless given) and restarts sshd with them (SIGHUP). */
  replaceHostKeys(types?: readonly HostKeyType[]): Promise<readonly HostKey[]>;
  /**
   * Kills sshd but keeps its address leased until stop(): a test that goes on pointing
   * PassMan at a dead target must find nothing there, not another worker's new target.
   */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

async function waitUntilListening(ns: NamespaceProcess, log: SshdLog, host: string, since: number, timeoutMs: number, bootErrors: string[]): Promise<void> {
  const expected = `Server listening on ${host} port `;
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void ns.exited.then(() => {
    exited = true;
  });
  for (;;) {
    if (log.since(since).includes(expected)) return;
    if (exited || Date.now() > deadline) {
      const detail = [...bootErrors, log.since(since)].join('\n').trim().slice(-2000);
      throw new Error(`sshd on ${host} did not start${exited ? ' (exited)' : ' in time'}:\n${detail}`);
    }
    await sleep(5);
  }
}

async function start(options: SshTargetOptions, lease: AddressLease): Promise<SshTarget> {
  const dir = mkdtempSync('/tmp/passman-sshd-');
  lease.recordDir(dir);
  mkdirSync(join(dir, 'ns'));
  const configPath = join(dir, 'sshd_config');
  const logPath = join(dir, 'sshd.log');
  const log = openSshdLog(logPath);
  let generation = 0;
  let hostKeys: readonly HostKey[] = [];

  const writeHostKeysAndConfig = async (types: readonly HostKeyType[]): Promise<void> => {
    generation += 1;
    const generated = await generateHostKeys(types);
    const paths = generated.map(({ key, privateKey }) => {
      const path = join(dir, `host-key-${generation}-${key.type}`);
      writeFileSync(path, privateKey, { mode: 0o600 });
      return path;
    });
    const config = renderSshdConfig({ ...options, host: lease.host, port: lease.port, hostKeyPaths: paths });
    // Atomic: a restarting sshd never reads half a config.
    writeFileSync(`${configPath}.new`, config, { mode: 0o600 });
    renameSync(`${configPath}.new`, configPath);
    hostKeys = generated.map(({ key }) => key);
  };

  await writeHostKeysAndConfig(options.hostKeyTypes ?? ['ed25519']);
  const setup = renderUserSetup(options.users ?? [], dir);
  const usersScript = join(dir, 'users-0.sh');
  writeFileSync(usersScript, setup.script, { mode: 0o600 });
  const bootScript = join(dir, 'boot.sh');
  writeFileSync(bootScript, renderBootScript({ dir, usersScript, configPath, logPath, pamFailDelay: options.pamFailDelay ?? false }), { mode: 0o600 });

  const bootErrors: string[] = [];
  const ns = spawnInNamespace({
    scriptPath: bootScript,
    stdin: setup.chpasswdInput,
    onStderrLine: (line) => bootErrors.push(line),
  });

  let killed: Promise<void> | undefined;
  const kill = (): Promise<void> => (killed ??= ns.kill());
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
      lease.release();
    })();
    return stopped;
  };

  try {
    await waitUntilListening(ns, log, lease.host, 0, options.startTimeoutMs ?? 15_000, bootErrors);
  } catch (err) {
    await stop();
    throw err;
  }

  const handle = createTargetHandle(() => ({ host: lease.host, port: lease.port, hostKeys, nsPid: ns.nsPid(), dir }));
  return Object.assign(handle, {
    async replaceHostKeys(types?: readonly HostKeyType[]) {
      await writeHostKeysAndConfig(types ?? hostKeys.map((key) => key.type));
      const mark = log.mark();
      // SIGHUP makes sshd re-exec itself and re-read its config and host keys.
      process.kill(ns.nsPid(), 'SIGHUP');
      await waitUntilListening(ns, log, lease.host, mark, 10_000, bootErrors);
      return hostKeys;
    },
    kill,
    stop,
  });
}

/**
 * Starts one real OpenSSH sshd on 127.0.10.<n>:2222 inside its own mount and PID namespace
 * (see boot-script.ts). Installs openssh-server/sshpass/sudo first when they are missing.
 * Always call stop(); if the process dies first, the kernel tears the target down anyway.
 */
export async function startSshTarget(options: SshTargetOptions = {}): Promise<SshTarget> {
  await ensureSshTools();
  const lease = await leaseAddress();
  try {
    return await start(options, lease);
  } catch (err) {
    lease.release();
    throw err;
  }
}
