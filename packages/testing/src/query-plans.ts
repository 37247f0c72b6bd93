// What @apollo/gateway's planner makes of an operation on a fixture's
// supergraph, so a test that claims to exercise a kind of plan node (or a
// rewrite) can check the plan really has it.
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner, type PlanNode, type QueryPlan, type SubscriptionNode } from '@apollo/query-planner';
import { parse } from 'graphql';

export interface PlanFeatures {
  /** Node kinds, each once: Fetch, Sequence, Parallel, Flatten, Condition, ... */
  nodes: Set<string>;
  /** The Flatten paths, as `a.@.b`. */
  flattenPaths: string[];
  /** Rewrite kinds, as `input:ValueSetter`, `output:KeyRenamer`, ... */
  rewrites: Set<string>;
  /** The subgraph each fetch goes to, in plan order. */
  fetches: string[];
}

export class Planner {
  private readonly supergraph: Supergraph;
  private readonly planner: QueryPlanner;

  constructor(supergraphSdl: string) {
    this.supergraph = Supergraph.build(supergraphSdl);
    this.planner = new QueryPlanner(this.supergraph);
  }

  plan(query: string): QueryPlan {
    return this.planner.buildQueryPlan(operationFromDocument(this.supergraph.apiSchema(), parse(query)));
  }

  features(query: string): PlanFeatures {
    const features: PlanFeatures = { nodes: new Set(), flattenPaths: [], rewrites: new Set(), fetches: [] };
    const walk = (node: PlanNode | SubscriptionNode): void => {
      features.nodes.add(node.kind);
      switch (node.kind) {
        case 'Fetch':
          features.fetches.push(node.serviceName);
          for (const rewrite of node.inputRewrites ?? []) features.rewrites.add(`input:${rewrite.kind}`);
          for (const rewrite of node.outputRewrites ?? []) features.rewrites.add(`output:${rewrite.kind}`);
          return;
        case 'Flatten':
          features.flattenPaths.push(node.path.join('.'));
          return walk(node.node);
        case 'Sequence':
        case 'Parallel':
          return node.nodes.forEach(walk);
        case 'Condition':
          if (node.ifClause) walk(node.ifClause);
          if (node.elseClause) walk(node.elseClause);
          return;
        default:
          return;
      }
    };
    const plan = this.plan(query);
    if (plan.node) walk(plan.node);
    return features;
  }
}
