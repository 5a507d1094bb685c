/** What a client may see of an error raised by the HTTP layer before GraphQL runs. */
export interface ClientError {
  readonly statusCode: number;
  readonly code: string;
  readonly message: string;
}

/**
 * Fastify's own request errors (oversized or malformed bodies, wrong content types) as clean client errors with
 * a stable code; anything else: undefined (left to the GraphQL error formatter).
 */
export function httpClientError(err: unknown, bodyLimitBytes: number): ClientError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; statusCode?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413)
    return {
      statusCode: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: `The request body is too large: at most ${bodyLimitBytes} bytes are accepted`,
    };
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415)
    return {
      statusCode: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'Send GraphQL requests as application/json (or application/graphql)',
    };
  if (code === 'MER_ERR_GQL_PERSISTED_QUERY_NOT_FOUND')
    return { statusCode: 400, code: 'BAD_REQUEST', message: 'The request has no GraphQL query' };
  if (
    code.startsWith('FST_ERR_CTP_') ||
    code === 'FST_ERR_BAD_URL' ||
    (code === 'MER_ERR_GQL_VALIDATION' && err instanceof SyntaxError)
  )
    return {
      statusCode: 400,
      code: 'BAD_REQUEST',
      message: 'The request could not be read: its body (or its variables) must be valid JSON',
    };
  return undefined;
}
