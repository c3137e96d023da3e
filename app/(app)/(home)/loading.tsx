import { CardSkeleton, HeadingSkeleton } from '@/components/ui/skeletons';

// This skeleton sits in a route group next to its page only, so no loading boundary wraps the
// detail pages: a notFound() there must come before streaming starts to send a real 404 status.
export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading" className="animate-pulse">
      <HeadingSkeleton />
      <div className="grid gap-6 lg:grid-cols-3">
        <CardSkeleton bodyClassName="h-72" />
        <CardSkeleton bodyClassName="h-72" className="lg:col-span-2" />
        <CardSkeleton bodyClassName="h-80" className="lg:col-span-3" />
      </div>
    </div>
  );
}
