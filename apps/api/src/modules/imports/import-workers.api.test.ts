import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { ImportDetail } from '@passman/contracts';
import { createFolder, loginAs, type LoggedIn } from '../../test/factories.js';
import type { TestApi } from '../../test/harness.js';
import { unique } from '../../test/ids.js';
import { waitUntil } from '../../test/wait-until.js';
import { startWorkerProcessInstallation, type WorkerProcessInstallation } from '../jobs/worker-processes.test-util.js';
import { IMPORT_BATCH_ROWS } from './import-work.js';

// An import's real run is a job on the queue, run by worker processes (`npm run worker`'s entry)
// that share only the database with the API. A worker killed with SIGKILL in the middle of an
// import leaves the job to another, which writes the rows the first did not: every row once.

const ROWS = IMPORT_BATCH_ROWS * 2 + 500;
let installation: WorkerProcessInstallation;
let pm: TestApi;
let admin: LoggedIn;

beforeAll(async () => {
  installation = await startWorkerProcessInstallation('passman_import_workers');
  pm = installation.pm;
  admin = await loginAs(pm, 'admin');
}, 60_000);
afterEach(() => installation.stopWorkers());
afterAll(() => installation?.close());

const quietWorker = { PASSMAN_CHECK_INTERVAL_HOURS: '0', PASSMAN_ROTATE: 'false' };
const strong = () => `Aa1!${unique('x').replace(/[^A-Za-z0-9]/g, '')}Zz9#`.padEnd(24, 'q');

// A description long enough that the file of ROWS rows is sealed in more than one part.
const DESCRIPTION = 'service account of the nightly fleet run, '.repeat(3);

function csvOf(rows: number, prefix: string): { file: Buffer; passwords: string[] } {
  const passwords = Array.from({ length: rows }, strong);
  const lines = [
    'Target_type,Target,Account,Password,Group_path,Description',
    ...passwords.map((p, i) => `ssh,${prefix}-${i % 40},user${i},${p},g${i % 4},${DESCRIPTION}`),
  ];
  return { file: Buffer.from(`${lines.join('\r\n')}\r\n`), passwords };
}

const upload = (who: LoggedIn, file: Buffer, folderId: string) =>
  who.agent.post('/api/v1/imports').set('X-CSRF-Token', who.csrf).attach('file', file, 'fleet.csv').field('folderId', folderId).field('dryRun', 'false');

async function readImport(who: LoggedIn, id: string): Promise<ImportDetail> {
  return (await who.agent.get(`/api/v1/imports/${id}`).expect(200)).body as ImportDetail;
}

async function waitForImport(who: LoggedIn, id: string): Promise<ImportDetail> {
  let body: ImportDetail | undefined;
  await waitUntil(
    async () => {
      body = await readImport(who, id);
      return body.state === 'succeeded' || body.state === 'failed';
    },
    `import ${id} to end`,
    90_000,
  );
  return body!;
}

