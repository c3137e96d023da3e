import { CardSkeleton, HeadingSkeleton, TableSkeleton } from '@/components/ui/skeletons';

export default function ImportsLoading() {
  return (
    <div aria-busy="true" aria-label="Loading imports" className="animate-pulse space-y-6">
      <div>
        <HeadingSkeleton />
        <CardSkeleton bodyClassName="h-12" />
      </div>
      <TableSkeleton columns={6} rows={4} />
    </div>
  );
}
