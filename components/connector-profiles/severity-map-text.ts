import { SEVERITY_NAMES, type SeverityName } from '@/lib/connector-profiles/profile-schema';

/** Parses `value = severity` lines into a severity map, collecting a message per invalid line. */
export function parseSeverityMap(text: string): { map: Record<string, SeverityName>; errors: string[] } {
  const map: Record<string, SeverityName> = {};
  const errors: string[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const separator = line.lastIndexOf('=');
    const value = separator === -1 ? '' : line.slice(0, separator).trim();
    const severity = separator === -1 ? '' : line.slice(separator + 1).trim().toLowerCase();
    if (!value || !(severity in SEVERITY_NAMES)) {
      errors.push(`Line ${index + 1} must read "value = ${Object.keys(SEVERITY_NAMES).join(' | ')}".`);
      return;
    }
    map[value] = severity as SeverityName;
  });
  return { map, errors };
}

export function formatSeverityMap(map: Record<string, SeverityName>): string {
  return Object.entries(map)
    .map(([value, severity]) => `${value} = ${severity}`)
    .join('\n');
}
