// Page objects for /invites (admin) and /i/:code (the public invite page), and a Discord
// OAuth stand-in for the harness.
import { createServer } from 'node:http';

export class InvitesPage {
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
  }

  async open() { await this.page.goto(`${this.baseUrl}/invites`); }
  async startNew() { await this.page.getByRole('button', { name: 'New invite' }).click(); }
  form() { return this.page.getByTestId('invite-form'); }
  async library(title) { await this.form().getByRole('checkbox', { name: title, exact: true }).check(); }
  async membershipDays(days) { await this.form().getByLabel('Membership (days)').fill(String(days)); }
  async discord(rule) { await this.form().getByLabel('Discord linking').selectOption(rule); }
  async create() { await this.form().getByRole('button', { name: 'Create invite' }).click(); }
  /** The link shown once the invite is created. */
  async createdUrl() {
    const link = this.page.getByTestId('new-invite').getByTestId('invite-url');
    await link.waitFor();
    return link.textContent();
  }
}

export class RedeemPage {
  constructor(page) { this.page = page; }

  async signInWithPlex(username) {
    await this.page.getByRole('button', { name: 'Sign in with Plex' }).click();
    await this.page.getByRole('heading', { name: 'Simulated Plex sign-in' }).waitFor();
    await this.page.getByRole('button', { name: `Continue as ${username}` }).click();
  }
  signedInAs(username) { return this.page.getByText(`Signed in as ${username}`); }
  async linkDiscord() { await this.page.getByRole('button', { name: 'Link Discord' }).click(); }
  discordAccount() { return this.page.getByTestId('discord-account'); }
  async accept() { await this.page.getByRole('button', { name: 'Accept invite' }).click(); }
  success() { return this.page.getByRole('heading', { name: "You're in!" }); }
}

/** Creates a plex.tv account on the simulator; returns its id. */
export async function newPlexAccount(plexTv, username) {
  const response = await fetch(`${plexTv}/__sim/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username }),
  });
  if (!response.ok) throw new Error(`cannot create ${username}: ${response.status}`);
  return (await response.json()).id;
}

/**
 * A Discord stand-in: the authorize page approves at once and sends the browser back with a
 * code; the token, `/users/@me` and guild-member endpoints answer as Discord does.
 */
export async function startDiscordStandIn({ id = '80351110224678912', username = 'nelly', globalName = 'Nelly' } = {}) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://stand-in');
    const json = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/oauth2/authorize') {
      const back = new URL(url.searchParams.get('redirect_uri'));
      back.searchParams.set('code', 'e2e-code');
      back.searchParams.set('state', url.searchParams.get('state'));
      res.writeHead(302, { location: back.toString() });
      res.end();
    } else if (req.method === 'POST' && url.pathname === '/api/oauth2/token') {
      req.resume();
      req.on('end', () => json(200, { access_token: 'e2e-access', token_type: 'Bearer', expires_in: 600, scope: 'identify' }));
    } else if (req.method === 'GET' && url.pathname === '/api/v10/users/@me') {
      json(200, { id, username, global_name: globalName });
    } else if (req.method === 'GET' && url.pathname.startsWith('/api/v10/guilds/')) {
      json(200, {});
    } else {
      json(404, { message: 'Unknown' });
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stop: () => new Promise((done) => server.close(done)),
  };
}
