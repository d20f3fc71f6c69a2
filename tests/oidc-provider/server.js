// A real OpenID provider (the certified oidc-provider) on loopback, for Régie's single sign-on
// tests, answering with the claims Entra ID puts in its ID tokens (oid, tid,
// preferred_username, name, email, groups, roles, amr).
//
//   PORT=9999 REDIRECT_URI=http://localhost:8000/oidc/callback/ CLIENT_SECRET=… \
//   ACCOUNTS_FILE=accounts.json node server.js
//
// ACCOUNTS_FILE maps a username to its claims, plus "amr" (the methods the sign-in counts as
// used); it is read again at every sign-in, so a test can change a user's groups between two.
// The sign-in page asks for a username only (no password: a test provider) and has a
// "Refuse" button that answers access_denied, like a user cancelling at Microsoft's page.

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const accountsFile = process.env.ACCOUNTS_FILE;

function accounts() {
  return JSON.parse(readFileSync(accountsFile, 'utf8'));
}

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID || 'regie',
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: [process.env.REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  pkce: { required: () => true },
  // Like Entra ID, the ID token itself carries the profile claims and the groups.
  conformIdTokenClaims: false,
  claims: {
    openid: ['sub', 'amr'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username', 'oid', 'tid', 'groups', 'roles'],
    email: ['email'],
  },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['regie-test-provider-cookie-key'] },
  async findAccount(ctx, sub) {
    const entry = Object.entries(accounts()).find(([, claims]) => claims.sub === sub);
    if (!entry) return undefined;
    const [, claims] = entry;
    return {
      accountId: sub,
      async claims() {
        const { amr, ...rest } = claims;
        return rest;
      },
    };
  },
  // Régie is a first-party application: no consent page (as with an admin-consented app).
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid profile email');
    await grant.save();
    return grant;
  },
});

function page(res, uid, message) {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Test provider</title></head>
<body><h1>Test provider</h1>${message ? `<p role="alert">${message}</p>` : ''}
<form method="post" action="/interaction/${uid}">
<label>Username <input name="username" autofocus></label>
<button type="submit" name="action" value="login">Sign in</button>
<button type="submit" name="action" value="refuse">Refuse</button>
</form></body></html>`);
}

async function interaction(req, res) {
  const uid = req.url.split('/')[2].split('?')[0];
  if (req.method === 'GET') {
    await provider.interactionDetails(req, res);
    page(res, uid);
    return;
  }
  let body = '';
  for await (const chunk of req) body += chunk;
  const form = new URLSearchParams(body);
  if (form.get('action') === 'refuse') {
    await provider.interactionFinished(req, res, {
      error: 'access_denied',
      error_description: 'The user refused the sign-in',
    }, { mergeWithLastSubmission: false });
    return;
  }
  const claims = accounts()[form.get('username')];
  if (!claims) {
    page(res, uid, 'Unknown user');
    return;
  }
  await provider.interactionFinished(req, res, {
    login: { accountId: claims.sub, amr: claims.amr || ['pwd'] },
  }, { mergeWithLastSubmission: false });
}

const callback = provider.callback();
createServer((req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((error) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
    return;
  }
  callback(req, res);
}).listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
