import * as client from 'openid-client';
import type { OidcSettings } from '../oidc.js';

/** The identity provider could not be reached (or answered nonsense): sign-in is not available right now. */
export class OidcUnavailable extends Error {
  constructor(cause: unknown) {
    super(
      `The identity provider's configuration could not be read: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

/** What the service keeps in the session between sending a person to the provider and their return. */
export interface OidcPending {
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
  readonly returnTo: string;
}

/** What the provider said about the person who came back, with the ID token (the hint for signing out). */
export interface OidcSignedIn {
  readonly claims: Readonly<Record<string, unknown>>;
  readonly idToken?: string;
}

/** How long a request to the provider may take before sign-in says it is not available. */
const PROVIDER_TIMEOUT_SECONDS = 10;

/** http is accepted only for a provider on this machine (a test's, a developer's): real providers use https. */
function isLoopback(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/**
 * The service as a client of its OpenID Connect provider: authorisation code flow with PKCE (S256), state and
 * nonce. The provider's configuration is discovered on the first sign-in and kept; a failed discovery is not
 * kept, so the next sign-in tries again (the server starts, and serves everything else, while the provider is
 * down).
 */
export class OidcClient {
  private configuration?: client.Configuration;
  private discovering?: Promise<client.Configuration>;

  constructor(readonly settings: OidcSettings) {}

  /** Where the provider sends the person after signing them out: <PUBLIC_URL>/signed-out. */
  get postLogoutRedirectUri(): string {
    return new URL('/signed-out', this.settings.redirectUri).href;
  }

  /** The provider's configuration (discovered once; retried after a failure). Throws OidcUnavailable. */
  async config(): Promise<client.Configuration> {
    if (this.configuration) return this.configuration;
    this.discovering ??= this.discover().then(
      (configuration) => {
        this.configuration = configuration;
        this.discovering = undefined;
        return configuration;
      },
      (error: unknown) => {
        this.discovering = undefined;
        throw error instanceof OidcUnavailable ? error : new OidcUnavailable(error);
      },
    );
    return this.discovering;
  }

  private async discover(): Promise<client.Configuration> {
    const issuer = new URL(this.settings.issuerUrl);
    const insecure = issuer.protocol === 'http:' && isLoopback(issuer);
    const discovered = await client.discovery(issuer, this.settings.clientId, undefined, client.None(), {
      timeout: PROVIDER_TIMEOUT_SECONDS,
      ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
    });
    const server = discovered.serverMetadata();
    // A confidential client authenticates as its provider prefers (client_secret_basic is OpenID's default).
    const secret = this.settings.clientSecret;
    const methods = server.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
    const authentication = !secret
      ? client.None()
      : methods.includes('client_secret_basic')
        ? client.ClientSecretBasic(secret)
        : client.ClientSecretPost(secret);
    const configuration = new client.Configuration(
      server,
      this.settings.clientId,
      secret ? { client_secret: secret } : undefined,
      authentication,
    );
    configuration.timeout = PROVIDER_TIMEOUT_SECONDS;
    if (insecure) client.allowInsecureRequests(configuration);
    return configuration;
  }

  /** The provider's authorisation URL for a new sign-in, and what to keep in the session to check the return. */
  async start(returnTo: string): Promise<{ url: URL; pending: OidcPending }> {
    const configuration = await this.config();
    const verifier = client.randomPKCECodeVerifier();
    const pending: OidcPending = {
      verifier,
      state: client.randomState(),
      nonce: client.randomNonce(),
      returnTo,
    };
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.settings.redirectUri,
      scope: 'openid profile',
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url, pending };
  }

  /**
   * Checks the provider's answer at the callback (state, then the code with the PKCE verifier, then the ID
   * token's nonce) and returns the person's claims: the ID token's, completed from the user info endpoint when
   * the token does not carry the role (providers that keep ID tokens lean). Throws on any failed check.
   */
  async finish(query: string, pending: OidcPending): Promise<OidcSignedIn> {
    const configuration = await this.config();
    // The callback as the provider was told it (PUBLIC_URL), whatever address the request reached us on.
    const callback = new URL(this.settings.redirectUri);
    callback.search = query;
    const tokens = await client.authorizationCodeGrant(configuration, callback, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const idClaims = (tokens.claims() ?? {}) as Record<string, unknown>;
    let claims: Record<string, unknown> = idClaims;
    if (
      idClaims[this.settings.roleClaim] === undefined &&
      configuration.serverMetadata().userinfo_endpoint &&
      typeof idClaims.sub === 'string'
    ) {
      const userInfo = await client.fetchUserInfo(configuration, tokens.access_token, idClaims.sub);
      claims = { ...userInfo, ...idClaims };
    }
    return { claims, ...(tokens.id_token ? { idToken: tokens.id_token } : {}) };
  }

  /**
   * Where to send a person signing out so that the provider ends its session too, or undefined when it has
   * no end_session_endpoint (or cannot be reached: the service's own session is ended either way).
   */
  async endSessionUrl(idToken: string | undefined): Promise<URL | undefined> {
    let configuration: client.Configuration;
    try {
      configuration = await this.config();
    } catch {
      return undefined;
    }
    if (!configuration.serverMetadata().end_session_endpoint) return undefined;
    return client.buildEndSessionUrl(configuration, {
      post_logout_redirect_uri: this.postLogoutRedirectUri,
      client_id: this.settings.clientId,
      ...(idToken ? { id_token_hint: idToken } : {}),
    });
  }
}

const CLIENTS = new WeakMap<OidcSettings, OidcClient>();

/** The one client (and its discovered configuration) of a server's OIDC settings. */
export function oidcClientFor(settings: OidcSettings): OidcClient {
  let found = CLIENTS.get(settings);
  if (!found) {
    found = new OidcClient(settings);
    CLIENTS.set(settings, found);
  }
  return found;
}
