import { leaseAddress } from './address-pool.js';

export interface ClosedPort {
  readonly host: string;
  readonly port: number;
  release(): void;
}

/**
 * A loopback address and port where nothing listens, reserved from the target address pool
 * so no target starts there while a test expects the connection to be refused.
 */
export async function reserveClosedPort(): Promise<ClosedPort> {
  const lease = await leaseAddress();
  return { host: lease.host, port: lease.port, release: () => lease.release() };
}
