/** Sign-in through the identity provider councils and the department use (OpenID Connect). */
export interface OidcSettings {
  /** OIDC_ISSUER_URL: the provider's issuer (its discovery document is read from it). */
  readonly issuerUrl: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  /** Where the provider sends the person back: <PUBLIC_URL>/sign-in/callback. */
  readonly redirectUri: string;
  /** Claims that carry the role (CENTRAL, PILOT or COUNCIL), the council's ONS code and the person's name. */
  readonly roleClaim: string;
  readonly areaClaim: string;
  readonly nameClaim: string;
}
