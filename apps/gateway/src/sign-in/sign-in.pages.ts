import type { OidcRefusal } from './oidc-sign-in.usecase';

/** Text made safe to place in HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A plain, complete page: one h1, the language set, readable without styles or scripts. The console (with its
 * design system) renders its own pages; these are the few the sign-in round trips need.
 */
export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} – Liaison</title></head>
<body>
<header><p>Liaison</p></header>
<main id="main-content">
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}

/** What a person is told when an identity provider's sign-in is refused: what happened and what to do. */
const REFUSALS: Record<OidcRefusal, [title: string, explanation: string]> = {
  'no-provider': [
    'No sign-in service for that address',
    'Your agency has not set up a sign-in service for this address. Ask your agency’s Liaison administrator how you should sign in.',
  ],
  expired: [
    'Your sign-in took too long',
    'The sign-in was not finished within 10 minutes, or was started in another browser. Start again.',
  ],
  'provider-error': [
    'Your sign-in service did not sign you in',
    'Your agency’s sign-in service refused or could not finish the sign-in. Try again; if it keeps happening, tell your agency’s IT service desk.',
  ],
  'invalid-response': [
    'The answer from your sign-in service could not be trusted',
    'The answer did not match the sign-in Liaison started, so it was not used. Start again from the sign-in page.',
  ],
  'no-second-factor': [
    'You need to use a second factor',
    'Liaison needs you to confirm it is you with a second factor (an authenticator app or security key) when you sign in. Your sign-in service did not ask for one. Sign in again and use it; if you have none, ask your agency’s IT service desk to set one up.',
  ],
  'not-invited': [
    'You do not have a Liaison account',
    'Your sign-in service knows you, but your agency’s Liaison administrator has not invited you, or invited another e-mail address. Ask them to invite you.',
  ],
  'wrong-issuer': [
    'You signed in with the wrong service',
    'Your Liaison account belongs to an agency that uses another sign-in service. Sign in through your own agency’s.',
  ],
  disabled: [
    'Your account is disabled',
    'Your Liaison account has been disabled. Ask your agency’s Liaison administrator.',
  ],
};

export function refusalPage(reason: OidcRefusal): string {
  const [title, explanation] = REFUSALS[reason];
  return page(title, `<p>${escapeHtml(explanation)}</p>\n<p><a href="/auth/sign-in">Go to the sign-in page</a></p>`);
}

export function signedOutPage(): string {
  return page('You have signed out', '<p><a href="/auth/sign-in">Sign in again</a></p>');
}

export function signedInPage(who: { agency: string; role: string }, csrfToken: string): string {
  return page(
    'You are signed in',
    `<p>You are signed in to Liaison as ${escapeHtml(who.role)} at ${escapeHtml(who.agency)}.</p>
<form method="post" action="/auth/sign-out"><input type="hidden" name="_csrf" value="${escapeHtml(csrfToken)}"><button type="submit">Sign out</button></form>`,
  );
}
