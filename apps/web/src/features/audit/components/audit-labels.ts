import type { AuditOutcome } from '@passman/contracts';
import type { BadgeTone } from '@/components/ui/badge';

export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const satisfies readonly AuditOutcome[];
export const outcomeTone: Record<AuditOutcome, BadgeTone> = { success: 'success', failure: 'danger', denied: 'warning' };
