import { HeadingSkeleton, TableSkeleton } from '@/components/ui/skeletons';

// This skeleton sits in a route group next to its page only, so no loading boundary wraps the
// detail pages: a notFound() there must come before streaming starts to send a real 404 status.
export default function FindingsLoading() {
  return (
    <div aria-busy="true" aria-label="Loading findings" className="animate-pulse">
      <HeadingSkeleton />
      <TableSkeleton columns={7} />
    </div>
  );
}
