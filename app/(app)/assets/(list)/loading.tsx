// This skeleton sits in a route group next to its page only, so no loading boundary wraps the
// detail pages: a notFound() there must come before streaming starts to send a real 404 status.
export default function AssetsLoading() {
  return (
    <div aria-busy="true" aria-label="Loading assets" className="animate-pulse space-y-3">
      <div className="mb-6 h-8 w-40 rounded-tremor-small bg-tremor-background-subtle" />
      {Array.from({ length: 12 }, (_, index) => (
        <div key={index} className="h-10 rounded-tremor-small bg-tremor-background-subtle" />
      ))}
    </div>
  );
}
