// paymentUpdated is served by the gateway from its @live declaration in this
// subgraph's schema: the statuses it declares final must be the lifecycle's,
// or a subscription would end early or never.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, Kind, type ConstDirectiveNode } from 'graphql';
import { finalStatuses } from '@interop/domain';

test('the statuses paymentUpdated declares final are those nothing follows in the lifecycle', () => {
  const document = parse(readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8'));
  let live: ConstDirectiveNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION || definition.name.value !== 'Subscription') continue;
    live = definition.fields?.find((field) => field.name.value === 'paymentUpdated')?.directives?.find((directive) => directive.name.value === 'live');
  }
  const final = live?.arguments?.find((argument) => argument.name.value === 'final')?.value;
  const declared = final?.kind === Kind.LIST ? final.values.map((value) => (value.kind === Kind.STRING ? value.value : null)) : null;
  expect(declared?.slice().sort()).toEqual(finalStatuses().sort());
});
