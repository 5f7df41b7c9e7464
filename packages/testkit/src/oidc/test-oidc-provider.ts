import { createHash, createPrivateKey, generateKeyPairSync, sign, type JsonWebKey } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** A person the test provider knows: `sub` is the account id; claims are what it says about them. */
export type TestAccountClaims = Record<string, unknown>;

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Registers (or replaces) a person who can sign in as `accountId`. */
  addAccount(accountId: string, claims: TestAccountClaims): void;
  /** The `amr` the next logins report (RFC 8176 values). */
  setAmr(amr: string[] | null): void;
  /** Rewrites the claims of the next ID token the token endpoint sends, re-signed with the provider's own key. */
  tamperNextIdToken(change: (payload: Record<string, unknown>) => Record<string, unknown>): void;
  /**
   * Plays the browser at the provider: follows `authorizationUrl`, signs in as `accountId` on
   * the interaction page, and returns the URL the provider redirects back to (not followed).
   */
  signIn(authorizationUrl: string, accountId: string): Promise<URL>;
  close(): Promise<void>;
}

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

/**
 * A real OpenID provider (the `oidc-provider` package) on a loopback port, with one
 * confidential client, PKCE, and a login page of its own that a test or Playwright fills in.
 */
export async function startTestOidcProvider(options: {
  redirectUris: string[];
  clientId?: string;
  /** Serve https with this certificate and key (PEM) instead of plain http. */
  tls?: { cert: string; key: string };
}): Promise<TestOidcProvider> {
  const accounts = new Map<string, TestAccountClaims>();
  let amr: string[] | null = ['pwd'];
  let tamper: ((payload: Record<string, unknown>) => Record<string, unknown>) | null = null;
  const clientId = options.clientId ?? 'passman';
  const clientSecret = base64url(createHash('sha256').update(String(Math.random())).digest());
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...(privateKey.export({ format: 'jwk' }) as JsonWebKey), kid: 'test-key-1', alg: 'RS256', use: 'sig' };

  const server = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }) : createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const issuer = `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk as never] },
    cookies: { keys: ['passman-test-provider-cookie-key'] },
    claims: {
      // amr rides with the openid scope so every ID token says how the person signed in.
      openid: ['sub', 'amr'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
      groups: ['groups', 'roles'],
    },
    scopes: ['openid', 'profile', 'email', 'groups'],
    features: { devInteractions: { enabled: false } },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, id) => {
      const claims = accounts.get(id);
      if (!claims) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...claims }) };
    },
  });
  const callback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined) {
    if (req.method === 'GET' && !action) {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(
        `<!doctype html><title>Test provider: sign in</title><h1>Test provider</h1>` +
          `<form method="post" action="/interaction/${uid}/login"><label>Username <input name="login" autofocus></label>` +
          `<button type="submit">Sign in</button></form>`,
      );
      return;
    }
    if (req.method === 'POST' && action === 'login') {
      let body = '';
      for await (const chunk of req) body += String(chunk);
      const login = new URLSearchParams(body).get('login') ?? '';
      const details = await provider.interactionDetails(req, res);
      if (!accounts.has(login)) {
        await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'unknown user' }, { mergeWithLastSubmission: false });
        return;
      }
      const grant = new provider.Grant({ accountId: login, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: login, ...(amr ? { amr } : {}) }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    res.statusCode = 404;
    res.end();
  }

  function tamperTokenResponse(res: ServerResponse) {
    const change = tamper;
    tamper = null;
    const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
    res.end = ((chunk?: unknown) => {
      if (chunk === undefined || chunk === null || res.statusCode !== 200) return end(chunk);
      const body = JSON.parse(String(chunk)) as { id_token?: string };
      if (body.id_token && change) {
        const [header, payload] = body.id_token.split('.');
        const claims = change(JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>);
        const signingInput = `${header}.${base64url(JSON.stringify(claims))}`;
        body.id_token = `${signingInput}.${base64url(sign('sha256', Buffer.from(signingInput), createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' })))}`;
      }
      const text = JSON.stringify(body);
      if (!res.headersSent) res.setHeader('Content-Length', Buffer.byteLength(text));
      return end(text);
    }) as typeof res.end;
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const match = /^\/interaction\/([^/]+)(?:\/([a-z]+))?$/.exec(path);
    if (match) {
      interaction(req, res, match[1]!, match[2]).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
      return;
    }
    if (path === '/token' && req.method === 'POST' && tamper) tamperTokenResponse(res);
    void callback(req, res);
  });

  /** One request as a browser would send it (trusting the provider's own certificate), redirects not followed. */
  function send(url: URL, method: string, headers: Record<string, string>, body: string | null) {
    return new Promise<{ status: number; location: string | null; cookies: string[]; text: string }>((resolve, reject) => {
      const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
        url,
        { method, headers, ...(options.tls ? { ca: options.tls.cert } : {}) },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location ?? null, cookies: res.headers['set-cookie'] ?? [], text }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body ?? undefined);
    });
  }

  async function signIn(authorizationUrl: string, accountId: string): Promise<URL> {
    const jar = new Map<string, string>();
    const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const keep = (response: { cookies: string[] }) => {
      for (const line of response.cookies) {
        const [pair] = line.split(';');
        const at = pair!.indexOf('=');
        jar.set(pair!.slice(0, at), pair!.slice(at + 1));
      }
    };
    let url = new URL(authorizationUrl);
    let post: string | null = null;
    for (let hop = 0; hop < 10; hop++) {
      if (!url.href.startsWith(issuer)) return url;
      const response = await send(
        url,
        post === null ? 'GET' : 'POST',
        { cookie: cookieHeader(), ...(post === null ? {} : { 'content-type': 'application/x-www-form-urlencoded' }) },
        post,
      );
      keep(response);
      post = null;
      if (response.location) {
        url = new URL(response.location, url);
        continue;
      }
      const page = response.text;
      const form = /action="([^"]+)"/.exec(page);
      if (!form || response.status !== 200) throw new Error(`the test provider answered ${response.status}: ${page.slice(0, 300)}`);
      url = new URL(form[1]!, url);
      post = new URLSearchParams({ login: accountId }).toString();
    }
    throw new Error('too many redirects at the test provider');
  }

  return {
    issuer,
    clientId,
    clientSecret,
    addAccount: (accountId, claims) => accounts.set(accountId, claims),
    setAmr: (value) => {
      amr = value;
    },
    tamperNextIdToken: (change) => {
      tamper = change;
    },
    signIn,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
