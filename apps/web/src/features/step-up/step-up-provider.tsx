import { useEffect, useRef, useState, type ReactNode } from 'react';
import { onStepUp } from '@/lib/api-client';
import { ReauthDialog } from './components/reauth-dialog';

/**
 * Shows the re-authentication dialog whenever an API call answers STEP_UP_REQUIRED, and lets the
 * api client send that call again once the user has confirmed. Calls that need it at the same
 * time share one dialog.
 */
export function StepUpProvider({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const waiting = useRef<((reauthenticated: boolean) => void)[]>([]);

  useEffect(
    () =>
      onStepUp(
        () =>
          new Promise<boolean>((resolve) => {
            waiting.current.push(resolve);
            setOpen(true);
          }),
      ),
    [],
  );

  const done = (reauthenticated: boolean) => {
    const resolvers = waiting.current;
    waiting.current = [];
    setOpen(false);
    for (const resolve of resolvers) resolve(reauthenticated);
  };

  return (
    <>
      {children}
      {open && <ReauthDialog onDone={done} />}
    </>
  );
}
