import { useEffect, useRef, useState, type ReactNode } from 'react';
import { onStepUp } from '@/lib/api-client';
import { ReauthDialog } from './components/reauth-dialog';

/**
 * Shows the re-authentication dialog whenever an API call answers STEP_UP_REQUIRED, and lets the
 * api client send that call again once the user has confirmed. Calls that need it at the same
 * time share one dialog.
 */
export function StepUpProvider({ children }: { children: ReactNode }) {
  /** The methods the API offered (its problem's `methods`); null while no dialog is open. */
  const [methods, setMethods] = useState<readonly string[] | null>(null);
  const waiting = useRef<((reauthenticated: boolean) => void)[]>([]);

  useEffect(
    () =>
      onStepUp(
        (error) =>
          new Promise<boolean>((resolve) => {
            waiting.current.push(resolve);
            const offered = error.extensions.methods;
            setMethods((shown) => shown ?? (Array.isArray(offered) ? offered.map(String) : ['password']));
          }),
      ),
    [],
  );

  const done = (reauthenticated: boolean) => {
    const resolvers = waiting.current;
    waiting.current = [];
    setMethods(null);
    for (const resolve of resolvers) resolve(reauthenticated);
  };

  return (
    <>
      {children}
      {methods && <ReauthDialog methods={methods} onDone={done} />}
    </>
  );
}
