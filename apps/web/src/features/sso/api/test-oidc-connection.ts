import { oidcRoutes, type OidcTestResult } from '@passman/contracts';
import { useMutation } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

/** `POST /settings/oidc/test`: fetches the issuer's discovery document; the endpoints, or why it failed. */
export function testOidcConnection(body: { issuer: string; caCertificates: string | null }): Promise<OidcTestResult> {
  return api.call(oidcRoutes.testConnection, { body });
}

export function useTestOidcConnection() {
  return useMutation({ mutationFn: testOidcConnection });
}
