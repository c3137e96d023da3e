import { EmptyState } from '@/components/ui/states';

export default function SignedInNotFound() {
  return (
    <EmptyState title="Not found" actionHref="/" actionLabel="Go to the home page">
      Nothing exists at this address. It may have been removed, or the link is mistyped.
    </EmptyState>
  );
}
