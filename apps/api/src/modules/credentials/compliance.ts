/** An account is Compliant when every CURRENT secret meets its policy; null when none was assessed. */
export function complianceOf(flags: (boolean | null)[]): 'Compliant' | 'Noncompliant' | null {
  const assessed = flags.filter((f): f is boolean => f !== null);
  if (assessed.length === 0) return null;
  return assessed.every(Boolean) ? 'Compliant' : 'Noncompliant';
}
