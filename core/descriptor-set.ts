// Where the compiled descriptor set lies (written by `cadence gen-proto`). Kept in a file one folder
// deep so that the same relative path holds from the sources and from dist/ (cli/build-dist.ts).
export const DESCRIPTOR_SET = new URL('../gen/descriptors/cadence.binpb', import.meta.url);
