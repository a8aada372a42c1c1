import { benchWorkspaceBuilds } from './bench/builder.bench';
import { benchDocumentStore } from './bench/document-store.bench';
import { benchLambdaBundles } from './bench/lambda-bundles.bench';
import { benchLiveData } from './bench/live-data.bench';
import { benchPromptToPreview } from './bench/prompt-to-preview.bench';
import { benchRunStream } from './bench/run-stream.bench';

/** `npm run bench`: prints figures and ratios against baselines measured in the same run. */
async function main() {
  console.log(`Hangar bench · node ${process.version} · ${new Date().toISOString()}`);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  await benchDocumentStore();
  await benchRunStream();
  await benchLiveData();
  await benchWorkspaceBuilds();
  await benchPromptToPreview();
  await benchLambdaBundles();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
