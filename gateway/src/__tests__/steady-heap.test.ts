import { steadyHeapFlags } from '../steady-heap';

describe('steady heap flags', () => {
  it('sets the heap growth when the process was started without it, and leaves the memory reducer to V8', () => {
    expect(steadyHeapFlags(['--enable-source-maps'])).toEqual(['--heap-growing-percent=50']);
  });

  it("keeps a flag the operator gave, in either spelling V8 reads", () => {
    expect(steadyHeapFlags(['--heap-growing-percent=80'])).toEqual([]);
    expect(steadyHeapFlags(['--heap_growing_percent=0'])).toEqual([]);
  });

  it('does not take a flag with a longer name for one of its own', () => {
    expect(steadyHeapFlags(['--heap-growing-percent-extra=1'])).toHaveLength(1);
  });
});
