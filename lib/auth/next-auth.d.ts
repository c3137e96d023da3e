import 'next-auth';
import 'next-auth/jwt';
import type { UserRole } from './users';

declare module 'next-auth' {
  interface Session {
    user: { id: number; email: string; name: string | null; role: UserRole };
  }

  interface User {
    role: UserRole;
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    role?: UserRole;
  }
}
