// End-to-end: an admin makes an invite; a stranger redeems it in a fresh browser (Plex sign-in
// on the simulated plex.tv, Discord through a stand-in) and ends up with an accepted share.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPage, signedInState, startDemo } from '../support.mjs';
import { onPlex } from '../pages/users.mjs';
import { InvitesPage, RedeemPage, newPlexAccount, startDiscordStandIn } from '../pages/invites.mjs';

// plex.tv id of the demo server's "Movies" library.
const MOVIES = 118181361;

describe('invites', () => {
  let demo;
  let discord;
  let browser;
  let storageState;

  before(async () => {
    discord = await startDiscordStandIn();
    demo = await startDemo({ env: { PUM_DISCORD_URL: discord.url } });
    browser = await launchBrowser();
    storageState = await signedInState(browser, demo.url);
  });

  after(async () => {
    await browser?.close();
    await demo?.stop();
    await discord?.stop();
  });

  test('a stranger redeems an invite with Plex and Discord and gets an accepted share', async () => {
    const admin = await openPage(browser, { storageState });
    const api = admin.page.request;
    const discordSettings = await api.patch(`${demo.url}/api/v1/settings/discord`, {
      headers: { origin: demo.url },
      data: { client_id: '123456789012345678', client_secret: 'e2e-client-secret', linking: 'optional' },
    });
    assert.equal(discordSettings.status(), 200, await discordSettings.text());

    // The admin makes the invite in the SPA (the demo syncs its libraries at start).
    const invites = new InvitesPage(admin.page, demo.url);
    await invites.open();
    await admin.page.getByRole('heading', { level: 1, name: 'Invites' }).waitFor();
    await invites.startNew();
    await invites.library('Movies');
    await invites.membershipDays(30);
    await invites.discord('required');
    await invites.create();
    const link = (await invites.createdUrl()).trim();
    assert.match(link, /\/i\/[A-Za-z0-9_-]{22}$/);

    // A stranger, in a browser of their own.
    const account = await newPlexAccount(demo.plexTv, 'newcomer');
    const stranger = await openPage(browser);
    const redeem = new RedeemPage(stranger.page);
    await stranger.page.goto(link);
    await stranger.page.getByText('Movies').first().waitFor();
    await redeem.signInWithPlex('newcomer');
    await redeem.signedInAs('newcomer').waitFor({ timeout: 20_000 });
    await redeem.linkDiscord();
    await redeem.discordAccount().getByText('Nelly').waitFor({ timeout: 20_000 });
    await redeem.accept();
    await redeem.success().waitFor({ timeout: 20_000 });
    // The avatar lives on the real plex.tv, which the test machine cannot reach.
    const offline = /ERR_NAME_NOT_RESOLVED/;
    assert.deepEqual(stranger.problems.filter((p) => !offline.test(p)), [], 'no console errors on the invite page');

    // Plex shares Movies with them, accepted; pum lists them with the invite's expiry.
    const { share } = await onPlex(demo.plexTv, account);
    assert.equal(share.pending, false);
    assert.deepEqual(share.section_ids, [MOVIES]);
    await admin.page.goto(`${demo.url}/users`);
    await admin.page.getByRole('searchbox', { name: 'Search users' }).fill('newcomer');
    await admin.page.getByTestId('users-table').getByRole('link', { name: 'newcomer', exact: true }).click();
    await admin.page.getByRole('heading', { level: 1, name: 'newcomer' }).waitFor();
    const found = await (await api.get(`${demo.url}/api/v1/users?q=newcomer`)).json();
    const user = found.users[0];
    assert.deepEqual(user.library_ids, [MOVIES]);
    assert.equal(user.has_discord, true);
    const days = (Date.parse(user.expires_at) - Date.now()) / 86_400_000;
    assert.ok(days > 29 && days <= 30, `membership ends in ${days} days`);

    // The usage history names them.
    await invites.open();
    await admin.page.getByTestId('invite-row').first().getByRole('link').first().click();
    await admin.page.getByText('newcomer').first().waitFor();
    assert.deepEqual(admin.problems, [], 'no console errors in the admin pages');
    await stranger.context.close();
    await admin.context.close();
  });
});
