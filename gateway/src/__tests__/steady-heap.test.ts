import { steadyHeapFlags } from '../steady-heap';

describe('steady heap flags', () => {
  it('sets both heap flags when the process was started with neither', () => {
    expect(steadyHeapFlags(['--enable-source-maps'])).toEqual(['--heap-growing-percent=50', '--gc-memory-reducer-start-delay-ms=1000']);
  });

  it("keeps a flag the operator gave, in either spelling V8 reads", () => {
    expect(steadyHeapFlags(['--heap-growing-percent=80'])).toEqual(['--gc-memory-reducer-start-delay-ms=1000']);
    expect(steadyHeapFlags(['--gc_memory_reducer_start_delay_ms=8000', '--heap_growing_percent=0'])).toEqual([]);
  });

  it('does not take a flag with a longer name for one of its own', () => {
    expect(steadyHeapFlags(['--heap-growing-percent-extra=1'])).toHaveLength(2);
  });
});
