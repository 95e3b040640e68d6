export default async function globalTeardown() {
  await globalThis.__creditgatePostgres?.stop();
}
