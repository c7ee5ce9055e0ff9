// Types of the workerd test environment.
/// <reference types="@cloudflare/vitest-pool-workers/types" />
