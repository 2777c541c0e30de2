import { accountEmail, emailDomain, showsSecondFactor } from '@liaison/domain';
import type { IdentityProviderEntity, PersonEntity } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import * as client from 'openid-client';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller, PersonCaller } from '../auth/caller';
import { IdentityProviderRepository } from '../people/identity-provider.repository';
import { PersonRepository } from '../people/person.repository';
import { SessionStore, type PendingOidc, type Session } from '../sessions/session.store';
import { OidcClients } from './oidc-clients';

/** Why a sign-in through an identity provider was refused: each has its own page and audit detail. */
export type OidcRefusal =
  | 'no-provider'
  | 'expired'
  | 'provider-error'
  | 'invalid-response'
  | 'no-second-factor'
  | 'not-invited'
  | 'wrong-issuer'
  | 'disabled';

const AUTHENTICATION_CLAIMS = JSON.stringify({
  id_token: { amr: { essential: true }, acr: null, auth_time: { essential: true } },
});

export class OidcSignInRefused extends Error {
  constructor(readonly reason: OidcRefusal) {
    super(`sign-in refused: ${reason}`);
  }
}

/**
 * The provider signed the person in without a second factor, the first time: they are sent back once with
 * `prompt=login`. (Keycloak, for one, enrols an authenticator app at a person's first sign-in but names only
 * the password in that sign-in's `amr`; asked again, the person gives a code and the token says so.)
 */
export class OidcSignInAgain extends Error {
  constructor(readonly provider: IdentityProviderEntity) {
    super('sign in again with a second factor');
  }
}

export type OidcCompleted =
  | { purpose: 'sign-in'; sessionId: string; session: Session }
  | { purpose: 'step-up'; sessionId: string; session: Session };

/**
 * Sign-in through an agency's own OpenID provider: authorization code with PKCE (S256), state and nonce, all
 * checked by openid-client. `(iss, sub)` is bound at the first sign-in to the person the agency invited with the
 * token's verified e-mail address; from then on only that identity signs them in. A token that shows no second
 * factor (`amr`, or an `acr` the agency configured) is refused. A step-up is a second round trip with
 * `max_age=0`, so the provider asks again.
 */
@Injectable()
export class OidcSignInUseCase {
  constructor(
    private readonly providers: IdentityProviderRepository,
    private readonly people: PersonRepository,
    private readonly sessions: SessionStore,
    private readonly clients: OidcClients,
    private readonly audit: AuditTrail,
  ) {}

  /** The provider a person signs in through: the agency chosen, or the one whose domains hold their address. */
  async providerFor(choice: { email?: string; agency?: string }): Promise<IdentityProviderEntity | null> {
    if (choice.agency) return this.providers.find(choice.agency);
    const domain = choice.email ? emailDomain(accountEmail(choice.email)) : null;
    return domain ? this.providers.forEmailDomain(domain) : null;
  }

