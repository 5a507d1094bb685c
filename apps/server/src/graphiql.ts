import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { GRAPHIQL_CONTENT_SECURITY_POLICY } from '@iap/auth';

/**
 * The GraphiQL page at `/graphiql`, with every script and style served by this server from the installed
 * packages (graphiql's UMD bundle and style sheet, React 18's UMD bundles): it works with no internet, behind a
 * proxy that blocks CDNs, and under a Content-Security-Policy of `script-src 'self'` (no inline script: the page
 * starts GraphiQL from a script of its own). Mercurius's built-in page loads them from unpkg.com instead.
 */

const require = createRequire(import.meta.url);

/** The directory and version of an installed package. */
function installed(name: string): { dir: string; version: string } {
  const manifest = require.resolve(`${name}/package.json`);
  return {
    dir: path.dirname(manifest),
    version: (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version,
  };
}

export const GRAPHIQL_PATH = '/graphiql';
const ASSETS = `${GRAPHIQL_PATH}/assets`;

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** Starts GraphiQL: the same origin's /graphql over HTTP, and graphql-ws on it for subscriptions. */
const START_SCRIPT = `(function () {
  'use strict';
  var endpoint = window.location.origin + '/graphql';
  var socket = (window.location.protocol === 'https:' ? 'wss://' : 'ws://') + window.location.host + '/graphql';
  var fetcher = GraphiQL.createFetcher({ url: endpoint, subscriptionUrl: socket });
  var defaultQuery = [
    '# Integration Area Programme GraphQL API.',
    '#',
    '# Reading published learning needs no token; everything else does. Paste yours in the',
    '# Headers tab below as {"Authorization": "Bearer <token>"} (the zero-setup start prints',
    '# one per role; npm run cli -- token:issue issues more).',
    '',
    '{',
    '  areas {',
    '    code',
    '    name',
    '    kind',
    '    region',
    '  }',
    '}',
    '',
  ].join('\\n');
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
      defaultEditorToolsVisibility: 'headers',
    }),
  );
})();
`;

const PAGE_CSS = `html, body { height: 100%; margin: 0; }
#graphiql { height: 100vh; }
#graphiql > noscript, .graphiql-loading { display: block; padding: 2rem; font-family: sans-serif; }
`;

interface Asset {
  readonly url: string;
  readonly type: string;
  readonly body: Buffer | string;
}

/** The page's assets: URLs carry the package versions, so browsers may keep them for good. */
export function graphiqlAssets(): { scripts: Asset[]; styles: Asset[] } {
  const graphiql = installed('graphiql');
  const react = installed('react');
  const reactDom = installed('react-dom');
  const file = (dir: string, name: string) => readFileSync(path.join(dir, name));
  return {
    styles: [
      {
        url: `${ASSETS}/graphiql-${graphiql.version}.min.css`,
        type: CSS,
        body: file(graphiql.dir, 'graphiql.min.css'),
      },
      { url: `${ASSETS}/page.css`, type: CSS, body: PAGE_CSS },
    ],
    scripts: [
      {
        url: `${ASSETS}/react-${react.version}.production.min.js`,
        type: JS,
        body: file(react.dir, 'umd/react.production.min.js'),
      },
      {
        url: `${ASSETS}/react-dom-${reactDom.version}.production.min.js`,
        type: JS,
        body: file(reactDom.dir, 'umd/react-dom.production.min.js'),
      },
      {
        url: `${ASSETS}/graphiql-${graphiql.version}.min.js`,
        type: JS,
        body: file(graphiql.dir, 'graphiql.min.js'),
      },
      { url: `${ASSETS}/start.js`, type: JS, body: START_SCRIPT },
    ],
  };
}

function page(scripts: readonly Asset[], styles: readonly Asset[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '  <meta charset="utf-8">',
    '  <title>GraphiQL: Integration Area Programme</title>',
    '  <meta name="robots" content="noindex">',
    '  <meta name="viewport" content="width=device-width, initial-scale=1">',
    ...styles.map((s) => `  <link rel="stylesheet" href="${s.url}">`),
    '</head>',
    '<body>',
    '  <div id="graphiql"><p class="graphiql-loading">Loading GraphiQL…</p></div>',
    ...scripts.map((s) => `  <script src="${s.url}"></script>`),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * Serves GraphiQL's page and assets. Its Content-Security-Policy (see registerHttpSecurity) differs from the
 * rest of the app's only as GraphiQL needs: scripts, styles and connections to this origin, inline styles
 * (which GraphiQL's editors set), fonts and images as data: URLs.
 */
export function serveGraphiql(fastify: FastifyInstance): void {
  const { scripts, styles } = graphiqlAssets();
  const html = page(scripts, styles);
  fastify.get(
    GRAPHIQL_PATH,
    { config: { contentSecurityPolicy: GRAPHIQL_CONTENT_SECURITY_POLICY } },
    async (_request, reply) =>
      reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(html),
  );
  for (const asset of [...scripts, ...styles]) {
    // Versioned URLs never change their content; the two of our own may (on an upgrade): revalidate those.
    const versioned = /-\d+\.\d+\.\d+/.test(asset.url);
    fastify.get(asset.url, async (_request, reply) =>
      reply
        .header('content-type', asset.type)
        .header('cache-control', versioned ? 'public, max-age=31536000, immutable' : 'no-cache')
        .send(asset.body),
    );
  }
}
