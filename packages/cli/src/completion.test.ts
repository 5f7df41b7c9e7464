import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { runCli } from './program.js';

const run = promisify(execFile);

async function script(shell: string): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli(['completion', shell], {
    stdout: (text) => (out += text),
    stderr: () => undefined,
    env: {},
    stdoutIsTty: false,
    stdinIsTty: false,
    readStdin: async () => '',
    promptSecret: async () => '',
  });
  return { code, out };
}

/** What bash would offer after these words (the last one being typed). */
async function complete(words: string[]): Promise<string> {
  const { out } = await script('bash');
  const probe = `${out}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _passman; echo "\${COMPREPLY[*]}"`;
  return (await run('bash', ['--norc', '--noprofile', '-c', probe])).stdout.trim();
}

describe('passman completion', () => {
  it('bash completes commands, subcommands and options from the command tree', async () => {
    expect(await complete(['passman', 'ta'])).toBe('targets');
    expect(await complete(['passman', 'targets', 'a'])).toBe('add approve');
    expect(await complete(['passman', '--output', 'json', 'batch', ''])).toBe('check reset --url --fingerprint --ca-file --token-file --output --help');
    expect(await complete(['passman', 'check', '--w'])).toBe('--wait');
    expect(await complete(['passman', 'checkout', '--f'])).toBe('--field --fingerprint');
    expect(await complete(['passman', 'checkout', '--p'])).toBe('--pending');
    expect(await complete(['passman', 'jobs', ''])).toBe('list show watch confirm-outcome --url --fingerprint --ca-file --token-file --output --help');
    expect(await complete(['passman', 'jobs', 'confirm-outcome', 'some-id', '--'])).toBe(
      '--target-holds --reason --url --fingerprint --ca-file --token-file --output --help',
    );
  });

  it('zsh gets the same through bashcompinit; another shell is a usage error', async () => {
    const zsh = await script('zsh');
    expect(zsh.code).toBe(0);
    expect(zsh.out.split('\n')[0]).toBe('autoload -U +X bashcompinit && bashcompinit');
    expect(zsh.out).toContain('complete -F _passman passman');
    expect((await script('fish')).code).toBe(2);
  });
});
