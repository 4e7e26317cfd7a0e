// End-to-end: users against the simulated Plex. Every change is checked on "Plex" too.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPage, signedInState, startDemo } from '../support.mjs';
import { UsersPage, onPlex } from '../pages/users.mjs';

// Demo accounts (crates/plex-sim/src/world.rs): friends are 2000001 (alice) upwards.
const ALICE = 2000001;
const BOB = 2000002;
const CAROL = 2000003;
const DAVE = 2000004;
// plex.tv ids of the demo server's "Music" and "Photos" libraries.
const MUSIC = 118181363;
const PHOTOS = 118181364;

describe('users', () => {
  let demo;
  let browser;
  let storageState;

  before(async () => {
    demo = await startDemo();
    browser = await launchBrowser();
    storageState = await signedInState(browser, demo.url);
  });

  after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  test('sync, search and change a user\'s libraries on Plex', async () => {
    const { page, problems, context } = await openPage(browser, { storageState });
    const users = new UsersPage(page, demo.url);
    await users.open();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    // The demo syncs once at start; wait for it, then sync by hand.
    await users.syncStatus().getByText('synced').waitFor({ timeout: 30_000 });
    await users.syncNow();
    await users.syncStatus().getByText('0 added, 0 updated, 0 marked gone, 26 unchanged.').waitFor({ timeout: 30_000 });
    await page.getByText('26 users').waitFor();

    await users.search('alic');
    await page.getByText('1 users').waitFor();
    assert.equal(await users.rows().count(), 1);
    await users.openUser('alice');
    await page.getByRole('heading', { level: 1, name: 'alice' }).waitFor();

    await users.setOnlyLibraries(['Music', 'Photos']);
    await users.events().getByText('users.update').first().waitFor();
    const { share } = await onPlex(demo.plexTv, ALICE);
    assert.deepEqual([...share.section_ids].sort(), [MUSIC, PHOTOS]);
    assert.equal(share.all_libraries, false);
    assert.deepEqual(problems, [], 'no console errors or CSP violations');
    await context.close();
  });

  test('a mass action runs with progress and changes every selected user on Plex', async () => {
    const { page, problems, context } = await openPage(browser, { storageState });
    const users = new UsersPage(page, demo.url);
    await users.open();
    await users.table().waitFor();
    await users.select('bob');
    await users.select('carol');
    await page.getByRole('heading', { name: '2 selected' }).waitFor();
    await users.chooseAction('allow_downloads');
    await users.apply();
    await users.batchProgress().getByText('Allow downloads').waitFor();
    await users.batchProgress().getByText('2 of 2 users done (100 %), 0 failed').waitFor({ timeout: 30_000 });
    for (const id of [BOB, CAROL]) {
      const { share } = await onPlex(demo.plexTv, id);
      assert.equal(share.allow_sync, true, `account ${id}`);
    }
    // The list shows the new state once the action has finished.
    await users.table().getByRole('row').filter({ hasText: 'bob' }).getByText('downloads').waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('removing a user asks first, then revokes on Plex and deletes here', async () => {
    const { page, problems, context } = await openPage(browser, { storageState });
    const users = new UsersPage(page, demo.url);
    await users.open();
    await users.search('dave');
    await users.openUser('dave');
    await page.getByRole('heading', { level: 1, name: 'dave' }).waitFor();
    await users.remove();
    await page.waitForURL(`${demo.url}/users`);
    const dave = await onPlex(demo.plexTv, DAVE);
    assert.equal(dave.friend, false);
    assert.equal(dave.share, null);
    await users.search('dave');
    await page.getByText('No users match').waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  });
});
