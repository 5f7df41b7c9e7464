import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// PassMan as child processes, started as `npm start` and `npm run worker` start it, and a small
// REST client with the session cookie and CSRF token.

/** As `npm start`: the build (the npm script builds first). BENCH_SOURCE=1 runs the sources through tsx instead (≈50 MB more RSS). */
export const BUILT = process.env.BENCH_SOURCE !== '1';
const entry = (name: 'main' | 'worker-main') => fileURLToPath(new URL(BUILT ? `../../dist/${name}.js` : `../../src/${name}.ts`, import.meta.url));

/**
 * The environment settings and node flags an npm script gives PassMan (package.json), so the
 * benchmark runs it with the same allocator and heap limits.
 */
function scriptSettings(script: 'start' | 'worker', file: string): { env: Record<string, string>; flags: string[] } {
  const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../../../package.json', import.meta.url)), 'utf8')) as { scripts: Record<string, string> };
  const match = new RegExp(`((?:\\b[A-Z_]+=\\S+ )*)\\bnode ((?:--\\S+ )*)apps/api/dist/${file}\\.js`).exec(pkg.scripts[script] ?? '');
  if (!match) throw new Error(`package.json: the ${script} script no longer runs \`[NAME=value …] node [flags] apps/api/dist/${file}.js\``);
  const words = (text: string | undefined) =>
    (text ?? '')
      .trim()
      .split(' ')
      .filter((w) => w !== '');
  return {
    env: Object.fromEntries(words(match[1]).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)])),
    flags: words(match[2]).filter((f) => BUILT || f !== '--enable-source-maps'),
  };
}

export interface PassManProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/** `npm start` (main.js) or `npm run worker` (worker-main.js) as a child process. */
export function startPassMan(kind: 'server' | 'worker', env: Record<string, string>): PassManProcess {
  const file = kind === 'server' ? 'main' : 'worker-main';
  const profile = process.env.BENCH_CPU_PROF ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const { env: scriptEnv, flags } = scriptSettings(kind === 'server' ? 'start' : 'worker', file);
  const child = spawn(process.execPath, [...profile, ...flags, ...(BUILT ? [] : ['--conditions=development', '--import', 'tsx']), entry(file)], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/root',
      ...scriptEnv,
      ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function restClient(origin: string) {
  let cookie = '';
  let csrf = '';
  const call = async <T>(method: string, path: string, body?: unknown, expect = [200, 201, 202]): Promise<T> => {
    const res = await fetch(`${origin}/api/v1${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrf, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!expect.includes(res.status)) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    if (path === '/auth/login')
      cookie = res.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    async login(username: string, password: string) {
      csrf = (await call<{ csrfToken: string }>('POST', '/auth/login', { username, password })).csrfToken;
    },
    get: <T>(path: string) => call<T>('GET', path),
    post: <T>(path: string, body?: unknown) => call<T>('POST', path, body ?? {}),
  };
}
export type Rest = ReturnType<typeof restClient>;
