// Page object for the app shell and its pages: find (locators), act (user actions), check.
import assert from 'node:assert/strict';

export class Shell {
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
  }

  // --- find
  heading() { return this.page.getByRole('heading', { level: 1 }); }
  nav() { return this.page.getByRole('navigation'); }
  navLink(name) { return this.nav().getByRole('link', { name }); }
  themeToggle() { return this.page.getByTestId('theme-toggle'); }
  menuButton() { return this.page.getByRole('button', { name: 'Open navigation' }); }
  statusCards() { return this.page.getByTestId('status-cards'); }
  jobsTable() { return this.page.getByTestId('jobs-table'); }
  runsTable() { return this.page.getByTestId('runs-table'); }

  // --- act
  async open(path = '/') {
    await this.page.goto(`${this.baseUrl}${path}`);
    await this.heading().waitFor();
  }
  async goTo(linkName) { await this.navLink(linkName).click(); }
  async toggleTheme() { await this.themeToggle().click(); }
  async runJob(title) {
    const row = this.jobsTable().getByRole('row').filter({ hasText: title });
    await row.getByRole('button', { name: 'Run now' }).click();
  }

  // --- check
  async theme() { return this.page.locator('html').getAttribute('data-theme'); }
  async expectHeading(text) {
    await this.page.getByRole('heading', { level: 1, name: text }).waitFor();
  }
  async expectPath(path) {
    await this.page.waitForURL(`${this.baseUrl}${path}`);
    assert.equal(new URL(this.page.url()).pathname, path);
  }
}
