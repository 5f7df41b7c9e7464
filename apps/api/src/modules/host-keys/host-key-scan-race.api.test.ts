import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateTestKeyPair } from '@passman/testkit';
import ssh2 from 'ssh2';
import { createTestApi, loginAs, unique, type LoggedIn, type TestApi } from '../../test/harness.js';
import { api as client } from '../jobs/jobs.test-util.js';

// A scan takes as long as the host takes to answer; the target may be deleted meanwhile. What
// the scan found then has nowhere to go: 404, never a 500 from the foreign key.

let pm: TestApi;
let admin: LoggedIn;
let gateServer: Server;
let sshServer: InstanceType<typeof ssh2.Server>;
const sockets = new Set<Socket>();
/** Resolves with the held connection as soon as PassMan has connected. */
let connected: Promise<Socket>;
let onConnected: (socket: Socket) => void;

beforeAll(async () => {
  pm = await createTestApi();
  admin = await loginAs(pm, 'admin');
  // node:crypto's key: ssh2's own generator writes about one ed25519 key in 256 that its parser refuses.
  const hostKey = await generateTestKeyPair('ssh-ed25519');
  sshServer = new ssh2.Server({ hostKeys: [hostKey.privateKey] }, (conn) => {
    conn.on('error', () => undefined);
    conn.on('authentication', (ctx) => ctx.reject());
  });
  // Holds each connection until the test hands it to the SSH server.
  gateServer = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onConnected(socket);
  });
  await new Promise<void>((resolve) => gateServer.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => gateServer.close(() => resolve()));
  await pm.close();
});

describe('scanning a host key', () => {
  it('answers 404 when the target is deleted while the host is answering', async () => {
    connected = new Promise((resolve) => (onConnected = resolve));
    const port = (gateServer.address() as AddressInfo).port;
    const target = await client(admin)
      .post('/targets', { name: unique('scan-race'), address: '127.0.0.1', port })
      .expect(201);
    const scan = client(admin)
      .post(`/targets/${target.body.id}/host-key/scan`)
      .then((res) => res);
    const socket = await connected;
    await admin.agent.delete(`/api/v1/targets/${target.body.id}`).set('X-CSRF-Token', admin.csrf).expect(204);
    sshServer.injectSocket(socket);
    const res = await scan;
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('NOT_FOUND');
    expect(await pm.db.targetHostKey.count({ where: { targetId: target.body.id } })).toBe(0);
  });
});
