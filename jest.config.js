// One jest run over every workspace. Tests are ES modules (`npm test` passes
// --experimental-vm-modules); @swc/jest strips types, `npm run typecheck` checks them.
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2023' },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  testEnvironmentOptions: { customExportConditions: ['development', 'node', 'node-addons'] },
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  transform: { '^.+\\.tsx?$': swc },
  // `@/…` is the web app's own alias (apps/web's tsconfig and Vite config).
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1', '^@/(.*)$': '<rootDir>/apps/web/src/$1' },
  testMatch: ['<rootDir>/{apps,packages}/*/src/**/*.test.ts', '<rootDir>/prisma/src/**/*.test.ts'],
  globalSetup: '<rootDir>/packages/testkit/src/jest/global-setup.mjs',
  globalTeardown: '<rootDir>/packages/testkit/src/jest/global-teardown.mjs',
  testTimeout: 30_000,
  maxWorkers: 2,
};
