// This skeleton sits in a route group next to its page only, so no loading boundary wraps the
// detail pages: a notFound() there must come before streaming starts to send a real 404 status.
export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading" className="animate-pulse space-y-6">
      <div className="h-8 w-48 rounded-tremor-small bg-tremor-background-subtle" />
      <div className="grid gap-6 md:grid-cols-3">
        <div className="h-40 rounded-tremor-default bg-tremor-background-subtle" />
        <div className="h-40 rounded-tremor-default bg-tremor-background-subtle md:col-span-2" />
      </div>
      <div className="h-64 rounded-tremor-default bg-tremor-background-subtle" />
    </div>
  );
}
