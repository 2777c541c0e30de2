import type { Config } from 'jest';

const moduleNameMapper = {
  '^@liaison/(client|common|config|contracts|domain|messaging|observability|outbound|persistence|protection|runtime|testing)$':
    '<rootDir>/libs/$1/src',
};
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] as [string, object],
  '^.+\\.m?js$': '<rootDir>/test/setup/esm-transformer.cjs',
};
/** Packages that ship ES modules only, turned into CommonJS for Jest (see test/setup/esm-transformer.cjs). */
const ESM_ONLY = [
  'otplib',
  '@otplib',
  '@scure',
  '@noble',
  'openid-client',
  'oauth4webapi',
  'jose',
  'any-ascii',
  'ibantools',
  'mrz',
];
/**
 * CommonJS packages that load Node's own modules with `import()`, which Jest's module runner refuses; compiled
 * the same way, the import becomes a `require`.
 */
const DYNAMIC_IMPORTS = ['@opentelemetry/otlp-exporter-base'];
const transformIgnorePatterns = [`/node_modules/(?!(${[...ESM_ONLY, ...DYNAMIC_IMPORTS].join('|')})/)`];
const common = {
  rootDir: '.',
  setupFiles: ['reflect-metadata'],
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  transform,
  transformIgnorePatterns,
};

/**
 * `npm test` runs every project: unit specs beside the code, integration tests against the real
 * PostgreSQL, Redis and Kafka, end-to-end tests through HTTP with every service running, and what a person
 * uses checked in a real Chromium (axe-core, keyboard). The global
 * setup starts what is missing and gives the run its own database and Kafka namespace.
 */
const config: Config = {
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  maxWorkers: 1,
  testTimeout: 60_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      slowTestThreshold: 30,
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'], slowTestThreshold: 60 },
    {
      // Services as processes, killed and restarted under load; Kafka, PostgreSQL and Redis restarted.
      ...common,
      displayName: 'faults',
      testMatch: ['<rootDir>/test/faults/**/*.test.ts'],
      slowTestThreshold: 600,
    },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
      slowTestThreshold: 60,
      // Screenshots of the pages a failed test left open, in test-results/screenshots/.
      testEnvironment: '<rootDir>/test/setup/browser-environment.cjs',
      setupFilesAfterEnv: ['<rootDir>/test/setup/browser-failures.ts'],
    },
  ],
};

export default config;