describe('an import run by worker processes', () => {
  it('is finished by another worker when its worker is killed after a batch, every row written once', async () => {
    const folder = await createFolder(pm);
    const { file, passwords } = csvOf(ROWS, unique('fleet'));
    const started = await upload(admin, file, folder.id).expect(202);
    const importId = started.body.id as string;
    expect(started.body.state).toBe('queued');

    // Someone with the database but not the master key: the waiting file is sealed.
    const sealed = await pm.db.importUpload.findMany({ where: { importId } });
    expect(sealed.length).toBeGreaterThan(1);
    const stored = Buffer.concat(sealed.flatMap((part) => [Buffer.from(part.ciphertext), Buffer.from(part.wrappedKey)]));
    expect(stored.includes(Buffer.from(passwords[0]!))).toBe(false);
    expect(stored.includes(Buffer.from('Target_type'))).toBe(false);

    // The first worker kills itself once its first batch has committed.
    const doomed = installation.startWorker({ ...quietWorker, PASSMAN_FAULT_INJECTION: '1', PASSMAN_CRASH_AT: 'import-batch-written' });
    expect(await doomed.exited).toBe('SIGKILL');
    const halfway = await readImport(admin, importId);
    expect(halfway).toMatchObject({ state: 'running', counts: { processed: IMPORT_BATCH_ROWS, create: IMPORT_BATCH_ROWS } });
    expect(await pm.db.importUpload.count({ where: { importId } })).toBe(sealed.length);

    installation.startWorker(quietWorker);
    const done = await waitForImport(admin, importId);
    expect(done).toMatchObject({ state: 'succeeded', errorCode: null, counts: { total: ROWS, processed: ROWS, create: ROWS, skip: 0, failed: 0 } });

    // Each row once: one result per row, one account per row, each with one version of its password.
    expect(await pm.db.importRow.count({ where: { importId } })).toBe(ROWS);
    const accounts = await pm.db.account.findMany({
      where: { target: { folder: { ancestors: { some: { ancestorId: folder.id } } } } },
      include: { credentials: { include: { versions: true } } },
    });
    expect(accounts).toHaveLength(ROWS);
    expect(accounts.every((a) => a.credentials.length === 1 && a.credentials[0]!.versions.length === 1)).toBe(true);

    // The job: two attempts by two processes, ended; the file is gone.
    const job = await pm.db.job.findUniqueOrThrow({
      where: { id: (await pm.db.import.findUniqueOrThrow({ where: { id: importId } })).jobId! },
      include: { steps: true },
    });
    const attemptPids = job.steps.filter((s) => s.step === 'attempt').map((s) => (s.detail as { worker: number }).worker);
    expect(job).toMatchObject({ kind: 'IMPORT', state: 'succeeded', accountId: null, attempts: 2, lockedBy: null });
    expect(new Set(attemptPids).size).toBe(2);
    expect(await pm.db.importUpload.count({ where: { importId } })).toBe(0);
    expect(await pm.db.auditEvent.count({ where: { action: 'import.finish', objectId: importId } })).toBe(1);
    // Not shown among the jobs on accounts.
    await admin.agent.get(`/api/v1/jobs/${job.id}`).expect(404);
  }, 120_000);

  it('is given back by a worker asked to stop, between two batches, and finished by the next, every row once', async () => {
    const folder = await createFolder(pm);
    const { file } = csvOf(ROWS, unique('stop'));
    const importId = (await upload(admin, file, folder.id).expect(202)).body.id as string;

    // Asked to stop (SIGTERM, as a deployment would) once its first batch has committed.
    const stopping = installation.startWorker({
      ...quietWorker,
      PASSMAN_FAULT_INJECTION: '1',
      PASSMAN_CRASH_AT: 'import-batch-written',
      PASSMAN_CRASH_SIGNAL: 'SIGTERM',
    });
    expect(await stopping.exited).toBeNull(); // it exited by itself, not by a signal
    expect(stopping.child.exitCode).toBe(0);
    const given = await readImport(admin, importId);
    expect(given.state).toBe('running');
    expect(given.counts.processed % IMPORT_BATCH_ROWS).toBe(0);
    expect(given.counts.processed).toBeGreaterThan(0);
    expect(given.counts.processed).toBeLessThan(ROWS);
    const jobId = (await pm.db.import.findUniqueOrThrow({ where: { id: importId } })).jobId!;
    // Given back at once, and that attempt not counted against the import.
    expect(await pm.db.job.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ lockedBy: null, lockedUntil: null, attempts: 0 });

    installation.startWorker(quietWorker);
    const done = await waitForImport(admin, importId);
    expect(done).toMatchObject({ state: 'succeeded', counts: { total: ROWS, processed: ROWS, create: ROWS, skip: 0, failed: 0 } });
    expect(await pm.db.importRow.count({ where: { importId } })).toBe(ROWS);
    expect(await pm.db.account.count({ where: { target: { folder: { ancestors: { some: { ancestorId: folder.id } } } } } })).toBe(ROWS);
    expect(await pm.db.job.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ state: 'succeeded', attempts: 1, lockedBy: null });
  }, 120_000);

  it('writes nothing for a requester disabled after queuing it', async () => {
    const folder = await createFolder(pm);
    const requester = await loginAs(pm, 'admin');
    const { file } = csvOf(20, unique('gone'));
    const started = await upload(requester, file, folder.id).expect(202);
    await pm.db.user.update({ where: { id: requester.user.id }, data: { disabledAt: new Date() } });

    installation.startWorker(quietWorker);
    const done = await waitForImport(admin, started.body.id as string);
    expect(done).toMatchObject({ state: 'failed', errorCode: 'REQUESTER_DISABLED', counts: { processed: 0, create: 0 } });
    expect(await pm.db.target.count({ where: { folder: { parentId: folder.id } } })).toBe(0);
    expect(await pm.db.importUpload.count({ where: { importId: started.body.id as string } })).toBe(0);
  }, 60_000);
});
