import { stopBackends } from '#test/support/backend-process.js';

// After every test file (jest's setupFilesAfterEnv): no backend process outlives the file that started it.
afterAll(stopBackends);
