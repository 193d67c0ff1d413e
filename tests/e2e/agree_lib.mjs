// Shared by the agreement and adjudication end-to-end tests: the CLI they compare with, and
// the check that the "Agreement…" panel shows the figures `newsmark agree` prints.

import { access } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { assert, ROOT } from './lib.mjs';

/** The debug CLI (`cargo test` builds it), or $NEWSMARK_BIN; exits with a clear message when missing. */
export async function newsmarkBin(script) {
  const bin = process.env.NEWSMARK_BIN || path.join(process.env.CARGO_TARGET_DIR || path.join(ROOT, 'target'), 'debug/newsmark');
  await access(bin).catch(() => {
    console.error(`${script}: ${bin} is missing: run \`cargo build --bin newsmark\` first`);
    process.exit(1);
  });
  return bin;
}

/** `newsmark agree A B --format json`, parsed. */
export function agreeCli(bin, fa, fb) {
  return JSON.parse(execFileSync(bin, ['agree', fa, fb, '--format', 'json'], { encoding: 'utf8' }));
}

/** Picks A's and B's files in the open "Agreement…" panel and checks every figure against
 *  the CLI's; returns the number of entity rows compared. */
export async function checkAgreementPanel(page, fa, fb, cli) {
  await page.locator('input[data-side="A"]').setInputFiles(fa);
  await page.locator('input[data-side="B"]').setInputFiles(fb);
  return checkAgreementFigures(page, cli);
}

/** Checks every figure of the open "Agreement…" panel's result against the CLI's; returns
 *  the number of entity rows compared. */
export async function checkAgreementFigures(page, cli) {
  await page.locator('.agree-result').waitFor();
  const figure = async (label, which) =>
    (await page.locator(`.agree-table tr[data-label="${label}"] td[data-figure="${which}"]`).textContent()).trim();
  const want = [['all', cli.entities_exact.f, cli.entities_overlap.f]];
  for (const [label, v] of Object.entries(cli.per_label)) want.push([label, v.exact.f, v.overlap.f]);
  for (const [label, exact, overlap] of want) {
    assert(await figure(label, 'exact') === exact.toFixed(3), `${label} exact: app ${await figure(label, 'exact')}, CLI ${exact}`);
    assert(await figure(label, 'overlap') === overlap.toFixed(3), `${label} overlap: app ${await figure(label, 'overlap')}, CLI ${overlap}`);
  }
  const kappa = await page.locator('[data-figure="kappa"]').textContent();
  assert(kappa.includes(`κ ${cli.token_kappa.kappa.toFixed(3)}`), `kappa: app "${kappa}", CLI ${cli.token_kappa.kappa}`);
  for (const k of ['found', 'full']) {
    const t = await page.locator(`[data-figure="${k}"]`).textContent();
    assert(t.includes(`F1 ${cli['attributions_' + k].f.toFixed(3)}`), `attributions ${k}: app "${t}", CLI ${cli['attributions_' + k].f}`);
  }
  return want.length;
}
