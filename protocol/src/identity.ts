import { z } from 'zod';
import { DisplayName, Email, Id } from './common';

export const AuthMode = z.enum(['none', 'oidc']);
export type AuthMode = z.infer<typeof AuthMode>;

/** A person as Hangar knows them, whichever provider vouched for them. */
export const Identity = z.strictObject({
  id: Id,
  email: z.string(),
  name: z.string(),
  provider: z.enum(['local', 'oidc']),
});
export type Identity = z.infer<typeof Identity>;

/** `POST /api/auth/sign-in` in `none` mode: a local identity, no password. */
export const SignInBody = z.strictObject({ name: DisplayName, email: Email });
export type SignInBody = z.infer<typeof SignInBody>;

/** `POST /api/auth/switch`: make another identity signed in on this browser the default. */
export const SwitchIdentityBody = z.strictObject({ identityId: Id });
export type SwitchIdentityBody = z.infer<typeof SwitchIdentityBody>;

/** `POST /api/auth/sign-out`: sign one identity out, or all of them when none is named. */
export const SignOutBody = z.strictObject({ identityId: Id.optional() });
export type SignOutBody = z.infer<typeof SignOutBody>;

/** `GET /api/auth/config`: what the sign-in page needs to know. */
export const AuthConfig = z.strictObject({
  mode: AuthMode,
  issuer: z.string().optional(),
  audience: z.string().optional(),
});
export type AuthConfig = z.infer<typeof AuthConfig>;

/**
 * `GET /api/me`. In `none` mode one browser can hold several local identities side by side;
 * a tab picks one with the `x-hangar-identity` header (and `identity` query parameter on WebSockets).
 */
export const MeResponse = z.strictObject({
  identity: Identity,
  identities: z.array(Identity),
  authMode: AuthMode,
});
export type MeResponse = z.infer<typeof MeResponse>;

/** Header a console tab sends to choose which signed-in local identity acts. */
export const identityHeader = 'x-hangar-identity';
