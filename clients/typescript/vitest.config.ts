import { defineConfig } from "vitest/config";

// The tests talk to a real Tenantry server that ./test.sh starts (TENANTRY_TEST_URL).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ["default", "junit"],
    outputFile: { junit: process.env.VITEST_JUNIT_FILE ?? "test-results.xml" },
  },
});
