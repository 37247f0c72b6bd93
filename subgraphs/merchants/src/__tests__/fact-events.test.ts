// What merchants announces on its fact buses: each opt-in change names the
// merchant whose facts changed; a start names none, so followers read all.
import { createLogger } from '@interop/kit';
import { decodeFactsChanged, LocalEventBus, type FactsChanged } from '@interop/kit/events';
import { publishFactChanges } from '../fact-events';
import type { EnrolmentChangeListener, MerchantsStore } from '../store/merchants-store';

function announced() {
  let listener: EnrolmentChangeListener = () => {};
  const store = { onEnrolmentChange: (heard: EnrolmentChangeListener) => ((listener = heard), () => {}) } as unknown as MerchantsStore;
  const bus = new LocalEventBus();
  const heard: (FactsChanged | null)[] = [];
  bus.subscribe({ message: (text) => heard.push(decodeFactsChanged(text)), gap: () => {} });
  const changes = publishFactChanges(store, [bus], createLogger('fact-events-test'));
  return { changes, heard, change: (merchantId: string) => listener({ storefront: { merchantSeq: 7, merchantId, platformId: 'taobao' }, toolId: 'wechat-pay', status: 'ACTIVE' }) };
}

test('an opt-in change names its merchant; a start names no entity', () => {
  const { changes, heard, change } = announced();
  change('m0000007');
  changes.announceStart();
  changes.stop();
  expect(heard).toEqual([
    { factsChanged: expect.any(String), subgraph: 'merchants', changed: [{ type: 'Merchant', id: 'm0000007' }] },
    { factsChanged: expect.any(String), subgraph: 'merchants' },
  ]);
  expect(heard[0]?.factsChanged).not.toBe(heard[1]?.factsChanged);
});
