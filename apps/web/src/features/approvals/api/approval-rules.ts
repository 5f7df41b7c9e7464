import { approvalRuleRoutes } from '@passman/contracts';
import type { ApprovalRules, SetApprovalRulesRequest } from '@passman/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { approvalKeys } from './query-keys';

type RuleObject = { type: 'folder' | 'account'; id: string };

/** `GET /{folders|accounts}/{id}/approval-rules`: the rules set on the object and those it inherits. */
export function useApprovalRules(object: RuleObject) {
  return useQuery({
    queryKey: approvalKeys.rules(object.type, object.id),
    queryFn: ({ signal }): Promise<ApprovalRules> => api.call(approvalRuleRoutes[object.type].get, { params: { id: object.id }, signal }),
  });
}

/** `PUT /{folders|accounts}/{id}/approval-rules`: replaces the rules set on the object. */
export function useSetApprovalRules(object: RuleObject) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SetApprovalRulesRequest) => api.call(approvalRuleRoutes[object.type].set, { params: { id: object.id }, body }),
    onSuccess: (rules) => {
      queryClient.setQueryData(approvalKeys.rules(object.type, object.id), rules);
      // What lies below inherits them.
      return queryClient.invalidateQueries({ queryKey: [...approvalKeys.all, 'rules'] });
    },
  });
}
