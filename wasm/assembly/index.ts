// Every kernel the edge and core call, in one module: numbers and pointers only across the boundary.
export { scaledManhattanBatch } from './profile';
export { iforestScoreOne, iforestScoreBatch, iforestContributions, iforestRowSlot, iforestKey, iforestTreeBytes, MAX_DIMS, IFOREST_GROUP } from './iforest';
export { mlpForward, mlpReconstructionError } from './mlp';
export { eiforestScoreBatch } from './eiforest';

/** First free byte after static data; the host lays its buffers out from here. */
export function heapBase(): usize {
  return __heap_base;
}
export { treesScoreBatch } from './trees';
