// Bundles app/main.tsx with `@wacht/jsx` and `@wacht/types` taken from a react-sdk checkout, as they are
// there (their sources, not a build): node bundle.mjs <react-sdk checkout> <output dir>.
// The SDK's own `@/...` imports resolve through its jsx/tsconfig.json paths (esbuild reads it);
// its third-party imports (react, swr, styled-components...) resolve to this folder's pinned
// node_modules, so the app and the SDK share one React.
import { build } from "esbuild";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const [sdkArg, outArg] = process.argv.slice(2);
if (!sdkArg || !outArg) {
    console.error("usage: node bundle.mjs <react-sdk checkout> <output dir>");
    process.exit(2);
}
const sdk = resolve(sdkArg);
const jsxEntry = join(sdk, "jsx/lib/index.ts");
const typesEntry = join(sdk, "wacht-types/src/index.ts");
for (const file of [jsxEntry, typesEntry]) {
    if (!existsSync(file)) {
        console.error(`not a react-sdk checkout: ${file} is missing`);
        process.exit(2);
    }
}

// Bare imports that are not the SDK's own: always from here, whatever the checkout has installed.
const fromHarness = {
    name: "third-party-from-harness",
    setup(b) {
        b.onResolve({ filter: /^@wacht\/(jsx|types)$/ }, (args) => ({
            path: args.path === "@wacht/jsx" ? jsxEntry : typesEntry,
        }));
        b.onResolve({ filter: /^[^./@]|^@[^/]+\// }, async (args) => {
            if (args.pluginData === "from-harness" || args.path.startsWith("@/")) return undefined;
            const result = await b.resolve(args.path, { kind: args.kind, resolveDir: here, pluginData: "from-harness" });
            return result.errors.length ? { errors: result.errors } : result;
        });
    },
};

const out = resolve(outArg);
mkdirSync(out, { recursive: true });
await build({
    entryPoints: [join(here, "app/main.tsx")],
    bundle: true,
    outfile: join(out, "app.js"),
    format: "esm",
    platform: "browser",
    target: "es2022",
    jsx: "automatic",
    define: { "process.env.NODE_ENV": '"production"' },
    plugins: [fromHarness],
    logLevel: "warning",
    sourcemap: true,
});
writeFileSync(
    join(out, "index.html"),
    `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Wacht SDK check</title></head>
<body><div id="root"></div><script type="module" src="/app.js"></script></body>
</html>
`,
);
console.log(`bundled the app with the SDK at ${sdk} into ${out}`);
