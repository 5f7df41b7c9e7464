// The layers the folders show, checked by `npm run lint:deps` (dependency-cruiser).
// docs/architecture.md draws them; a rule here fails CI when an import crosses one.

const either = (...patterns) => patterns.flat().join('|');

/** Files that may use Prisma and @passman/db: the repos, and the named infrastructure that opens, migrates and maps the database. */
const DATABASE_ACCESS = [
  '\\.repo\\.ts$',
  '^prisma/',
  '^apps/api/src/db/',
  // The composition roots: they open the client (or receive it) and hand it to the repos.
  '^apps/api/src/bootstrap\\.ts$',
  '^apps/api/src/main\\.ts$',
  '^apps/api/src/services\\.ts$',
  '^apps/api/src/worker(-main)?\\.ts$',
  '^apps/api/src/scripts/',
  // Benchmarks seed rows in bulk, as tests do.
  '^(apps|packages)/[^/]+/bench/',
  // Wire names ↔ the database enum's names of the SSH key types.
  '^apps/api/src/lib/ssh-key-type\\.ts$',
  // Tests and their helpers seed and inspect the database directly.
  '\\.test(-util)?\\.ts$',
  '^apps/api/src/test/',
  '^packages/testkit/',
];

/** The API's outer layer: HTTP plumbing, the express app and the composition roots. */
const OUTER_LAYER = [
  '^apps/api/src/http/',
  '^apps/api/src/app\\.ts$',
  '^apps/api/src/(services|main|bootstrap|worker|worker-main)\\.ts$',
  '^apps/api/src/scripts/',
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle: break it by moving what both sides need into a module both depend on.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'database-only-in-repos',
      severity: 'error',
      comment: 'Only *.repo.ts files (and the named database infrastructure) use Prisma or @passman/db; services get a repo.',
      from: { pathNot: either(DATABASE_ACCESS) },
      to: { path: '^prisma/|^(@passman/db|@prisma/[^/]+)$|/node_modules/@prisma/' },
    },
    {
      name: 'outer-layer-uses-module-entries',
      severity: 'error',
      comment: 'The HTTP layer and the composition roots reach a module through its index.ts, never its internals.',
      from: { path: either(OUTER_LAYER) },
      to: { path: '^apps/api/src/modules/[^/]+/', pathNot: '^apps/api/src/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'modules-do-not-reach-out',
      severity: 'error',
      comment: 'A module never imports the composition roots or the express app; they import it.',
      from: { path: '^apps/api/src/modules/' },
      to: { path: '^apps/api/src/(app|services|main|bootstrap|worker|worker-main)\\.ts$' },
    },
    {
      name: 'lib-is-a-leaf',
      severity: 'error',
      comment: 'apps/api/src/lib holds helpers every layer uses; it imports no module and no HTTP code.',
      from: { path: '^apps/api/src/lib/' },
      to: { path: '^apps/api/src/(modules|http)/' },
    },
    {
      name: 'contracts-stand-alone',
      severity: 'error',
      comment: 'The contracts are shared by every app: they depend on no other workspace package.',
      from: { path: '^packages/contracts/' },
      to: { path: '^(packages/(vault|connectors|testkit)|prisma|apps)/|^@passman/' },
    },
    {
      name: 'packages-do-not-import-apps',
      severity: 'error',
      comment:
        'Packages are libraries for the apps; they never import an app. The SDK’s and the CLI’s tests are the exception: they serve the real API over HTTPS, in-process, to talk to it.',
      from: { path: '^(packages|prisma)/', pathNot: '^packages/(sdk|cli)/src/(test/|[^/]+\\.test\\.ts$)' },
      to: { path: '^apps/' },
    },
    {
      name: 'sdk-over-http-only',
      severity: 'error',
      comment:
        'The SDK and the CLI talk to PassMan over HTTP: of the workspace they import only the SDK, the contracts and the api-client (their tests aside).',
      from: { path: '^packages/(sdk|cli)/src/', pathNot: '^packages/(sdk|cli)/src/(test/|[^/]+\\.test\\.ts$)' },
      to: { path: '^(apps|packages/(vault|connectors|testkit)|prisma)/|^@passman/(api|vault|connectors|testkit|db|web)$' },
    },
    {
      name: 'libraries-without-database',
      severity: 'error',
      comment: 'The vault and the connector work on values they are given; only the API reaches the database.',
      from: { path: '^packages/(vault|connectors)/src/' },
      to: { path: '^prisma/|^(@passman/db|@prisma/[^/]+)$' },
    },
    {
      name: 'web-only-contracts',
      severity: 'error',
      comment: 'The web app talks to the API over HTTP: of the workspace it imports only the contracts.',
      from: { path: '^apps/web/' },
      to: { path: '^(apps/api|packages/(vault|connectors|testkit)|prisma)/|^@passman/(api|vault|connectors|testkit|db)$' },
    },
    {
      name: 'testkit-only-in-tests',
      severity: 'error',
      comment: 'The testkit (sshd, databases, keys for tests) never ships in production code.',
      from: { path: '^(apps|packages)/', pathNot: either('\\.test\\.tsx?$', '\\.test-util\\.ts$', '/test/', '^packages/testkit/', '/bench/', '^e2e/') },
      to: { path: '^packages/testkit/|^@passman/testkit$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules|coverage)/|^prisma/src/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    enhancedResolveOptions: {
      // Workspace packages resolve to their sources, as in development and the tests.
      conditionNames: ['development', 'import', 'types', 'default'],
      exportsFields: ['exports'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
      mainFields: ['module', 'main', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
