// Writes the `liaison` realm Keycloak imports at start: a confidential client for the gateway (authorization code
// with PKCE S256 only), TOTP required of every person (enrolled at first sign-in), brute-force protection, and the
// demo people of people.tsv, each with the agency and role Liaison maps them to. Secrets are never in the
// repository: the client secret and every demo password are generated on the first run, kept (mode 600) in
// .runtime/keycloak/secrets.json, and printed by `keycloak.sh status`.
//   node realm.mjs <secrets.json> <realm.json>
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const [secretsPath, realmPath] = process.argv.slice(2);
const here = new URL('.', import.meta.url).pathname;
const people = readFileSync(`${here}people.tsv`, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'))
  .map((line) => {
    const [username, email, firstName, lastName, agency, role] = line.split('\t');
    return { username, email, firstName, lastName, agency, role };
  });

const token = (bytes) => randomBytes(bytes).toString('base64url');
const secrets = existsSync(secretsPath)
  ? JSON.parse(readFileSync(secretsPath, 'utf8'))
  : { clientSecret: token(32), adminPassword: token(18), passwords: {} };
for (const person of people) secrets.passwords[person.username] ??= token(12);
writeFileSync(secretsPath, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });

const gatewayOrigins = (process.env.LIAISON_CONSOLE_ORIGINS ?? 'http://127.0.0.1:3000,http://localhost:3000')
  .split(',')
  .map((origin) => origin.trim())
  .filter(Boolean);

const realm = {
  realm: 'liaison',
  displayName: 'Liaison',
  enabled: true,
  sslRequired: 'external',
  registrationAllowed: false,
  resetPasswordAllowed: false,
  rememberMe: false,
  loginWithEmailAllowed: true,
  duplicateEmailsAllowed: false,
  bruteForceProtected: true,
  failureFactor: 5,
  maxFailureWaitSeconds: 900,
  waitIncrementSeconds: 60,
  otpPolicyType: 'totp',
  otpPolicyAlgorithm: 'HmacSHA1',
  otpPolicyDigits: 6,
  otpPolicyPeriod: 30,
  otpPolicyLookAheadWindow: 1,
  passwordPolicy: 'length(12) and notUsername and notEmail',
  // The agency and role are attributes only an admin sets; a person cannot edit them on the account page.
  components: {
    'org.keycloak.userprofile.UserProfileProvider': [
      {
        providerId: 'declarative-user-profile',
        subComponents: {},
        config: {
          'kc.user.profile.config': [
            JSON.stringify({
              unmanagedAttributePolicy: 'ADMIN_VIEW',
              attributes: [
                {
                  name: 'username',
                  displayName: '${username}',
                  permissions: { view: ['admin', 'user'], edit: ['admin'] },
                },
                {
                  name: 'email',
                  displayName: '${email}',
                  required: { roles: ['user'] },
                  permissions: { view: ['admin', 'user'], edit: ['admin'] },
                },
                {
                  name: 'firstName',
                  displayName: '${firstName}',
                  required: { roles: ['user'] },
                  permissions: { view: ['admin', 'user'], edit: ['admin', 'user'] },
                },
                {
                  name: 'lastName',
                  displayName: '${lastName}',
                  required: { roles: ['user'] },
                  permissions: { view: ['admin', 'user'], edit: ['admin', 'user'] },
                },
              ],
              groups: [],
            }),
          ],
        },
      },
    ],
  },
  // Sign-in asks for the password and then a one-time code. Each step names itself in the tokens' `amr` claim
  // (RFC 8176: pwd, otp) through the AMR mapper on the client, so Liaison can see a second factor was given; the
  // reference counts for the 12 hours a Liaison session may last at most.
  browserFlow: 'liaison browser',
  authenticationFlows: [
    {
      alias: 'liaison browser',
      description: 'A session cookie, or the password and then a one-time code',
      providerId: 'basic-flow',
      topLevel: true,
      builtIn: false,
      authenticationExecutions: [
        {
          authenticator: 'auth-cookie',
          requirement: 'ALTERNATIVE',
          priority: 10,
          authenticatorFlow: false,
          userSetupAllowed: false,
        },
        {
          flowAlias: 'liaison forms',
          requirement: 'ALTERNATIVE',
          priority: 20,
          authenticatorFlow: true,
          userSetupAllowed: false,
        },
      ],
    },
    {
      alias: 'liaison forms',
      description: 'The password, then a one-time code',
      providerId: 'basic-flow',
      topLevel: false,
      builtIn: false,
      authenticationExecutions: [
        {
          authenticator: 'auth-username-password-form',
          authenticatorConfig: 'liaison password reference',
          requirement: 'REQUIRED',
          priority: 10,
          authenticatorFlow: false,
          userSetupAllowed: false,
        },
        {
          authenticator: 'auth-otp-form',
          authenticatorConfig: 'liaison otp reference',
          requirement: 'REQUIRED',
          priority: 20,
          authenticatorFlow: false,
          userSetupAllowed: false,
        },
      ],
    },
  ],
  authenticatorConfig: [
    {
      alias: 'liaison password reference',
      config: { 'default.reference.value': 'pwd', 'default.reference.maxAge': '43200' },
    },
    {
      alias: 'liaison otp reference',
      config: { 'default.reference.value': 'otp', 'default.reference.maxAge': '43200' },
    },
  ],
  requiredActions: [
    {
      alias: 'CONFIGURE_TOTP',
      name: 'Configure OTP',
      providerId: 'CONFIGURE_TOTP',
      enabled: true,
      defaultAction: true,
      priority: 10,
      config: {},
    },
  ],
  clients: [
    {
      clientId: 'liaison-gateway',
      name: 'Liaison gateway',
      enabled: true,
      protocol: 'openid-connect',
      publicClient: false,
      clientAuthenticatorType: 'client-secret',
      secret: secrets.clientSecret,
      standardFlowEnabled: true,
      implicitFlowEnabled: false,
      directAccessGrantsEnabled: false,
      serviceAccountsEnabled: false,
      redirectUris: gatewayOrigins.map((origin) => `${origin}/auth/callback`),
      webOrigins: gatewayOrigins,
      attributes: {
        'pkce.code.challenge.method': 'S256',
        'post.logout.redirect.uris': gatewayOrigins.map((origin) => `${origin}/*`).join('##'),
      },
      protocolMappers: [
        {
          name: 'authentication methods',
          protocol: 'openid-connect',
          protocolMapper: 'oidc-amr-mapper',
          config: { 'id.token.claim': 'true', 'access.token.claim': 'true', 'introspection.token.claim': 'true' },
        },
        ...['agency', 'role'].map((name) => ({
          name: `liaison ${name}`,
          protocol: 'openid-connect',
          protocolMapper: 'oidc-usermodel-attribute-mapper',
          config: {
            'user.attribute': `liaison_${name}`,
            'claim.name': `liaison_${name}`,
            'jsonType.label': 'String',
            'id.token.claim': 'true',
            'access.token.claim': 'true',
            'userinfo.token.claim': 'true',
          },
        })),
      ],
    },
  ],
  users: people.map((person) => ({
    username: person.username,
    email: person.email,
    emailVerified: true,
    firstName: person.firstName,
    lastName: person.lastName,
    enabled: true,
    requiredActions: ['CONFIGURE_TOTP'],
    attributes: { liaison_agency: [person.agency], liaison_role: [person.role] },
    credentials: [{ type: 'password', value: secrets.passwords[person.username], temporary: false }],
  })),
};

writeFileSync(realmPath, `${JSON.stringify(realm, null, 2)}\n`, { mode: 0o600 });
