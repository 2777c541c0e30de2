// A real OpenID provider (oidc-provider) for the tests, in a process of its own (it is an ES module, which Jest
// cannot load). Its interaction step signs in whoever the test names, with the authentication methods the test
// names, so every answer a provider can give (no second factor, another person, another issuer) can be tried:
//   GET /interaction/<uid>?login=<sub>&amr=pwd,otp
// Started with its settings as JSON in OIDC_TEST_CONFIG: { clients: [...], accounts: { <sub>: { email, ... } } }.
// Prints its issuer URL on stdout when it listens.
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const settings = JSON.parse(process.env.OIDC_TEST_CONFIG ?? '{}');
const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: settings.clients ?? [],
  async findAccount(_ctx, sub) {
    const account = settings.accounts?.[sub];
    if (!account) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...account }) };
  },
  claims: {
    acr: null,
    amr: null,
    auth_time: null,
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false }, claimsParameter: { enabled: true } },
  cookies: { keys: ['liaison-test-provider-cookie-key'] },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
});
provider.proxy = false;

const callback = provider.callback();
server.on('request', async (req, res) => {
  const url = new URL(req.url, issuer);
  if (!url.pathname.startsWith('/interaction/')) return callback(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    const login = url.searchParams.get('login');
    const amr = (url.searchParams.get('amr') ?? '').split(',').filter(Boolean);
    const acr = url.searchParams.get('acr') ?? undefined;
    const grant = new provider.Grant({ accountId: login, clientId: details.params.client_id });
    grant.addOIDCScope('openid email profile');
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: login, amr, ...(acr ? { acr } : {}) }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  } catch (error) {
    res.statusCode = 500;
    res.end(String(error));
  }
});

process.stdout.write(`${issuer}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
