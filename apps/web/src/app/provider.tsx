import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { AppErrorBoundary } from '@/components/errors/app-error-boundary';
import { loginPath, paths } from '@/config/paths';
import { onUnauthorized } from '@/lib/api-client';
import { createQueryClient } from '@/lib/query-client';
import { authKeys } from '@/features/auth/api/query-keys';
import { StepUpProvider } from '@/features/step-up/step-up-provider';
import { router } from './router';

/** A 401 from any call: forget the session and its data, then go to the login page. */
function useSessionExpiry(queryClient: QueryClient): void {
  useEffect(
    () =>
      onUnauthorized(() => {
        // Forgotten first: the login page's check must already see no session.
        queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== authKeys.all[0] });
        queryClient.setQueryData(authKeys.me(), null);
        const { pathname, href } = router.state.location;
        if (pathname !== paths.login) {
          const target = loginPath(href);
          router.history.replace(`${target}${target.includes('?') ? '&' : '?'}reason=expired`);
        }
      }),
    [queryClient],
  );
}

export function AppProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  useSessionExpiry(queryClient);
  return (
    <AppErrorBoundary>
      <QueryClientProvider client={queryClient}>
        <StepUpProvider>{children}</StepUpProvider>
      </QueryClientProvider>
    </AppErrorBoundary>
  );
}
