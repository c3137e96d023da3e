import { EmptyState } from '@/components/ui/states';

export default function SignedInNotFound() {
  return (
    <EmptyState eyebrow="Error 404" title="Not found" actionHref="/" actionLabel="Go to the home page" secondaryHref="/findings" secondaryLabel="Browse findings">
      Nothing exists at this address. It may have been removed, or the link is mistyped.
    </EmptyState>
  );
}
