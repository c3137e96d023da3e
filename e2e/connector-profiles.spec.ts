import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

/** A ticket export in a layout that no supported format describes, on a host name no other run has used. */
function ticketExport(): { host: string; text: string } {
  const host = `e2e-csv-${randomBytes(4).toString('hex')}.riskboard.test`;
  const text = [
    'Ticket;Server;Problem;Priority;CVE list;Opened',
    `T-1;${host};Outdated OpenSSH;Sev 4;CVE-2023-38408;01/03/2026`,
    `T-2;${host};Telnet enabled;Sev 9;;02/03/2026`,
    '',
  ].join('\n');
  return { host, text };
}

test('CSV profile maps columns and imports', async ({ page }) => {
  const { host, text } = ticketExport();
  const profileName = `E2E tickets ${randomBytes(3).toString('hex')}`;
  const file = { name: `${host}.csv`, mimeType: 'text/csv', buffer: Buffer.from(text) };
  await signIn(page);

  await page.goto('/imports');
  await page.getByRole('link', { name: 'Connector profiles' }).click();
  await expect(page.getByRole('heading', { name: 'Connector profiles', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'New profile' }).click();

  await page.getByLabel('Name', { exact: true }).fill(profileName);
  await page.getByLabel('Source name on findings').fill('E2E ticket export');
  await page.getByLabel('Date format').fill('DD/MM/YYYY');
  await page.getByLabel('Sample file').setInputFiles(file);

  await page.getByLabel('Field for column Server').selectOption('asset.fqdn');
  await page.getByLabel('Field for column Problem').selectOption('finding.title');
  await page.getByLabel('Field for column Priority').selectOption('finding.severity');
  await page.getByLabel('Field for column CVE list').selectOption('finding.cve');
  await page.getByLabel('Field for column Opened').selectOption('finding.firstSeen');

  // The server maps the sample: the unknown severities are reported per line and column.
  const preview = page.getByTestId('profile-preview');
  await expect(preview).toContainText('line 2, column Priority');
  await expect(preview).toContainText('"Sev 4"');
  await expect(preview).toContainText('line 3, column Priority');

  await page.getByLabel(/Severity map/).fill('Sev 4 = high\nSev 9 = critical');
  await expect(preview).not.toContainText('column Priority');
  await expect(preview).toContainText(host);
  await expect(preview).toContainText('4 (high)');
  await expect(preview).toContainText('5 (critical)');
  await expect(preview).toContainText('CVE-2023-38408');
  await expect(preview).toContainText('2026-03-01');

  await page.getByRole('button', { name: 'Create profile' }).click();
  await expect(page).toHaveURL(/\/imports\/connector-profiles$/);
  await expect(page.getByTestId('connector-profiles-table')).toContainText(profileName);

  await page.goto('/imports');
  await page.getByLabel('Connector profile').selectOption(profileName);
  await page.getByLabel('Report file').setInputFiles(file);
  await page.getByRole('button', { name: 'Upload and import' }).click();

  const summary = page.getByRole('main').getByRole('status');
  await expect(summary).toContainText(`Imported ${file.name} (E2E ticket export)`);
  await expect(summary).toContainText('1 asset created');
  await expect(summary).toContainText('2 new findings');
});
