/**
 * Shows an ISO timestamp as `YYYY-MM-DD HH:MM UTC`, with the full value in the tooltip. The
 * output is the same on the server and in every browser, so it never causes a hydration mismatch.
 */
export function DateTime({ iso }: { iso: string | null }) {
  if (!iso) return <span className="text-tremor-content-subtle">—</span>;
  return (
    <time dateTime={iso} title={iso} className="whitespace-nowrap tabular-nums">
      {`${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`}
    </time>
  );
}
