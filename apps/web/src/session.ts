import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AuthActor, isRole } from '@iap/auth';

/**
 * What the session cookie holds (@fastify/secure-session: encrypted and authenticated, HttpOnly, SameSite=Lax,
 * Secure in production): who is signed in, when they were last seen (for the idle timeout), one-off messages
 * for the next page (post/redirect/get), and a form's refused answers kept for the page that shows them again.
 */
export interface SessionUser {
  readonly subject: string;
  readonly name: string;
  readonly role: AuthActor['role'];
  readonly area?: string;
  /** The area's name, for the header ("Blackburn with Darwen"). */
  readonly areaName?: string;
  /** How they signed in: the demo page or the identity provider (whose sign-out ends its session too). */
  readonly via: 'demo' | 'oidc';
  readonly idToken?: string;
}

export interface Flash {
  /** A success banner (GOV.UK notification banner) on the next page. */
  readonly success?: { readonly heading: string; readonly body?: string };
  /** Why the person was sent where they are (e.g. "You were signed out after 30 minutes without activity"). */
  readonly notice?: string;
}

/** A form's refused answers, kept in the session so that its page shows them again after the redirect. */
export interface FormState {
  readonly form: string;
  readonly values: Readonly<Record<string, string>>;
  readonly errors: readonly { readonly field: string; readonly text: string }[];
}

/** A kept form as the cookie holds it: answers too long for the cookie are held by the server (`held`). */
interface KeptForm extends FormState {
  readonly held?: string;
}

interface SessionData {
  user?: SessionUser;
  seen?: number;
  flash?: Flash;
  form?: KeptForm;
  /** OpenID Connect sign-in in progress: PKCE verifier, state, nonce and where to return. */
  oidc?: { verifier: string; state: string; nonce: string; returnTo: string };
}

type Session = {
  get<K extends keyof SessionData>(key: K): SessionData[K] | undefined;
  set<K extends keyof SessionData>(key: K, value: SessionData[K] | undefined): void;
  /** Empties the session (a new one, as far as anything in it goes), keeping the cookie. */
  regenerate(): void;
};

export function sessionOf(request: FastifyRequest): Session {
  return (request as unknown as { session: Session }).session;
}

/** The signed-in person, or undefined for a visitor. */
export function userOf(request: FastifyRequest): SessionUser | undefined {
  return sessionOf(request).get('user');
}

/** The signed-in person as the API's actor (the same fields a bearer token carries). */
export function actorOf(user: SessionUser | undefined): AuthActor | undefined {
  if (!user || !isRole(user.role)) return undefined;
  return {
    subject: user.subject,
    name: user.name,
    role: user.role,
    ...(user.area ? { area: user.area } : {}),
  };
}

export function signIn(request: FastifyRequest, user: SessionUser): void {
  const session = sessionOf(request);
  // A new session on sign-in: nothing of the visitor's session (fixation) carries over.
  session.regenerate();
  session.set('user', user);
  session.set('seen', Date.now());
}

export function signOut(request: FastifyRequest): void {
  sessionOf(request).regenerate();
}

/** Takes (and clears) the one-off messages for this page. */
export function takeFlash(request: FastifyRequest): Flash | undefined {
  const session = sessionOf(request);
  const flash = session.get('flash');
  if (flash) session.set('flash', undefined);
  return flash;
}

export function setFlash(request: FastifyRequest, flash: Flash): void {
  sessionOf(request).set('flash', flash);
}

/**
 * Signs out a person idle for longer than `idleMs` (and says so on the next page); otherwise records that they
 * were seen, which renews the cookie. Runs on every page request.
 */
export function enforceIdleTimeout(request: FastifyRequest, idleMs: number, now = Date.now()): void {
  const session = sessionOf(request);
  const user = session.get('user');
  if (!user) return;
  const seen = session.get('seen') ?? 0;
  if (now - seen > idleMs) {
    session.regenerate();
    session.set('flash', {
      notice: `You were signed out because you did nothing for ${Math.round(idleMs / 60_000)} minutes. Sign in again to carry on.`,
    });
    return;
  }
  // Rewriting the cookie on every request costs a few microseconds of encryption; once a minute is enough.
  if (now - seen > 60_000) session.set('seen', now);
}

/**
 * The most a kept form may put in the session cookie, as JSON bytes. The cookie also holds the person (with an
 * identity provider, their ID token) and the CSRF secret, and is encrypted and base64-encoded: a browser drops a
 * cookie over 4,096 bytes without a word, and the page then showed the form empty with no error (a long note,
 * description or learning text lost).
 */
export const KEPT_FORM_COOKIE_BYTES = 1_200;
/**
 * Answers held by the server for the page the person is sent back to: a few minutes, and at most 8 MiB of text
 * in all (a form's body may be 256 KB: a count of forms alone would not bound the memory), the oldest let go.
 */
const HELD_FORMS_MAX_CHARS = 8 * 1024 * 1024;
const HELD_FORM_MS = 10 * 60_000;
const heldForms = new Map<string, { values: Record<string, string>; chars: number; until: number }>();
let heldChars = 0;

function letGo(id: string): void {
  heldChars -= heldForms.get(id)?.chars ?? 0;
  heldForms.delete(id);
}

/**
 * Keeps a refused form's answers and errors for the page it redirects to. The errors and the shorter answers go
 * in the cookie; the longest answers, while the cookie would be too big, are held by this server (bounded, for a
 * few minutes) under an id in the cookie. The page read on another instance shows the errors and the shorter
 * answers.
 */
export function keepFormState(request: FastifyRequest, state: FormState, now = Date.now()): void {
  const values: Record<string, string> = { ...state.values };
  const held: Record<string, string> = {};
  const size = () => Buffer.byteLength(JSON.stringify({ ...state, values }));
  const longestFirst = Object.keys(values).sort((a, b) => values[b]!.length - values[a]!.length);
  for (const name of longestFirst) {
    if (size() <= KEPT_FORM_COOKIE_BYTES) break;
    held[name] = values[name]!;
    delete values[name];
  }
  // Errors are a line each; one that quotes a whole answer back is cut short rather than lose the cookie.
  const errors = state.errors.map((e) =>
    e.text.length > 300 ? { ...e, text: `${e.text.slice(0, 299)}…` } : e,
  );
  if (Object.keys(held).length === 0) return sessionOf(request).set('form', { ...state, errors });
  const chars = Object.values(held).reduce((n, v) => n + v.length, 0);
  for (const [id, entry] of heldForms) if (entry.until < now) letGo(id);
  while (heldForms.size > 0 && heldChars + chars > HELD_FORMS_MAX_CHARS)
    letGo(heldForms.keys().next().value!);
  const id = randomUUID();
  heldForms.set(id, { values: held, chars, until: now + HELD_FORM_MS });
  heldChars += chars;
  sessionOf(request).set('form', { ...state, errors, values, held: id });
}

/** Takes (and clears) the kept state of `form`, if it is the one kept, with the answers the server held. */
export function takeFormState(request: FastifyRequest, form: string): FormState | undefined {
  const session = sessionOf(request);
  const kept = session.get('form');
  if (!kept) return undefined;
  session.set('form', undefined);
  const held = kept.held ? heldForms.get(kept.held) : undefined;
  if (kept.held) letGo(kept.held);
  if (kept.form !== form) return undefined;
  return { form: kept.form, values: { ...kept.values, ...held?.values }, errors: kept.errors };
}

/** Redirect after a POST (post/redirect/get): 303, so the browser GETs the next page. */
export function seeOther(reply: FastifyReply, location: string): FastifyReply {
  return reply.code(303).header('location', location).send();
}
