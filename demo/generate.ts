// Writes the demo estate that Riskboard imports into an empty database. Files written:
//   demo/reports/demo-estate.nessus       Nessus v2 scan of the fictitious Harbourline Freight
//   demo/reports/demo-images.trivy.json   Trivy scan of its shipment-api container image
//   demo/reports/demo-web.trivy.json      Trivy scan of its storefront container image
// The output is deterministic, so the same generator code gives byte-identical files.
// Usage: npx tsx demo/generate.ts

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkCatalog, pluginSeverity } from './generator/catalog';
import { buildEstate } from './generator/estate';
import { SCAN_START, SCAN_TARGETS } from './generator/hosts';
import { writeNessusFile } from './generator/nessus-writer';
import { SeededRandom } from './generator/random';
import { DEMO_IMAGES, buildTrivyReport, checkImages } from './generator/trivy';

const DEMO_SEED = 20261123;
const REPORTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'reports');

/** Trivy file of each demo image, in the order of DEMO_IMAGES. */
const TRIVY_FILES = ['demo-images.trivy.json', 'demo-web.trivy.json'];

async function main(): Promise<void> {
  checkCatalog();
  checkImages();
  await mkdir(REPORTS_DIR, { recursive: true });

  const random = new SeededRandom(DEMO_SEED);
  const estate = buildEstate(random);
  const nessusPath = join(REPORTS_DIR, 'demo-estate.nessus');
  const nessusBytes = await writeNessusFile(
    nessusPath,
    { policyName: 'Harbourline Weekly Infrastructure Scan', reportName: 'Harbourline weekly infrastructure scan', scanStart: SCAN_START, targets: SCAN_TARGETS },
    estate,
  );

  const items = estate.flatMap((record) => record.items);
  const bySeverity = [0, 0, 0, 0, 0];
  for (const item of items) {
    const severity = pluginSeverity(item.plugin);
    bySeverity[severity] = (bySeverity[severity] ?? 0) + 1;
  }
  const itemCounts = estate.map((record) => record.items.length);
  console.log(
    `${nessusPath}: ${estate.length} hosts, ${items.length} report items ` +
      `(${itemCounts.length ? Math.min(...itemCounts) : 0}–${itemCounts.length ? Math.max(...itemCounts) : 0} per host; ` +
      `critical ${bySeverity[4]}, high ${bySeverity[3]}, medium ${bySeverity[2]}, low ${bySeverity[1]}, info ${bySeverity[0]}), ${nessusBytes} bytes`,
  );

  // The images were scanned three hours before the infrastructure scan.
  const imageScanTime = new Date(SCAN_START.getTime() - 3 * 3600 * 1000);
  for (const [index, image] of DEMO_IMAGES.entries()) {
    const fileName = TRIVY_FILES[index];
    if (!fileName) throw new Error(`no output file name for demo image ${image.name}`);
    const report = buildTrivyReport(image, imageScanTime, random);
    const path = join(REPORTS_DIR, fileName);
    const text = `${JSON.stringify(report, null, 2)}\n`;
    await writeFile(path, text, 'utf8');
    const findings = image.results.reduce((sum, result) => sum + result.vulnerabilities.length, 0);
    console.log(`${path}: ${image.name}, ${findings} vulnerabilities, ${Buffer.byteLength(text)} bytes`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
