export { type PolicyContext } from './defaults.ts';
export {
  isPolicySlug,
  POLICY_PAGES,
  policyTitle,
  type PolicySlug,
} from '../../shared/policy-pages.ts';
export {
  createPolicies,
  type Policies,
  type PolicyDeps,
  type PolicyPage,
  type PolicyVersion,
} from './service.ts';
