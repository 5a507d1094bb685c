import { generateKeyPairSync } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import Provider, { type ProviderContext } from 'oidc-provider';

/** The client the service is registered as at the tests' identity provider. */
export const TEST_CLIENT_ID = 'iap-web';
export const TEST_CLIENT_SECRET = 'iap-web-test-client-secret-0123456789';

/** A person at the identity provider: their user name (the account id and `sub`) and their claims. */
export type TestAccounts = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export interface TestIdentityProvider {
  /** The issuer: http://127.0.0.1:<port> (http on loopback, which the service accepts for a local provider). */
  readonly issuer: string;
  /** Registers the service (its callback and signed-out addresses) and starts answering. */
  serve(appUrl: string): void;
  /** Whether it answers; false: every request gets a 503 (the provider is down). */
  available: boolean;
  close(): Promise<void>;
}

/** The provider's key for signing ID tokens. */
const SIGNING_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

/** The provider's sign-in page: a user name (no password: this provider exists only for the tests). */
function loginPage(uid: string, error?: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>
<body><main><h1>Sign in to the test identity provider</h1>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}">
<label for="login">User name</label> <input id="login" name="login" autocomplete="username">
<button type="submit">Continue</button></form></main></body></html>`;
}

/**
 * A real OpenID Connect provider (oidc-provider) on a loopback port, for the service's sign-in tests: one
 * confidential client (the service) that must use PKCE, accounts whose claims the test chooses (`iap_role`,
 * `iap_area`, `name`, in the ID token), a minimal sign-in page taking a user name, and consent given by default.
 * Started before the service (whose address it needs), it answers 503 until `serve` is called.
 */
export async function startTestIdentityProvider(accounts: TestAccounts): Promise<TestIdentityProvider> {
  let provider: Provider | undefined;
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const state = { available: true };

  async function interaction(req: IncomingMessage, res: ServerResponse, p: Provider): Promise<void> {
    const details = await p.interactionDetails(req, res);
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(details.uid));
      return;
    }
    const login = new URLSearchParams(await readBody(req)).get('login') ?? '';
    if (!Object.hasOwn(accounts, login)) {
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(loginPage(details.uid, 'No such user'));
      return;
    }
    await p.interactionFinished(
      req,
      res,
      { login: { accountId: login } },
      { mergeWithLastSubmission: false },
    );
  }

  const server: Server = createServer((req, res) => {
    if (!state.available || !provider || !handle) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('The identity provider is down');
      return;
    }
    if (req.url?.startsWith('/interaction/')) {
      interaction(req, res, provider).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
      return;
    }
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const issuer = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  return {
    issuer,
    get available() {
      return state.available;
    },
    set available(value: boolean) {
      state.available = value;
    },
    serve(appUrl: string) {
      provider = new Provider(issuer, {
        clients: [
          {
            client_id: TEST_CLIENT_ID,
            client_secret: TEST_CLIENT_SECRET,
            redirect_uris: [`${appUrl}/sign-in/callback`],
            post_logout_redirect_uris: [`${appUrl}/signed-out`],
            response_types: ['code'],
            grant_types: ['authorization_code'],
          },
        ],
        async findAccount(_ctx: unknown, id: string) {
          const claims = accounts[id];
          if (!claims) return undefined;
          return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
        },
        claims: { openid: ['sub'], profile: ['name', 'iap_role', 'iap_area'] },
        // The claims in the ID token itself (the service reads them there; it asks the user info endpoint
        // only when the token has no role).
        conformIdTokenClaims: false,
        pkce: { required: () => true },
        features: { devInteractions: { enabled: false } },
        interactions: { url: (_ctx: unknown, i: { uid: string }) => `/interaction/${i.uid}` },
        // Consent is given: the tests are about the service's side of sign-in.
        async loadExistingGrant(ctx: ProviderContext) {
          const { client, session, result, provider: op } = ctx.oidc;
          const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
          if (grantId) {
            const found = await op.Grant.find(grantId);
            if (found) return found;
          }
          if (!session.accountId) return undefined;
          const grant = new op.Grant({ clientId: client.clientId, accountId: session.accountId });
          grant.addOIDCScope('openid profile');
          await grant.save();
          return grant;
        },
        cookies: { keys: ['test-identity-provider-cookie-key-0123456789'] },
        jwks: { keys: [{ ...SIGNING_KEY, kid: 'test', use: 'sig', alg: 'RS256' }] },
        ttl: { Interaction: 600, Grant: 3600, Session: 3600, AccessToken: 600, IdToken: 600 },
      });
      handle = provider.callback();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
