import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-md rounded-tremor-default border border-tremor-border bg-white px-8 py-10 text-center shadow-tremor-card">
        <p className="text-lg font-semibold text-tremor-content-strong">Riskboard</p>
        <p className="mt-6 text-tremor-label font-semibold uppercase tracking-wide text-tremor-brand">Error 404</p>
        <h1 className="mt-1 text-2xl font-semibold text-tremor-content-strong">Not found</h1>
        <p className="mt-2 text-tremor-default">Nothing exists at this address. It may have been removed, or the link is mistyped.</p>
        <Link
          href="/"
          className="mt-6 inline-block rounded-tremor-default bg-tremor-brand px-4 py-2 text-tremor-default font-medium text-tremor-brand-inverted hover:bg-tremor-brand-emphasis"
        >
          Go to the home page
        </Link>
      </div>
    </main>
  );
}
