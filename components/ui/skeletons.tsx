const BLOCK = 'rounded-tremor-small bg-tremor-background-subtle';

/** Placeholder of a page heading while the page loads. */
export function HeadingSkeleton() {
  return <div className={`mb-6 h-8 w-44 ${BLOCK}`} />;
}

/**
 * Placeholder of a list page's table: a card with a header row and `rows` rows whose first
 * column is wide and two lines high, as the findings and assets tables are.
 */
export function TableSkeleton({ columns, rows = 10 }: { columns: number; rows?: number }) {
  const narrow = Array.from({ length: Math.max(0, columns - 1) }, (_, index) => index);
  return (
    <div className="rounded-tremor-default border border-tremor-border bg-white p-6 shadow-tremor-card">
      <div className="flex gap-6 border-b border-tremor-border pb-4">
        <div className={`h-4 flex-[3] ${BLOCK}`} />
        {narrow.map((index) => (
          <div key={index} className={`h-4 flex-1 ${BLOCK}`} />
        ))}
      </div>
      {Array.from({ length: rows }, (_, row) => (
        <div key={row} className="flex items-center gap-6 border-b border-tremor-border py-4 last:border-b-0">
          <div className="flex-[3] space-y-2">
            <div className={`h-4 ${row % 3 === 0 ? 'w-4/5' : 'w-3/5'} ${BLOCK}`} />
            <div className={`h-3 w-1/4 ${BLOCK}`} />
          </div>
          {narrow.map((index) => (
            <div key={index} className={`h-4 flex-1 ${BLOCK}`} />
          ))}
        </div>
      ))}
    </div>
  );
}

/** Placeholder of a card with a title and a body of the given height class. */
export function CardSkeleton({ bodyClassName, className = '' }: { bodyClassName: string; className?: string }) {
  return (
    <div className={`rounded-tremor-default border border-tremor-border bg-white p-6 shadow-tremor-card ${className}`}>
      <div className={`h-5 w-36 ${BLOCK}`} />
      <div className={`mt-4 ${bodyClassName} ${BLOCK}`} />
    </div>
  );
}
