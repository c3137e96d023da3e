/**
 * Formats a finding's port as `443/tcp`. No port and port 0 both show as a dash, because Nessus
 * reports host-level findings (an unsupported OS, a missing patch) on port 0.
 */
export function formatPort(port: number | null, protocol: string | null): string {
  if (port === null || port === 0) return '—';
  return protocol ? `${port}/${protocol}` : String(port);
}
