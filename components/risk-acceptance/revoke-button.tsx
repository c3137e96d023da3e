'use client';

import { Button } from '@tremor/react';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { revokeRuleAction } from '@/app/(app)/risk-acceptance/actions';

/** Revokes a rule after a confirmation; its findings count toward Risk Scores again at once. */
export function RevokeRuleButton({ ruleId, name }: { ruleId: number; name: string }) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  function revoke() {
    if (!window.confirm(`Revoke "${name}"? Its findings count toward Risk Scores again at once. This cannot be undone.`)) return;
    startTransition(async () => {
      const result = await revokeRuleAction(ruleId);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      router.refresh();
    });
  }

  return (
    <span className="flex items-center gap-3">
      <Button type="button" variant="secondary" color="red" loading={pending} onClick={revoke}>
        Revoke
      </Button>
      {error ? (
        <span role="alert" className="text-tremor-default text-red-600">
          {error}
        </span>
      ) : null}
    </span>
  );
}
