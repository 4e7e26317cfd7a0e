// Page object for /users and /users/:id.
export class UsersPage {
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
  }

  // --- act
  async open(path = '/users') { await this.page.goto(`${this.baseUrl}${path}`); }
  async syncNow() { await this.page.getByRole('button', { name: 'Sync now' }).click(); }
  async search(text) { await this.page.getByRole('searchbox', { name: 'Search users' }).fill(text); }
  async openUser(name) { await this.table().getByRole('link', { name, exact: true }).click(); }
  async select(name) { await this.page.getByRole('checkbox', { name: `Select ${name}`, exact: true }).check(); }
  async chooseAction(value) { await this.page.locator('select[name=action]').selectOption(value); }
  async apply() { await this.page.getByRole('button', { name: 'Apply' }).click(); }
  async setOnlyLibraries(titles) {
    const form = this.page.getByTestId('access-form');
    await form.getByRole('button', { name: 'None' }).click();
    for (const title of titles) {
      await form.getByRole('checkbox', { name: title, exact: true }).check();
    }
    await form.getByRole('button', { name: 'Save' }).click();
  }
  async remove() {
    await this.page.getByRole('button', { name: 'Remove user…' }).click();
    await this.page.getByRole('alertdialog', { name: 'Confirm removal' }).getByRole('button', { name: 'Yes, remove' }).click();
  }

  // --- find
  table() { return this.page.getByTestId('users-table'); }
  rows() { return this.page.getByTestId('user-row'); }
  syncStatus() { return this.page.getByTestId('sync-status'); }
  batchProgress() { return this.page.getByTestId('batch-progress'); }
  events() { return this.page.getByTestId('user-events'); }
}

/** What the simulated plex.tv holds for account `id`: `{ friend, share }`. */
export async function onPlex(plexTv, id) {
  const response = await fetch(`${plexTv}/__sim/accounts/${id}`);
  return response.json();
}
