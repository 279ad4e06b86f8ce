// A school's identity provider for the test suite: oidc-provider, a certified OpenID Connect
// implementation, on 127.0.0.1. Discovery, PKCE (S256, required), signed ID tokens, and its
// development login form, where any name signs in: the name typed is the account, and an
// email-shaped name is that account's verified email address.
//
//   node provider.mjs '{"port": 4010, "clients": [{"client_id": "...", "client_secret": "...",
//                      "redirect_uris": ["http://127.0.0.1:5000/sign-in/callback"]}]}'
//
// Prints "ready <issuer>" once it listens.

import Provider from "oidc-provider";

const settings = JSON.parse(process.argv[2] || "{}");
const issuer = `http://127.0.0.1:${settings.port}`;

const provider = new Provider(issuer, {
  clients: settings.clients.map((client) => ({
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
    ...client,
  })),
  pkce: { required: () => true },
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  scopes: ["openid", "email", "profile"],
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ["a test provider's cookie key, not a secret"] },
  async findAccount(ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return sub.includes("@") ? { sub, email: sub, email_verified: true, name: sub } : { sub, name: sub };
      },
    };
  },
  // A school's own application needs no consent screen: the grant is made on first sign-in.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope("openid email profile");
    grant.addOIDCClaims(["email", "email_verified", "name"]);
    await grant.save();
    return grant;
  },
});

provider.listen(settings.port, "127.0.0.1", () => {
  console.log(`ready ${issuer}`);
});
