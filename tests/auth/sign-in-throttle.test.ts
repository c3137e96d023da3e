import { describe, expect, it } from 'vitest';
import { clearSignInFailures, isSignInThrottled, recordSignInFailure, SIGN_IN_LIMITS } from '../../lib/auth/sign-in-throttle';

describe('sign-in throttle', () => {
  it('blocks an email after the limit', () => {
    const now = 1_000_000;
    for (let attempt = 0; attempt < SIGN_IN_LIMITS.perEmail; attempt++) {
      expect(isSignInThrottled('Target@example.com', undefined, now)).toBe(false);
      recordSignInFailure('target@example.com', undefined, now);
    }
    expect(isSignInThrottled('TARGET@example.com', undefined, now)).toBe(true);
  });

  it('forgets failures after the window', () => {
    const now = 2_000_000;
    for (let attempt = 0; attempt < SIGN_IN_LIMITS.perEmail; attempt++) recordSignInFailure('late@example.com', undefined, now);
    expect(isSignInThrottled('late@example.com', undefined, now + SIGN_IN_LIMITS.windowMs + 1)).toBe(false);
  });

  it('blocks an address across emails', () => {
    const now = 3_000_000;
    for (let attempt = 0; attempt < SIGN_IN_LIMITS.perAddress; attempt++) recordSignInFailure(`user${attempt}@example.com`, '198.51.100.7', now);
    expect(isSignInThrottled('fresh@example.com', '198.51.100.7', now)).toBe(true);
    expect(isSignInThrottled('fresh@example.com', '198.51.100.8', now)).toBe(false);
  });

  it('clears an email on success', () => {
    const now = 4_000_000;
    for (let attempt = 0; attempt < SIGN_IN_LIMITS.perEmail; attempt++) recordSignInFailure('ok@example.com', undefined, now);
    clearSignInFailures('ok@example.com');
    expect(isSignInThrottled('ok@example.com', undefined, now)).toBe(false);
  });
});
