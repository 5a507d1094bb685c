/**
 * The boundaries of the code, checked by `npm run lint` (dependency-cruiser). Imports are read as they are at
 * run time (type-only imports are erased by the compiler, so they are not dependencies): what a rule forbids
 * is code that would load.
 */
const FRAMEWORKS =
  '^node_modules/(@nestjs|typeorm|graphql|mercurius|fastify|@fastify|pg|pg-cursor|@eventstore|dataloader|class-validator|class-transformer)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'An import cycle can leave a value undefined when the cycle is entered from another file (ReferenceError).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'libs-know-no-domain',
      severity: 'error',
      comment:
        'libs/ are infrastructure with no domain knowledge: they never import the product (src/) or an app.',
      from: { path: '^libs/' },
      to: { path: '^(src|apps)/' },
    },
    {
      name: 'common-is-plain-typescript',
      severity: 'error',
      comment:
        '@iap/common (libs/common/src outside graphql/) is what the domain may use: it loads no framework, SQL or GraphQL. The GraphQL and Nest edge is @iap/common/graphql.',
      from: { path: '^libs/common/src/', pathNot: '^libs/common/src/graphql/' },
      to: { path: FRAMEWORKS, reachable: true },
    },
    {
      name: 'domain-is-plain-typescript',
      severity: 'error',
      comment:
        'src/<context>/domain is plain TypeScript you can test alone: nothing it loads, directly or through a barrel, is a framework, SQL or GraphQL.',
      from: { path: '^src/[^/]+/domain/' },
      to: { path: FRAMEWORKS, reachable: true },
    },
    {
      name: 'domain-imports-no-other-layer',
      severity: 'error',
      comment:
        "A context's domain never imports its commands, projections or GraphQL layer, nor another context's.",
      from: { path: '^src/([^/]+)/domain/' },
      to: { path: '^src/[^/]+/(commands|projections|graphql|feed)/' },
    },
    {
      name: 'contexts-meet-through-public-api',
      severity: 'error',
      comment:
        "Bounded contexts talk to each other only through events or the other context's public-api.ts (src/shared is the shared kernel every context may use). A domain, which must stay plain, uses the other context's domain/public-api.ts: the plain part of that public API.",
      from: { path: '^src/([^/]+)/' },
      to: {
        path: '^src/([^/]+)/',
        pathNot: [
          '^src/$1/',
          '^src/shared/',
          '^src/[^/]+/public-api\\.ts$',
          '^src/[^/]+/domain/public-api\\.ts$',
        ],
      },
    },
    {
      name: 'domain-public-api-is-for-domains',
      severity: 'error',
      comment:
        'Outside a domain, another context is used through its public-api.ts (which re-exports its domain/public-api.ts): one way in.',
      from: { path: '^src/([^/]+)/', pathNot: '^src/[^/]+/domain/' },
      to: { path: '^src/[^/]+/domain/public-api\\.ts$', pathNot: '^src/$1/' },
    },
    {
      name: 'shared-kernel-knows-no-context',
      severity: 'error',
      comment: 'src/shared is used by every context, so it imports none of them.',
      from: { path: '^src/shared/' },
      to: { path: '^src/(?!shared/)' },
    },
    {
      name: 'opentelemetry-only-in-the-tracing-sdk',
      severity: 'error',
      comment:
        'OpenTelemetry is loaded only when tracing is on: by libs/tracing/src/sdk.ts. The code marks its spans with @iap/tracing, which loads nothing.',
      from: { pathNot: '^libs/tracing/src/sdk\\.ts$' },
      to: { path: '^node_modules/@opentelemetry/' },
    },
    {
      name: 'tracing-sdk-loaded-on-demand',
      severity: 'error',
      comment:
        'The tracing SDK is imported only by the --import entry (apps/server/src/tracing.ts), and only dynamically, when OTEL_EXPORTER_OTLP_ENDPOINT asks for it.',
      from: {},
      to: { path: '^libs/tracing/src/sdk\\.ts$', dependencyTypesNot: ['dynamic-import'] },
    },
    {
      name: 'tracing-sdk-only-from-its-entry',
      severity: 'error',
      from: { pathNot: '^(apps/server/src/tracing|libs/tracing/src/sdk)\\.ts$' },
      to: { path: '^libs/tracing/src/sdk\\.ts$' },
    },
    {
      name: 'migrations-are-frozen',
      severity: 'error',
      comment:
        'A released migration is literal SQL: built from a live table definition (a *.projection.ts spec), a later edit of the definition would change what the old migration does.',
      from: { path: '\\.migration\\.ts$' },
      to: { path: '\\.projection\\.ts$' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|coverage)/' },
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
