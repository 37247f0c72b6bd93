import type { EnrolmentResolvers } from '../__generated__/resolvers';

export const Enrolment: EnrolmentResolvers = {
  tool: ({ toolId }) => ({ id: toolId }),
  history: (enrolment, _args, { loaders }) => loaders.enrolmentHistory.load(enrolment),
};
