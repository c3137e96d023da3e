import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl px-4 py-24 text-center">
      <h1 className="text-2xl font-semibold text-tremor-content-strong">Not found</h1>
      <p className="mt-2 text-tremor-default">Nothing exists at this address.</p>
      <Link href="/" className="mt-6 inline-block text-tremor-brand hover:underline">
        Go to the home page
      </Link>
    </main>
  );
}
