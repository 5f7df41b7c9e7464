import { dashboardRoutes } from '@passman/contracts';
import type { QuickSaveRequest, QuickSaveResponse } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

/** `POST /dashboard/quick-save`: target and account created when missing, the password saved, then checked (a job). */
export function quickSave(body: QuickSaveRequest): Promise<QuickSaveResponse> {
  return api.call(dashboardRoutes.quickSave, { body });
}

export function useQuickSave() {
  const queryClient = useQueryClient();
  // Targets, accounts, folders' counts and the dashboard change: everything cached is refetched when next shown.
  return useMutation({ mutationFn: quickSave, onSuccess: () => queryClient.invalidateQueries() });
}
