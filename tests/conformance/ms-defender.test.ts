import path from 'node:path';
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { technologies } from '../../db/schema';
import { defenderMachineName, defenderSeverityOf, expectDefender, readDefenderZip } from './cloud-expectations';
import { assetNamed, describeReport, describeWithScans, findingsOnAsset, SCANS_DIR } from './conformance-suite';

describeWithScans('Microsoft Defender for Endpoint conformance', () => {
  // defender_error_handling.zip writes its machine's ipAddresses the way PowerShell's
  // ConvertTo-Json flattens nested objects ("@{ipAddress=…; macAddress=…}"). The export is
  // otherwise sound, so it is imported: the strings are read as interfaces and kept in raw.
  for (const file of ['ms_defender/defender.zip', 'ms_defender/defender_error_handling.zip']) {
    const fullPath = path.join(SCANS_DIR, file);
    describeReport({
      file,
      format: 'ms-defender',
      expectation: () => expectDefender(fullPath),
      spotChecks: (report) => {
        it('maps machines to hosts with their Defender id and the worst vulnerability', async () => {
          const { db } = report();
          const { machines, vulnerabilities } = readDefenderZip(fullPath);
          for (const machine of machines) {
            const asset = await assetNamed(db, defenderMachineName(machine));
            expect(asset?.kind).toBe('host');
            expect(asset?.agentId).toBe(machine.id);
            if (machine.computerDnsName?.includes('.')) expect(asset?.fqdn).toBe(machine.computerDnsName.toLowerCase());
          }

          const [worst] = [...vulnerabilities].sort((a, b) => defenderSeverityOf(b) - defenderSeverityOf(a));
          if (!worst) throw new Error(`${file} lists no vulnerabilities`);
          const machine = machines.find((candidate) => candidate.id === worst.machineId);
          const stored = await findingsOnAsset(db, machine ? defenderMachineName(machine) : worst.machineId);
          const finding = stored.find((row) => row.cveId === worst.cveId);
          expect(finding?.type).toBe('vulnerability');
          expect(finding?.severity).toBe(defenderSeverityOf(worst));
          expect(finding?.sources).toEqual(['Microsoft Defender for Endpoint']);
          expect(finding?.fixedVersion ?? undefined).toBe(worst.fixingKbId ? `KB${worst.fixingKbId}` : undefined);
          const [technology] = await db.select().from(technologies).where(eq(technologies.id, finding?.technologyId ?? -1));
          expect(technology?.product).toBe(worst.productName);
          expect(technology?.version).toBe(worst.productVersion);
        });
      },
    });
  }
});
