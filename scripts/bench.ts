import { benchDocumentStore } from './bench/document-store.bench';

/** `npm run bench`: prints figures and ratios against baselines measured in the same run. */
async function main() {
  console.log(`Hangar bench · node ${process.version} · ${new Date().toISOString()}`);
  await benchDocumentStore();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
