// Pieces shared by the ledger's end-to-end test and its bench: the articles, the JSONL
// import and opening the ledger view.

/** `n` short articles written here (never shared corpora): named people quoted in many
 * stories, anonymous officials, a person familiar with the plan, a council. */
export function articles(n) {
  const people = ['Maria Lopez', 'John Carter', 'Aiko Tanaka', 'Peter Novak', 'Fatima Hassan'];
  const places = ['Lisbon', 'Denver', 'Osaka', 'Prague', 'Cairo'];
  const lines = [];
  for (let i = 0; i < n; i++) {
    const who = people[i % people.length];
    const other = people[(i + 2) % people.length];
    const where = places[(i * 3) % places.length];
    let text = `${who} visited ${where} on Monday.\n\n` +
      `"We will build the new bridge by spring," ${who.split(' ')[1]} said.\n\n` +
      `Officials said the budget for ${where} would rise by ${i + 2} percent.\n\n`;
    if (i % 3 === 0) text += `A person familiar with the plan said the vote had been close.\n\n`;
    if (i % 4 === 1) text += `${other} told reporters that the bridge was "far too expensive".\n\n`;
    text += `The city council in ${where} approved budget number ${i + 1}.`;
    lines.push(JSON.stringify({ id: `story-${String(i + 1).padStart(2, '0')}`, title: `Story ${i + 1}: ${where}`, text }));
  }
  return lines.join('\n') + '\n';
}

/** Imports a JSONL text through the project panel's file input. */
export async function importJsonl(page, name, content) {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Import articles…' }).click(),
  ]);
  await chooser.setFiles({ name, mimeType: 'application/x-ndjson', buffer: Buffer.from(content) });
}

/** Opens the ledger with pending suggestions counted (freshly imported articles are all
 * suggestions) and waits for its table. */
export async function openLedger(page) {
  await page.locator('button.ledger-toggle').click();
  await page.locator('section.ledger .ledger-pending').waitFor();
  if (!(await page.locator('.ledger-pending').isChecked())) await page.locator('.ledger-pending').check();
  await page.waitForFunction(() => document.querySelectorAll('.ledger-table tbody tr').length > 0);
}

