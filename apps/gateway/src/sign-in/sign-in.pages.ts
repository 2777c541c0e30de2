import type { OidcRefusal } from './oidc-sign-in.usecase';

/** Text made safe to place in HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The pages' only style: a system font, a readable measure, and controls at least 44 px high with a visible
 * focus (WCAG 2.2 target size and focus appearance). Served as a file of its own, so the policy needs no inline
 * style.
 */
export const SIGN_IN_CSS = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;line-height:1.5;margin:0;color:#0b0c0c}
header{background:#0b0c0c;color:#fff;padding:.5rem 1rem}header p{margin:0;font-weight:700}
main{max-width:38rem;padding:1rem}
a{color:#1d70b8}a:focus,button:focus,input:focus{outline:3px solid #fd0;box-shadow:0 4px #0b0c0c}
a[href="#main-content"]{position:absolute;left:-999px}a[href="#main-content"]:focus{position:static;display:inline-block;padding:.5rem}
label{display:block;font-weight:700;margin-top:1rem}
input{font:inherit;min-height:2.75rem;width:100%;max-width:24rem;box-sizing:border-box;border:2px solid #0b0c0c;padding:.25rem .5rem}
input[aria-invalid=true]{border-color:#d4351c}
button{font:inherit;min-height:2.75rem;min-width:2.75rem;margin-top:1rem;padding:.5rem 1rem;background:#00703c;color:#fff;border:0;box-shadow:0 2px #002d18;cursor:pointer}
[role=alert]{border:5px solid #d4351c;padding:1rem;margin-bottom:1rem}[role=alert] a{color:#d4351c;font-weight:700}
p[id$="-error"]{color:#d4351c;font-weight:700}
figure svg{width:12rem;height:12rem}code{font-size:1.1em}
`;

/** A field at fault and what to do about it. */
export interface PageError {
  field: string;
  message: string;
}

/**
 * A plain, complete page: one h1, the language set, a skip link, readable without styles or scripts. The
 * console (with its design system) renders its own pages; these are the few signing in needs. With errors, the
 * title starts "Error:" and a summary at the top links to each field at fault.
 */
export function page(title: string, body: string, errors: PageError[] = []): string {
  const summary =
    errors.length === 0
      ? ''
      : `<div role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">There is a problem</h2>
<ul>${errors.map((e) => `<li><a href="#${escapeHtml(e.field)}">${escapeHtml(e.message)}</a></li>`).join('')}</ul>
</div>
`;
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/auth/sign-in.css"><title>${errors.length ? 'Error: ' : ''}${escapeHtml(title)} – Liaison</title></head>
<body>
<a href="#main-content">Skip to main content</a>
<header><p>Liaison</p></header>
<main id="main-content">
${summary}<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}

/** A labelled input, with its error (if any) named in the label's description. */
function field(
  name: string,
  label: string,
  type: string,
  errors: PageError[],
  extra: { value?: string; autocomplete?: string; hint?: string; inputmode?: string } = {},
): string {
  const error = errors.find((e) => e.field === name);
  const described = [extra.hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ');
  return `<div>
<label for="${name}">${escapeHtml(label)}</label>
${extra.hint ? `<p id="${name}-hint">${escapeHtml(extra.hint)}</p>` : ''}${error ? `<p id="${name}-error"><span>Error:</span> ${escapeHtml(error.message)}</p>` : ''}
<input id="${name}" name="${name}" type="${type}"${extra.value !== undefined ? ` value="${escapeHtml(extra.value)}"` : ''}${extra.autocomplete ? ` autocomplete="${extra.autocomplete}"` : ''}${extra.inputmode ? ` inputmode="${extra.inputmode}"` : ''}${described ? ` aria-describedby="${described}"` : ''}${error ? ' aria-invalid="true"' : ''} spellcheck="false">
</div>`;
}

export function signInPage(errors: PageError[] = [], email = ''): string {
  return page(
    'Sign in to Liaison',
    `<form method="get" action="/auth/continue" novalidate>
${field('email', 'Your work e-mail address', 'email', errors, { value: email, autocomplete: 'username' })}
<button type="submit">Continue</button>
</form>`,
    errors,
  );
}

export function passwordPage(email: string, errors: PageError[] = []): string {
  return page(
    'Enter your password',
    `<p>Signing in as ${escapeHtml(email)}. <a href="/auth/sign-in">Not you?</a></p>
<form method="post" action="/auth/sign-in" novalidate>
<input type="hidden" name="email" value="${escapeHtml(email)}">
${field('password', 'Password', 'password', errors, { autocomplete: 'current-password' })}
<button type="submit">Continue</button>
</form>`,
    errors,
  );
}

export function codePage(errors: PageError[] = []): string {
  return page(
    'Enter the code from your authenticator app',
    `<form method="post" action="/auth/second-factor" novalidate>
${field('code', 'Code', 'text', errors, { autocomplete: 'one-time-code', inputmode: 'numeric', hint: 'The 6 digits your app shows now, or one of your recovery codes.' })}
<button type="submit">Sign in</button>
</form>`,
    errors,
  );
}

export function enrolPage(enrolment: { secret: string; qrSvg: string }, errors: PageError[] = []): string {
  const grouped = enrolment.secret.replace(/(.{4})/g, '$1 ').trim();
  return page(
    'Set up your authenticator app',
    `<p>Liaison asks for a code from an authenticator app each time you sign in. Scan this QR code with the app,
or type the key below into it.</p>
<figure role="img" aria-label="QR code of your authentication key">${enrolment.qrSvg}</figure>
<p>Key: <code>${escapeHtml(grouped)}</code></p>
<form method="post" action="/auth/enrol-second-factor" novalidate>
${field('code', 'Code from the app', 'text', errors, { autocomplete: 'one-time-code', inputmode: 'numeric', hint: 'The 6 digits the app shows, to check it is set up.' })}
<button type="submit">Continue</button>
</form>`,
    errors,
  );
}

export function recoveryCodesPage(codes: string[]): string {
  return page(
    'Keep your recovery codes',
    `<p>If you lose your authenticator app, each of these codes signs you in once instead of a code from the app.
Keep them somewhere safe, away from your phone. They are not shown again.</p>
<ul>${codes.map((code) => `<li><code>${escapeHtml(code)}</code></li>`).join('')}</ul>
<p><a href="/auth/signed-in">Continue to Liaison</a></p>`,
  );
}

export function firstPasswordPage(
  token: string,
  person: { email: string; name: string },
  errors: PageError[] = [],
): string {
  return page(
    'Choose your password',
    `<p>Welcome, ${escapeHtml(person.name)}. You sign in to Liaison as ${escapeHtml(person.email)}.</p>
<form method="post" action="/auth/enrol" novalidate>
<input type="hidden" name="token" value="${escapeHtml(token)}">
${field('password', 'New password', 'password', errors, { autocomplete: 'new-password', hint: 'At least 12 characters. A few unusual words together make a good one.' })}
<button type="submit">Set password</button>
</form>`,
    errors,
  );
}

/** A step that cannot go on (a link used up, too many attempts): what happened and where to go. */
export function stopPage(title: string, detail: string): string {
  return page(title, `<p>${escapeHtml(detail)}</p>\n<p><a href="/auth/sign-in">Go to the sign-in page</a></p>`);
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
