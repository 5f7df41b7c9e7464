export * from './db/index.js';
export * from './sshd/index.js';
