// End-to-end: the setup wizard, signing out, and signing in with a password and with Plex.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, launchBrowser, openPage, startDemo } from '../support.mjs';

const heading = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor();

/** On the simulated plex.tv sign-in page: continue as the server owner. */
async function approveAsOwner(page) {
  await page.getByRole('heading', { name: 'Simulated Plex sign-in' }).waitFor();
  await page.getByRole('button', { name: 'Continue as demo-owner' }).click();
}

describe('first-run setup', () => {
  let demo;
  let browser;

  before(async () => {
    demo = await startDemo({ setup: true });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  test('the wizard creates the owner with Plex, connects the server and sets the app up', async () => {
    const { page, problems, context } = await openPage(browser);
    await page.goto(`${demo.url}/`);
    await page.waitForURL(`${demo.url}/setup`);
    await heading(page, 'Set up Plex User Manager');

    // Step 1: the owner, by signing in with Plex (approved on the simulated plex.tv).
    await page.getByRole('button', { name: 'Create it with my Plex account' }).click();
    await approveAsOwner(page);
    await page.waitForURL(/\/setup\?plex=owner/);

    // Step 2: the server, picked from the owner's Plex account and tested.
    await page.getByRole('heading', { name: 'Connect your Plex Media Server' }).waitFor({ timeout: 20_000 });
    await page.getByTestId('plex-servers').getByRole('button', { name: 'Connect' }).click();
    const connected = page.getByTestId('plex-connected');
    await connected.getByText('Connected to Demo Media Server').waitFor();
    await connected.getByText('Movies').waitFor();
    await page.getByTestId('wizard-next').click();

    // Step 3: app settings; a bad address is explained and nothing is lost.
    await page.getByLabel('Public address').fill('not a url');
    await page.getByTestId('wizard-finish').click();
    await page.getByText('must start with http:// or https://').waitFor();
    await page.getByLabel('Name').fill('Friends of Demo');
    await page.getByLabel('Public address').fill(demo.url);
    await page.getByTestId('wizard-finish').click();
    await heading(page, 'Dashboard');

    // Give the Plex-created owner a password, then sign out and back in with it.
    await page.getByTestId('account-link').click();
    await heading(page, 'My account');
    await page.getByTestId('plex-linked').waitFor();
    await page.getByLabel('New password').fill('owner password 2026');
    await page.getByRole('button', { name: 'Save password' }).click();
    await page.getByText('Password changed.').waitFor();

    await page.getByTestId('sign-out').click();
    await page.waitForURL(`${demo.url}/login`);
    await heading(page, 'Friends of Demo');
    await page.getByLabel('Username').fill('demo-owner');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('wrong username or password').waitFor();
    await page.getByLabel('Password').fill('owner password 2026');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading(page, 'Dashboard');

    // And out again, then in with Plex.
    await page.getByTestId('sign-out').click();
    await page.waitForURL(`${demo.url}/login`);
    await page.getByTestId('plex-sign-in').click();
    await approveAsOwner(page);
    await heading(page, 'Dashboard');
    await page.getByTestId('account-link').getByText('demo-owner').waitFor();

    // Setup is over: the wizard's owner step is refused by the server.
    const status = await page.evaluate(async () => (await fetch('/api/v1/setup')).json());
    assert.equal(status.owner_exists, true);
    // Refused API calls (the bad address, signed-out checks) are expected; nothing else is.
    assert.deepEqual(problems.filter((p) => !/status of 4\d\d/.test(p)), []);
    await context.close();
  });
});

describe('signing in to the demo', () => {
  let demo;
  let browser;

  before(async () => {
    demo = await startDemo();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  test('signed-out visitors land on the sign-in page, and the demo admin gets in', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(`${demo.url}/settings`);
    await page.waitForURL(`${demo.url}/login`);
    await page.getByTestId('demo-hint').waitFor();
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading(page, 'Dashboard');
    await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click();
    await heading(page, 'Settings');
    await page.getByTestId('settings-plex').getByText('Demo Media Server').first().waitFor();
    await context.close();
  });

  test('Plex sign-in is approved by the simulator on its own in the demo', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(`${demo.url}/login`);
    await page.getByTestId('plex-sign-in').click();
    await page.getByText('Signing you in as the server owner').waitFor();
    await heading(page, 'Dashboard');
    await context.close();
  });
});