  /** Where to send the browser, and the token of the round trip (kept in an HttpOnly cookie until it returns). */
  async begin(
    provider: IdentityProviderEntity,
    redirectUri: string,
    step: { purpose: 'sign-in'; loginHint?: string; again?: boolean } | { purpose: 'step-up'; caller: PersonCaller },
  ): Promise<{ url: URL; pendingToken: string }> {
    const config = await this.configuration(provider);
    const codeVerifier = client.randomPKCECodeVerifier();
    const pending: PendingOidc = {
      kind: 'oidc',
      agency: provider.agencyCode,
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier,
      purpose: step.purpose,
      ...(step.purpose === 'step-up' ? { sessionHash: step.caller.sessionHash, maxAge: 0 } : {}),
      ...(step.purpose === 'sign-in' && step.again ? { retried: true, maxAge: 0 } : {}),
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
      // How the person authenticated, asked for in the ID token (OpenID Connect Core 5.5): some providers say it
      // only when asked.
      claims: AUTHENTICATION_CLAIMS,
      ...(step.purpose === 'step-up' || (step.purpose === 'sign-in' && step.again)
        ? { max_age: '0', prompt: 'login' }
        : {}),
      ...(step.purpose === 'sign-in' && step.loginHint ? { login_hint: step.loginHint } : {}),
    });
    return { url, pendingToken: await this.sessions.startPending(pending) };
  }

  /** Checks the provider's answer and starts (or steps up) the session. Refusals are audited with their reason. */
  async complete(
    pendingToken: string,
    callbackUrl: URL,
    correlationId: string,
    now = new Date(),
  ): Promise<OidcCompleted> {
    const found = await this.sessions.pending(pendingToken);
    const pending = found?.kind === 'oidc' ? found : null;
    if (!pending) throw new OidcSignInRefused('expired');
    await this.sessions.endPending(pendingToken);
    const provider = await this.providers.find(pending.agency);
    if (!provider) throw new OidcSignInRefused('no-provider');
    const config = await this.configuration(provider);
    let claims: client.IDToken;
    let idToken: string;
    let email: { email?: unknown; email_verified?: unknown };
    try {
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        ...(pending.maxAge !== undefined ? { maxAge: pending.maxAge + 300 } : {}),
      });
      const read = tokens.claims();
      if (!read || !tokens.id_token) throw new Error('no ID token');
      claims = read;
      idToken = tokens.id_token;
      // Providers that keep the ID token small give the address at the userinfo endpoint instead.
      const fromToken = { email: read.email, email_verified: read.email_verified };
      email = read.email !== undefined ? fromToken : await client.fetchUserInfo(config, tokens.access_token, read.sub);
    } catch (error) {
      await this.refusal(
        null,
        pending.agency,
        error instanceof client.AuthorizationResponseError ? 'provider-error' : 'invalid-response',
        correlationId,
      );
      throw new OidcSignInRefused(
        error instanceof client.AuthorizationResponseError ? 'provider-error' : 'invalid-response',
      );
    }
    const person = await this.personFor(provider, claims, email, now);
    if (!person) {
      await this.refusal(null, pending.agency, 'not-invited', correlationId);
      throw new OidcSignInRefused('not-invited');
    }
    if (person.status === 'disabled') return this.refuse(person, 'disabled', correlationId);
    const personProvider =
      person.agencyCode === provider.agencyCode ? provider : await this.providers.find(person.agencyCode);
    if (!personProvider || personProvider.issuer !== claims.iss)
      return this.refuse(person, 'wrong-issuer', correlationId);
    if (!showsSecondFactor({ amr: claims.amr, acr: claims.acr }, personProvider.secondFactorAcr)) {
      if (pending.purpose === 'sign-in' && !pending.retried) throw new OidcSignInAgain(provider);
      return this.refuse(person, 'no-second-factor', correlationId);
    }
    const factorAt =
      typeof claims.auth_time === 'number' ? Math.min(claims.auth_time * 1000, now.getTime()) : now.getTime();

    if (pending.purpose === 'step-up') {
      const current = pending.sessionHash ? await this.sessions.byHash(pending.sessionHash) : null;
      if (!current || current.personId !== person.id) throw new OidcSignInRefused('expired');
      const rotated = await this.sessions.rotate(
        pending.sessionHash!,
        { secondFactorAt: factorAt, idToken },
        now.getTime(),
      );
      if (!rotated) throw new OidcSignInRefused('expired');
      await this.audit.record(
        this.caller(person),
        { action: 'person.stepped-up', objectType: 'person', objectId: person.id, detail: 'identity-provider' },
        correlationId,
      );
      return { purpose: 'step-up', sessionId: rotated.id, session: rotated.session };
    }
    await this.audit.record(
      this.caller(person),
      { action: 'person.signed-in', objectType: 'person', objectId: person.id, detail: 'identity-provider' },
      correlationId,
    );
    await this.people.recordSignIn(person.id, now);
    const { id, session } = await this.sessions.create(
      { id: person.id, agency: person.agencyCode, role: person.role, name: person.name },
      'identity-provider',
      factorAt,
      { issuer: claims.iss, idToken },
      now.getTime(),
    );
    return { purpose: 'sign-in', sessionId: id, session };
  }

  /** The provider's end-session address for a session begun there (RP-initiated logout); null for local sessions. */
  async endSessionUrl(session: Session, postLogoutRedirectUri: string): Promise<URL | null> {
    if (session.via !== 'identity-provider' || !session.idToken) return null;
    const provider = await this.providers.find(session.agency);
    if (!provider) return null;
    const config = await this.configuration(provider).catch(() => null);
    if (!config?.serverMetadata().end_session_endpoint) return null;
    return client.buildEndSessionUrl(config, {
      id_token_hint: session.idToken,
      post_logout_redirect_uri: postLogoutRedirectUri,
    });
  }

  /** The person an identity stands for: bound before, or the invited person with the token's verified address. */
  private async personFor(
    provider: IdentityProviderEntity,
    claims: client.IDToken,
    address: { email?: unknown; email_verified?: unknown },
    now: Date,
  ): Promise<PersonEntity | null> {
    const bound = await this.people.identityPerson(claims.iss, claims.sub);
    if (bound) return this.people.find(bound);
    const email =
      typeof address.email === 'string' && address.email_verified === true ? accountEmail(address.email) : null;
    const invited = email ? await this.people.findByEmail(email) : null;
    if (!invited || invited.signIn !== 'identity-provider') return null;
    const theirs =
      invited.agencyCode === provider.agencyCode ? provider : await this.providers.find(invited.agencyCode);
    if (!theirs || theirs.issuer !== claims.iss) return null;
    return (await this.people.linkIdentity(claims.iss, claims.sub, invited.id, now)) ? invited : null;
  }

  private async configuration(provider: IdentityProviderEntity): Promise<client.Configuration> {
    try {
      return await this.clients.configuration(provider);
    } catch {
      throw new OidcSignInRefused('provider-error');
    }
  }

  private caller(person: PersonEntity): Caller {
    return { type: 'person', id: person.id, agency: person.agencyCode, role: person.role };
  }

  private async refuse(person: PersonEntity, reason: OidcRefusal, correlationId: string): Promise<never> {
    await this.refusal(person, person.agencyCode, reason, correlationId);
    throw new OidcSignInRefused(reason);
  }

  private refusal(
    person: PersonEntity | null,
    agency: string,
    reason: OidcRefusal,
    correlationId: string,
  ): Promise<void> {
    const who: Caller = person ? this.caller(person) : { type: 'person', id: '', agency, role: 'officer' };
    return this.audit.record(
      who,
      {
        action: 'person.sign-in-failed',
        objectType: 'person',
        objectId: person?.id ?? '',
        detail: `identity-provider ${reason}`,
      },
      correlationId,
    );
  }
}
