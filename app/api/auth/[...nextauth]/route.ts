import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { getDb } from '../../../../db/client';
import { getAuthOptions } from '../../../../lib/auth/next-auth-options';

// The options are built per request because the session secret may live in the database,
// which must not be opened while `next build` loads this module.
async function handler(request: NextRequest, context: { params: Promise<{ nextauth: string[] }> }): Promise<Response> {
  const options = await getAuthOptions(await getDb());
  const response: Response = await NextAuth(request, context, options);
  return response;
}

export { handler as GET, handler as POST };
