// Worker thread of xsd.ts: xmllint (libxml2 compiled to wasm, from the xmllint-wasm package) validating
// request bodies against one XSD, many times over.
//
// Why our own adapter: the package's validateXML() starts a new worker thread and compiles xmllint.wasm for
// every call (~120 ms, ~400 ms under tsx), which made the simulator the bottleneck of large runs. Here the
// wasm is compiled once; each validation still gets a fresh emscripten instance (its own memory and file
// system, one xmllint `main()`), instantiated from the compiled module through emscripten's documented
// `instantiateWasm` hook, exactly as `xmllint --schema api_v8.xsd --noout request.xml` runs in the package.
// Plain JavaScript: the thread is started with `execArgv: []`, without tsx's loader.
//
// Messages in: { id, xml }. Out: { id, exitCode, stderr } or { id, failure }.
/* global WebAssembly */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
// The package's emscripten factory. Loading the file also registers the package's own message listener,
// which ignores every message not tagged `xmllint-wasm` (ours are not). It starts the port, so our listener
// below must be there before anything is awaited, or early requests would be lost.
const xmllint = require('xmllint-wasm/xmllint-node.js');
const compiling = WebAssembly.compile(readFileSync(require.resolve('xmllint-wasm/xmllint.wasm')));
const { xsd, xsdFileName, initialMemoryPages, maxMemoryPages } = workerData;

async function validate(xml) {
  const wasm = await compiling;
  let stderr = '';
  return new Promise((resolve, reject) => {
    xmllint({
      inputFiles: [
        { fileName: xsdFileName, contents: xsd },
        { fileName: 'request.xml', contents: xml },
      ],
      arguments: ['--schema', xsdFileName, '--noout', 'request.xml'],
      print() {},
      printErr(text) {
        stderr += text + '\n';
      },
      onExit: (exitCode) => resolve({ exitCode, stderr }),
      onAbort: (reason) => reject(new Error(`xmllint aborted: ${reason}`)),
      wasmMemory: new WebAssembly.Memory({ initial: initialMemoryPages, maximum: maxMemoryPages }),
      instantiateWasm(imports, receive) {
        WebAssembly.instantiate(wasm, imports).then((instance) => receive(instance, wasm), reject);
        return {};
      },
    }).catch(reject);
  });
}

// One document at a time: a queue of waiting requests holds no wasm memory.
let queue = Promise.resolve();
parentPort.on('message', (message) => {
  if (!message || typeof message.id !== 'number') return;
  queue = queue.then(() =>
    validate(message.xml).then(
      ({ exitCode, stderr }) => parentPort.postMessage({ id: message.id, exitCode, stderr }),
      (e) => parentPort.postMessage({ id: message.id, failure: String(e?.stack ?? e) }),
    ),
  );
});
