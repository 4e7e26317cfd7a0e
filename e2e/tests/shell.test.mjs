// End-to-end: the SPA served by a real `pum demo`, driven in headless Chromium.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPage, signedInState, startDemo } from '../support.mjs';
import { Shell } from '../pages/shell.mjs';

describe('app shell', () => {
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

  test('the dashboard renders live status from the simulated Plex', async () => {
    const { page, problems, context } = await openPage(browser, { storageState });
    const shell = new Shell(page, demo.url);
    await shell.open('/');
    await shell.expectHeading('Dashboard');
    await shell.statusCards().getByText('Demo Media Server').waitFor();
    await shell.statusCards().getByText('SQLite').waitFor();
    await shell.statusCards().getByText('Demo · simulated Plex').waitFor();
    assert.equal(await page.title(), 'Dashboard · Plex User Manager');
    assert.deepEqual(problems, [], 'no console errors or CSP violations');
    await context.close();
  });

  test('navigation moves between pages, runs a job and survives reload and back', async () => {
    const { page, problems, context } = await openPage(browser, { storageState });
    const shell = new Shell(page, demo.url);
    await shell.open('/');
    await shell.goTo('Jobs');
    await shell.expectPath('/jobs');
    await shell.expectHeading('Jobs');
    assert.equal(await shell.navLink('Jobs').getAttribute('aria-current'), 'page');

    await shell.runJob('Prune expired sign-in sessions');
    await shell.runsTable().getByText('Manual').first().waitFor();
    await shell.runsTable().getByText('Succeeded').first().waitFor({ timeout: 30_000 });
    await shell.jobsTable().getByText('Succeeded').waitFor();

    await page.reload();
    await shell.expectHeading('Jobs');
    await page.goBack();
    await shell.expectPath('/');
    await shell.expectHeading('Dashboard');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('an unknown path shows the not-found page with a way back', async () => {
    const { page, context } = await openPage(browser, { storageState });
    const shell = new Shell(page, demo.url);
    await shell.open('/no/such/page');
    await shell.expectHeading('Page not found');
    await page.getByRole('link', { name: 'Back to the dashboard' }).click();
    await shell.expectPath('/');
    await context.close();
  });

  test('the theme follows the system, toggles, and is remembered', async () => {
    const { page, context } = await openPage(browser, { colorScheme: 'dark', storageState });
    const shell = new Shell(page, demo.url);
    await shell.open('/');
    assert.equal(await shell.theme(), 'dark');
    const darkBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);

    await shell.toggleTheme();
    assert.equal(await shell.theme(), 'light');
    const lightBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.notEqual(lightBackground, darkBackground);

    await page.reload();
    await shell.expectHeading('Dashboard');
    assert.equal(await shell.theme(), 'light', 'the choice survives a reload');
    await context.close();
  });

  test('on a phone the navigation is a drawer behind a menu button', async () => {
    const { page, context } = await openPage(browser, { viewport: { width: 390, height: 844 }, storageState });
    const shell = new Shell(page, demo.url);
    await shell.open('/');
    assert.equal(await shell.navLink('Jobs').isVisible(), false);
    await shell.menuButton().click();
    await shell.navLink('Jobs').waitFor({ state: 'visible' });
    await shell.goTo('Jobs');
    await shell.expectHeading('Jobs');
    await shell.navLink('Jobs').waitFor({ state: 'hidden' });
    await context.close();
  });

  test('the API docs work offline under the content security policy', async () => {
    const { page, problems, context } = await openPage(browser, { storageState });
    const requests = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`${demo.url}/api/docs/`);
    await page.getByText('Plex User Manager API').first().waitFor();
    assert.ok(requests.every((url) => url.startsWith(demo.url)), 'no request leaves the app');
    assert.deepEqual(problems.filter((p) => /Content Security Policy/i.test(p)), []);
    await context.close();
  });
});
