import { HeadingSkeleton, TableSkeleton } from '@/components/ui/skeletons';

// This skeleton sits in a route group next to its page only, so no loading boundary wraps the
// detail pages: a notFound() there must come before streaming starts to send a real 404 status.
export default function AssetsLoading() {
  return (
    <div aria-busy="true" aria-label="Loading assets" className="animate-pulse">
      <HeadingSkeleton />
      <TableSkeleton columns={5} />
    </div>
  );
}
